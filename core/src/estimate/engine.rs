//! Walks the stages and turns every step into a `docker history` row.

use super::catalog::{self, ImageEntry, OsFamily};
use super::compress::{compressed, Content, EMPTY_LAYER_COMPRESSED};
use super::{base, copy, run};
use super::{Estimate, EstimateNote, ImageSize, LayerRow, NoteLevel, RowOrigin, StageSize};
use crate::model::{
    absolute, Base, ByteRange, Entry, EntryKind, Model, Stage, Step, StepKind, Vfs,
};
use crate::span::Span;

/// The filesystem and facts of a stage as the build goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct StageState {
    /// Estimated files.
    pub vfs: Vfs,
    /// Row indices of the stage's whole chain, oldest first.
    pub chain: Vec<usize>,
    /// The catalog image at the root of the chain.
    pub image: Option<&'static ImageEntry>,
    /// Compression family for new layers (`alpine`, `debian`, `*`).
    pub family: &'static str,
    /// Userland of the root image.
    pub os: Option<OsFamily>,
    /// `alpine3.17`, `bookworm`, …
    pub distro: String,
    /// OS packages present (base image layers and earlier instructions),
    /// besides the Alpine root filesystem's own (see `alpine_rootfs`).
    pub installed: Vec<String>,
    /// True when the root filesystem is Alpine's mini rootfs.
    pub alpine_rootfs: bool,
    /// Go version of the toolchain, when known.
    pub go_version: Option<(u32, u32)>,
    /// Python (major, minor) of the image's own interpreter, when known
    /// (`ENV PYTHON_VERSION` of an official python image, or its tag).
    pub python_version: Option<(u32, u32)>,
}

/// What an instruction's handler reports besides the files it wrote.
pub(crate) struct LayerWork<'a> {
    /// The stage's filesystem.
    pub vfs: &'a mut Vfs,
    /// This layer's index in the chain.
    pub layer: u32,
    /// Sentences explaining the number.
    pub basis: Vec<String>,
    /// Warnings for the reader.
    pub notes: Vec<EstimateNote>,
    /// Kind of bytes written (for the compressed size).
    pub content: Content,
    /// Files written (for tar framing in the compressed size).
    pub n_files: u64,
    /// Mount targets whose writes never land in the layer.
    pub mounts: Vec<(String, String)>,
    /// The instruction's span (for notes).
    pub span: Span,
    /// Bytes and paths this layer wrote and then removed itself.
    pub removed: (ByteRange, Vec<String>),
}

impl LayerWork<'_> {
    /// Write `path` with `size` unless it is inside a cache/tmpfs/bind mount.
    /// Returns false (and says so in the basis) when the mount swallows it.
    pub fn write(&mut self, path: &str, size: ByteRange, kind: EntryKind, label: &str) -> bool {
        if let Some((target, mount_kind)) = self
            .mounts
            .iter()
            .find(|(target, _)| crate::model::vfs::is_within(path, target))
        {
            self.basis.push(format!(
                "{label} ({}) goes to the {mount_kind} mount at {target}, not into the layer",
                super::docker_range(size.low, size.high)
            ));
            return false;
        }
        self.vfs.write(Entry {
            path: path.to_string(),
            size,
            layer: self.layer,
            kind,
            label: label.to_string(),
        });
        self.n_files += match kind {
            EntryKind::File => 1,
            EntryKind::Tree => (size.est / 20_000).max(1),
        };
        true
    }

    /// Delete `path` in this layer: bytes this layer wrote vanish; older
    /// layers' bytes stay (and the basis says so).
    pub fn delete(&mut self, path: &str) {
        if self
            .mounts
            .iter()
            .any(|(target, _)| crate::model::vfs::is_within(path, target))
        {
            return;
        }
        let (vanished, hidden) = self.vfs.delete(path, self.layer);
        let hidden_bytes: ByteRange = hidden.iter().map(|e| e.size).sum();
        // Small leftovers are noise here; the lint rule reports them with savings.
        if hidden_bytes.est >= 10_000 {
            self.notes.push(EstimateNote {
                span: self.span,
                level: NoteLevel::Warning,
                message: format!(
                    "deleting {path} here does not shrink the image: its {} stay in the earlier layer that wrote them",
                    super::docker_size(hidden_bytes.est)
                ),
            });
        }
        let vanished_bytes: ByteRange = vanished.iter().map(|e| e.size).sum();
        if vanished_bytes.high > 0 {
            self.removed.0 = self.removed.0.plus(vanished_bytes);
            self.removed.1.push(path.to_string());
        }
    }
}

