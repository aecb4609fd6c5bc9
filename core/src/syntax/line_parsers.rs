//! BuildKit's per-instruction argument splitters, on one logical line.
//!
//! Each function mirrors one of BuildKit's `parse*` line parsers and returns
//! values with offsets into the logical line (the parser maps them back to
//! source spans).

use super::short_str::ShortStr;
use std::borrow::Cow;

/// A value with its byte range in the logical line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LWord {
    pub value: ShortStr,
    pub start: usize,
    pub end: usize,
}

impl LWord {
    fn new(value: impl Into<ShortStr>, start: usize, end: usize) -> Self {
        LWord {
            value: value.into(),
            start,
            end,
        }
    }
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]`.
pub(crate) fn is_split_space(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Go's `unicode.IsSpace` on an ASCII byte (non-ASCII bytes never count:
/// in valid UTF-8 they are parts of a larger character).
pub(crate) fn is_ascii_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `strings.TrimSpace` on `line[start..end]`, as a new range.
pub(crate) fn trim_range(line: &str, start: usize, end: usize) -> (usize, usize) {
    // ASCII fast path: the ASCII part of Unicode's White_Space is exactly
    // Go's ASCII spaces; only a non-ASCII byte at either edge needs `trim`.
    let bytes = line.as_bytes();
    let mut s = start;
    while s < end && is_ascii_go_space(bytes[s]) {
        s += 1;
    }
    let mut e = end;
    while e > s && is_ascii_go_space(bytes[e - 1]) {
        e -= 1;
    }
    if e == s || (bytes[s].is_ascii() && bytes[e - 1].is_ascii()) {
        return (s, e);
    }
    let s = &line[start..end];
    let left = s.len() - s.trim_start().len();
    let right = s.trim_end().len();
    if right <= left {
        (start + left, start + left)
    } else {
        (start + left, start + right)
    }
}

/// BuildKit's `splitCommand` after trimming: keyword range, rest start.
pub(crate) fn split_command(line: &str, start: usize, end: usize) -> ((usize, usize), usize) {
    let (s, e) = trim_range(line, start, end);
    let bytes = line.as_bytes();
    let mut i = s;
    while i < e && !is_split_space(bytes[i]) {
        i += 1;
    }
    let cmd = (s, i);
    while i < e && is_split_space(bytes[i]) {
        i += 1;
    }
    (cmd, i)
}

/// A flag word as extracted: value text and range.
pub(crate) struct RawFlag<'a> {
    /// Borrowed from the line when BuildKit's processing left it unchanged.
    pub text: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `extractBuilderFlags`: leading `--flag` words, then where the
/// rest of the line starts. Works byte by byte like BuildKit (a non-ASCII
/// byte inside a flag becomes the Latin-1 character of that byte, as Go's
/// `string(rune(b))` does).
pub(crate) fn extract_flags(line: &str, start: usize, end: usize) -> (Vec<RawFlag<'_>>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = line.as_bytes();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    // A flag is read from the line itself until the first quote or escape
    // (the usual flag has none); only then are its bytes copied into `word`.
    let mut buffered = false;
    let mut word: Vec<u8> = Vec::new();
    let mut word_start = start;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let finish = |buffered: bool, word: &[u8], from: usize, to: usize| -> Cow<'_, str> {
        let text = if buffered { word } else { &bytes[from..to] };
        if !text.is_ascii() {
            Cow::Owned(text.iter().map(|&b| char::from(b)).collect())
        } else if buffered {
            Cow::Owned(String::from_utf8_lossy(text).into_owned())
        } else {
            Cow::Borrowed(&line[from..to])
        }
    };
    let mut pos = start;
    while pos <= end {
        let ch = if pos < end { bytes[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == end {
                return (flags, end);
            }
            if is_ascii_go_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == end || bytes[pos + 1] != b'-' {
                return (flags, pos);
            }
            phase = Phase::Word;
            word_start = pos;
            buffered = false;
            word.clear();
        }
        let current: &[u8] = if buffered {
            &word
        } else {
            &bytes[word_start..pos]
        };
        if pos == end {
            if current != b"--" && (blank_ok || !current.is_empty()) {
                flags.push(RawFlag {
                    text: finish(buffered, &word, word_start, pos),
                    start: word_start,
                    end: pos,
                });
            }
            return (flags, end);
        }
        if phase == Phase::Word {
            if is_ascii_go_space(ch) {
                phase = Phase::Spaces;
                if current == b"--" {
                    return (flags, pos);
                }
                if blank_ok || !current.is_empty() {
                    flags.push(RawFlag {
                        text: finish(buffered, &word, word_start, pos),
                        start: word_start,
                        end: pos,
                    });
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if !buffered && (ch == b'\'' || ch == b'"' || ch == b'\\') {
                buffered = true;
                word.extend_from_slice(&bytes[word_start..pos]);
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if c == b'\\' {
                if pos + 1 == end {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = bytes[pos];
            }
            if buffered {
                word.push(c);
            }
            pos += 1;
            continue;
        }
        // In a quote (always buffered).
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if c == b'\\' {
            if pos + 1 == end {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = bytes[pos];
        }
        word.push(c);
        pos += 1;
    }
    (flags, end)
}

/// BuildKit's `parseWords`: split on whitespace, keeping quotes and escapes
/// as written (they only stop a space from splitting). A word's value is
/// therefore its source text, except that an escape char at the very end of
/// the input is dropped.
pub(crate) fn parse_words(line: &str, start: usize, end: usize, escape: char) -> Vec<LWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word_start = start;
    let mut quote = '\0';
    let mut dropped_escape = 0;
    let rest = &line[start..end];
    let mut iter = rest.char_indices();
    while let Some((i, ch)) = iter.next() {
        let pos = start + i;
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                words.push(LWord::new(&line[word_start..pos], word_start, pos));
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                phase = Phase::Quote;
            } else if ch == escape && iter.next().is_none() {
                dropped_escape = ch.len_utf8();
            }
            continue;
        }
        // In a quote.
        if ch == quote {
            phase = Phase::Word;
        } else if ch == escape && quote != '\'' && iter.next().is_none() {
            dropped_escape = ch.len_utf8();
        }
    }
    if phase != Phase::Spaces {
        let value_end = end - dropped_escape;
        // A word that was only a dropped escape is empty and not a word.
        if value_end > word_start {
            words.push(LWord::new(&line[word_start..value_end], word_start, end));
        }
    }
    words
}

/// BuildKit's `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`;
/// `make(text, start, end)` builds each item.
pub(crate) fn split_whitespace_delimited_with<T>(
    line: &str,
    start: usize,
    end: usize,
    mut make: impl FnMut(&str, usize, usize) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    if start >= end {
        return out;
    }
    let bytes = line.as_bytes();
    let mut i = start;
    let mut word_start = start;
    while i < end {
        if is_split_space(bytes[i]) {
            out.push(make(&line[word_start..i], word_start, i));
            while i < end && is_split_space(bytes[i]) {
                i += 1;
            }
            word_start = i;
        } else {
            i += 1;
        }
    }
    out.push(make(&line[word_start..end], word_start, end));
    out
}

/// [`split_whitespace_delimited_with`] into [`LWord`]s.
#[cfg(test)]
pub(crate) fn split_whitespace_delimited(line: &str, start: usize, end: usize) -> Vec<LWord> {
    split_whitespace_delimited_with(line, start, end, |text, s, e| LWord::new(text, s, e))
}

/// Split `line[start..end]` at the first `[\t\v\f\r ]+` run (`reWhitespace.Split(rest, 2)`).
pub(crate) fn split_once_whitespace(
    line: &str,
    start: usize,
    end: usize,
) -> (LWord, Option<LWord>) {
    let bytes = line.as_bytes();
    let mut i = start;
    while i < end && !is_split_space(bytes[i]) {
        i += 1;
    }
    let first = LWord::new(&line[start..i], start, i);
    if i >= end {
        return (first, None);
    }
    let mut j = i;
    while j < end && is_split_space(bytes[j]) {
        j += 1;
    }
    (first, Some(LWord::new(&line[j..end], j, end)))
}

/// `HEALTHCHECK`: the first word and where the command starts.
pub(crate) fn split_health(line: &str, start: usize, end: usize) -> Option<(LWord, usize)> {
    let bytes = line.as_bytes();
    let mut sep = start;
    while sep < end && !is_ascii_go_space(bytes[sep]) {
        sep += 1;
    }
    if sep == start {
        return None;
    }
    let mut next = sep;
    while next < end && is_ascii_go_space(bytes[next]) {
        next += 1;
    }
    Some((LWord::new(&line[start..sep], start, sep), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(words: &[LWord]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let s = r#"abc="123 456" def a\ b"#;
        let words = parse_words(s, 0, s.len(), '\\');
        assert_eq!(values(&words), vec![r#"abc="123 456""#, "def", r"a\ b"]);
        assert_eq!(&s[words[1].start..words[1].end], "def");
    }

    #[test]
    fn flags_stop_at_first_non_flag() {
        let s = r#"--mount=type=cache,target="/a b" --link  src dst"#;
        let (flags, rest) = extract_flags(s, 0, s.len());
        let texts: Vec<_> = flags.iter().map(|f| &*f.text).collect();
        assert_eq!(texts, vec!["--mount=type=cache,target=/a b", "--link"]);
        assert_eq!(&s[rest..], "src dst");
    }

    #[test]
    fn whitespace_delimited() {
        let s = "a \t b";
        assert_eq!(
            values(&split_whitespace_delimited(s, 0, s.len())),
            vec!["a", "b"]
        );
    }
}
