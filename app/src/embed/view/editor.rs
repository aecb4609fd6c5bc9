//! The editor's painted parts: highlighted text, size, bands, diagnostic.

use std::fmt::Write as _;

use layerlens::{LineIndex, Span};

use super::escape;
use crate::highlight::EditorMarks;
use crate::textarea::KEY_HINT;

/// The highlighted text behind the textarea.
pub fn highlight(marks: &EditorMarks) -> String {
    let mut out = String::new();
    for chunk in &marks.chunks {
        out.push_str("<span class=\"editor-chunk\">");
        out.push_str(chunk);
        out.push_str("</span>");
    }
    out
}

/// The editor's size in lines and columns (the `editor-code` style).
pub fn code_size(marks: &EditorMarks) -> String {
    format!("--lines:{};--cols:{}", marks.n_lines, marks.max_columns + 2)
}

/// The bands behind the text: lines the rewrite changed, and the hovered
/// row's instruction (`index` is the shown text's).
pub fn bands(index: &LineIndex, marks: &EditorMarks, hovered: Option<Span>) -> String {
    let mut out = String::new();
    for line in &marks.changed_lines {
        let _ = write!(
            out,
            "<div class=\"editor-band editor-changed\" style=\"--first:{line};--count:1\"></div>"
        );
    }
    if let Some(span) = hovered {
        let first = index.line_of(span.start);
        let last = index.line_of(span.end.saturating_sub(1).max(span.start));
        let _ = write!(
            out,
            "<div class=\"editor-band\" style=\"--first:{first};--count:{}\"></div>",
            last - first + 1
        );
    }
    out
}

/// The line under the editor: the caret line's diagnostic, a count, or (as
/// in the playground) how to leave the editor by keyboard. A read-only
/// editor keeps Tab for moving on, so it has no hint and the line is empty.
pub fn diagnostic(marks: &EditorMarks, caret_line: usize, readonly: bool) -> String {
    match marks.diagnostic_on(caret_line) {
        Some(d) => format!(
            "<span class=\"diag-marker\" aria-hidden=\"true\">●</span> Line {}: {}",
            d.line + 1,
            escape(&d.message)
        ),
        None if !marks.diagnostics.is_empty() => format!(
            "{} problem(s); move the caret to a marked line to read it.",
            marks.diagnostics.len()
        ),
        None if readonly => String::new(),
        None => KEY_HINT.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::{Derived, Inputs};
    use std::rc::Rc;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_line_under_the_editor_says_how_to_leave_it_unless_read_only() {
        let seed = Derived::new(&crate::derive::tests::seed_inputs(), || 0.0);
        assert!(seed.marks.diagnostics.is_empty());
        assert_eq!(diagnostic(&seed.marks, 0, false), KEY_HINT);
        assert_eq!(diagnostic(&seed.marks, 0, true), "");

        let inputs = Inputs {
            text: Rc::from("FROM alpine\nFROBNICATE x\n"),
            ..crate::derive::tests::seed_inputs()
        };
        let broken = Derived::new(&inputs, || 0.0);
        assert!(!broken.marks.diagnostics.is_empty());
        let at_error = diagnostic(&broken.marks, 1, true);
        assert!(at_error.contains("Line 2:"), "{at_error}");
        let elsewhere = diagnostic(&broken.marks, 0, false);
        assert!(elsewhere.contains("problem(s)"), "{elsewhere}");
    }
}
