//! Snapshot tests of the multi-stage rewrite over
//! `tests/fixtures/rewrite/*.Dockerfile` (one or more per language).
//!
//! The snapshot is the rewritten text plus the language and runtime chosen;
//! the sizes are checked as a property (smaller, and under a bound per
//! fixture where the issue names one) rather than snapshotted, so a catalog
//! update does not churn these files.

use std::path::{Path, PathBuf};

use layerlens::estimate::catalog::Date;
use layerlens::rewrite::{rewrite, RewriteOptions, RuntimeChoice};
use layerlens::Options;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_rewrite_matches_its_snapshot() {
    let files = fixtures();
    assert!(files.len() >= 10, "a fixture per language");
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let result = rewrite(&text, &RewriteOptions::default());
        let header = if let Some(why) = &result.refusal {
            format!("nothing to do: {why}")
        } else {
            assert!(
                result.after < result.before,
                "{name}: {} → {}",
                result.before,
                result.after
            );
            format!(
                "language: {}\nruntime: {}\nnotes: {:?}",
                result.language.map_or("?", |l| l.as_str()),
                result.runtime_image.as_deref().unwrap_or("?"),
                result.notes
            )
        };
        let snapshot = format!("{header}\n---\n{}", result.output.replace("\r\n", "⏎\n"));
        insta::assert_snapshot!(format!("rewrite_{name}"), snapshot);
    }
}

/// The seed story: scratch ≤ 3 MB, distroless ≈ 4 MB or less, alpine
/// ≈ 10 MB or less, as of the article's date and today.
#[test]
fn seed_runtime_sizes() {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite/go-seed.Dockerfile"),
    )
    .unwrap();
    for as_of in [Some("2022-12-20"), None] {
        let analysis = Options {
            as_of: as_of.and_then(Date::parse),
            ..Options::default()
        };
        let size = |runtime| {
            let result = rewrite(
                &seed,
                &RewriteOptions {
                    runtime,
                    analysis: analysis.clone(),
                },
            );
            assert!(result.refusal.is_none(), "{result:?}");
            (
                result.before,
                result.after,
                result.runtime_image.unwrap_or_default(),
            )
        };
        let (before, scratch, image) = size(RuntimeChoice::Auto);
        assert_eq!(image, "scratch");
        assert!(scratch <= 3_000_000, "auto/scratch: {scratch}");
        if as_of.is_some() {
            assert!(before > 340_000_000, "the seed weighs ~353 MB: {before}");
        }
        let (_, distroless, image) = size(RuntimeChoice::Distroless);
        assert!(image.contains("distroless/static"), "{image}");
        assert!(distroless <= 4_500_000, "distroless: {distroless}");
        let (_, alpine, image) = size(RuntimeChoice::Alpine);
        assert!(image.starts_with("alpine:"), "{image}");
        assert!(alpine <= 10_500_000, "alpine: {alpine}");
        assert!(scratch < distroless && distroless < alpine);
    }
}

#[test]
fn seed_rewrite_has_the_expected_shape() {
    let seed = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
    let result = rewrite(seed, &RewriteOptions::default());
    let out = &result.output;
    assert_eq!(out.matches("FROM ").count(), 2, "{out}");
    assert!(out.starts_with("FROM golang:alpine AS build\n"), "{out}");
    assert!(
        out.contains("CGO_ENABLED=0 go build -ldflags=\"-s -w\""),
        "{out}"
    );
    assert!(out.contains("\nFROM scratch\n"), "{out}");
    assert!(
        out.contains("COPY --from=build /build/hello /hello\n"),
        "{out}"
    );
    assert!(out.contains("ENTRYPOINT [\"/hello\"]\n"), "{out}");
    assert!(!out.contains("CMD [\"./hello\"]"), "{out}");
}
