//! `cargo xtask fuzz [SECONDS] [LIBFUZZER FLAGS…]`: coverage-guided fuzzing
//! of the whole core (later flags win, e.g. `-max_len=2048`).
//!
//! Installs cargo-fuzz into `.tools/` when missing, seeds a corpus in
//! `target/fuzz/corpus/` from the project's fixtures and the shared
//! conformance Dockerfiles (each behind two option bytes, see
//! `core/fuzz/fuzz_targets/pipeline.rs`), then runs libFuzzer for the given
//! time (default 300 s) with debug assertions on. It runs on stable Rust with
//! `--sanitizer none`: the core is safe Rust, so what we look for is panics,
//! overflow and broken promises, not memory errors. A crash leaves its input
//! in `core/fuzz/artifacts/pipeline/`.

use std::path::{Path, PathBuf};

use crate::tools::Toolbox;
use crate::{run, Error};

pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

pub fn run_fuzz(toolbox: &Toolbox, args: &[String]) -> Result<(), Error> {
    let (seconds, extra): (u32, &[String]) = match args {
        [] => (300, &[]),
        [seconds, extra @ ..] => (
            seconds.parse().map_err(|_| {
                Error::new(format!(
                    "usage: cargo xtask fuzz [SECONDS] [LIBFUZZER FLAGS…], got {seconds:?}"
                ))
            })?,
            extra,
        ),
    };
    toolbox.ensure_cargo_tool(
        "cargo-fuzz",
        "cargo-fuzz",
        CARGO_FUZZ_VERSION,
        "~3 min",
        &[],
    )?;
    let corpus = toolbox.root.join("target").join("fuzz").join("corpus");
    let seeds = seed_corpus(&toolbox.root, &corpus)?;
    println!("fuzzing the core for {seconds} s from {seeds} seed inputs…");
    let fuzz_dir = toolbox.root.join("core").join("fuzz");
    run(toolbox
        .command("cargo")
        .args(["fuzz", "run", "--sanitizer", "none", "--debug-assertions"])
        .arg("--fuzz-dir")
        .arg(&fuzz_dir)
        .arg("pipeline")
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg("-max_len=16384")
        .arg("-timeout=10")
        .arg(format!(
            "-dict={}",
            fuzz_dir.join("dockerfile.dict").display()
        ))
        .args(extra))
}

/// Writes every seed Dockerfile into `corpus` behind two option bytes that
/// vary from file to file; returns how many there are.
fn seed_corpus(root: &Path, corpus: &Path) -> Result<usize, Error> {
    std::fs::create_dir_all(corpus)
        .map_err(|e| Error::new(format!("{}: {e}", corpus.display())))?;
    let mut files = Vec::new();
    collect(
        &root.join("core").join("tests").join("fixtures"),
        &mut files,
    );
    let shared = std::env::var_os("LAYERLENS_CONFORMANCE").map_or_else(
        || root.join("..").join("shared").join("conformance"),
        PathBuf::from,
    );
    collect(&shared, &mut files);
    files.sort();
    let mut count = 0;
    for (index, path) in files.iter().enumerate() {
        let Ok(text) = std::fs::read(path) else {
            continue;
        };
        let selector = (index as u16).wrapping_mul(40_503);
        let mut input = selector.to_le_bytes().to_vec();
        input.extend_from_slice(&text);
        let name = corpus.join(format!("seed-{index:04}"));
        std::fs::write(&name, input).map_err(|e| Error::new(format!("{}: {e}", name.display())))?;
        count += 1;
    }
    Ok(count)
}

/// Dockerfiles under `dir`: files named `Dockerfile` or `*.Dockerfile`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "Dockerfile" || n.ends_with(".Dockerfile"))
        {
            out.push(path);
        }
    }
}
