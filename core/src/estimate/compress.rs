//! Pull size of a new layer: its bytes divided by how well such content
//! gzips, plus the tar/gzip framing that dominates tiny layers.

use super::catalog;

/// What kind of bytes a layer holds, for its gzip ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// OS packages / toolchains: the image family's measured ratio.
    Packages,
    /// Go or Rust executables.
    Binary,
    /// Source code, configuration, scripts.
    Text,
    /// Archives, jars, images: already compressed.
    Compressed,
    /// Anything else: the catalog's pooled ratio.
    Mixed,
}

/// A gzip'd tar of nothing (a layer with only directory entries) is 32 bytes;
/// repo-info records exactly this for BuildKit's WORKDIR layers.
pub const EMPTY_LAYER_COMPRESSED: u64 = 32;

/// Compressed bytes for a layer of `disk` bytes in `n_files` files.
pub fn compressed(disk: u64, n_files: u64, content: Content, family: &str) -> u64 {
    let ratio = match content {
        Content::Packages => catalog::compression_ratio(family).ratio,
        // gzip -6 of the measured go1.19.8 hello binary: 1,819,308 → 1,075,298 B.
        Content::Binary => 1.69,
        // Source text typically gzips 3–4×.
        Content::Text => 3.5,
        Content::Compressed => 1.0,
        Content::Mixed => catalog::compression_ratio("*").ratio,
    };
    let ratio = if ratio.is_finite() && ratio >= 1.0 {
        ratio
    } else {
        2.5
    };
    // Each file costs a 512-byte tar header that gzips to roughly 60 bytes.
    let framing = EMPTY_LAYER_COMPRESSED + n_files.min(1_000_000) * 60;
    (disk as f64 / ratio) as u64 + if disk == 0 { 0 } else { framing }
}
