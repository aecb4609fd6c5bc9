//! Whole-analysis time for the seed Dockerfile (parse → model → estimate),
//! the number the page pays on every keystroke. Target: under 50 µs natively.
//! Also what a settled 900-line file costs (analysis, findings, previews).

use std::fmt::Write as _;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use layerlens::estimate::catalog::Date;
use layerlens::{analyze, ContextFile, Options};

const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n";

/// The page's options for the seed: its one context file, as of 2022-12-20.
fn seed_options() -> Options {
    Options {
        context: vec![ContextFile {
            path: "hello.go".into(),
            size: 72,
            content: Some(HELLO_GO.into()),
        }],
        as_of: Date::parse("2022-12-20"),
        ..Options::default()
    }
}

fn seed(c: &mut Criterion) {
    let options = seed_options();
    c.bench_function("analyze seed", |b| {
        b.iter(|| analyze(black_box(SEED), black_box(&options)));
    });
}

criterion_group!(benches, seed);

/// The same work split by phase, to see where the time goes.
fn phases(c: &mut Criterion) {
    use layerlens::model::{build, BuildContext, ModelOptions};
    let options = seed_options();
    c.bench_function("parse only", |b| {
        b.iter(|| layerlens::syntax::parse(black_box(SEED)));
    });
    let parse = layerlens::syntax::parse(SEED);
    c.bench_function("model only", |b| {
        b.iter(|| {
            let ctx = BuildContext::new(&options.context);
            build(&parse.dockerfile, ctx, &ModelOptions::default())
        });
    });
    let model = build(
        &parse.dockerfile,
        BuildContext::new(&options.context),
        &ModelOptions::default(),
    );
    c.bench_function("estimate only", |b| {
        b.iter(|| layerlens::estimate::estimate(black_box(&model), None, options.as_of));
    });
    c.bench_function("resolve only", |b| {
        b.iter(|| {
            layerlens::estimate::catalog::resolve_image(
                black_box("golang:alpine"),
                None,
                options.as_of,
            )
        });
    });
}
criterion_group!(phase_benches, phases);

/// What the page pays once the text settles on a big file: findings (each
/// priced by re-estimating, within lint's budget) and the rewrite previews
/// for every runtime. The file: 900 lines, 1,202 findings (lint took 11.6 s
/// before its pricing budget, the previews 157 ms before `rewrite_each`).
fn settled_large_file(c: &mut Criterion) {
    let mut text = String::from("FROM debian:bookworm\n");
    for i in 0..300 {
        let _ = write!(
            text,
            "RUN apt-get update && apt-get install -y curl{} git\nCOPY . /src{i}\nRUN npm install\n",
            i % 3
        );
    }
    let options = Options::default();
    let mut group = c.benchmark_group("900-line file");
    group.sample_size(10);
    group.bench_function("analyze", |b| {
        b.iter(|| analyze(black_box(&text), black_box(&options)));
    });
    group.bench_function("lint", |b| {
        b.iter(|| layerlens::lint::lint(black_box(&text), black_box(&options)));
    });
    group.bench_function("rewrite previews (5 runtimes)", |b| {
        b.iter(|| layerlens::rewrite::compare_runtimes(black_box(&text), black_box(&options)));
    });
    group.finish();
}
criterion_group!(large_benches, settled_large_file);
criterion_main!(benches, phase_benches, large_benches);
