//! What every rule reads: the analysis, which stages reach the final image,
//! and helpers shared by two or more rules.

use std::cell::Cell;

use crate::edit::{apply_edits, Edit};
use crate::model::{Base, Command, RunStep, Stage, StepKind};
use crate::rewrite::session::{analyze, Analysis, Options};
use crate::span::Span;
use crate::syntax::{Instruction, ShellCommand};

use super::{Finding, Fix, Safety, Savings};

/// The analysed text plus indexes the rules share.
pub struct Context<'a> {
    /// The text being linted.
    pub text: &'a str,
    /// The options it was analysed with (re-used when re-estimating).
    pub options: &'a Options,
    /// Parse, model and estimate of `text`.
    pub analysis: Analysis,
    /// Per stage: true when its layers are part of the final image.
    in_final: Vec<bool>,
    /// Predicted final image size.
    final_bytes: u64,
    /// Bytes of text that may still be re-analysed to price fixes (see
    /// [`MEASURE_BUDGET`]).
    measure_budget: Cell<usize>,
}

/// How many bytes of text one `lint` run may re-analyse to price its fixes.
/// Pricing re-estimates the whole file once per finding, so a 900-line file
/// with 1,200 findings took 11 s natively (worse in wasm, where it froze the
/// page). With this budget a typical file (a few KB, a few findings) is
/// priced in full (a 2 KB file gets 64 re-estimates), and a huge one stops
/// after 128 KiB of re-analysis (~35 ms natively); its remaining findings
/// say [`Savings::NotMeasured`].
pub const MEASURE_BUDGET: usize = 128 << 10;

/// One `RUN` of a stage, with its parsed and its modelled commands side by side.
pub struct RunView<'a> {
    /// The stage it belongs to.
    pub stage: &'a Stage,
    /// The instruction in the syntax tree.
    pub instruction: &'a Instruction,
    /// The modelled step (expanded words, env, workdir, mounts).
    pub run: &'a RunStep,
}

impl<'a> RunView<'a> {
    /// (parsed command with spans, modelled command with expanded words).
    pub fn commands(&self) -> impl Iterator<Item = (&'a ShellCommand, &'a Command)> + 'a {
        self.instruction
            .commands
            .iter()
            .zip(self.run.commands.iter())
    }

    /// True when a `--mount=type=cache` (or tmpfs) covers `path`.
    pub fn has_cache_mount(&self, path: &str) -> bool {
        self.run.mounts.iter().any(|mount| {
            matches!(mount.kind.as_str(), "cache" | "tmpfs")
                && (crate::model::vfs::is_within(path, &mount.target)
                    || crate::model::vfs::is_within(&mount.target, path))
        })
    }

    /// True when any command deletes something at or under `path`.
    pub fn removes(&self, path: &str) -> bool {
        self.run.commands.iter().any(|command| {
            command.program() == "rm"
                && command.words.iter().skip(1).any(|word| {
                    let word = word.trim_end_matches('*').trim_end_matches('/');
                    !word.is_empty()
                        && (crate::model::vfs::is_within(word, path)
                            || crate::model::vfs::is_within(path, word))
                })
        })
    }

    /// The value of an environment variable at this `RUN`.
    pub fn env(&self, name: &str) -> Option<&'a str> {
        self.run
            .env
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// An edit appending `text` to this `RUN` ([`append_to_run`]).
    pub fn append(&self, text: impl Into<String>) -> Option<Edit> {
        append_to_run(self.instruction, text)
    }

    /// True for a RUN whose script is a heredoc (edits inside are not attempted).
    pub fn is_heredoc(&self) -> bool {
        !self.instruction.heredocs.is_empty()
    }
}

impl<'a> Context<'a> {
    /// Analyse `text` and index its stages.
    pub fn new(text: &'a str, options: &'a Options) -> Self {
        let analysis = analyze(text, options);
        let mut in_final = vec![false; analysis.model.stages.len()];
        if let Some(target) = analysis.model.target {
            for index in analysis.model.lineage(target) {
                if let Some(slot) = in_final.get_mut(index) {
                    *slot = true;
                }
            }
        }
        let final_bytes = analysis.estimate.final_image.disk.est;
        Context {
            text,
            options,
            analysis,
            in_final,
            final_bytes,
            measure_budget: Cell::new(MEASURE_BUDGET),
        }
    }

