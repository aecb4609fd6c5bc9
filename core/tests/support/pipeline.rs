//! The whole core on arbitrary bytes: shared by the fuzz target
//! (`core/fuzz/fuzz_targets/pipeline.rs`) and the regression test that
//! replays every input the fuzzer ever found (`core/tests/fuzz_regressions.rs`).
//!
//! The first two bytes choose the options (as-of date, platform, build
//! context, build args, target, runtime); the rest, read as lossy UTF-8, is
//! the Dockerfile. Besides "never panics" it checks the promises the page
//! relies on: spans inside the text and on char boundaries, tokens tiling the
//! text, row ranges ordered, fixes applying, the rewrite's edits giving its
//! output and never predicting a bigger image.

use layerlens::estimate::catalog::Date;
use layerlens::lint::lint;
use layerlens::rewrite::{rewrite, RewriteOptions, RuntimeChoice};
use layerlens::syntax::{parse, tokens};
use layerlens::{analyze, apply_edits, ContextFile, LineIndex, Options, Span};

/// Runs every entry point on `data`; panics when a promise breaks.
pub fn check(data: &[u8]) {
    let (selector, rest) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => (0, data),
    };
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();
    let options = options_for(selector, text);

    check_span_list(text, tokens(text).iter().map(|t| t.span), true);
    let parsed = parse(text);
    check_span_list(text, parsed.errors.iter().map(|e| e.span), false);

    let analysis = analyze(text, &options);
    for row in analysis.estimate.final_rows() {
        check_span(text, row.span);
        assert!(
            row.disk.low <= row.disk.high,
            "row range inverted: {:?}",
            row.disk
        );
        let _ = layerlens::estimate::docker_size(row.disk_bytes());
    }
    let _ = analysis.estimate.row_at((text.len() / 2) as u32);

    let index = LineIndex::new(text);
    for offset in [0, text.len() / 2, text.len()] {
        let offset = offset as u32;
        let _ = index.line_col(text, offset);
        let utf16 = LineIndex::utf16_of_offset(text, offset);
        let back = LineIndex::offset_of_utf16(text, utf16);
        assert!(back as usize <= text.len());
    }

    for finding in lint(text, &options) {
        check_span(text, finding.span);
        if let Some(fix) = finding.fix {
            for edit in &fix.edits {
                check_span(text, edit.span);
            }
            let fixed = apply_edits(text, &fix.edits);
            let _ = analyze(&fixed, &options);
        }
    }

    let runtime = RuntimeChoice::ALL[usize::from(selector >> 13) % RuntimeChoice::ALL.len()];
    let result = rewrite(
        text,
        &RewriteOptions {
            runtime,
            analysis: options.clone(),
        },
    );
    assert!(result.after <= result.before, "rewrite grew the image");
    for edit in &result.edits {
        check_span(text, edit.span);
    }
    assert_eq!(apply_edits(text, &result.edits), result.output);
    if !result.edits.is_empty() {
        // The rewrite is a fixed point: rewriting its output changes nothing more.
        let again = rewrite(
            &result.output,
            &RewriteOptions {
                runtime,
                analysis: options,
            },
        );
        assert!(again.after <= result.after, "second rewrite grew the image");
    }
}

/// Options drawn from the selector bits, so every branch of the options is fuzzed.
fn options_for(selector: u16, text: &str) -> Options {
    let as_of = match selector & 0b11 {
        0 => None,
        1 => Some(Date::new(2022, 12, 20)),
        2 => Some(Date::new(2019, 1, 1)),
        _ => Some(Date::new(
            2000 + (selector >> 8) % 40,
            1 + (selector >> 4) as u8 % 12,
            1 + (selector >> 2) as u8 % 28,
        )),
    };
    let mut options = Options {
        as_of,
        ..Options::default()
    };
    if selector & 0b100 != 0 {
        options.platform = Some("linux/arm64".into());
    }
    if selector & 0b1000 != 0 {
        options.context = vec![
            ContextFile {
                path: "hello.go".into(),
                size: 72,
                content: Some("package main\nfunc main() {}\n".into()),
            },
            ContextFile {
                path: "go.mod".into(),
                size: 30,
                content: Some("module x\n\ngo 1.22\n".into()),
            },
            ContextFile {
                path: "package.json".into(),
                size: 40,
                content: Some("{\"dependencies\":{\"express\":\"4\"}}".into()),
            },
            ContextFile {
                path: ".dockerignore".into(),
                size: 12,
                content: Some("*.md\n!README.md\n**/tmp\n".into()),
            },
            ContextFile {
                path: "big/data.bin".into(),
                size: u64::MAX / 3,
                content: None,
            },
        ];
    }
    if selector & 0b1_0000 != 0 {
        // Build args taken from the text itself reach odd corners of expansion.
        let word: String = text.chars().take(16).collect();
        options.build_args = vec![("VERSION".into(), word.clone()), (word, "1".into())];
    }
    if selector & 0b10_0000 != 0 {
        options.target = Some(text.split_whitespace().nth(1).unwrap_or("0").to_string());
    }
    options
}

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end, "inverted span {span:?}");
    assert!(
        span.end as usize <= text.len(),
        "span {span:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start as usize),
        "span {span:?} starts inside a char"
    );
    assert!(
        text.is_char_boundary(span.end as usize),
        "span {span:?} ends inside a char"
    );
}

fn check_span_list(text: &str, spans: impl Iterator<Item = Span>, tiles: bool) {
    let mut cursor = 0u32;
    for span in spans {
        check_span(text, span);
        if tiles {
            assert_eq!(span.start, cursor, "tokens leave a gap or overlap");
            cursor = span.end;
        }
    }
    if tiles {
        assert_eq!(cursor as usize, text.len(), "tokens stop before the end");
    }
}
