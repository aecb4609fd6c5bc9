//! Parse BuildKit's 391-file `corpus` group N times, for instruction and
//! allocation counts under `valgrind --tool=callgrind` (wall time on a shared
//! machine is too noisy to compare small changes).
//!
//! Run: `cargo run --release -p layerlens --example parse_corpus -- [layerlens|parse-dockerfile] [N]`.
//! Count heap allocations with `valgrind --tool=dhat` (the workspace forbids
//! `unsafe`, so no counting allocator here).

use std::hint::black_box;
#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "layerlens".to_string());
    let passes: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let files = corpus::files();
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
