use crate::lint::context::{is_apt_install, is_pip_install};
use crate::lint::{Context, Finding, Savings};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.all_runs() {
        let commands = &run.run.commands;
        let cases: [(bool, &str, &str); 5] = [
            (
                commands.iter().any(is_apt_install)
                    && (run.removes("/var/lib/apt/lists")
                        || commands.iter().any(|c| c.is("apt-get", "clean"))),
                "/var/lib/apt/lists",
                "apt",
            ),
            (
                commands
                    .iter()
                    .any(|c| c.is("apk", "add") && c.has_flag("--no-cache"))
                    || run.removes("/var/cache/apk"),
                "/var/cache/apk",
                "apk",
            ),
            (
                commands
                    .iter()
                    .any(|c| is_pip_install(c) && c.has_flag("--no-cache-dir")),
                "/root/.cache/pip",
                "pip",
            ),
            (
                commands
                    .iter()
                    .any(|c| c.is("npm", "cache") || c.is("yarn", "cache")),
                "/root/.npm",
                "npm",
            ),
            (
                commands
                    .iter()
                    .any(|c| c.is("go", "clean") && c.has_flag("-modcache")),
                "/go/pkg/mod",
                "Go",
            ),
        ];
        for (throws_away, cache, manager) in cases {
            if !throws_away || run.has_cache_mount(cache) {
                continue;
            }
            findings.push(Finding {
                rule: "cache-mount-suggestion",
                span: run.instruction.span,
                message: format!("the {manager} cache is deleted so every build downloads again; RUN --mount=type=cache,target={cache} keeps it outside the image"),
                savings: Savings::None,
                fix: None,
            });
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_and_quiet() {
        let bad = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n";
        let good = "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n";
        check("cache-mount-suggestion", bad, good);
    }
}
