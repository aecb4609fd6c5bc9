use crate::edit::Edit;
use crate::lint::context::word_span;
use crate::lint::{Context, Finding, Safety};
use crate::span::Span;

const CACHE: &str = "/var/cache/apk";

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        if run.removes(CACHE) || run.has_cache_mount(CACHE) {
            continue;
        }
        let commands: Vec<_> = run.commands().collect();
        for (index, (shell, command)) in commands.iter().enumerate() {
            if !command.is("apk", "add") || command.has_flag("--no-cache") {
                continue;
            }
            let Some(add) = word_span(shell, "add") else {
                continue;
            };
            let mut edits = vec![Edit::insert(add.end, " --no-cache")];
            // `apk update && apk add --no-cache` would still leave the index
            // `apk update` fetched: drop the update when it directly precedes.
            if let Some((update, _)) = index
                .checked_sub(1)
                .and_then(|i| commands.get(i))
                .filter(|(_, c)| c.is("apk", "update"))
            {
                edits.push(Edit::delete(Span::new(update.span.start, shell.span.start)));
            }
            let message = "`apk add` without --no-cache keeps the package index in /var/cache/apk"
                .to_string();
            findings.push(context.finding(
                "apk-missing-no-cache",
                shell.span,
                message,
                edits,
                Some(Safety::Safe),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM alpine:3.21\nRUN apk update && apk add curl\n";
        let good = "FROM alpine:3.21\nRUN apk add --no-cache curl\n";
        let found = check("apk-missing-no-cache", bad, good);
        let fixed = crate::apply_edits(bad, &found[0].fix.as_ref().unwrap().edits);
        assert_eq!(fixed, "FROM alpine:3.21\nRUN apk add --no-cache curl\n");
    }
}
