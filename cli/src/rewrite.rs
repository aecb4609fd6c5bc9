//! `layerlens rewrite FILE [--runtime …] [--diff]`: the multi-stage rewrite.

use crate::input;
use crate::report::{unified_diff, AnalysisArgs};
use layerlens::estimate::docker_size;
use layerlens::rewrite::{rewrite_each, RuntimeChoice, RuntimeOption};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runtime base choices.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Runtime {
    /// The smallest base that runs the program.
    Auto,
    /// `FROM scratch` (static binaries).
    Scratch,
    /// gcr.io/distroless images.
    Distroless,
    /// Alpine Linux.
    Alpine,
    /// The Debian-slim variant of the language image.
    Slim,
}

impl Runtime {
    fn choice(self) -> RuntimeChoice {
        match self {
            Runtime::Auto => RuntimeChoice::Auto,
            Runtime::Scratch => RuntimeChoice::Scratch,
            Runtime::Distroless => RuntimeChoice::Distroless,
            Runtime::Alpine => RuntimeChoice::Alpine,
            Runtime::Slim => RuntimeChoice::Slim,
        }
    }
}

/// Arguments of `rewrite`.
#[derive(clap::Args)]
pub struct Args {
    /// Dockerfile to rewrite (`-` for stdin).
    file: PathBuf,
    /// The runtime base to aim for.
    #[arg(long, value_enum, default_value = "auto")]
    runtime: Runtime,
    /// Print a unified diff instead of the rewritten file.
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

/// Print the rewritten file (or diff) and the sizes on stderr. Nothing to
/// gain: the input unchanged, the reason on stderr, exit 0.
pub fn run(args: &Args) -> ExitCode {
    let (text, analysis) = match input::read_with_options(&args.file, &args.analysis) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Every runtime at once (one analysis): the chosen one is printed, the
    // others are listed for comparison.
    let all = rewrite_each(&text, &analysis, &RuntimeChoice::ALL);
    let chosen = args.runtime.choice();
    let Some(result) = RuntimeChoice::ALL
        .iter()
        .position(|choice| *choice == chosen)
        .and_then(|index| all.get(index))
    else {
        eprintln!("no rewrite was made for the runtime {}", chosen.as_str());
        return ExitCode::FAILURE;
    };
    let name = args.file.display().to_string();
    if args.diff {
        print!(
            "{}",
            unified_diff(&name, &format!("{name} (rewritten)"), &text, &result.output)
        );
    } else {
        print!("{}", result.output);
    }
    if let Some(why) = &result.refusal {
        eprintln!("nothing to do: {why} ({})", docker_size(result.before));
    } else {
        eprintln!(
            "{} → {} ({} runtime on {})",
            docker_size(result.before),
            docker_size(result.after),
            result.language.map_or("?", |l| l.as_str()),
            result.runtime_image.as_deref().unwrap_or("?")
        );
        for note in &result.notes {
            eprintln!("note: {note}");
        }
        let choices: Vec<String> = RuntimeOption::each(&all)
            .iter()
            .map(|option| {
                let image = option.image.as_deref().unwrap_or("unchanged");
                format!(
                    "{} {} ({image})",
                    option.choice.as_str(),
                    docker_size(option.after)
                )
            })
            .collect();
        eprintln!("runtimes: {}", choices.join(" · "));
    }
    ExitCode::SUCCESS
}
