use crate::lint::context::is_apt_install;
use crate::lint::{Context, Finding, Safety};

const LISTS: &str = "/var/lib/apt/lists";

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        let updates = run
            .run
            .commands
            .iter()
            .any(|c| c.is("apt-get", "update") || c.is("apt", "update"));
        let installs = run.run.commands.iter().any(is_apt_install);
        if !updates
            || !installs
            || run.removes(LISTS)
            || run.has_cache_mount(LISTS)
            || run.is_heredoc()
        {
            continue;
        }
        let Some(remove_lists) = run.append(" && rm -rf /var/lib/apt/lists/*") else {
            continue;
        };
        let message = "`apt-get update` leaves the package lists in this layer; remove /var/lib/apt/lists/* in the same RUN".to_string();
        findings.push(context.finding(
            "apt-lists-not-removed",
            run.instruction.span,
            message,
            vec![remove_lists],
            Some(Safety::Safe),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
        let good = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
        let found = check("apt-lists-not-removed", bad, good);
        assert!(found[0].savings.final_bytes() > 0, "{found:?}");
    }

    #[test]
    fn builder_stages_are_not_final_waste() {
        let text = "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /etc/hostname /x\n";
        assert!(
            crate::lint::rules::test_support::findings("apt-lists-not-removed", text).is_empty()
        );
    }

    #[test]
    fn cache_mount_counts_as_removed() {
        let text = "FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl\n";
        assert!(
            crate::lint::rules::test_support::findings("apt-lists-not-removed", text).is_empty()
        );
    }
}
