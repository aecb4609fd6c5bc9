//! `RUN`: each shell command writes or deletes paths in the layer.
//!
//! One file per command family says what it writes and where the number
//! comes from: `packages.rs` (apk, apt, yum/dnf/microdnf), `lang.rs` (pip,
//! npm/yarn/pnpm), `builds.rs` (go, cargo, maven/gradle, `npm run build`),
//! `files.rs` (rm, chmod/chown, mv/cp, downloads, git, useradd). Commands run
//! in order against the stage's filesystem, so a delete later in the same
//! `RUN` removes what an earlier command wrote.

mod builds;
mod files;
mod lang;
mod packages;

pub(super) use files::download_figure;

use super::catalog::{ImageEntry, OsFamily};
use super::engine::{LayerWork, StageState};
use super::figures;
use crate::model::{Command, EntryKind, Model, RunStep};

/// Facts about the stage a `RUN` executes in (copied out of the state so
/// handlers can write to its filesystem freely).
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    /// Root catalog image.
    pub image: Option<&'static ImageEntry>,
    /// Userland.
    pub os: Option<OsFamily>,
    /// `alpine3.17`, `bookworm`…
    pub distro: String,
    /// Packages already installed (besides the Alpine rootfs's).
    pub installed: Vec<String>,
    /// True when the Alpine mini rootfs packages are present.
    pub alpine_rootfs: bool,
    /// Go toolchain version, if known.
    pub go_version: Option<(u32, u32)>,
    /// Python version of the image's own interpreter, if known.
    pub python_version: Option<(u32, u32)>,
}

impl Facts {
    /// The facts of `state`; its package list moves here for the RUN and
    /// goes back afterwards (no copy per instruction).
    pub(crate) fn take(state: &mut StageState) -> Self {
        Facts {
            image: state.image,
            os: state.os,
            distro: state.distro.clone(),
            installed: std::mem::take(&mut state.installed),
            alpine_rootfs: state.alpine_rootfs,
            go_version: state.go_version,
            python_version: state.python_version,
        }
    }

    /// True when the root image is Alpine-based.
    pub fn is_alpine(&self) -> bool {
        self.os == Some(OsFamily::Alpine) || self.distro.starts_with("alpine")
    }

    /// True when the root image is Ubuntu-based.
    pub fn is_ubuntu(&self) -> bool {
        self.os == Some(OsFamily::Ubuntu)
    }
}

/// Everything a command handler can read.
pub(crate) struct RunContext<'a> {
    pub model: &'a Model,
    pub run: &'a RunStep,
    pub facts: &'a Facts,
    /// Index of the command being handled.
    pub position: usize,
    /// Packages installed by this RUN so far (returned to the stage).
    pub installed: Vec<String>,
    /// `apk add --virtual NAME` groups: name → packages.
    pub virtual_groups: Vec<(String, Vec<String>)>,
}

impl RunContext<'_> {
    /// A variable's value: the command's own `VAR=x` prefix, then ENV/ARG.
    pub fn var(&self, command: &Command, name: &str) -> Option<String> {
        command
            .assignments
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .or_else(|| self.earlier_export(name))
            .or_else(|| {
                self.run
                    .env
                    .iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
            })
    }

    /// `export NAME=value` earlier in the same RUN.
    fn earlier_export(&self, name: &str) -> Option<String> {
        self.run.commands[..self.position.min(self.run.commands.len())]
            .iter()
            .rev()
            .filter(|c| c.program() == "export")
            .flat_map(|c| c.words.iter().skip(1))
            .find_map(|word| {
                let (key, value) = word.split_once('=')?;
                (key == name).then(|| value.to_string())
            })
    }

    /// The home directory of the RUN's user.
    pub fn home(&self) -> String {
        let user = self.run.user.split(':').next().unwrap_or("");
        if user.is_empty() || user == "root" || user == "0" {
            "/root".to_string()
        } else {
            format!("/home/{user}")
        }
    }

    /// True when a later command of this RUN satisfies `test`.
    pub fn later(&self, test: impl Fn(&Command) -> bool) -> bool {
        self.run.commands.iter().skip(self.position + 1).any(test)
    }
}

/// Apply a `RUN` to the layer; returns the OS packages it installed.
pub(super) fn apply(
    model: &Model,
    run: &RunStep,
    facts: &Facts,
    states: &[StageState],
    work: &mut LayerWork,
) -> Vec<String> {
    let _ = states;
    for mount in &run.mounts {
        if matches!(mount.kind.as_str(), "cache" | "tmpfs") && !mount.target.is_empty() {
            work.basis.push(format!(
                "--mount=type={} at {}: what goes there stays out of the layer",
                mount.kind, mount.target
            ));
        }
    }
    let mut context = RunContext {
        model,
        run,
        facts,
        position: 0,
        installed: Vec::new(),
        virtual_groups: Vec::new(),
    };
    for (position, command) in run.commands.iter().enumerate() {
        context.position = position;
        if command.words.is_empty() {
            continue;
        }
        let handled = packages::handle(&mut context, command, work)
            || lang::handle(&mut context, command, work)
            || builds::handle(&mut context, command, work)
            || files::handle(&mut context, command, work);
        if !handled {
            unknown(command, &run.workdir, work);
        }
    }
    context.installed
}

/// Commands that change nothing on disk worth counting.
const HARMLESS: &[&str] = &[
    "echo",
    "printf",
    "true",
    "false",
    "set",
    "export",
    "cd",
    "test",
    "[",
    "exit",
    "sleep",
    "ls",
    "cat",
    "grep",
    "sed",
    "awk",
    "which",
    "command",
    "type",
    "env",
    "id",
    "whoami",
    "uname",
    "ln",
    "update-ca-certificates",
    "ldconfig",
    "sh",
    "bash",
    "node",
    "python",
    "python3",
    "java",
    "go",
    "dpkg",
    "dpkg-reconfigure",
    "locale-gen",
    "addgroup",
    "groupadd",
    "usermod",
    "corepack",
    "if",
    "then",
    "fi",
    "for",
    "do",
    "done",
    "case",
    "esac",
    "local",
    "source",
    ".",
    ":",
    "trap",
    "umask",
    "shopt",
    "exec",
    "sync",
    "nproc",
    "arch",
    "apk",
    "tee",
];

fn unknown(command: &Command, workdir: &str, work: &mut LayerWork) {
    let program = command.program();
    if HARMLESS.contains(&program) {
        return;
    }
    let figure = figures::UNKNOWN_COMMAND;
    // Most commands write where they run: attribute the unknown bytes to
    // the working directory so a later `COPY --from` of it carries them.
    let path = format!(
        "{}/.unknown-{program}-{}",
        workdir.trim_end_matches('/'),
        command.span.start
    );
    work.write(&path, figure.range(), EntryKind::Tree, program);
    work.basis.push(format!(
        "`{program}` is not modelled: 0B assumed, up to {}",
        super::docker_size(figure.high)
    ));
}
