//! Text edits: the one currency of fixes and rewrites.

use crate::span::Span;

/// Replace the bytes of `span` with `replacement` (an insertion when the span
/// is empty, a deletion when the replacement is).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// What to replace, in bytes of the original text.
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

impl Edit {
    /// Replace `span` with `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    /// Insert `text` at `offset`.
    pub fn insert(offset: u32, text: impl Into<String>) -> Self {
        Edit::replace(Span::empty(offset), text)
    }

    /// Delete `span`.
    pub fn delete(span: Span) -> Self {
        Edit::replace(span, String::new())
    }
}

/// Apply `edits` to `text`. Edits are sorted by position; an edit that
/// overlaps one already applied, or that does not fall on char boundaries
/// inside the text, is skipped (so a bad edit can never corrupt the text or
/// panic). Insertions at the same offset keep their given order.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut order: Vec<&Edit> = edits.iter().collect();
    crate::sort::by_key(&mut order, |e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for edit in order {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        let valid = start >= cursor
            && start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_sorted_and_skips_overlaps() {
        let text = "FROM a\nRUN b\n";
        let edits = [
            Edit::replace(Span::new(11, 12), "c"),
            Edit::replace(Span::new(5, 6), "x"),
            Edit::replace(Span::new(5, 7), "overlap"),
            Edit::insert(0, "# hi\n"),
        ];
        assert_eq!(apply_edits(text, &edits), "# hi\nFROM x\nRUN c\n");
    }

    #[test]
    fn rejects_out_of_range_and_split_chars() {
        let text = "é";
        let edits = [Edit::insert(1, "x"), Edit::delete(Span::new(0, 99))];
        assert_eq!(apply_edits(text, &edits), "é");
    }
}
