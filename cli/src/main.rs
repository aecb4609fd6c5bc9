//! `layerlens`: the core's analyses for terminals and CI.
//!
//! One file per subcommand; adding one is a file with an `Args` struct and a
//! `run(args) -> ExitCode` function, plus one line in [`Command`] and one in
//! `main`.

mod check;
mod estimate;
mod input;
mod lint;
mod parse;
mod report;
mod rewrite;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// See a Docker image's size before you build it.
#[derive(Parser)]
#[command(name = "layerlens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Subcommand)]
enum Command {
    /// Parse a Dockerfile and print its tree (BuildKit's dump format or JSON).
    Parse(parse::Args),
    /// Predict `docker history`: every layer's size, its range and basis, and the total.
    Estimate(estimate::Args),
    /// Size and cache findings, each with the bytes its fix saves.
    Lint(lint::Args),
    /// Rewrite into a builder and a small runtime stage; print it (or a diff).
    Rewrite(rewrite::Args),
    /// Exit 1 when the predicted final image is over a size budget.
    Check(check::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Parse(args) => parse::run(&args),
        Command::Estimate(args) => estimate::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Rewrite(args) => rewrite::run(&args),
        Command::Check(args) => check::run(&args),
    }
}
