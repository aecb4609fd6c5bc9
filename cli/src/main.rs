//! `layerlens`: the core's analyses for terminals and CI.

use clap::Parser;

/// See a Docker image's size before you build it.
#[derive(Parser)]
#[command(name = "layerlens", version, about)]
struct Cli {
    /// Dockerfile to read.
    file: std::path::PathBuf,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match std::fs::read_to_string(&cli.file) {
        Ok(text) => {
            let index = layerlens::LineIndex::new(&text);
            println!("{} lines", index.line_count());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", cli.file.display());
            std::process::ExitCode::from(2)
        }
    }
}
