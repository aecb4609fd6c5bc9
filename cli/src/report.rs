//! Shared by `lint`, `rewrite` and `check`: analysis options from flags,
//! sizes from text, JSON strings, and a line diff.

use layerlens::estimate::catalog::Date;
use layerlens::Options;
use std::fmt::Write as _;

/// Flags every size-aware subcommand takes.
#[derive(clap::Args, Clone, Default)]
pub struct AnalysisArgs {
    /// `--build-arg KEY=VALUE` (repeatable).
    #[arg(long = "build-arg", value_name = "KEY=VALUE")]
    pub build_args: Vec<String>,
    /// Estimate the image as of this date (`YYYY-MM-DD`): floating tags mean
    /// what they meant then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Target platform, e.g. `linux/arm64`.
    #[arg(long)]
    pub platform: Option<String>,
    /// Build context directory (file sizes, small manifests, `.dockerignore`).
    #[arg(long, value_name = "DIR")]
    pub context: Option<std::path::PathBuf>,
}

impl AnalysisArgs {
    /// The core's options, or a message saying which flag is wrong.
    pub fn options(&self) -> Result<Options, String> {
        let mut options = Options::default();
        for pair in &self.build_args {
            let (key, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
            options
                .build_args
                .push((key.to_string(), value.to_string()));
        }
        if let Some(date) = &self.as_of {
            options.as_of =
                Some(Date::parse(date).ok_or_else(|| format!("--as-of: not a date: {date}"))?);
        }
        options.platform.clone_from(&self.platform);
        if let Some(dir) = &self.context {
            options.context = crate::estimate::read_context(dir)?;
        }
        Ok(options)
    }
}

/// `100MB`, `1.5GB`, `500kB`, `2GiB`, `1234` (bytes) → bytes. Units are
/// decimal as Docker prints them; `KiB`/`MiB`/`GiB` are binary.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("not a size: {text}"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "unknown size unit in {text} (use B, kB, MB, GB, KiB, MiB, GiB)"
            ))
        }
    };
    Ok((number * factor).round() as u64)
}

/// `"text"` with JSON escapes (the parser's JSON dump writes strings the same way).
pub use layerlens::syntax::dump::json_str as json_string;

/// A unified diff of two texts (whole-file hunks with 3 lines of context).
pub fn unified_diff(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    // Longest common subsequence table, from the end.
    let mut lcs = vec![vec![0u32; new_lines.len() + 1]; old_lines.len() + 1];
    for i in (0..old_lines.len()).rev() {
        for j in (0..new_lines.len()).rev() {
            lcs[i][j] = if old_lines[i] == new_lines[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (kind, old index, new index, line)
    let mut ops: Vec<(char, usize, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old_lines.len() || j < new_lines.len() {
        if i < old_lines.len() && j < new_lines.len() && old_lines[i] == new_lines[j] {
            ops.push((' ', i, j, old_lines[i]));
            i += 1;
            j += 1;
        } else if i < old_lines.len() && (j == new_lines.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i, j, old_lines[i]));
            i += 1;
        } else {
            ops.push(('+', i, j, new_lines[j]));
            j += 1;
        }
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let context = 3;
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.0 != ' ')
        .map(|(k, _)| k)
        .collect();
    let mut next = 0;
    while next < changed.len() {
        let start = changed[next].saturating_sub(context);
        let mut end = changed[next];
        while next < changed.len() && changed[next] <= end + 2 * context {
            end = changed[next];
            next += 1;
        }
        let end = (end + context + 1).min(ops.len());
        let hunk = &ops[start..end];
        let old_len = hunk.iter().filter(|op| op.0 != '+').count();
        let new_len = hunk.iter().filter(|op| op.0 != '-').count();
        let old_start = hunk.first().map_or(0, |op| op.1) + usize::from(old_len > 0);
        let new_start = hunk.first().map_or(0, |op| op.2) + usize::from(new_len > 0);
        let _ = writeln!(out, "@@ -{old_start},{old_len} +{new_start},{new_len} @@");
        for (kind, _, _, line) in hunk {
            out.push(*kind);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert_eq!(parse_size("72"), Ok(72));
        assert!(parse_size("12 parsecs").is_err());
    }

    #[test]
    fn diff_marks_changes() {
        let diff = unified_diff(
            "a",
            "b",
            "FROM x\nRUN y\nCMD z\n",
            "FROM x AS build\nRUN y\nFROM s\nCMD z\n",
        );
        assert!(diff.contains("-FROM x\n+FROM x AS build\n"), "{diff}");
        assert!(!diff.contains("-RUN y"), "{diff}");
        assert!(diff.contains("+FROM s\n"), "{diff}");
        assert!(
            diff.starts_with("--- a\n+++ b\n@@ -1,3 +1,4 @@\n"),
            "{diff}"
        );
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json_string("a\"b\\\n"), "\"a\\\"b\\\\\\n\"");
    }
}
