//! Parser throughput over BuildKit's 391-file `corpus` conformance group,
//! with `parse-dockerfile` (taiki-e) measured in the same run for comparison.
//!
//! Run: `cargo bench -p layerlens --bench parse`. The corpus is read in place
//! from `LAYERLENS_CONFORMANCE_DIR` or `../shared/conformance/buildkit`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
#[path = "support/corpus.rs"]
mod corpus;

fn bench(c: &mut Criterion) {
    let files = corpus::files();
    if files.is_empty() {
        eprintln!("SKIP: conformance corpus not found (set LAYERLENS_CONFORMANCE_DIR)");
        return;
    }
    let bytes: usize = files.iter().map(String::len).sum();
    eprintln!("corpus: {} files, {bytes} bytes", files.len());
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("layerlens", |b| {
        b.iter(|| {
            for f in &files {
                black_box(layerlens::syntax::parse(black_box(f)));
            }
        });
    });
    group.bench_function("parse-dockerfile", |b| {
        b.iter(|| {
            for f in &files {
                // It rejects some files (no FROM, unknown instructions); the time still counts.
                let _ = black_box(parse_dockerfile::parse(black_box(f)));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
