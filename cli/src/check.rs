//! `layerlens check FILE --max-size 100MB [--max-findings N]`: a size gate
//! that runs before any build.

use crate::input;
use crate::lint::text_report;
use crate::report::{parse_size, AnalysisArgs};
use layerlens::estimate::docker_size;
use layerlens::lint::{lint, Context};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `check`.
#[derive(clap::Args)]
pub struct Args {
    /// Dockerfile to check (`-` for stdin).
    file: PathBuf,
    /// Largest acceptable predicted final image (`100MB`, `1.5GB`, `500kB`).
    #[arg(long, value_parser = parse_size)]
    max_size: u64,
    /// Most findings allowed (default: any number).
    #[arg(long)]
    max_findings: Option<usize>,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

/// Exit 0 within budget, 1 over it, 2 when the file cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let (text, options) = match input::read_with_options(&args.file, &args.analysis) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let context = Context::new(&text, &options);
    let size = context.final_bytes();
    let high = context.analysis.estimate.final_image.disk.high;
    let findings = lint(&text, &options);
    let mut failed = false;
    let name = args.file.display();
    if size > args.max_size {
        println!(
            "{name}: predicted final image {} is over the budget of {}",
            docker_size(size),
            docker_size(args.max_size)
        );
        failed = true;
    } else {
        println!(
            "{name}: predicted final image {} (up to {}) is within the budget of {}",
            docker_size(size),
            docker_size(high),
            docker_size(args.max_size)
        );
    }
    if let Some(max) = args.max_findings {
        if findings.len() > max {
            println!(
                "{name}: {} findings, more than the {max} allowed",
                findings.len()
            );
            failed = true;
        }
    }
    if failed {
        print!("{}", text_report(&args.file, &text, &findings));
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
