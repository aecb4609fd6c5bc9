//! `layerlens lint FILE [--format text|json|sarif]`: size and cache findings
//! with the bytes each fix saves.

use crate::input;
use crate::report::{json_string, AnalysisArgs};
use layerlens::estimate::human_size;
use layerlens::lint::{self, Finding, Safety, Savings, RULES};
use layerlens::LineIndex;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `lint`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col rule-id message (saves N MB)`, one finding a line.
    Text,
    /// A JSON array of findings with spans, savings and fixes.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// Arguments of `lint`.
#[derive(clap::Args)]
pub struct Args {
    /// Dockerfile to lint (`-` for stdin).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    analysis: AnalysisArgs,
}

/// Print the findings; exit 0 (findings are advice, `check` is the gate),
/// 2 when the file cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let (text, options) = match input::read_with_options(&args.file, &args.analysis) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let findings = lint::lint(&text, &options);
    let output = match args.format {
        Format::Text => text_report(&args.file, &text, &findings),
        Format::Json => json_report(&text, &findings),
        Format::Sarif => sarif_report(&args.file, &text, &findings),
    };
    print!("{output}");
    ExitCode::SUCCESS
}

/// `(saves 12.3 MB)` and friends.
pub fn savings_text(savings: Savings) -> String {
    match savings {
        Savings::FinalImage(0) | Savings::None => String::new(),
        Savings::FinalImage(bytes) => format!(" (saves {})", human_size(bytes)),
        Savings::Rebuild(bytes) => {
            format!(" (rebuilds {} on every source change)", human_size(bytes))
        }
        Savings::NotMeasured => " (savings not measured: large file)".to_owned(),
    }
}

/// One line per finding.
pub fn text_report(file: &Path, text: &str, findings: &[Finding]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for finding in findings {
        let at = index.line_col(text, finding.span.start);
        let _ = writeln!(
            out,
            "{}:{}:{} {} {}{}",
            file.display(),
            at.line,
            at.col,
            finding.rule,
            finding.message,
            savings_text(finding.savings)
        );
    }
    out
}

fn savings_fields(savings: Savings) -> (&'static str, u64) {
    match savings {
        Savings::FinalImage(bytes) => ("final_image", bytes),
        Savings::Rebuild(bytes) => ("rebuild", bytes),
        Savings::None => ("none", 0),
        Savings::NotMeasured => ("not_measured", 0),
    }
}

fn safety_name(safety: Safety) -> &'static str {
    match safety {
        Safety::Safe => "safe",
        Safety::Unsafe => "unsafe",
    }
}

/// The findings as a JSON array.
pub fn json_report(text: &str, findings: &[Finding]) -> String {
    let index = LineIndex::new(text);
    let items: Vec<String> = findings
        .iter()
        .map(|finding| {
            let start = index.line_col(text, finding.span.start);
            let end = index.line_col(text, finding.span.end);
            let (kind, bytes) = savings_fields(finding.savings);
            let fix = finding.fix.as_ref().map_or_else(
                || "null".to_string(),
                |fix| {
                    let edits: Vec<String> = fix
                        .edits
                        .iter()
                        .map(|e| format!("{{\"start\":{},\"end\":{},\"replacement\":{}}}", e.span.start, e.span.end, json_string(&e.replacement)))
                        .collect();
                    format!("{{\"safety\":\"{}\",\"edits\":[{}]}}", safety_name(fix.safety), edits.join(","))
                },
            );
            format!(
                "{{\"rule\":{},\"line\":{},\"col\":{},\"end_line\":{},\"end_col\":{},\"start\":{},\"end\":{},\"message\":{},\"savings\":{{\"kind\":\"{kind}\",\"bytes\":{bytes}}},\"fix\":{fix}}}",
                json_string(finding.rule),
                start.line,
                start.col,
                end.line,
                end.col,
                finding.span.start,
                finding.span.end,
                json_string(&finding.message),
            )
        })
        .collect();
    format!("[{}]\n", items.join(",\n "))
}

/// SARIF 2.1.0 (one run, the rule catalogue as the driver's rules).
pub fn sarif_report(file: &Path, text: &str, findings: &[Finding]) -> String {
    let index = LineIndex::new(text);
    let uri = json_string(&file.display().to_string().replace('\\', "/"));
    let region = |start: u32, end: u32| {
        let (a, b) = (index.line_col(text, start), index.line_col(text, end));
        format!(
            "{{\"startLine\":{},\"startColumn\":{},\"endLine\":{},\"endColumn\":{}}}",
            a.line,
            a.col_utf16 + 1,
            b.line,
            b.col_utf16 + 1
        )
    };
    let rules: Vec<String> = RULES
        .iter()
        .map(|rule| {
            format!(
                "{{\"id\":{},\"name\":{},\"shortDescription\":{{\"text\":{}}},\"fullDescription\":{{\"text\":{}}},\"help\":{{\"text\":{},\"markdown\":{}}}}}",
                json_string(rule.id),
                json_string(rule.id),
                json_string(rule.summary),
                json_string(rule.summary),
                json_string(rule.explanation),
                json_string(rule.explanation)
            )
        })
        .collect();
    let results: Vec<String> = findings
        .iter()
        .map(|finding| {
            let rule_index = RULES.iter().position(|r| r.id == finding.rule).unwrap_or(0);
            let (kind, bytes) = savings_fields(finding.savings);
            // Image bytes are a warning; build-time advice is a note.
            let level = if matches!(finding.savings, Savings::FinalImage(b) if b > 0) { "warning" } else { "note" };
            let fixes = finding.fix.as_ref().map_or_else(String::new, |fix| {
                let replacements: Vec<String> = fix
                    .edits
                    .iter()
                    .map(|e| format!("{{\"deletedRegion\":{},\"insertedContent\":{{\"text\":{}}}}}", region(e.span.start, e.span.end), json_string(&e.replacement)))
                    .collect();
                format!(
                    ",\"fixes\":[{{\"description\":{{\"text\":{}}},\"artifactChanges\":[{{\"artifactLocation\":{{\"uri\":{uri}}},\"replacements\":[{}]}}]}}]",
                    json_string(&format!("{} fix for {}", safety_name(fix.safety), finding.rule)),
                    replacements.join(",")
                )
            });
            format!(
                "{{\"ruleId\":{},\"ruleIndex\":{rule_index},\"level\":\"{level}\",\"message\":{{\"text\":{}}},\"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":{{\"uri\":{uri}}},\"region\":{}}}}}],\"properties\":{{\"savingsKind\":\"{kind}\",\"savedBytes\":{bytes}}}{fixes}}}",
                json_string(finding.rule),
                json_string(&format!("{}{}", finding.message, savings_text(finding.savings))),
                region(finding.span.start, finding.span.end),
            )
        })
        .collect();
    format!(
        "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"layerlens\",\"version\":\"{}\",\"informationUri\":\"https://example.invalid/layerlens\",\"rules\":[{}]}}}},\"columnKind\":\"utf16CodeUnits\",\"results\":[{}]}}]}}\n",
        env!("CARGO_PKG_VERSION"),
        rules.join(","),
        results.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

    fn findings() -> Vec<Finding> {
        lint::lint(SEED, &layerlens::Options::default())
    }

    #[test]
    fn text_lines_name_file_position_rule_and_savings() {
        let report = text_report(Path::new("Dockerfile"), SEED, &findings());
        let toolchain = report
            .lines()
            .find(|l| l.contains("single-stage-toolchain"))
            .expect(&report);
        assert!(
            toolchain.starts_with("Dockerfile:1:1 single-stage-toolchain "),
            "{toolchain}"
        );
        assert!(
            toolchain.contains("(saves ") && toolchain.ends_with("MB)"),
            "{toolchain}"
        );
    }

    #[test]
    fn json_parses() {
        let value: Value = serde_json::from_str(&json_report(SEED, &findings())).unwrap();
        let first = &value.as_array().unwrap()[0];
        for key in ["rule", "line", "col", "message", "savings", "fix"] {
            assert!(first.get(key).is_some(), "{key} missing in {first}");
        }
    }

    /// The fields SARIF 2.1.0 requires (and the ones code-scanning
    /// services read), checked on the parsed document.
    #[test]
    fn sarif_has_the_required_structure() {
        let value: Value = serde_json::from_str(&sarif_report(
            Path::new("dir/Dockerfile"),
            SEED,
            &findings(),
        ))
        .unwrap();
        assert_eq!(value["version"], "2.1.0");
        assert!(value["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let runs = value["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "layerlens");
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        for rule in rules {
            assert!(rule["id"].is_string() && rule["shortDescription"]["text"].is_string());
        }
        let results = runs[0]["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for result in results {
            let id = result["ruleId"].as_str().unwrap();
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
            assert!(result["message"]["text"].is_string());
            assert!(
                ["none", "note", "warning", "error"].contains(&result["level"].as_str().unwrap())
            );
            let location = &result["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uri"], "dir/Dockerfile");
            let region = &location["region"];
            assert!(
                region["startLine"].as_u64().unwrap() >= 1
                    && region["startColumn"].as_u64().unwrap() >= 1
            );
            if let Some(fixes) = result.get("fixes") {
                let change = &fixes[0]["artifactChanges"][0];
                assert!(change["artifactLocation"]["uri"].is_string());
                for replacement in change["replacements"].as_array().unwrap() {
                    assert!(replacement["deletedRegion"]["startLine"].is_u64());
                }
            }
        }
    }
}
