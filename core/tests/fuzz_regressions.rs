//! Replays every input the fuzzer found a bug with (`fuzz-regressions/`),
//! through the same check the fuzz target runs, so a fixed bug stays fixed.

#[path = "support/pipeline.rs"]
mod pipeline;

#[test]
fn every_fuzz_finding_stays_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-regressions exists")
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for path in inputs {
        let data = std::fs::read(&path).expect("readable input");
        eprintln!("replaying {}", path.display());
        pipeline::check(&data);
    }
}
