use crate::edit::Edit;
use crate::lint::{Context, Finding, Safety};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        for (shell, command) in run.commands() {
            if command.program() != "useradd"
                || command.has_flag("-l")
                || command.has_flag("--no-log-init")
            {
                continue;
            }
            let uid = command
                .flag_value("-u")
                .or_else(|| command.flag_value("--uid"));
            let Some(uid) = uid.and_then(|u| u.parse::<u64>().ok()) else {
                continue;
            };
            if uid < 1000 {
                continue;
            }
            let edits = vec![Edit::insert(shell.name.span.end, " -l")];
            let message = format!("useradd -u {uid} without -l writes a sparse /var/log/lastlog of about {} that the layer stores in full", crate::estimate::human_size(uid.saturating_mul(292)));
            findings.push(context.finding(
                "useradd-without-l",
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
        let bad = "FROM debian:bookworm-slim\nRUN useradd -u 1000000 app\n";
        let good = "FROM debian:bookworm-slim\nRUN useradd -l -u 1000000 app\n";
        check("useradd-without-l", bad, good);
    }
}
