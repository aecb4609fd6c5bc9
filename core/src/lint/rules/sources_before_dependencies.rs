use crate::lint::context::{is_node_install, is_pip_install};
use crate::lint::{Context, Finding, Savings};
use crate::model::{Command, StepKind};

/// Dependency installs that only need the manifest files.
fn is_dependency_install(command: &Command) -> bool {
    is_node_install(command)
        || (is_pip_install(command) && command.has_flag("-r"))
        || command.is("go", "mod")
        || command.is("bundle", "install")
        || command.is("cargo", "fetch")
        || command.is("composer", "install")
        || (command.program() == "mvn"
            && command.words.iter().any(|w| w.starts_with("dependency:")))
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for stage in &context.analysis.model.stages {
        let mut copied_all = None;
        for step in &stage.steps {
            match &step.kind {
                StepKind::Copy(copy)
                    if copy.from.is_none()
                        && copy
                            .sources
                            .iter()
                            .any(|s| matches!(s.as_str(), "." | "./" | "/")) =>
                {
                    copied_all.get_or_insert(step.span);
                }
                StepKind::Run(run) => {
                    let Some(copy_span) = copied_all else {
                        continue;
                    };
                    let Some(command) = run.commands.iter().find(|c| is_dependency_install(c))
                    else {
                        continue;
                    };
                    let rebuilt: u64 = stage
                        .steps
                        .iter()
                        .filter(|s| s.span.start >= copy_span.start)
                        .map(|s| context.layer_bytes(s.span))
                        .sum();
                    findings.push(Finding {
                        rule: "sources-before-dependencies",
                        span: copy_span,
                        message: format!(
                            "every source change re-runs `{}`: copy the dependency manifests and install before copying the sources",
                            command.words.join(" ")
                        ),
                        savings: Savings::Rebuild(rebuilt),
                        fix: None,
                    });
                    break;
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_and_quiet() {
        let bad = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev && npm cache clean --force\n";
        let good = "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . .\n";
        let found = check("sources-before-dependencies", bad, good);
        assert!(matches!(found[0].savings, crate::lint::Savings::Rebuild(_)));
    }
}
