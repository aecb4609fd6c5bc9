//! Conformance against BuildKit's own parse of its test files and of
//! real-world Dockerfiles (read in place from `../shared/conformance`).
//!
//! For every positive case the keyword sequence, flags, arguments (`result`),
//! line ranges and joined text (`original`) and heredoc bodies (`heredocs`)
//! must equal BuildKit's; every negative case must yield an error.

use layerlens::syntax::{dump, parse, ErrorKind};
use std::path::{Path, PathBuf};

#[path = "support/shared.rs"]
mod shared;

#[derive(Default)]
struct Tally {
    positive: usize,
    positive_ok: usize,
    negative: usize,
    negative_ok: usize,
    failures: Vec<String>,
}

/// First differing line of two renderings, for a compact report.
fn diff(what: &str, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut e = expected.lines();
    let mut a = actual.lines();
    for n in 1.. {
        match (e.next(), a.next()) {
            (None, None) => break,
            (x, y) if x == y => {}
            (x, y) => {
                return Some(format!(
                    "{what} line {n}:\n      expected {}\n      actual   {}",
                    x.unwrap_or("<none>"),
                    y.unwrap_or("<none>")
                ));
            }
        }
    }
    Some(format!("{what}: trailing whitespace differs"))
}

fn check_case(dir: &Path, tally: &mut Tally) {
    let Ok(bytes) = std::fs::read(dir.join("Dockerfile")) else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    let meta = std::fs::read_to_string(dir.join("meta")).unwrap_or_default();
    let parse = parse(&text);
    let name = dir.display().to_string();
    if meta.lines().any(|l| l.trim() == "expect: reject") {
        tally.negative += 1;
        if parse.errors.is_empty() {
            tally
                .failures
                .push(format!("{name}: accepted, BuildKit rejects"));
        } else {
            tally.negative_ok += 1;
        }
        return;
    }
    tally.positive += 1;
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let mut problems = Vec::new();
    if let Some(e) = parse.errors.iter().find(|e| e.kind == ErrorKind::Parse) {
        problems.push(format!("unexpected error: {} at {:?}", e.message, e.span));
    }
    let d = &parse.dockerfile;
    problems.extend(diff("result", &read("result"), &dump::buildkit(d)));
    problems.extend(diff(
        "original",
        &read("original"),
        &dump::buildkit_original(d),
    ));
    problems.extend(diff(
        "heredocs",
        &read("heredocs"),
        &dump::buildkit_heredocs(d),
    ));
    if problems.is_empty() {
        tally.positive_ok += 1;
    } else {
        tally
            .failures
            .push(format!("{name}: {}", problems.join("\n    ")));
    }
}

fn run_dirs(dirs: Vec<PathBuf>) -> Tally {
    let mut tally = Tally::default();
    for dir in dirs {
        check_case(&dir, &mut tally);
    }
    tally
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn report(label: &str, tally: &Tally) {
    for f in tally.failures.iter().take(40) {
        eprintln!("FAIL {f}");
    }
    eprintln!(
        "{label}: positive {}/{}, negative {}/{}",
        tally.positive_ok, tally.positive, tally.negative_ok, tally.negative
    );
    assert!(
        tally.failures.is_empty(),
        "{label}: {} failing cases",
        tally.failures.len()
    );
}

#[test]
fn buildkit_cases() {
    let Some(root) = shared::dir("LAYERLENS_CONFORMANCE_DIR", "shared/conformance/buildkit") else {
        return;
    };
    let mut all = Tally::default();
    for group in case_dirs(&root) {
        let tally = run_dirs(case_dirs(&group));
        eprintln!(
            "  {}: positive {}/{}, negative {}/{}",
            group.file_name().unwrap_or_default().to_string_lossy(),
            tally.positive_ok,
            tally.positive,
            tally.negative_ok,
            tally.negative
        );
        all.positive += tally.positive;
        all.positive_ok += tally.positive_ok;
        all.negative += tally.negative;
        all.negative_ok += tally.negative_ok;
        all.failures.extend(tally.failures);
    }
    assert!(
        all.positive + all.negative >= 500,
        "expected the 546 BuildKit cases"
    );
    report("buildkit", &all);
}

#[test]
fn realworld_cases() {
    let Some(root) = shared::dir("LAYERLENS_REALWORLD_DIR", "shared/conformance/realworld") else {
        return;
    };
    let tally = run_dirs(case_dirs(&root));
    assert!(
        tally.positive + tally.negative >= 300,
        "expected the 329 real-world cases"
    );
    report("realworld", &tally);
}
