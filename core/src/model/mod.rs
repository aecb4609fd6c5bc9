//! The stage model: what the Dockerfile means once ARG/ENV are applied.
//!
//! [`build`] turns the parsed file into [`Stage`]s with their base (an
//! image, another stage or `scratch`), the references between stages
//! (`FROM`, `COPY --from`, `RUN --mount=from`), the scope of `ARG`/`ENV`
//! with `--build-arg` overrides, and one [`Step`] per instruction with its
//! words expanded and its `docker history` text. The size rules in
//! [`crate::estimate`] read only this model, never the raw text.
//!
//! Architecture invariant: building the model never fails; a reference to
//! an unknown stage or an unexpandable variable becomes a [`ModelDiagnostic`]
//! with the span of the offending text.

mod build;
pub mod context;
pub mod glob;
mod scope;
pub mod vfs;

pub use build::{build, ModelOptions};
pub use context::{BuildContext, ContextFile, DockerIgnore};
pub use scope::Scope;
pub use vfs::{absolute, ByteRange, Entry, EntryKind, Vfs};

use crate::span::Span;

/// The whole build as a graph of stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    /// Stages in file order.
    pub stages: Vec<Stage>,
    /// `ARG`s declared before the first `FROM` (usable in `FROM` lines and,
    /// when re-declared, inside stages), with build-arg overrides applied.
    pub global_args: Vec<(String, Option<String>)>,
    /// Index of the stage `docker build` produces (`--target`, else the last).
    pub target: Option<usize>,
    /// Problems found while building the model.
    pub diagnostics: Vec<ModelDiagnostic>,
    /// The build context after `.dockerignore`.
    pub context: BuildContext,
}

impl Model {
    /// The stage `docker build` outputs.
    pub fn target_stage(&self) -> Option<&Stage> {
        self.target.and_then(|index| self.stages.get(index))
    }

    /// The stage a name or index (`builder`, `0`) refers to, as seen from
    /// stage `from_stage` (only earlier stages can be referenced).
    pub fn stage_by_ref(&self, reference: &str, from_stage: usize) -> Option<usize> {
        let lower = reference.to_ascii_lowercase();
        if let Some(index) = self.stages[..from_stage.min(self.stages.len())]
            .iter()
            .rposition(|stage| stage.name.as_deref() == Some(lower.as_str()))
        {
            return Some(index);
        }
        match reference.parse::<usize>() {
            Ok(index) if index < from_stage => Some(index),
            _ => None,
        }
    }

    /// Stages the target depends on (itself included), in file order.
    pub fn target_dependencies(&self) -> Vec<usize> {
        let Some(target) = self.target else {
            return Vec::new();
        };
        let mut needed = vec![false; self.stages.len()];
        let mut work = vec![target];
        while let Some(index) = work.pop() {
            if needed[index] {
                continue;
            }
            needed[index] = true;
            let stage = &self.stages[index];
            if let Base::Stage(parent) = stage.base {
                work.push(parent);
            }
            for step in &stage.steps {
                work.extend(step.stage_refs().filter(|&r| r < self.stages.len()));
            }
        }
        (0..self.stages.len()).filter(|&i| needed[i]).collect()
    }

    /// The chain of stages whose layers end up in stage `index` (its
    /// `FROM <stage>` ancestors, oldest first, then itself).
    pub fn lineage(&self, index: usize) -> Vec<usize> {
        let mut chain = vec![index];
        let mut current = index;
        while let Some(Base::Stage(parent)) = self.stages.get(current).map(|s| &s.base) {
            if chain.contains(parent) {
                break;
            }
            chain.push(*parent);
            current = *parent;
        }
        chain.reverse();
        chain
    }
}

/// One `FROM` and the instructions up to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stage {
    /// Position in the file (0-based), also usable as a reference.
    pub index: usize,
    /// `AS name`, lowercased as BuildKit compares them.
    pub name: Option<String>,
    /// Span of the `FROM` instruction.
    pub from_span: Span,
    /// 1-based line of the `FROM`.
    pub from_line: u32,
    /// The base image reference after expansion, as written otherwise.
    pub base_text: String,
    /// What the stage starts from.
    pub base: Base,
    /// `FROM --platform=…`, expanded.
    pub platform: Option<String>,
    /// The instructions after `FROM`, in order.
    pub steps: Vec<Step>,
}

impl Stage {
    /// `builder` or `stage 0`, for messages.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => format!("stage {}", self.index),
        }
    }
}

/// What a stage starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`: an empty filesystem.
    #[default]
    Scratch,
    /// `FROM <earlier stage>`.
    Stage(usize),
    /// `FROM image[:tag][@digest]` (expanded).
    Image(String),
    /// The reference could not be expanded to a concrete name.
    Unresolved(String),
}

/// One instruction of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Span of the whole instruction.
    pub span: Span,
    /// 1-based line where it starts.
    pub line: u32,
    /// The keyword, uppercased (`RUN`, `COPY`, …).
    pub keyword: String,
    /// The `created_by` text `docker history` would print.
    pub created_by: String,
    /// What the instruction does.
    pub kind: StepKind,
}

impl Step {
    /// Stages this step reads from (`COPY --from`, `RUN --mount=from`).
    pub fn stage_refs(&self) -> impl Iterator<Item = usize> + '_ {
        let copy = match &self.kind {
            StepKind::Copy(copy) => match copy.from {
                Some(CopyFrom::Stage(index)) => Some(index),
                _ => None,
            },
            _ => None,
        };
        let mounts = match &self.kind {
            StepKind::Run(run) => run.mounts.as_slice(),
            _ => &[],
        };
        copy.into_iter()
            .chain(mounts.iter().filter_map(|mount| match mount.from {
                Some(CopyFrom::Stage(index)) => Some(index),
                _ => None,
            }))
    }
}

