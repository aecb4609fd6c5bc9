//! The one place lint and rewrite call the pipeline, so both re-estimate
//! edited text exactly the same way the page and the CLI do.

pub use crate::analysis::{analyze, Analysis, Options};
