//! The size model: predict `docker history` for every stage of a build.
//!
//! [`estimate`] walks the [`Model`]'s stages in file order. Each stage
//! starts from its base (catalog rows for an image, a copy of an earlier
//! stage's layers, or nothing for `scratch`) and keeps a [`Vfs`]: every
//! instruction writes, replaces or deletes paths, and a layer's size is
//! exactly what its instruction wrote (see `model::vfs` for the overlay
//! rule). `RUN` is split into commands; each command family has its own
//! file under `run/` that says what it writes and where the number comes from.
//!
//! Architecture invariant: every row carries a `basis`; an unknown number is
//! a stated range, never a silent zero.
//!
//! [`Model`]: crate::model::Model
//! [`Vfs`]: crate::model::Vfs

mod base;
pub mod catalog;
pub mod compress;
mod copy;
mod engine;
pub mod figures;
pub mod format;
mod run;

pub use engine::estimate;
pub use format::{docker_range, docker_size, human_size, one_decimal};

use crate::model::ByteRange;
use crate::span::Span;

/// What the size model predicts for one Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Estimate {
    /// Every `docker history` row of every stage, oldest first within a
    /// stage; stages in file order. A stage built `FROM` another stage lists
    /// only its own rows; [`StageSize::rows`] gives its whole chain.
    pub rows: Vec<LayerRow>,
    /// Per-stage totals.
    pub stages: Vec<StageSize>,
    /// The image `docker build` produces (the target stage's chain).
    pub final_image: ImageSize,
    /// Bytes built in stages whose layers do not reach the final image
    /// (builder toolchains, caches): built, then thrown away.
    pub discarded: ByteRange,
    /// Things the reader should know about the numbers (unknown images,
    /// approximations, unread context files), with spans.
    pub notes: Vec<EstimateNote>,
}

impl Estimate {
    /// Rows of the final image, oldest first.
    pub fn final_rows(&self) -> impl Iterator<Item = &LayerRow> {
        let rows = self
            .final_image
            .stage
            .and_then(|index| self.stages.get(index))
            .map_or(&[][..], |stage| stage.rows.as_slice());
        rows.iter().filter_map(|&index| self.rows.get(index))
    }

    /// The row whose instruction contains `offset` (for caret ↔ row linking).
    pub fn row_at(&self, offset: u32) -> Option<usize> {
        self.rows
            .iter()
            .position(|row| row.origin != RowOrigin::Base && row.span.touches(offset))
    }
}

/// One `docker history` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRow {
    /// Index of the stage the row belongs to.
    pub stage: usize,
    /// The instruction (for base-image rows: the `FROM`).
    pub span: Span,
    /// 1-based line of the instruction.
    pub line: u32,
    /// `CREATED BY` as `docker history` prints it.
    pub created_by: String,
    /// Uncompressed size (what `docker history` shows) with its range.
    pub disk: ByteRange,
    /// Registry (gzip) size of the layer blob; 0 for rows without a layer.
    pub compressed_bytes: u64,
    /// Where the number comes from, in a sentence or two.
    pub basis: String,
    /// Base image row, instruction layer or metadata row.
    pub origin: RowOrigin,
    /// The base image this row comes from (`golang:1.19.4-alpine3.17`) for
    /// base rows, so the page can group them.
    pub image: Option<String>,
}

impl LayerRow {
    /// Best estimate of the uncompressed size.
    pub fn disk_bytes(&self) -> u64 {
        self.disk.est
    }
}

/// Where a row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowOrigin {
    /// A layer or metadata step of the base image (from the catalog).
    Base,
    /// A layer this Dockerfile's instruction creates.
    Layer,
    /// A metadata-only instruction (`ENV`, `CMD`, …): 0 B.
    Metadata,
}

/// Size of one stage as an image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageSize {
    /// Stage index.
    pub index: usize,
    /// `AS` name, if any.
    pub name: Option<String>,
    /// The `FROM` reference as written (expanded).
    pub base: String,
    /// Indices into [`Estimate::rows`] of the stage's whole chain (base rows,
    /// ancestor stages' rows, its own rows), oldest first.
    pub rows: Vec<usize>,
    /// Uncompressed size of the whole chain.
    pub disk: ByteRange,
    /// Compressed size of the whole chain.
    pub compressed_bytes: u64,
    /// Bytes its own instructions add (without the base).
    pub own: ByteRange,
    /// True when the target needs this stage (BuildKit skips the others).
    pub needed: bool,
    /// True when this stage's layers are part of the final image.
    pub in_final: bool,
}

/// The final image's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageSize {
    /// Which stage is the final image.
    pub stage: Option<usize>,
    /// Uncompressed size (`docker images` SIZE) and its range.
    pub disk: ByteRange,
    /// Pull size.
    pub compressed_bytes: u64,
    /// Rows with a layer.
    pub n_layers: usize,
}

/// How much a note matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoteLevel {
    /// Background: how a number was obtained.
    Info,
    /// The number is a guess or the input is incomplete.
    Warning,
}

/// A remark about the estimate, tied to text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EstimateNote {
    /// Where.
    pub span: Span,
    /// How much it matters.
    pub level: NoteLevel,
    /// What, in one or two sentences.
    pub message: String,
}