    /// True when stage `index`'s layers end up in the final image.
    pub fn in_final(&self, index: usize) -> bool {
        self.in_final.get(index).copied().unwrap_or(false)
    }

    /// Stages whose layers are in the final image.
    pub fn final_stages(&self) -> impl Iterator<Item = &Stage> {
        self.analysis
            .model
            .stages
            .iter()
            .filter(|stage| self.in_final(stage.index))
    }

    /// The syntax-tree instruction with exactly this span.
    pub fn instruction(&self, span: Span) -> Option<&Instruction> {
        self.analysis
            .parse
            .dockerfile
            .instructions
            .iter()
            .find(|i| i.span == span)
    }

    /// True for a Windows stage (a Windows base image or a PowerShell/cmd
    /// `SHELL`): the Linux size rules do not apply there.
    pub fn is_windows(&self, stage: &Stage) -> bool {
        let base = stage.base_text.to_ascii_lowercase();
        let windows_base = ["windows", "nanoserver", "servercore"]
            .iter()
            .any(|w| base.contains(w));
        let windows_shell = stage.steps.iter().any(|step| {
            step.keyword == "SHELL" && {
                let text = step.created_by.to_ascii_lowercase();
                text.contains("powershell") || text.contains("cmd")
            }
        });
        windows_base || windows_shell
    }

    /// Every `RUN` of the given (Linux) stages.
    pub fn runs<'s>(
        &'s self,
        stages: impl Iterator<Item = &'s Stage> + 's,
    ) -> impl Iterator<Item = RunView<'s>> + 's {
        stages
            .filter(|stage| !self.is_windows(stage))
            .flat_map(move |stage| {
                stage.steps.iter().filter_map(move |step| {
                    let StepKind::Run(run) = &step.kind else {
                        return None;
                    };
                    let instruction = self.instruction(step.span)?;
                    Some(RunView {
                        stage,
                        instruction,
                        run,
                    })
                })
            })
    }

    /// `RUN`s of the stages in the final image.
    pub fn final_runs(&self) -> impl Iterator<Item = RunView<'_>> + '_ {
        self.runs(self.final_stages())
    }

    /// `RUN`s of every stage.
    pub fn all_runs(&self) -> impl Iterator<Item = RunView<'_>> + '_ {
        self.runs(self.analysis.model.stages.iter())
    }

    /// The final image's predicted size.
    pub fn final_bytes(&self) -> u64 {
        self.final_bytes
    }

    /// What the final image saves when `edits` are applied: the text is
    /// edited and analysed again, while [`MEASURE_BUDGET`] lasts.
    pub fn savings_of(&self, edits: &[Edit]) -> Savings {
        if edits.is_empty() {
            return Savings::None;
        }
        // The edited text's length, known before building it.
        let fixed_len = edits.iter().fold(self.text.len(), |len, edit| {
            (len + edit.replacement.len()).saturating_sub(edit.span.len() as usize)
        });
        let budget = self.measure_budget.get();
        if fixed_len > budget {
            return Savings::NotMeasured;
        }
        self.measure_budget.set(budget - fixed_len);
        let fixed = apply_edits(self.text, edits);
        let after = analyze(&fixed, self.options).estimate.final_image.disk.est;
        Savings::FinalImage(self.final_bytes.saturating_sub(after))
    }

    /// A finding whose savings come from re-estimating with `edits`; the
    /// edits become the fix when `fix` says how safe they are.
    pub fn finding(
        &self,
        rule: &'static str,
        span: Span,
        message: String,
        edits: Vec<Edit>,
        fix: Option<Safety>,
    ) -> Finding {
        let savings = self.savings_of(&edits);
        Finding {
            rule,
            span,
            message,
            savings,
            fix: fix
                .filter(|_| !edits.is_empty())
                .map(|safety| Fix { edits, safety }),
        }
    }

    /// The span of a whole instruction's lines, newline included (to delete it).
    pub fn line_span(&self, span: Span) -> Span {
        let text = self.text;
        let start = text
            .get(..span.start as usize)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i as u32 + 1);
        let end = text
            .get(span.end as usize..)
            .and_then(|a| a.find('\n'))
            .map_or(text.len() as u32, |i| span.end + i as u32 + 1);
        Span::new(start, end)
    }

    /// Size of the layer the instruction at `span` writes, per the estimate.
    pub fn layer_bytes(&self, span: Span) -> u64 {
        self.analysis
            .estimate
            .rows
            .iter()
            .filter(|row| row.span == span && row.origin == crate::estimate::RowOrigin::Layer)
            .map(|row| row.disk.est)
            .sum()
    }

    /// True when the stage starts from an image without `/bin/sh`.
    pub fn has_no_shell(&self, stage: &Stage) -> bool {
        let mut current = stage;
        for _ in 0..self.analysis.model.stages.len() {
            match &current.base {
                Base::Scratch => return true,
                Base::Image(image) | Base::Unresolved(image) => {
                    return image.contains("distroless") && !image.contains(":debug")
                        || image.contains("chainguard/static");
                }
                Base::Stage(parent) => match self.analysis.model.stages.get(*parent) {
                    Some(parent) => current = parent,
                    None => return false,
                },
            }
        }
        false
    }
}

