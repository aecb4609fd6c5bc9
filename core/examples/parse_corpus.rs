//! Parse BuildKit's 391-file `corpus` group N times, for instruction and
//! allocation counts under `valgrind --tool=callgrind` (wall time on a shared
//! machine is too noisy to compare small changes).
//!
//! Run: `cargo run --release -p layerlens --example parse_corpus -- [layerlens|parse-dockerfile] [N]`.
//! Count heap allocations with `valgrind --tool=dhat` (the workspace forbids
//! `unsafe`, so no counting allocator here).

use std::hint::black_box;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<String> {
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

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "layerlens".to_string());
    let passes: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let files = corpus();
    if files.is_empty() {
        eprintln!("conformance corpus not found (set LAYERLENS_CONFORMANCE_DIR)");
        std::process::exit(2);
    }
    let bytes: usize = files.iter().map(String::len).sum();
    for _ in 0..passes {
        for f in &files {
            match which.as_str() {
                "parse-dockerfile" => {
                    let _ = black_box(parse_dockerfile::parse(black_box(f)));
                }
                _ => {
                    black_box(layerlens::syntax::parse(black_box(f)));
                }
            }
        }
    }
    println!(
        "{which}: {} files, {bytes} bytes, {passes} passes",
        files.len()
    );
}