/// Predict `docker history` for every stage and the final image.
pub fn estimate(model: &Model, platform: Option<&str>, as_of: Option<catalog::Date>) -> Estimate {
    let mut out = Estimate::default();
    let mut states: Vec<StageState> = Vec::with_capacity(model.stages.len());
    let needed = model.target_dependencies();
    for stage in &model.stages {
        let mut state = start_stage(stage, &states, platform, as_of, &mut out);
        let first_own_row = out.rows.len();
        for step in &stage.steps {
            if step.keyword == "ONBUILD" {
                // BuildKit stores ONBUILD in the image config without a history row.
                continue;
            }
            let row = apply_step(model, stage, step, &mut state, &states, &mut out.notes);
            out.rows.push(row);
            state.chain.push(out.rows.len() - 1);
        }
        let own: ByteRange = out.rows[first_own_row..]
            .iter()
            .filter(|row| row.origin != RowOrigin::Base)
            .map(|row| row.disk)
            .sum();
        let disk: ByteRange = state.chain.iter().map(|&i| out.rows[i].disk).sum();
        let compressed_bytes = state
            .chain
            .iter()
            .map(|&i| out.rows[i].compressed_bytes)
            .sum();
        out.stages.push(StageSize {
            index: stage.index,
            name: stage.name.clone(),
            base: stage.base_text.clone(),
            rows: state.chain.clone(),
            disk,
            compressed_bytes,
            own,
            needed: needed.contains(&stage.index),
            in_final: false,
        });
        states.push(state);
    }
    if let Some(target) = model.target.filter(|&t| t < out.stages.len()) {
        let lineage = model.lineage(target);
        for &index in &lineage {
            out.stages[index].in_final = true;
        }
        let stage = &out.stages[target];
        out.final_image = ImageSize {
            stage: Some(target),
            disk: stage.disk,
            compressed_bytes: stage.compressed_bytes,
            n_layers: stage
                .rows
                .iter()
                .filter(|&&i| {
                    out.rows[i].origin != RowOrigin::Metadata && out.rows[i].compressed_bytes > 0
                })
                .count(),
        };
        out.discarded = out
            .rows
            .iter()
            .filter(|row| {
                let stage = &out.stages[row.stage];
                stage.needed && !stage.in_final
            })
            .map(|row| row.disk)
            .sum();
    }
    for diagnostic in &model.diagnostics {
        out.notes.push(EstimateNote {
            span: diagnostic.span,
            level: NoteLevel::Warning,
            message: diagnostic.message.clone(),
        });
    }
    out
}

fn start_stage(
    stage: &Stage,
    states: &[StageState],
    platform: Option<&str>,
    as_of: Option<catalog::Date>,
    out: &mut Estimate,
) -> StageState {
    match &stage.base {
        Base::Stage(parent) if *parent < states.len() => states[*parent].clone(),
        Base::Stage(_) | Base::Scratch => StageState {
            family: "*",
            ..StageState::default()
        },
        Base::Image(reference) => base::from_image(
            stage,
            reference,
            platform,
            as_of,
            &mut out.rows,
            &mut out.notes,
        ),
        Base::Unresolved(reference) => base::unknown_image(
            stage,
            reference,
            "the reference has an unexpanded variable",
            &mut out.rows,
            &mut out.notes,
        ),
    }
}

