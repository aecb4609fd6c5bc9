use crate::edit::Edit;
use crate::lint::context::append_to_run;
use crate::lint::{Context, Finding};
use crate::model::vfs::{absolute, is_within};
use crate::model::{Command, Stage, Step, StepKind};
use crate::rewrite::facts::stage_facts;
use crate::span::Span;

/// A path a step wrote, with the `RUN` that wrote it (`None` for COPY/ADD).
type Written = (String, Option<Span>);

/// One stage's steps (by start offset) with what each wrote.
type StageWrites = (usize, Vec<(u32, Vec<Written>)>);

/// Paths one step writes, with the span of the `RUN` that wrote them
/// (`None` for COPY/ADD, which cannot delete). What a `RUN` removed itself
/// never reached its layer and is left out.
fn written_by(step: &Step) -> Vec<Written> {
    let mut written = Vec::new();
    match &step.kind {
        StepKind::Copy(copy) if copy.from.is_none() => {
            let dest = copy.dest.trim_end_matches('/');
            if !dest.is_empty() {
                written.push((dest.to_string(), None));
            }
        }
        StepKind::Run(run) => {
            let removed: Vec<String> = run
                .commands
                .iter()
                .filter(|c| c.program() == "rm")
                .flat_map(Command::non_flag_words)
                .map(|w| absolute(w.trim_end_matches('*').trim_end_matches('/'), &run.workdir))
                .filter(|r| r != "/")
                .collect();
            let kept = |path: &str| path != "/" && !removed.iter().any(|r| is_within(path, r));
            let single = Stage {
                steps: vec![step.clone()],
                ..Stage::default()
            };
            for output in stage_facts(&single).outputs {
                if kept(&output.path) {
                    written.push((output.path, Some(step.span)));
                }
            }
            for command in &run.commands {
                let cache = if command.is("apt-get", "update") || command.is("apt", "update") {
                    Some("/var/lib/apt/lists")
                } else if command.is("apk", "add") && !command.has_flag("--no-cache")
                    || command.is("apk", "update")
                {
                    Some("/var/cache/apk")
                } else if crate::lint::context::is_pip_install(command)
                    && !command.has_flag("--no-cache-dir")
                {
                    Some("/root/.cache/pip")
                } else {
                    None
                };
                if let Some(cache) = cache.filter(|cache| kept(cache)) {
                    written.push((cache.to_string(), Some(step.span)));
                }
            }
        }
        _ => {}
    }
    written
}

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    // What each step of the current stage writes, worked out once per stage
    // (and only for stages with an `rm`): per RUN it made lint quadratic.
    let mut per_step: Option<StageWrites> = None;
    for run in context.final_runs() {
        if !run.commands().any(|(_, command)| command.program() == "rm") {
            continue;
        }
        if per_step.as_ref().map(|(stage, _)| *stage) != Some(run.stage.index) {
            let steps = run
                .stage
                .steps
                .iter()
                .map(|step| (step.span.start, written_by(step)))
                .collect();
            per_step = Some((run.stage.index, steps));
        }
        let written: Vec<&Written> = per_step
            .as_ref()
            .map(|(_, steps)| steps.as_slice())
            .unwrap_or_default()
            .iter()
            .take_while(|(start, _)| *start < run.instruction.span.start)
            .flat_map(|(_, written)| written)
            .collect();
        for (shell, command) in run.commands() {
            if command.program() != "rm" {
                continue;
            }
            for word in command.non_flag_words() {
                let path = absolute(
                    word.trim_end_matches('*').trim_end_matches('/'),
                    &run.run.workdir,
                );
                if path == "/" {
                    continue;
                }
                let Some((_, creator)) = written
                    .iter()
                    .find(|(w, _)| w != "/" && is_within(w, &path))
                    .copied()
                else {
                    continue;
                };
                // Hypothetical fix: delete in the creating RUN instead.
                let edits: Vec<Edit> = creator
                    .and_then(|span| context.instruction(span))
                    .and_then(|i| append_to_run(i, format!(" && rm -rf {word}")))
                    .into_iter()
                    .collect();
                let message = format!("`{word}` was written by an earlier layer; deleting it here does not shrink the image");
                findings.push(context.finding(
                    "deleted-in-later-layer",
                    shell.span,
                    message,
                    edits,
                    None,
                ));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{check, findings};

    #[test]
    fn fires_and_quiet() {
        let bad = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n";
        let good = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
        let found = check("deleted-in-later-layer", bad, good);
        assert!(found[0].fix.is_none());
        assert!(found[0].savings.final_bytes() > 0, "{found:?}");
        let copied = "FROM alpine:3.21\nCOPY big.tar /tmp/big.tar\nRUN rm /tmp/big.tar\n";
        assert_eq!(findings("deleted-in-later-layer", copied).len(), 1);
    }
}
