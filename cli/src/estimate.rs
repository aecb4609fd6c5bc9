//! `layerlens estimate FILE [--context DIR] [--build-arg K=V]… [--target STAGE]
//! [--platform linux/amd64] [--as-of YYYY-MM-DD] [--format table|json]`:
//! the predicted `docker history` of the image, before building it.
//! (`--context`, `--build-arg`, `--platform` and `--as-of` come from the
//! shared [`AnalysisArgs`]; [`read_context`] reads the directory.)

use crate::input;
use crate::report::{json_string, AnalysisArgs};
use layerlens::estimate::{docker_range, docker_size, Estimate, LayerRow, RowOrigin};
use layerlens::model::DockerIgnore;
use layerlens::{analyze, ContextFile, LineIndex};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Text files up to this size are read so the estimate can look inside
/// them (go.mod, package.json, requirements.txt, *.go …).
const MAX_TEXT_BYTES: u64 = 64 * 1024;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `docker history` columns, newest layer first, then the totals.
    Table,
    /// Machine-readable (schema in the README).
    Json,
}

/// Arguments of `estimate`.
#[derive(clap::Args)]
pub struct Args {
    /// Dockerfile to estimate (`-` for stdin).
    file: PathBuf,
    /// Build this stage instead of the last one.
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// `table` (like `docker history`) or `json`.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Do not cut the CREATED BY column.
    #[arg(long)]
    no_trunc: bool,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

/// Exit 0 after printing, 2 when an input cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let (text, mut options) = match input::read_with_options(&args.file, &args.analysis) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    options.target.clone_from(&args.target);
    let analysis = analyze(&text, &options);
    let index = LineIndex::new(&text);
    match args.format {
        Format::Table => {
            print!("{}", table(&analysis.estimate, args.no_trunc));
            for note in &analysis.estimate.notes {
                let message = format!("note: {}", note.message);
                eprintln!(
                    "{}",
                    input::diagnostic(&args.file, &text, &index, note.span, &message)
                );
            }
        }
        Format::Json => println!("{}", json(&analysis.estimate, &text, &index)),
    }
    ExitCode::SUCCESS
}

