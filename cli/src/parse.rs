//! `layerlens parse FILE [--format buildkit|json]`.

use crate::input;
use layerlens::syntax::{self, dump};
use layerlens::LineIndex;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `parse`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// BuildKit's `(keyword ["--flags"] "args"…)` dump, one instruction per line.
    Buildkit,
    /// The tree with spans, as JSON.
    Json,
}

/// Arguments of `parse`.
#[derive(clap::Args)]
pub struct Args {
    /// Dockerfile to parse (`-` for stdin).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "buildkit")]
    format: Format,
}

/// Print the tree; exit 1 (with `file:line:col: message` on stderr) when
/// BuildKit would reject the file, 2 when it cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let text = match input::read_or_report(&args.file) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let parse = syntax::parse(&text);
    match args.format {
        Format::Buildkit => print!("{}", dump::buildkit(&parse.dockerfile)),
        Format::Json => print!("{}", dump::json(&parse)),
    }
    let index = LineIndex::new(&text);
    for error in &parse.errors {
        eprintln!(
            "{}",
            input::diagnostic(&args.file, &text, &index, error.span, &error.message)
        );
    }
    if parse.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