fn apply_step(
    model: &Model,
    stage: &Stage,
    step: &Step,
    state: &mut StageState,
    states: &[StageState],
    notes: &mut Vec<EstimateNote>,
) -> LayerRow {
    let layer = state.chain.len() as u32;
    let mut row = LayerRow {
        stage: stage.index,
        span: step.span,
        line: step.line,
        created_by: step.created_by.clone(),
        disk: ByteRange::ZERO,
        compressed_bytes: 0,
        basis: String::new(),
        origin: RowOrigin::Layer,
        image: None,
    };
    match &step.kind {
        StepKind::Metadata | StepKind::Other => {
            row.origin = RowOrigin::Metadata;
            row.basis = "metadata only: no filesystem change, docker history shows 0B".to_string();
        }
        StepKind::Workdir(dir) if dir == "/" => {
            row.origin = RowOrigin::Metadata;
            row.basis = "WORKDIR / creates nothing: BuildKit records no layer (0B)".to_string();
        }
        StepKind::Workdir(dir) => {
            let existed = state.vfs.under(dir).next().is_some();
            // BuildKit creates the directory in a layer of its own; the layer
            // holds only a directory entry, which docker history counts as 0B.
            state.vfs.write(Entry {
                path: absolute(dir, "/"),
                size: ByteRange::ZERO,
                layer,
                kind: EntryKind::File,
                label: "directory".to_string(),
            });
            row.compressed_bytes = EMPTY_LAYER_COMPRESSED;
            row.basis = if existed {
                "directory already exists: docker history shows 0B".to_string()
            } else {
                "BuildKit creates the directory in its own layer; it holds no file bytes, so docker history shows 0B (its blob is a 32 B empty gzip tar, as repo-info records for BuildKit WORKDIR layers)".to_string()
            };
        }
        StepKind::Copy(copy_step) => {
            let mut work = LayerWork {
                vfs: &mut state.vfs,
                layer,
                basis: Vec::new(),
                notes: Vec::new(),
                content: Content::Text,
                n_files: 0,
                mounts: Vec::new(),
                span: step.span,
                removed: (ByteRange::ZERO, Vec::new()),
            };
            copy::apply(model, copy_step, states, &mut work);
            finish_row(&mut row, work, state.family, notes);
        }
        StepKind::Run(run_step) => {
            let facts = run::Facts::take(state);
            let mut work = LayerWork {
                vfs: &mut state.vfs,
                layer,
                basis: Vec::new(),
                notes: Vec::new(),
                content: Content::Mixed,
                n_files: 0,
                mounts: run_step
                    .mounts
                    .iter()
                    .filter(|m| {
                        matches!(
                            m.kind.as_str(),
                            "cache" | "tmpfs" | "bind" | "secret" | "ssh"
                        )
                    })
                    .filter(|m| !m.target.is_empty())
                    .map(|m| (m.target.clone(), m.kind.clone()))
                    .collect(),
                span: step.span,
                removed: (ByteRange::ZERO, Vec::new()),
            };
            let installed = run::apply(model, run_step, &facts, states, &mut work);
            state.installed = facts.installed;
            state.installed.extend(installed);
            let family = state.family;
            finish_row(&mut row, work, family, notes);
        }
    }
    row
}

fn finish_row(
    row: &mut LayerRow,
    mut work: LayerWork,
    family: &str,
    notes: &mut Vec<EstimateNote>,
) {
    if !work.removed.1.is_empty() {
        let (bytes, paths) = &work.removed;
        let shown: Vec<&str> = paths.iter().map(String::as_str).take(4).collect();
        let more = paths.len().saturating_sub(shown.len());
        work.basis.push(format!(
            "removed in the same RUN, so never in the layer: {} ({}{})",
            super::docker_range(bytes.low, bytes.high),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    row.disk = work.vfs.layer_bytes(work.layer);
    row.compressed_bytes = compressed(row.disk.est, work.n_files, work.content, family);
    if row.compressed_bytes == 0 {
        row.compressed_bytes = EMPTY_LAYER_COMPRESSED;
    }
    row.basis = if work.basis.is_empty() {
        "writes no files the model knows of (0B)".to_string()
    } else {
        work.basis.join("; ")
    };
    notes.extend(work.notes);
}