/// An edit appending `text` (`" && rm -rf …"`) just after the last command
/// of a `RUN`, so the extra work happens in the same layer; `None` when the
/// instruction has no commands.
pub fn append_to_run(instruction: &Instruction, text: impl Into<String>) -> Option<Edit> {
    let last = instruction.commands.last()?;
    Some(Edit::insert(last.span.end, text))
}

/// The first positional word of a parsed command equal to `word` (for
/// inserting flags right after a subcommand).
pub fn word_span(command: &ShellCommand, word: &str) -> Option<Span> {
    command.args.iter().find(|w| w.text == word).map(|w| w.span)
}

/// True for `npm`/`yarn`/`pnpm` dependency installs (not global tools).
pub fn is_node_install(command: &Command) -> bool {
    let global = command.has_flag("-g") || command.has_flag("--global");
    match command.program() {
        "npm" => {
            !global
                && matches!(command.subcommand(), Some("install" | "i" | "ci"))
                && command.operands(&[]).is_empty()
        }
        "yarn" => !global && matches!(command.subcommand(), None | Some("install")),
        "pnpm" => !global && matches!(command.subcommand(), Some("install" | "i")),
        _ => false,
    }
}

/// True for `pip install` in any spelling (`pip3`, `python -m pip`).
pub fn is_pip_install(command: &Command) -> bool {
    match command.program() {
        "pip" | "pip2" | "pip3" => command.subcommand() == Some("install"),
        program if program.starts_with("python") => {
            let words: Vec<&str> = command.words.iter().map(String::as_str).collect();
            words.windows(3).any(|w| w == ["-m", "pip", "install"])
        }
        _ => false,
    }
}

/// True for `apt-get install`/`apt install`.
pub fn is_apt_install(command: &Command) -> bool {
    command.is("apt-get", "install") || command.is("apt", "install")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::lint;

    #[test]
    fn a_huge_file_is_priced_until_the_budget_is_spent() {
        // ~100 KB with one fixable finding per RUN: one re-analysis fits
        // in the budget, the rest are left unpriced instead of freezing.
        let mut text = String::from("FROM debian:bookworm\n");
        while text.len() < 100_000 {
            text.push_str("RUN apt-get update && apt-get install -y curl git\n");
        }
        let findings = lint(&text, &Options::default());
        let priced = findings
            .iter()
            .filter(|f| matches!(f.savings, Savings::FinalImage(_)))
            .count();
        let unpriced = findings
            .iter()
            .filter(|f| f.savings == Savings::NotMeasured)
            .count();
        assert!(priced >= 1, "the first fixes are still priced");
        assert!(priced <= MEASURE_BUDGET / text.len(), "{priced} priced");
        assert!(unpriced > 100, "{unpriced} unpriced of {}", findings.len());
    }

    #[test]
    fn a_normal_file_is_priced_in_full() {
        let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n";
        let findings = lint(text, &Options::default());
        assert!(!findings.is_empty());
        assert!(findings.iter().all(|f| f.savings != Savings::NotMeasured));
    }
}
