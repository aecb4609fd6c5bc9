//! Layerlens core: see a Docker image's size before you build it.
//!
//! The pipeline flows one way:
//!
//! ```text
//! text ──► syntax ──► model ──► estimate ──► { lint, rewrite }
//! ```
//!
//! - [`syntax`]: a lossless, error-tolerant Dockerfile parser with byte spans.
//!   It never fails: every input yields a tree plus diagnostics.
//! - [`model`]: stages, ARG/ENV expansion and a virtual filesystem per stage.
//! - [`estimate`]: the size model and the catalog of real image and package sizes.
//! - [`lint`]: findings with the bytes a fix saves and the fix as [`Edit`]s.
//! - [`rewrite`]: the single-stage → multi-stage transform, returned as [`Edit`]s.
//!
//! Entry points, all pure functions of (text, options):
//!
//! - [`analyze`]`(text, &Options) -> Analysis`: parse, stage model and the
//!   predicted `docker history` per stage and for the final image.
//! - [`lint::lint`]`(text, &Options) -> Vec<Finding>`: size and cache findings,
//!   each with the final-image bytes its fix saves (measured by re-estimating).
//! - [`rewrite::rewrite`]`(text, &RewriteOptions) -> Rewrite`: the multi-stage
//!   rewrite as edits, with before → after sizes; [`rewrite::rewrite_each`]
//!   does several runtime choices from one analysis, and
//!   [`rewrite::compare_runtimes`] prices every runtime choice.
//! - [`syntax::parse`] and [`syntax::tokens()`] for the parser alone.
//!
//! Everything here is a pure function of (text, options): no I/O, no clock, no
//! randomness and no browser crates, so the same code runs natively (CLI, tests)
//! and in WebAssembly (the page).

pub mod analysis;
pub mod edit;
pub mod estimate;
pub mod lint;
pub mod model;
pub mod rewrite;
pub mod sort;
pub mod span;
pub mod syntax;

pub use analysis::{analyze, Analysis, ContextFile, Options};
pub use edit::{apply_edits, Edit};
pub use span::{LineCol, LineIndex, Span};
