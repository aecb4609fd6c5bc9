//! The seed story: `FROM golang:alpine` hello world, built in December 2022,
//! must come out near the article's `docker history` (353 MB).

use layerlens::estimate::catalog::Date;
use layerlens::estimate::{docker_size, RowOrigin};
use layerlens::{analyze, ContextFile, Options};

const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n";

fn seed_options(as_of: Option<Date>) -> Options {
    Options {
        context: vec![ContextFile {
            path: "hello.go".into(),
            size: 72,
            content: Some(HELLO_GO.into()),
        }],
        as_of,
        ..Options::default()
    }
}

fn within(actual: u64, expected: u64, tolerance: f64) -> bool {
    let diff = (actual as f64 - expected as f64).abs();
    diff <= expected as f64 * tolerance
}

#[test]
fn seed_matches_the_article() {
    assert_eq!(HELLO_GO.len(), 72);
    let analysis = analyze(SEED, &seed_options(Date::parse("2022-12-20")));
    let estimate = &analysis.estimate;
    for row in estimate.final_rows() {
        eprintln!(
            "{:>8} {:?} {} | {}",
            docker_size(row.disk.est),
            row.origin,
            row.created_by,
            row.basis
        );
    }
    let total = estimate.final_image.disk.est;
    eprintln!("total {}", docker_size(total));
    assert!(within(total, 353_000_000, 0.03), "total {total}");
    let layers: Vec<u64> = estimate
        .final_rows()
        .filter(|row| {
            row.disk.est > 0
                || (row.origin == RowOrigin::Layer && row.created_by.starts_with("COPY"))
        })
        .map(|row| row.disk.est)
        .collect();
    let expected = [7_460_000, 622_000, 342_000_000, 72, 2_070_000];
    assert_eq!(layers.len(), expected.len(), "{layers:?}");
    for (actual, expected) in layers.iter().zip(expected) {
        assert!(within(*actual, expected, 0.10), "{actual} vs {expected}");
    }
}

#[test]
fn without_a_date_the_seed_uses_todays_golang_alpine() {
    let newest = layerlens::estimate::catalog::resolve_image("golang:alpine", None, None)
        .entry
        .expect("golang:alpine is catalogued");
    let old = layerlens::estimate::catalog::resolve_image(
        "golang:alpine",
        None,
        Date::parse("2022-12-20"),
    )
    .entry
    .expect("golang:alpine in 2022 is catalogued");
    assert!(newest.date > old.date);
    let analysis = analyze(SEED, &seed_options(None));
    let estimate = &analysis.estimate;
    let base: u64 = estimate
        .final_rows()
        .filter(|row| row.origin == RowOrigin::Base)
        .map(|row| row.disk.est)
        .sum();
    assert!(
        within(base, newest.total_bytes, 0.01),
        "base rows {base} vs {}",
        newest.total_bytes
    );
    let stage = &estimate.stages[0];
    assert_eq!(estimate.final_image.disk.est, base + stage.own.est);
    assert!(
        estimate
            .final_rows()
            .any(|row| row.image.as_deref() == Some(newest.resolved)),
        "rows name {}",
        newest.resolved
    );
}
