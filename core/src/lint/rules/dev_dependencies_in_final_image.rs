use crate::edit::Edit;
use crate::lint::context::{is_node_install, word_span};
use crate::lint::{Context, Finding, Safety};

const PRODUCTION_FLAGS: &[&str] = &[
    "--production",
    "--prod",
    "-P",
    "--omit=dev",
    "--only=production",
    "--only=prod",
];

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        if run.env("NODE_ENV") == Some("production") {
            continue;
        }
        for (shell, command) in run.commands() {
            if !is_node_install(command)
                || PRODUCTION_FLAGS
                    .iter()
                    .any(|f| command.words.iter().any(|w| w == f))
            {
                continue;
            }
            let program = command.program();
            // A build step after the install needs the dev dependencies: no
            // automatic fix then, only the estimate of what they weigh.
            let builds_later = run.stage.steps.iter().any(|step| match &step.kind {
                crate::model::StepKind::Run(later) => {
                    step.span.start >= run.instruction.span.start
                        && later.commands.iter().any(|c| {
                            matches!(c.program(), "npm" | "yarn" | "pnpm")
                                && c.words.iter().any(|w| w == "build")
                        })
                }
                _ => false,
            });
            let flag = match program {
                "npm" => " --omit=dev",
                "yarn" => " --production",
                _ => " --prod",
            };
            let edits = match (
                command.subcommand(),
                word_span(shell, command.subcommand().unwrap_or("")),
            ) {
                (Some(_), Some(sub)) => vec![Edit::insert(sub.end, flag)],
                _ => vec![Edit::insert(shell.name.span.end, format!(" install{flag}"))],
            };
            let message = format!(
                "`{}` installs devDependencies into the final image",
                command.words.join(" ")
            );
            let safety = (!builds_later).then_some(Safety::Unsafe);
            let mut finding = context.finding(
                "dev-dependencies-in-final-image",
                shell.span,
                message,
                edits,
                safety,
            );
            if builds_later {
                finding.message.push_str(
                    "; build in a builder stage and install production dependencies in the runtime",
                );
            }
            findings.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\n";
        let good = "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --omit=dev\n";
        check("dev-dependencies-in-final-image", bad, good);
        let env = "FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n";
        assert!(
            crate::lint::rules::test_support::findings("dev-dependencies-in-final-image", env)
                .is_empty()
        );
    }
}
