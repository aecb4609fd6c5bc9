use crate::edit::Edit;
use crate::lint::context::{is_pip_install, word_span};
use crate::lint::{Context, Finding, Safety};

const CACHE: &str = "/root/.cache/pip";

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        let env_off = run
            .env("PIP_NO_CACHE_DIR")
            .is_some_and(|v| !matches!(v, "" | "0" | "false" | "off"));
        if env_off || run.has_cache_mount(CACHE) || run.removes(CACHE) {
            continue;
        }
        // The installs of one RUN share one cache: one finding, one fix for all.
        let mut edits = Vec::new();
        let mut first = None;
        for (shell, command) in run.commands() {
            if !is_pip_install(command) || command.has_flag("--no-cache-dir") {
                continue;
            }
            let Some(install) = word_span(shell, "install") else {
                continue;
            };
            edits.push(Edit::insert(install.end, " --no-cache-dir"));
            first.get_or_insert(shell.span);
        }
        let Some(span) = first else { continue };
        let message =
            "pip keeps every downloaded wheel in ~/.cache/pip; add --no-cache-dir".to_string();
        findings.push(context.finding("pip-cache-kept", span, message, edits, Some(Safety::Safe)));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad =
            "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n";
        let good = "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n";
        check("pip-cache-kept", bad, good);
    }

    #[test]
    fn env_and_mount_count() {
        let env = "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n";
        assert!(crate::lint::rules::test_support::findings("pip-cache-kept", env).is_empty());
        let mount = "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n";
        assert!(crate::lint::rules::test_support::findings("pip-cache-kept", mount).is_empty());
    }
}
