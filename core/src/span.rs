//! Byte spans and the line index that turns them into line/column positions.

/// A half-open range of UTF-8 byte offsets into the analysed text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn empty(offset: u32) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no bytes.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// True when `offset` lies inside the span (end inclusive, so a caret at
    /// the end of an instruction still belongs to it).
    pub const fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// True when the two spans share at least one byte.
    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text the span covers, or `""` when it is out of range or not on
    /// char boundaries (never panics).
    pub fn text(self, source: &str) -> &str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// As a `usize` range for slicing.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A position as people count it: 1-based line, 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column in Unicode scalar values (what editors and compilers print).
    pub col: u32,
    /// 0-based column in UTF-16 code units (what the DOM counts).
    pub col_utf16: u32,
}

/// Start offsets of every line, built once per text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    /// Index the line starts of `text`. A line ends after `\n`; a lone `\r`
    /// is not a line break (BuildKit splits on `\n` only and trims `\r`).
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push((i + 1) as u32);
            }
        }
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    /// Number of lines (a trailing newline opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: u32) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based `line` starts (clamped).
    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Line and columns of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_start(line) as usize;
        let mut end = (offset.min(self.len) as usize).max(start);
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = text.get(start..end).unwrap_or("");
        LineCol {
            line: line as u32 + 1,
            col: prefix.chars().count() as u32 + 1,
            col_utf16: prefix.encode_utf16().count() as u32,
        }
    }

    /// Byte offset of a UTF-16 offset into the whole text (the DOM's
    /// `selectionStart`), clamped and snapped to a char boundary.
    pub fn offset_of_utf16(text: &str, utf16: u32) -> u32 {
        let mut units = 0u32;
        for (i, c) in text.char_indices() {
            if units >= utf16 {
                return i as u32;
            }
            units += c.len_utf16() as u32;
        }
        text.len() as u32
    }

    /// UTF-16 offset of a byte offset into the whole text (for the DOM).
    pub fn utf16_of_offset(text: &str, offset: u32) -> u32 {
        let mut end = (offset as usize).min(text.len());
        while end > 0 && !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].encode_utf16().count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_utf16() {
        let text = "# café 😀\nRUN x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let run = text.find("RUN").unwrap() as u32;
        assert_eq!(index.line_col(text, run).line, 2);
        let end_of_emoji = text.find('\n').unwrap() as u32;
        let lc = index.line_col(text, end_of_emoji);
        assert_eq!((lc.line, lc.col, lc.col_utf16), (1, 9, 9));
        // An offset inside the emoji snaps back to its start.
        let inside = end_of_emoji - 1;
        assert_eq!(index.line_col(text, inside).col, 8);
    }

    #[test]
    fn utf16_round_trip() {
        let text = "a😀é\nb";
        for (i, _) in text.char_indices() {
            let u = LineIndex::utf16_of_offset(text, i as u32);
            assert_eq!(LineIndex::offset_of_utf16(text, u), i as u32);
        }
        assert_eq!(LineIndex::offset_of_utf16(text, 999), text.len() as u32);
    }

    #[test]
    fn span_text_never_panics() {
        let text = "é";
        assert_eq!(Span::new(0, 1).text(text), "");
        assert_eq!(Span::new(0, 9).text(text), "");
        assert_eq!(Span::new(0, 2).text(text), "é");
    }
}
