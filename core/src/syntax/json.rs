//! The exec-form JSON array reader, with Go's `encoding/json` acceptance rules.

use super::line_parsers::LWord;

/// What reading `["a", "b"]` gave.
pub(crate) enum JsonArray {
    /// Valid JSON array of strings: values with ranges of their literals.
    Strings(Vec<LWord>),
    /// Valid JSON, but an element is not a string (BuildKit rejects the file).
    NotStrings,
    /// Not valid JSON (BuildKit falls back to shell form).
    Invalid,
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    end: usize,
}

/// Read `line[start..end]` as a JSON array of strings.
pub(crate) fn parse_json_array(line: &str, start: usize, end: usize) -> JsonArray {
    let mut start = start;
    // BuildKit trims leading Unicode whitespace, then needs a `[`.
    let trimmed = line[start..end].trim_start();
    start = end - trimmed.len();
    if !trimmed.starts_with('[') {
        return JsonArray::Invalid;
    }
    let mut reader = Reader {
        bytes: line.as_bytes(),
        text: line,
        pos: start,
        end,
    };
    let mut items = Vec::new();
    let mut all_strings = true;
    reader.pos += 1;
    reader.skip_ws();
    if reader.peek() == Some(b']') {
        reader.pos += 1;
    } else {
        loop {
            reader.skip_ws();
            let item_start = reader.pos;
            if reader.peek() == Some(b'"') {
                match reader.string() {
                    Some(value) => items.push(LWord {
                        value: value.into(),
                        start: item_start,
                        end: reader.pos,
                    }),
                    None => return JsonArray::Invalid,
                }
            } else {
                if !reader.value() {
                    return JsonArray::Invalid;
                }
                all_strings = false;
            }
            reader.skip_ws();
            match reader.peek() {
                Some(b',') => reader.pos += 1,
                Some(b']') => {
                    reader.pos += 1;
                    break;
                }
                _ => return JsonArray::Invalid,
            }
        }
    }
    reader.skip_ws();
    if reader.pos != reader.end {
        return JsonArray::Invalid;
    }
    if all_strings {
        JsonArray::Strings(items)
    } else {
        JsonArray::NotStrings
    }
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        if self.pos < self.end {
            Some(self.bytes[self.pos])
        } else {
            None
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Any JSON value; true when well formed.
    fn value(&mut self) -> bool {
        self.value_depth(0)
    }

    fn value_depth(&mut self, depth: u32) -> bool {
        if depth > 512 {
            return false;
        }
        self.skip_ws();
        match self.peek() {
            Some(b'"') => self.string().is_some(),
            Some(b'[') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return true;
                }
                loop {
                    if !self.value_depth(depth + 1) {
                        return false;
                    }
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return true;
                }
                loop {
                    self.skip_ws();
                    if self.peek() != Some(b'"') || self.string().is_none() {
                        return false;
                    }
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.pos += 1;
                    if !self.value_depth(depth + 1) {
                        return false;
                    }
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        if self.text[self.pos..self.end].starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> bool {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return false;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return false;
            }
        }
        true
    }

    fn hex4(&mut self) -> Option<u32> {
        let s = self.text.get(self.pos..self.pos + 4)?;
        if self.pos + 4 > self.end || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(s, 16).ok()
    }

    /// A string literal starting at `"`; its decoded value.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..self.end];
            let stop = rest.find(|c: char| c == '"' || c == '\\' || (c as u32) < 0x20)?;
            out.push_str(&rest[..stop]);
            self.pos += stop;
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let c = self.peek()?;
                    self.pos += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair, or U+FFFD when the low half is missing (as Go does).
                                let save = self.pos;
                                if self.text[self.pos..self.end].starts_with("\\u") {
                                    self.pos += 2;
                                    if let Some(lo) = self.hex4() {
                                        if (0xDC00..0xE000).contains(&lo) {
                                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                            continue;
                                        }
                                    }
                                }
                                self.pos = save;
                                out.push('\u{FFFD}');
                            } else {
                                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Option<Vec<String>> {
        match parse_json_array(s, 0, s.len()) {
            JsonArray::Strings(items) => {
                Some(items.into_iter().map(|w| String::from(w.value)).collect())
            }
            _ => None,
        }
    }

    #[test]
    fn reads_string_arrays() {
        assert_eq!(
            strings(r#"[ "a", "b\n\u00e9" ]"#).unwrap(),
            vec!["a", "b\né"]
        );
        assert_eq!(strings("[]").unwrap(), Vec::<String>::new());
        assert!(strings(r#"["a",]"#).is_none());
        assert!(strings(r"['a']").is_none());
    }

    #[test]
    fn non_strings_are_reported() {
        assert!(matches!(
            parse_json_array(r#"["a", 1.5e3]"#, 0, 12),
            JsonArray::NotStrings
        ));
        let nested = r#"[ "echo", [ "nested json" ] ]"#;
        assert!(matches!(
            parse_json_array(nested, 0, nested.len()),
            JsonArray::NotStrings
        ));
    }
}
