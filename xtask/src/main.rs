//! `cargo xtask`: the project's own commands.
//!
//! - `serve [--port N]`: install what is missing, then build and serve the
//!   playground with Trunk at http://127.0.0.1:8080.
//! - `dist`: release build into `dist/` (playground, other pages, `embed.js`)
//!   with a size report.
//! - `test`: every check CI runs, ending with one summary line.
//! - `bench`: the criterion benchmarks of the core (parser MB/s against
//!   `parse-dockerfile`, the seed's whole analysis); in-browser timings are
//!   printed by the end-to-end suite.
//! - `fuzz [SECONDS]`: coverage-guided fuzzing of the whole core (cargo-fuzz).

mod dist;
mod fuzz;
mod pages;
mod steps;
mod test;
mod tools;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tools::Toolbox;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N]   build and serve the playground at http://127.0.0.1:8080
  dist               release build into dist/, printing every file's size
  test               every check CI runs (what .ci/run does)
  bench              criterion benchmarks of the core (parse MB/s, seed analysis)
  fuzz [SECONDS]     fuzz the whole core with libFuzzer (default 300 s)";

/// A failure with the message to show.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let toolbox = Toolbox::new(workspace_root());
    let result = match args.first().map(String::as_str) {
        Some("serve") => port_option(&args[1..]).and_then(|port| serve(&toolbox, port)),
        Some("dist") => dist::build(&toolbox).map(drop),
        Some("test") => return test::run_all(&toolbox),
        Some("bench") => run(toolbox
            .command("cargo")
            .args(["bench", "--package", "layerlens"])
            .args(&args[1..])),
        Some("fuzz") => fuzz::run_fuzz(&toolbox, &args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn port_option(args: &[String]) -> Result<u16, Error> {
    match args {
        [] => Ok(8080),
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| Error::new(format!("--port needs a number, got {port:?}"))),
        [single] if single.starts_with("--port=") => single["--port=".len()..]
            .parse()
            .map_err(|_| Error::new(format!("--port needs a number, got {single:?}"))),
        _ => Err(Error::new(format!(
            "unexpected arguments {args:?}\n\n{USAGE}"
        ))),
    }
}

/// Builds the playground (debug) and serves it with Trunk, rebuilding on change.
fn serve(toolbox: &Toolbox, port: u16) -> Result<(), Error> {
    toolbox.ensure_web_tools()?;
    fetch_crates(toolbox)?;
    println!("serving the playground at http://127.0.0.1:{port}/ (Ctrl-C to stop)…");
    run(toolbox
        .command("trunk")
        .args(["serve", "--offline=true", "--skip-version-check"])
        .args(["--address", "127.0.0.1", "--port", &port.to_string()])
        // Trunk.toml's relative public URL is for dist/; a server root is `/`.
        .args(["--public-url", "/"])
        // A debug build of its own, so serving never overwrites the release
        // build in dist/.
        .arg("--dist")
        .arg(toolbox.root.join("target").join("serve")))
}

/// Downloads every crate in Cargo.lock (for all targets), so the offline
/// Trunk build that follows finds them. A no-op once they are cached.
pub fn fetch_crates(toolbox: &Toolbox) -> Result<(), Error> {
    run(toolbox.command("cargo").arg("fetch"))
}

/// Runs `command`, echoing it first; fails unless it exits with success.
pub fn run(command: &mut Command) -> Result<(), Error> {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| Error::new(format!("cannot start `{}`: {e}", describe(command))))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "`{}` failed ({status})",
            describe(command)
        )))
    }
}

/// A shell-like rendering of `command` for logs.
pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// The text of `path`, or an error naming it.
pub fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::port_option;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn port_defaults_to_8080_and_accepts_both_spellings() {
        assert_eq!(port_option(&args(&[])).ok(), Some(8080));
        assert_eq!(port_option(&args(&["--port", "9000"])).ok(), Some(9000));
        assert_eq!(port_option(&args(&["--port=9001"])).ok(), Some(9001));
        assert!(port_option(&args(&["--port", "http"])).is_err());
        assert!(port_option(&args(&["--verbose"])).is_err());
    }
}
