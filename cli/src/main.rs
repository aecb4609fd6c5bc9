//! `layerlens`: the core's analyses for terminals and CI.
//!
//! One file per subcommand; adding one is a file with an `Args` struct and a
//! `run(args) -> ExitCode` function, plus one line in [`Command`] and one in
//! `main`.

mod input;
mod parse;

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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Parse(args) => parse::run(&args),
    }
}