/// The meaning of one instruction, with words expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// `RUN`.
    Run(RunStep),
    /// `COPY` or `ADD`.
    Copy(CopyStep),
    /// `WORKDIR` (the resolved absolute directory).
    Workdir(String),
    /// An instruction that only changes image metadata (`ENV`, `CMD`,
    /// `LABEL`, `EXPOSE`, `USER`, `ARG`, …): a 0 B history row.
    Metadata,
    /// `ONBUILD`, `MAINTAINER` and unparseable lines: no layer, shown for
    /// completeness.
    Other,
}

/// A `RUN` instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunStep {
    /// The simple commands in order (split on `&&`, `||`, `;`, `|`), words
    /// expanded with the stage's ARG/ENV values where known.
    pub commands: Vec<Command>,
    /// `--mount=…` flags.
    pub mounts: Vec<Mount>,
    /// `--network=none|host|default`.
    pub network: Option<String>,
    /// True for exec form (`RUN ["a", "b"]`: no shell).
    pub exec_form: bool,
    /// Heredoc bodies fed to the shell (`RUN <<EOF`), kept for reference.
    pub heredoc_bytes: u64,
    /// Environment at this point (ENV and ARG values), for rules that read
    /// variables such as `CGO_ENABLED` or `GOFLAGS`.
    pub env: Vec<(String, String)>,
    /// The working directory the commands run in.
    pub workdir: String,
    /// The user the commands run as (`root` unless `USER` changed it).
    pub user: String,
}

/// One simple shell command: `VAR=x cmd arg…`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    /// Leading assignments (`CGO_ENABLED=0 go build`).
    pub assignments: Vec<(String, String)>,
    /// The command and its arguments, quotes removed, variables expanded.
    pub words: Vec<String>,
    /// Where the command's text is.
    pub span: Span,
}

impl Command {
    /// The program name without a directory (`/sbin/apk` → `apk`).
    pub fn program(&self) -> &str {
        let first = self.words.first().map_or("", String::as_str);
        first.rsplit('/').next().unwrap_or(first)
    }

    /// True when the program is `program` and the first non-flag argument
    /// is `sub` (`cmd.is("apt-get", "install")`); `sub` may be empty.
    pub fn is(&self, program: &str, sub: &str) -> bool {
        self.program() == program && (sub.is_empty() || self.subcommand() == Some(sub))
    }

    /// The first argument that is not a flag.
    pub fn subcommand(&self) -> Option<&str> {
        self.non_flag_words().next()
    }

    /// Every argument that is not a flag, the subcommand included
    /// (`chmod -R 755 a b` → `755`, `a`, `b`). Unlike [`Command::operands`]
    /// no flag is taken to consume the next word.
    pub fn non_flag_words(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .skip(1)
            .map(String::as_str)
            .filter(|word| !word.starts_with('-'))
    }

    /// True when a flag is present (`--no-cache`, `-y`; for single-letter
    /// flags also inside a bundle like `-qy`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.words.iter().skip(1).any(|word| {
            word == flag
                || word
                    .strip_prefix(flag)
                    .is_some_and(|rest| rest.starts_with('=') && flag.starts_with("--"))
                || (flag.len() == 2
                    && !flag.starts_with("--")
                    && word.starts_with('-')
                    && !word.starts_with("--")
                    && word[1..].contains(&flag[1..]))
        })
    }

    /// The value of `--flag value` or `--flag=value` (or `-f value`).
    pub fn flag_value(&self, flag: &str) -> Option<&str> {
        let mut words = self.words.iter().skip(1);
        while let Some(word) = words.next() {
            if word == flag {
                return words.next().map(String::as_str);
            }
            if let Some(value) = word.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                return Some(value);
            }
        }
        None
    }

    /// Arguments that are not flags, after the subcommand (for `apk add a b`
    /// → `a`, `b`). Flags listed in `with_value` consume the next word.
    pub fn operands(&self, with_value: &[&str]) -> Vec<&str> {
        let mut out = Vec::new();
        let mut words = self.words.iter().skip(1).map(String::as_str);
        let mut seen_sub = false;
        while let Some(word) = words.next() {
            if word.starts_with('-') && word.len() > 1 {
                if with_value.contains(&word) {
                    words.next();
                }
                continue;
            }
            if !seen_sub {
                seen_sub = true;
                continue;
            }
            out.push(word);
        }
        out
    }
}

/// `RUN --mount=type=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mount {
    /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`.
    pub kind: String,
    /// Where it is mounted (absolute).
    pub target: String,
    /// `from=` a stage or image.
    pub from: Option<CopyFrom>,
    /// `source=` path inside `from`.
    pub source: Option<String>,
    /// Span of the flag.
    pub span: Span,
}

/// A `COPY`/`ADD` instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyStep {
    /// True for `ADD`.
    pub add: bool,
    /// Sources as written (expanded).
    pub sources: Vec<String>,
    /// Destination resolved against the working directory; ends in `/` when
    /// the instruction names a directory.
    pub dest: String,
    /// `--from=`.
    pub from: Option<CopyFrom>,
    /// `--chown=`.
    pub chown: Option<String>,
    /// `--chmod=`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// Heredoc sources (`COPY <<EOF /file`): (name, bytes).
    pub heredocs: Vec<(String, u64)>,
    /// The working directory at this point.
    pub workdir: String,
}

/// Where `COPY --from` / `--mount from=` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyFrom {
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference (not a stage name).
    Image(String),
    /// A named build context or unknown name we cannot resolve.
    Unknown(String),
}

/// A problem found while building the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelDiagnostic {
    /// The text at fault.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
}
