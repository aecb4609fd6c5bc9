use crate::edit::Edit;
use crate::lint::context::{is_node_install, is_pip_install, word_span};
use crate::lint::{Context, Finding, Safety};

const PRODUCTION_FLAGS: &[&str] = &[
    "--production",
    "--prod",
    "-P",
    "--omit=dev",
    "--only=production",
    "--only=prod",
];

/// `pip install -r requirements-dev.txt`, `pip install -e .[dev]`: test and
/// lint tools in the final image. The saving is estimated without that
/// install (when it is the RUN's only command); there is no automatic fix.
fn python_dev_installs(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        for (shell, command) in run.commands() {
            if !is_pip_install(command) {
                continue;
            }
            let dev = command.words.iter().skip(2).find(|w| {
                let lower = w.to_ascii_lowercase();
                let file = lower.rsplit('/').next().unwrap_or(&lower);
                (std::path::Path::new(file)
                    .extension()
                    .is_some_and(|ext| ext == "txt")
                    && (file.contains("dev") || file.contains("test")))
                    || lower.contains("[dev")
                    || lower.contains("[test")
            });
            let Some(dev) = dev else { continue };
            let edits = if run.instruction.commands.len() == 1 {
                vec![Edit::delete(context.line_span(run.instruction.span))]
            } else {
                Vec::new()
            };
            let message =
                format!("`{dev}` installs development-only Python packages into the final image");
            findings.push(context.finding(
                "dev-dependencies-in-final-image",
                shell.span,
                message,
                edits,
                None,
            ));
        }
    }
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    python_dev_installs(context, findings);
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
        let python = "FROM python:3.12-slim\nCOPY requirements-dev.txt .\nRUN pip install --no-cache-dir -r requirements-dev.txt\n";
        let python_good = "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n";
        check("dev-dependencies-in-final-image", python, python_good);
        let env = "FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n";
        assert!(
            crate::lint::rules::test_support::findings("dev-dependencies-in-final-image", env)
                .is_empty()
        );
    }
}
