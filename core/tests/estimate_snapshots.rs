//! Snapshot tests of the size model over `tests/fixtures/estimate/*.Dockerfile`.
//!
//! Each fixture may have a sibling `<name>.context/` directory (the build
//! context, read like `layerlens estimate --context`) and a first-line
//! comment `# layerlens: as-of=YYYY-MM-DD build-arg=K=V target=T platform=P`
//! with the options. The snapshot shows every row with its size, range,
//! compressed size and basis, the totals and the notes, so a change in any
//! number or its reason shows up in review.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use layerlens::estimate::catalog::Date;
use layerlens::estimate::{docker_range, docker_size, RowOrigin};
use layerlens::{analyze, ContextFile, LineIndex, Options};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/estimate")
}

fn read_context(dir: &Path) -> Vec<ContextFile> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let content = (bytes.len() <= 64 * 1024)
                .then(|| String::from_utf8(bytes.clone()).ok())
                .flatten();
            files.push(ContextFile {
                path: relative,
                size: bytes.len() as u64,
                content,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn options_for(text: &str, context: Vec<ContextFile>) -> Options {
    let mut options = Options {
        context,
        ..Options::default()
    };
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let Some(settings) = line.strip_prefix("# layerlens:") else {
            continue;
        };
        for setting in settings.split_whitespace() {
            let Some((key, value)) = setting.split_once('=') else {
                continue;
            };
            match key {
                "as-of" => options.as_of = Date::parse(value),
                "target" => options.target = Some(value.to_string()),
                "platform" => options.platform = Some(value.to_string()),
                "build-arg" => {
                    if let Some((k, v)) = value.split_once('=') {
                        options.build_args.push((k.to_string(), v.to_string()));
                    }
                }
                _ => panic!("unknown fixture option {key}"),
            }
        }
    }
    options
}

fn render(text: &str, options: &Options) -> String {
    let analysis = analyze(text, options);
    let estimate = &analysis.estimate;
    let index = LineIndex::new(text);
    let mut out = String::new();
    let final_image = estimate.final_image;
    let _ = writeln!(
        out,
        "FINAL stage {:?}: {} (range {}), compressed {}, {} layers; discarded by builder stages: {}",
        final_image.stage,
        docker_size(final_image.disk.est),
        docker_range(final_image.disk.low, final_image.disk.high),
        docker_size(final_image.compressed_bytes),
        final_image.n_layers,
        docker_size(estimate.discarded.est),
    );
    for stage in &estimate.stages {
        let _ = writeln!(
            out,
            "\nSTAGE {} {} FROM {}: {} (range {}), own {}, compressed {}{}{}",
            stage.index,
            stage.name.as_deref().unwrap_or("-"),
            stage.base,
            docker_size(stage.disk.est),
            docker_range(stage.disk.low, stage.disk.high),
            docker_size(stage.own.est),
            docker_size(stage.compressed_bytes),
            if stage.needed {
                ""
            } else {
                " [not needed by target]"
            },
            if stage.in_final {
                " [in final image]"
            } else {
                ""
            },
        );
        for row in estimate.rows.iter().filter(|row| row.stage == stage.index) {
            let created_by: String = row
                .created_by
                .replace('\n', "\\n")
                .chars()
                .take(90)
                .collect();
            let kind = match row.origin {
                RowOrigin::Base => "base",
                RowOrigin::Layer => "layer",
                RowOrigin::Metadata => "meta",
            };
            let _ = writeln!(
                out,
                "  L{:<3} {kind:<5} {:>8}  [{}]  gz {:>8}  {created_by}",
                row.line,
                docker_size(row.disk.est),
                docker_range(row.disk.low, row.disk.high),
                docker_size(row.compressed_bytes),
            );
            if row.origin != RowOrigin::Metadata && !row.basis.is_empty() {
                let _ = writeln!(out, "        basis: {}", row.basis);
            }
        }
    }
    if !estimate.notes.is_empty() {
        let _ = writeln!(out, "\nNOTES");
        for note in &estimate.notes {
            let line = index.line_col(text, note.span.start).line;
            let _ = writeln!(out, "  {:?} line {line}: {}", note.level, note.message);
        }
    }
    out
}

#[test]
fn estimate_fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 15,
        "expected the fixture set, found {}",
        paths.len()
    );
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let context_dir = path.with_extension("context");
        let context = if context_dir.is_dir() {
            read_context(&context_dir)
        } else {
            Vec::new()
        };
        let options = options_for(&text, context);
        let rendered = render(&text, &options);
        insta::assert_snapshot!(name, rendered);
    }
}

/// Every Dockerfile of the shared conformance corpora (real-world files and
/// BuildKit's test corpus) goes through the whole analysis without a panic,
/// and every final image gets a finite, ordered range.
#[test]
fn whole_corpus_analyses_without_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    let root = std::env::var_os("LAYERLENS_CONFORMANCE").map_or(root, PathBuf::from);
    let mut stack = vec![root.clone()];
    let mut n_files = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_none_or(|name| name != "Dockerfile") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for options in [
                Options::default(),
                Options {
                    as_of: Date::parse("2022-12-20"),
                    platform: Some("linux/arm64".into()),
                    ..Options::default()
                },
            ] {
                let analysis = analyze(&text, &options);
                let image = analysis.estimate.final_image;
                assert!(
                    image.disk.low <= image.disk.est && image.disk.est <= image.disk.high,
                    "{}",
                    path.display()
                );
                for row in &analysis.estimate.rows {
                    assert!(
                        !row.basis.is_empty()
                            || row.origin == RowOrigin::Metadata
                            || row.origin == RowOrigin::Base,
                        "{}: {}",
                        path.display(),
                        row.created_by
                    );
                }
            }
            n_files += 1;
        }
    }
    assert!(
        n_files > 300,
        "expected the shared corpora under {}, found {n_files} files",
        root.display()
    );
}
