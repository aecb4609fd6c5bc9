use crate::edit::Edit;
use crate::lint::{Context, Finding, Safety};
use crate::model::vfs::{absolute, is_within};
use crate::model::StepKind;
use crate::syntax::Keyword;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for run in context.final_runs() {
        for (shell, command) in run.commands() {
            let program = command.program();
            let recursive = command.has_flag("-R") || command.has_flag("--recursive");
            if !matches!(program, "chown" | "chmod" | "chgrp") || !recursive {
                continue;
            }
            let operands: Vec<&str> = command.non_flag_words().collect();
            let Some((setting, paths)) = operands.split_first() else {
                continue;
            };
            let copies: Vec<_> = run
                .stage
                .steps
                .iter()
                .take_while(|s| s.span.start < run.instruction.span.start)
                .filter_map(|s| match &s.kind {
                    StepKind::Copy(copy) => Some((s.span, copy)),
                    _ => None,
                })
                .filter(|(_, copy)| {
                    let dest = copy.dest.trim_end_matches('/');
                    paths.iter().any(|p| {
                        let p = absolute(p, &run.run.workdir);
                        !dest.is_empty() && (is_within(dest, &p) || is_within(&p, dest))
                    })
                })
                .collect();
            if copies.is_empty() {
                continue;
            }
            // Safe fix: the RUN is only this command over exactly one COPY's destination.
            let flag = if program == "chmod" { "chmod" } else { "chown" };
            let octal = program != "chmod" || setting.chars().all(|c| c.is_ascii_digit());
            let only_command =
                run.instruction.commands.len() == 1 && paths.len() == 1 && copies.len() == 1;
            let fixable = only_command
                && octal
                && program != "chgrp"
                && copies[0].1.chown.is_none()
                && copies[0].1.chmod.is_none();
            let copy_instruction = context.instruction(copies[0].0);
            let edits = match copy_instruction {
                Some(copy) if copy.keyword == Keyword::Copy || copy.keyword == Keyword::Add => {
                    let mut edits = vec![Edit::delete(context.line_span(run.instruction.span))];
                    if fixable {
                        edits.push(Edit::insert(
                            copy.keyword_span.end,
                            format!(" --{flag}={setting}"),
                        ));
                    }
                    edits
                }
                _ => vec![Edit::delete(context.line_span(run.instruction.span))],
            };
            let message = format!("`{program} -R` rewrites every file it touches into a new layer; use COPY --{flag} instead");
            findings.push(context.finding(
                "chmod-chown-duplicates-layer",
                shell.span,
                message,
                edits,
                fixable.then_some(Safety::Safe),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM node:20-slim\nCOPY . /app\nRUN chown -R node:node /app\n";
        let good = "FROM node:20-slim\nCOPY --chown=node:node . /app\n";
        let found = check("chmod-chown-duplicates-layer", bad, good);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(crate::lint::Safety::Safe)
        );
    }
}
