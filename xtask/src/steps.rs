//! Numbered steps with headers, timings and one summary line at the end.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::{describe, Error};

/// Test counts summed over every `test result:` line seen.
#[derive(Default)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts from a libtest (or wasm-bindgen-test) summary line
    /// such as `test result: ok. 12 passed; 0 failed; 1 ignored; …`.
    fn add_summary_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            let (Some(number), Some(label)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.ignored += number,
                _ => {}
            }
        }
    }
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

/// The steps of one `cargo xtask test` run.
pub struct Steps {
    total: usize,
    records: Vec<(String, Outcome, Duration)>,
    pub tests: TestCounts,
    started: Instant,
}

impl Steps {
    pub fn new(total: usize) -> Self {
        Self {
            total,
            records: Vec::new(),
            tests: TestCounts::default(),
            started: Instant::now(),
        }
    }

    /// Runs one step under a numbered header; returns whether it passed.
    pub fn run(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut TestCounts) -> Result<(), Error>,
    ) -> bool {
        println!("\n==> [{}/{}] {name}", self.records.len() + 1, self.total);
        let started = Instant::now();
        let outcome = match body(&mut self.tests) {
            Ok(()) => Outcome::Passed,
            Err(e) => {
                println!("FAILED: {name}: {e}");
                Outcome::Failed(e.to_string())
            }
        };
        let passed = matches!(outcome, Outcome::Passed);
        self.records
            .push((name.to_owned(), outcome, started.elapsed()));
        passed
    }

    /// Records a step that cannot run because an earlier one failed.
    pub fn skip(&mut self, name: &str, reason: &str) {
        println!(
            "\n==> [{}/{}] {name}: skipped ({reason})",
            self.records.len() + 1,
            self.total
        );
        self.records.push((
            name.to_owned(),
            Outcome::Skipped(reason.to_owned()),
            Duration::ZERO,
        ));
    }

    /// Prints the per-step table and the summary line; the exit code says
    /// whether everything passed.
    pub fn finish(self) -> ExitCode {
        let width = self
            .records
            .iter()
            .map(|(name, ..)| name.len())
            .max()
            .unwrap_or(0);
        println!("\nxtask test steps:");
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for (name, outcome, elapsed) in &self.records {
            let (word, detail) = match outcome {
                Outcome::Passed => {
                    passed += 1;
                    ("ok", String::new())
                }
                Outcome::Failed(why) => {
                    failed += 1;
                    ("FAILED", format!("  {}", first_line(why)))
                }
                Outcome::Skipped(why) => {
                    skipped += 1;
                    ("skipped", format!("  {why}"))
                }
            };
            println!("  {name:<width$}  {word:<7} {:>8}{detail}", clock(*elapsed));
        }
        let tests = &self.tests;
        let skipped_note = if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        };
        println!(
            "xtask test: {passed} steps passed, {failed} failed{skipped_note}; tests: {} passed, {} failed, {} ignored; {}",
            tests.passed,
            tests.failed,
            tests.ignored,
            clock(self.started.elapsed())
        );
        if failed == 0 && skipped == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// `1m05s` / `12.3s`.
pub fn clock(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if seconds >= 60.0 {
        format!("{}m{:02}s", elapsed.as_secs() / 60, elapsed.as_secs() % 60)
    } else {
        format!("{seconds:.1}s")
    }
}

/// Runs a test command, echoing its output and adding its `test result:`
/// lines to `counts`.
pub fn run_counting(command: &mut Command, counts: &mut TestCounts) -> Result<(), Error> {
    println!("$ {}", describe(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot start `{}`: {e}", describe(command))))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            counts.add_summary_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::new(format!("`{}`: {e}", describe(command))))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "`{}` failed ({status})",
            describe(command)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::{clock, TestCounts};
    use std::time::Duration;

    #[test]
    fn sums_libtest_and_wasm_bindgen_test_summaries() {
        let mut counts = TestCounts::default();
        counts.add_summary_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        counts.add_summary_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out; finished in 1.20s",
        );
        counts.add_summary_line("running 5 tests");
        counts.add_summary_line("test parse::passed ... ok");
        assert_eq!((counts.passed, counts.failed, counts.ignored), (15, 2, 1));
    }

    #[test]
    fn clock_reads_like_a_stopwatch() {
        assert_eq!(clock(Duration::from_millis(12_340)), "12.3s");
        assert_eq!(clock(Duration::from_secs(65)), "1m05s");
    }
}
