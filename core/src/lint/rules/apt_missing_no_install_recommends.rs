use crate::edit::Edit;
use crate::lint::context::{is_apt_install, word_span};
use crate::lint::{Context, Finding, Safety};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        for (shell, command) in run.commands() {
            if !is_apt_install(command)
                || command.has_flag("--no-install-recommends")
                || command.words.iter().any(|w| {
                    w.contains("Install-Recommends=false") || w.contains("Install-Recommends=0")
                })
            {
                continue;
            }
            let Some(install) = word_span(shell, "install") else {
                continue;
            };
            let edits = vec![Edit::insert(install.end, " --no-install-recommends")];
            let message = format!(
                "`{}` also installs recommended packages; add --no-install-recommends",
                command.words.join(" ")
            );
            findings.push(context.finding(
                "apt-missing-no-install-recommends",
                shell.span,
                message,
                edits,
                Some(Safety::Unsafe),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n";
        let good = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n";
        let found = check("apt-missing-no-install-recommends", bad, good);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(crate::lint::Safety::Unsafe)
        );
    }
}
