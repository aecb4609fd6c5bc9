//! Sizes of build outputs and payloads: Go/Rust binaries, Go caches, npm
//! and pip installs, JRE/jar sizes. Rows are either measured on the
//! catalog's build machine (see `gen/measure_*.sh`) or published figures
//! from `../shared/data/published-building-blocks.csv`.

use super::blocks_gen::BLOCKS;
use super::Method;

/// What a [`Block`] measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockKind {
    AptLayer,
    GoBinary,
    GoBuildCache,
    GoModCache,
    GoToolchain,
    JavaJar,
    JreJlink,
    NodeRuntime,
    NpmCache,
    NpmInstall,
    NpmPackage,
    PipCache,
    PipInstall,
    RustBinary,
    RustTargetDir,
    Upx,
}

/// One sourced size figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// What was built or installed (`hello`, `express`, `flask`).
    pub name: &'static str,
    /// Flags, variant or how it was measured.
    pub variant: &'static str,
    pub bytes: u64,
    /// Tool/language version (`go1.19.8`, `python 3.11.7`).
    pub version: &'static str,
    pub method: Method,
    pub source: &'static str,
}

/// All rows, sorted by (kind, name, variant, bytes).
pub fn blocks() -> &'static [Block] {
    BLOCKS
}

/// Rows of one kind whose name matches exactly (e.g. `(NpmInstall, "express")`).
pub fn blocks_named(kind: BlockKind, name: &str) -> impl Iterator<Item = &'static Block> + '_ {
    BLOCKS
        .iter()
        .filter(move |b| b.kind == kind && b.name == name)
}

/// `go build` flags that change the binary size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GoBuildFlags {
    /// `-ldflags "-s -w"` (no symbol table / DWARF).
    pub strip: bool,
    /// `CGO_ENABLED=1` (the Go default when a C toolchain is present; it
    /// only changes programs that use `net`/`os/user`).
    pub cgo: bool,
    /// `-trimpath`.
    pub trimpath: bool,
}

/// Estimated size of a Go binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoBinary {
    pub bytes: u64,
    /// The measured row it comes from.
    pub row: &'static Block,
    /// Which program class was matched (`hello`, `http`, `json`, `min`).
    pub class: &'static str,
}

/// Size of a Go binary from the packages it imports and the build flags,
/// from binaries built on this machine with go1.19.8 (see
/// `gen/measure_go.sh`): `net/…` imports → the `net/http` server class,
/// `encoding/json` → json, anything else (`fmt`, `os`, …) → hello world,
/// no imports → `println` only. Newer Go releases produce binaries a few
/// percent larger; the `row`'s version says which one was measured.
pub fn go_binary(imports: &[&str], flags: GoBuildFlags) -> Option<GoBinary> {
    let class = if imports.iter().any(|i| i.starts_with("net")) {
        "http"
    } else if imports.iter().any(|i| i.starts_with("encoding/json")) {
        "json"
    } else if imports.is_empty() {
        "min"
    } else {
        "hello"
    };
    let variant = match (flags.cgo, flags.trimpath, flags.strip) {
        (true, _, false) => "default (CGO_ENABLED=1)",
        (true, _, true) => "CGO_ENABLED=1 -ldflags=-s -w",
        (false, false, false) => "CGO_ENABLED=0",
        (false, false, true) => "CGO_ENABLED=0 -ldflags=-s -w",
        (false, true, false) => "CGO_ENABLED=0 -trimpath",
        (false, true, true) => "CGO_ENABLED=0 -trimpath -ldflags=-s -w",
    };
    let row = BLOCKS.iter().find(|b| {
        b.kind == BlockKind::GoBinary
            && b.method == Method::Measured
            && b.name == class
            && b.variant == variant
    })?;
    Some(GoBinary {
        bytes: row.bytes,
        row,
        class,
    })
}
