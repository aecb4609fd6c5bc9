//! What the editor paints behind the textarea: highlighted HTML built as one
//! string (the browser parses it natively, far faster than diffing thousands
//! of virtual nodes per keystroke), the gutter, and the diagnostics.

use std::fmt::Write as _;
use std::rc::Rc;

use layerlens::{LineIndex, Span};
use yew::AttrValue;

/// Lines per painted chunk.
pub const CHUNK_LINES: usize = 40;

/// One diagnostic shown in the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where, in bytes.
    pub span: Span,
    /// 0-based line of `span.start`.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Everything the editor paints for one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditorMarks {
    /// Highlighted HTML of the text in chunks of [`CHUNK_LINES`] lines
    /// (escaped, one `<span>` per token). Typing inside a line changes one
    /// chunk, so the browser re-parses only that one.
    pub chunks: Vec<AttrValue>,
    /// Diagnostics, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// 0-based lines to mark as changed (by the rewrite).
    pub changed_lines: Vec<usize>,
    /// Number of lines.
    pub n_lines: usize,
    /// Longest line, in chars (sizes the textarea when lines do not wrap).
    pub max_columns: usize,
}

impl EditorMarks {
    /// Paint `text` from its `tokens` (span + CSS class, tiling or not) and
    /// `errors` (span + message).
    pub fn new<'a>(
        text: &str,
        tokens: impl IntoIterator<Item = (Span, &'a str)>,
        errors: impl IntoIterator<Item = (Span, String)>,
    ) -> Self {
        let index = LineIndex::new(text);
        let diagnostics: Vec<Diagnostic> = errors
            .into_iter()
            .map(|(span, message)| Diagnostic {
                span,
                line: index.line_of(span.start),
                message,
            })
            .collect();
        let tokens: Vec<(Span, &str)> = tokens.into_iter().collect();
        let diag_spans = underlines(text, &diagnostics);
        let n_lines = index.line_count();
        let mut chunks = Vec::with_capacity(n_lines / CHUNK_LINES + 1);
        let mut first_line = 0;
        while first_line < n_lines {
            let start = index.line_start(first_line);
            let end = index.line_start(first_line + CHUNK_LINES);
            let mut html = paint(text, &tokens, &diag_spans, Span::new(start, end));
            if first_line + CHUNK_LINES >= n_lines {
                // A trailing newline needs one more line box to match the textarea.
                html.push('\n');
            }
            chunks.push(AttrValue::from(html));
            first_line += CHUNK_LINES;
        }
        let max_columns = text
            .split('\n')
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0);
        EditorMarks {
            chunks,
            diagnostics,
            changed_lines: Vec::new(),
            n_lines: index.line_count(),
            max_columns,
        }
    }

    /// These marks with `changed` (0-based lines) marked as changed by the
    /// rewrite; the same marks when there are none.
    pub fn with_changed_lines(self: &Rc<Self>, changed: Vec<usize>) -> Rc<Self> {
        if changed.is_empty() {
            return self.clone();
        }
        Rc::new(EditorMarks {
            changed_lines: changed,
            ..(**self).clone()
        })
    }

    /// The whole highlighted HTML (the chunks joined).
    pub fn html(&self) -> String {
        self.chunks.iter().map(AttrValue::as_str).collect()
    }

    /// The first diagnostic on 0-based `line`.
    pub fn diagnostic_on(&self, line: usize) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.line == line)
    }

    /// The gutter's HTML: one line number per line; lines with a diagnostic
    /// carry a marker and the message as a tooltip, changed lines a class.
    pub fn gutter_html(&self) -> String {
        let mut out = String::with_capacity(self.n_lines * 8);
        for line in 0..self.n_lines {
            let changed = self.changed_lines.binary_search(&line).is_ok();
            match self.diagnostic_on(line) {
                Some(diagnostic) => {
                    out.push_str("<span class=\"ln ln-error");
                    if changed {
                        out.push_str(" ln-changed");
                    }
                    out.push_str("\" title=\"");
                    escape_into(&mut out, &diagnostic.message);
                    let _ = writeln!(out, "\">{}</span>", line + 1);
                }
                None if changed => {
                    let _ = writeln!(out, "<span class=\"ln ln-changed\">{}</span>", line + 1);
                }
                None => {
                    let _ = writeln!(out, "{}", line + 1);
                }
            }
        }
        out
    }
}

/// Escape `text` for HTML text and attribute values.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// `offset` clamped to the text and moved back to a char boundary.
fn snap(text: &str, offset: u32) -> u32 {
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset as u32
}

