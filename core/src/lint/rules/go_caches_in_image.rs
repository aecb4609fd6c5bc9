use crate::edit::Edit;
use crate::lint::{Context, Finding, Safety};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        let go = run.run.commands.iter().find(|c| {
            c.is("go", "build")
                || c.is("go", "install")
                || c.is("go", "get")
                || c.is("go", "mod")
                || c.is("go", "test")
        });
        let Some(command) = go else { continue };
        let gopath = run
            .env("GOPATH")
            .and_then(|p| p.split(':').next())
            .unwrap_or("/go")
            .to_string();
        let home = if run.run.user == "root" || run.run.user.is_empty() {
            "/root".to_string()
        } else {
            format!("/home/{}", run.run.user)
        };
        let build_cache = run
            .env("GOCACHE")
            .map_or_else(|| format!("{home}/.cache/go-build"), str::to_string);
        let mod_cache = run
            .env("GOMODCACHE")
            .map_or_else(|| format!("{gopath}/pkg/mod"), str::to_string);
        let cleaned = run
            .run
            .commands
            .iter()
            .any(|c| c.is("go", "clean") && (c.has_flag("-cache") || c.has_flag("-modcache")));
        let mounted = run.has_cache_mount(&build_cache) && run.has_cache_mount(&mod_cache);
        if cleaned || mounted || run.env("GOCACHE") == Some("off") {
            continue;
        }
        let mut mounts = String::new();
        for target in [&build_cache, &mod_cache] {
            if !run.has_cache_mount(target) {
                mounts.push_str("--mount=type=cache,target=");
                mounts.push_str(target);
                mounts.push(' ');
            }
        }
        let at = run
            .instruction
            .flags
            .last()
            .map_or(run.instruction.keyword_span.end + 1, |f| f.span.end + 1);
        let edits = vec![Edit::insert(at, mounts)];
        let message = format!(
            "`{}` leaves the Go build cache and module cache in the layer",
            command.words.join(" ")
        );
        findings.push(context.finding(
            "go-caches-in-image",
            run.instruction.span,
            message,
            edits,
            Some(Safety::Safe),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
        let good = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o hello hello.go\nCMD [\"./hello\"]\n";
        check("go-caches-in-image", bad, good);
    }
}