/// Read a context directory: every file's size, and the text of small
/// UTF-8 files. Directories `.dockerignore` excludes are not walked (unless
/// it has `!` exceptions, which could re-include something inside).
pub fn read_context(dir: &Path) -> Result<Vec<ContextFile>, String> {
    let ignore_text = std::fs::read_to_string(dir.join(".dockerignore")).ok();
    let ignore = ignore_text.as_deref().map(DockerIgnore::parse);
    let prune = ignore_text
        .as_deref()
        .is_some_and(|t| !t.lines().any(|l| l.trim_start().starts_with('!')));
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.is_dir() {
                let skip = prune && ignore.as_ref().is_some_and(|i| i.excludes(&relative));
                if !skip {
                    stack.push(path);
                }
                continue;
            }
            let size = meta.len();
            let content = if size <= MAX_TEXT_BYTES {
                std::fs::read(&path)
                    .ok()
                    .filter(|bytes| !bytes.contains(&0))
                    .and_then(|bytes| String::from_utf8(bytes).ok())
            } else {
                None
            };
            files.push(ContextFile {
                path: relative,
                size,
                content,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Docker cuts CREATED BY to 45 characters, ending in `…`.
fn cut(text: &str, no_trunc: bool) -> String {
    let text = text.replace(['\n', '\t'], " ");
    if no_trunc || text.chars().count() <= 45 {
        return text;
    }
    let mut cut: String = text.chars().take(44).collect();
    cut.push('…');
    cut
}

fn comment(row: &LayerRow) -> &'static str {
    match row.origin {
        RowOrigin::Layer | RowOrigin::Metadata => "buildkit.dockerfile.v0",
        RowOrigin::Base if row.created_by.ends_with("# buildkit") => "buildkit.dockerfile.v0",
        RowOrigin::Base => "",
    }
}

/// The final image's rows as `docker history` prints them (newest first),
/// then the totals.
pub fn table(estimate: &Estimate, no_trunc: bool) -> String {
    let rows: Vec<&LayerRow> = estimate.final_rows().collect();
    let width = if no_trunc {
        rows.iter()
            .map(|r| cut(&r.created_by, true).chars().count())
            .max()
            .unwrap_or(10)
            .max(10)
    } else {
        45
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<15}{:<w$}   {:<10}COMMENT",
        "IMAGE",
        "CREATED BY",
        "SIZE",
        w = width
    );
    for row in rows.iter().rev() {
        let created_by = cut(&row.created_by, no_trunc);
        let pad = width.saturating_sub(created_by.chars().count());
        let _ = writeln!(
            out,
            "{:<15}{created_by}{}   {:<10}{}",
            "<missing>",
            " ".repeat(pad),
            docker_size(row.disk.est),
            comment(row)
        );
    }
    let image = estimate.final_image;
    let _ = writeln!(
        out,
        "\nTotal: {} (range {}), pull size {}",
        docker_size(image.disk.est),
        docker_range(image.disk.low, image.disk.high),
        docker_size(image.compressed_bytes)
    );
    for stage in estimate.stages.iter().filter(|s| !s.in_final && s.needed) {
        let _ = writeln!(
            out,
            "Builder stage {} ({}): {} built and thrown away",
            stage
                .name
                .as_deref()
                .map_or_else(|| stage.index.to_string(), str::to_string),
            stage.base,
            docker_size(stage.disk.est)
        );
    }
    out
}

/// The estimate as JSON (see the README for the schema).
pub fn json(estimate: &Estimate, text: &str, index: &LineIndex) -> String {
    let mut out = String::from("{\n");
    let image = estimate.final_image;
    let _ = writeln!(
        out,
        "  \"final\": {{\"stage\": {}, \"disk_bytes\": {}, \"compressed_bytes\": {}, \"low\": {}, \"high\": {}, \"layers\": {}}},",
        image.stage.map_or_else(|| "null".to_string(), |s| s.to_string()),
        image.disk.est,
        image.compressed_bytes,
        image.disk.low,
        image.disk.high,
        image.n_layers
    );
    let _ = writeln!(
        out,
        "  \"discarded\": {{\"disk_bytes\": {}, \"low\": {}, \"high\": {}}},",
        estimate.discarded.est, estimate.discarded.low, estimate.discarded.high
    );
    out.push_str("  \"stages\": [\n");
    for (i, stage) in estimate.stages.iter().enumerate() {
        let rows: Vec<String> = stage.rows.iter().map(ToString::to_string).collect();
        let _ = write!(
            out,
            "    {{\"index\": {}, \"name\": {}, \"base\": {}, \"disk_bytes\": {}, \"compressed_bytes\": {}, \"low\": {}, \"high\": {}, \"own_bytes\": {}, \"needed\": {}, \"in_final\": {}, \"layers\": [{}]}}",
            stage.index,
            stage.name.as_deref().map_or_else(|| "null".to_string(), json_string),
            json_string(&stage.base),
            stage.disk.est,
            stage.compressed_bytes,
            stage.disk.low,
            stage.disk.high,
            stage.own.est,
            stage.needed,
            stage.in_final,
            rows.join(", ")
        );
        out.push_str(if i + 1 < estimate.stages.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    out.push_str("  ],\n  \"layers\": [\n");
    for (i, row) in estimate.rows.iter().enumerate() {
        let origin = match row.origin {
            RowOrigin::Base => "base",
            RowOrigin::Layer => "layer",
            RowOrigin::Metadata => "metadata",
        };
        let _ = write!(
            out,
            "    {{\"stage\": {}, \"line\": {}, \"created_by\": {}, \"disk_bytes\": {}, \"compressed_bytes\": {}, \"low\": {}, \"high\": {}, \"basis\": {}, \"origin\": \"{origin}\", \"image\": {}, \"span\": [{}, {}]}}",
            row.stage,
            row.line,
            json_string(&row.created_by),
            row.disk.est,
            row.compressed_bytes,
            row.disk.low,
            row.disk.high,
            json_string(&row.basis),
            row.image.as_deref().map_or_else(|| "null".to_string(), json_string),
            row.span.start,
            row.span.end
        );
        out.push_str(if i + 1 < estimate.rows.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    out.push_str("  ],\n  \"notes\": [\n");
    for (i, note) in estimate.notes.iter().enumerate() {
        let level = match note.level {
            layerlens::estimate::NoteLevel::Info => "info",
            layerlens::estimate::NoteLevel::Warning => "warning",
        };
        let _ = write!(
            out,
            "    {{\"line\": {}, \"level\": \"{level}\", \"message\": {}}}",
            index.line_col(text, note.span.start).line,
            json_string(&note.message)
        );
        out.push_str(if i + 1 < estimate.notes.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    out.push_str("  ]\n}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlens::estimate::catalog::Date;
    use layerlens::Options;

    const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

    fn seed_estimate() -> Estimate {
        let options = Options {
            context: vec![ContextFile {
                path: "hello.go".into(),
                size: 72,
                content: Some("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n".into()),
            }],
            as_of: Date::parse("2022-12-20"),
            ..Options::default()
        };
        analyze(SEED, &options).estimate
    }

    #[test]
    fn table_reads_like_docker_history() {
        let table = table(&seed_estimate(), false);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("IMAGE          CREATED BY"), "{table}");
        assert!(
            lines[1].starts_with("<missing>      CMD [\"./hello\"]"),
            "{table}"
        );
        assert!(
            lines[1].contains("0B        buildkit.dockerfile.v0"),
            "{table}"
        );
        assert!(
            lines[2].contains("RUN /bin/sh -c go build -o hello hello.go # …"),
            "{table}"
        );
        assert!(
            lines[3].contains("COPY hello.go . # buildkit") && lines[3].contains("72B"),
            "{table}"
        );
        assert!(table.contains("\nTotal: 3"), "{table}");
    }

    #[test]
    fn json_is_valid_and_carries_the_schema_fields() {
        let text = SEED;
        let json = json(&seed_estimate(), text, &LineIndex::new(text));
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        for key in ["disk_bytes", "compressed_bytes", "low", "high"] {
            assert!(value["final"][key].is_u64(), "final.{key}");
        }
        let layers = value["layers"].as_array().expect("layers");
        let build = layers
            .iter()
            .find(|l| {
                l["created_by"]
                    .as_str()
                    .is_some_and(|c| c.contains("go build"))
            })
            .expect("go build row");
        for key in [
            "stage",
            "line",
            "disk_bytes",
            "compressed_bytes",
            "low",
            "high",
        ] {
            assert!(build[key].is_u64(), "{key}");
        }
        assert!(build["basis"]
            .as_str()
            .is_some_and(|b| b.contains("Go binary")));
        assert_eq!(build["line"], 4);
        assert!(value["stages"].as_array().is_some_and(|s| s.len() == 1));
    }

    #[test]
    fn arguments_are_consistent() {
        use clap::Args as _;
        Args::augment_args(clap::Command::new("estimate")).debug_assert();
    }

    #[test]
    fn cut_matches_docker_width() {
        assert_eq!(cut("short", false), "short");
        let long = "RUN /bin/sh -c go build -o hello hello.go # buildkit";
        assert_eq!(
            cut(long, false),
            "RUN /bin/sh -c go build -o hello hello.go # …"
        );
        assert_eq!(cut(long, true), long);
    }
}