/// Diagnostic spans as underlined: at least one character, so an error at
/// the end of a line shows.
fn underlines(text: &str, diagnostics: &[Diagnostic]) -> Vec<Span> {
    diagnostics
        .iter()
        .map(|d| {
            let end = if d.span.is_empty() {
                d.span.start + 1
            } else {
                d.span.end
            };
            Span::new(snap(text, d.span.start), snap(text, end))
        })
        .collect()
}

/// Paint `range` of the text: cut it at every token and underline boundary
/// and wrap each piece in a span with its token class (and `diag` inside an
/// underline). `tokens` are in text order.
fn paint(text: &str, tokens: &[(Span, &str)], diag_spans: &[Span], range: Span) -> String {
    let mut out = String::with_capacity(range.len() as usize * 3);
    let emit = |out: &mut String, from: u32, to: u32, class: &str| {
        // Split the piece at underline boundaries.
        let mut cuts = vec![from, to];
        for span in diag_spans {
            for edge in [span.start, span.end] {
                if edge > from && edge < to {
                    cuts.push(edge);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let piece = Span::new(pair[0], pair[1]);
            let body = piece.text(text);
            if body.is_empty() {
                continue;
            }
            let in_diag = diag_spans.iter().any(|d| d.overlaps(piece));
            if class.is_empty() && !in_diag {
                escape_into(out, body);
                continue;
            }
            out.push_str("<span class=\"");
            if !class.is_empty() {
                out.push_str("t-");
                out.push_str(class);
            }
            if in_diag {
                out.push_str(if class.is_empty() { "diag" } else { " diag" });
            }
            out.push_str("\">");
            escape_into(out, body);
            out.push_str("</span>");
        }
    };
    let mut cursor = range.start;
    let first = tokens.partition_point(|(span, _)| span.end <= range.start);
    for &(span, class) in &tokens[first..] {
        if span.start >= range.end {
            break;
        }
        let start = snap(text, span.start).max(range.start);
        let end = snap(text, span.end).min(range.end);
        if start < cursor || end <= start {
            continue;
        }
        if start > cursor {
            emit(&mut out, cursor, start, "");
        }
        let plain = matches!(class, "whitespace" | "newline" | "text");
        emit(&mut out, start, end, if plain { "" } else { class });
        cursor = end;
    }
    if cursor < range.end {
        emit(&mut out, cursor, range.end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn paints_tokens_escaped_with_diagnostics() {
        let text = "FROM a<b\nFOO x\n";
        let tokens = [
            (Span::new(0, 4), "keyword"),
            (Span::new(4, 5), "whitespace"),
            (Span::new(5, 8), "text"),
            (Span::new(8, 9), "newline"),
            (Span::new(9, 12), "error"),
        ];
        let marks = EditorMarks::new(
            text,
            tokens,
            [(Span::new(9, 14), "unknown instruction FOO".to_owned())],
        );
        assert_eq!(
            marks.html(),
            "<span class=\"t-keyword\">FROM</span> a&lt;b\n<span class=\"t-error diag\">FOO</span><span class=\"diag\"> x</span>\n\n"
        );
        assert_eq!(marks.n_lines, 3);
        assert_eq!(marks.max_columns, 8);
        assert_eq!(marks.diagnostic_on(1).map(|d| d.line), Some(1));
        assert!(marks
            .gutter_html()
            .contains("title=\"unknown instruction FOO\">2</span>"));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn painted_text_is_the_input() {
        let text = "# café 😀 <&>\nRUN \"x\"";
        let marks = EditorMarks::new(
            text,
            [(Span::new(0, 9), "comment"), (Span::new(99, 120), "bad")],
            [],
        );
        let mut stripped = String::new();
        let mut in_tag = false;
        for c in marks.html().chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => stripped.push(c),
                _ => {}
            }
        }
        let unescaped = stripped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(unescaped, format!("{text}\n"));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn typing_inside_a_line_changes_one_chunk() {
        let mut text = String::new();
        for i in 0..200 {
            let _ = writeln!(text, "RUN echo {i}");
        }
        let tokens = |text: &str| {
            let parse = layerlens::syntax::parse(text);
            parse
                .dockerfile
                .tokens
                .iter()
                .map(|t| (t.span, t.kind.css_class()))
                .collect::<Vec<_>>()
        };
        let before = EditorMarks::new(&text, tokens(&text), []);
        assert_eq!(before.chunks.len(), 200 / CHUNK_LINES + 1);
        let edited = text.replacen("echo 100", "echo 1000", 1);
        let after = EditorMarks::new(&edited, tokens(&edited), []);
        let changed = before
            .chunks
            .iter()
            .zip(&after.chunks)
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed, 1);
        assert_eq!(
            after
                .html()
                .replace("<span class=\"t-keyword\">", "")
                .replace("</span>", ""),
            format!("{edited}\n")
        );
    }
}
