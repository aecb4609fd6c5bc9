//! BuildKit's `corpus` conformance group, read in place, for the parser
//! benchmark and the `parse_corpus` example. Include it with
//! `#[path = "…/benches/support/corpus.rs"] mod corpus;`.

use std::path::{Path, PathBuf};

/// The text of every `corpus/*/Dockerfile` under `LAYERLENS_CONFORMANCE_DIR`
/// (else `../shared/conformance/buildkit`), sorted by case; empty when the
/// folder is missing.
pub fn files() -> Vec<String> {
    let root = std::env::var_os("LAYERLENS_CONFORMANCE_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/buildkit"),
        PathBuf::from,
    );
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("corpus"))
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| std::fs::read(d.join("Dockerfile")).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}
