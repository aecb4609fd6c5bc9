//! Variable expansion and quote removal as BuildKit's shell lexer does it
//! for Dockerfile arguments (`ENV`, `ARG`, `COPY`, `FROM`, `WORKDIR`, …).
//!
//! A pure function over a lookup closure: the caller (the stage model)
//! decides what is in scope. Supported forms: `$VAR`, `${VAR}`,
//! `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`,
//! `${VAR:?msg}`, `${VAR?msg}`, `${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}`,
//! `${VAR%%pat}`, `${VAR/pat/repl}`, `${VAR//pat/repl}` (patterns are globs
//! with `*`, `?`, `[…]`), single and double quotes, and the escape character
//! (`\` or `` ` ``, from the `# escape=` directive).
//!
//! ```
//! use layerlens::syntax::expand::expand;
//! let env = |name: &str| (name == "V").then(|| "1.2.3".to_string());
//! assert_eq!(expand("go${V%.*}-\"$HOME x\"", '\\', &env).unwrap(), "go1.2- x");
//! ```

use std::fmt;

/// Why an expansion failed (BuildKit fails the build with the same message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn err<T>(message: impl Into<String>) -> Result<T, ExpandError> {
    Err(ExpandError {
        message: message.into(),
    })
}

/// Expand one word: variables replaced, quotes and escapes removed.
/// Unset variables expand to the empty string.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    let mut lexer = Lexer::new(word, escape, lookup, false);
    let (value, _) = lexer.stop_on(None)?;
    Ok(value)
}

/// Expand and split into words on unquoted whitespace (as BuildKit does for
/// `FROM`, `COPY` sources, `EXPOSE` …); unquoted expansions are split too.
pub fn expand_words(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ExpandError> {
    let mut lexer = Lexer::new(text, escape, lookup, true);
    lexer.stop_on(None)?;
    lexer.words.finish();
    Ok(std::mem::take(&mut lexer.words.words))
}

/// The names of the variables `word` refers to, in order (for scope and
/// unused-ARG analysis). Never fails: malformed references are skipped.
pub fn referenced_names(word: &str, escape: char) -> Vec<String> {
    let names = std::cell::RefCell::new(Vec::new());
    let lookup = |name: &str| {
        names.borrow_mut().push(name.to_string());
        None
    };
    let mut lexer = Lexer::new(word, escape, &lookup, false);
    let _ = lexer.stop_on(None);
    names.into_inner()
}

#[derive(Default)]
struct WordSplitter {
    words: Vec<String>,
    current: String,
    in_word: bool,
}

impl WordSplitter {
    fn push_char(&mut self, c: char, quoted: bool) {
        if !quoted && c.is_whitespace() {
            self.finish();
        } else {
            self.current.push(c);
            self.in_word = true;
        }
    }
    fn push_str(&mut self, s: &str, quoted: bool) {
        for c in s.chars() {
            self.push_char(c, quoted);
        }
    }
    /// A quoted empty string still makes a word (`""`).
    fn mark(&mut self) {
        self.in_word = true;
    }
    fn finish(&mut self) {
        if self.in_word {
            self.words.push(std::mem::take(&mut self.current));
            self.in_word = false;
        }
    }
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    split: bool,
    words: WordSplitter,
    depth: u32,
}

impl<'a> Lexer<'a> {
    fn new(
        text: &str,
        escape: char,
        lookup: &'a dyn Fn(&str) -> Option<String>,
        split: bool,
    ) -> Self {
        Lexer {
            chars: text.chars().collect(),
            pos: 0,
            escape,
            lookup,
            split,
            words: WordSplitter::default(),
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Read until `stop` (unquoted) or the end; returns the value and
    /// whether the stop char was found. Words are collected only at depth 0.
    fn stop_on(&mut self, stop: Option<char>) -> Result<(String, bool), ExpandError> {
        let mut out = String::new();
        let top = self.depth == 0 && self.split;
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return Ok((out, true));
            }
            self.pos += 1;
            if c == self.escape {
                let Some(next) = self.next() else { break };
                out.push(next);
                if top {
                    self.words.push_char(next, true);
                }
            } else if c == '\'' {
                let quoted = self.single_quote()?;
                if top {
                    self.words.mark();
                    self.words.push_str(&quoted, true);
                }
                out.push_str(&quoted);
            } else if c == '"' {
                let quoted = self.double_quote()?;
                if top {
                    self.words.mark();
                    self.words.push_str(&quoted, true);
                }
                out.push_str(&quoted);
            } else if c == '$' {
                let value = self.dollar()?;
                if top {
                    self.words.push_str(&value, false);
                }
                out.push_str(&value);
            } else {
                out.push(c);
                if top {
                    self.words.push_char(c, false);
                }
            }
        }
        Ok((out, false))
    }

    fn single_quote(&mut self) -> Result<String, ExpandError> {
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return err(
                        "unexpected end of statement while looking for matching single-quote",
                    )
                }
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, ExpandError> {
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return err(
                        "unexpected end of statement while looking for matching double-quote",
                    )
                }
                Some('"') => return Ok(out),
                Some('$') => {
                    self.depth += 1;
                    let value = self.dollar();
                    self.depth -= 1;
                    out.push_str(&value?);
                }
                Some(c) if c == self.escape => match self.peek() {
                    None => {}
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        self.pos += 1;
                        out.push(n);
                    }
                    Some(_) => out.push(c),
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// A name after `$`: letters, digits and `_`; a leading digit run or one
    /// special parameter character stands alone.
    fn name(&mut self) -> String {
        let mut name = String::new();
        if let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.pos += 1;
                }
                return name;
            }
            if "@*#?-$!0".contains(c) {
                self.pos += 1;
                name.push(c);
                return name;
            }
        }
        while let Some(c) = self.peek() {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    /// After a `$`: the expansion's value.
    fn dollar(&mut self) -> Result<String, ExpandError> {
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok((self.lookup)(&name).unwrap_or_default());
        }
        self.pos += 1;
        let name = self.name();
        if name.is_empty() {
            return err("bad substitution");
        }
        let Some(op) = self.next() else {
            return err("syntax error: missing '}'");
        };
        let value = (self.lookup)(&name);
        if op == '}' {
            return Ok(value.unwrap_or_default());
        }
        let colon = op == ':';
        let op = if colon {
            match self.next() {
                Some(c) => c,
                None => return err("syntax error: missing '}'"),
            }
        } else {
            op
        };
        match op {
            '-' | '+' | '?' => {
                let word = self.nested_word()?;
                let set = value.is_some();
                let present = if colon {
                    value.as_deref().is_some_and(|v| !v.is_empty())
                } else {
                    set
                };
                match op {
                    '-' => Ok(if present {
                        value.unwrap_or_default()
                    } else {
                        word
                    }),
                    '+' => Ok(if present { word } else { String::new() }),
                    _ => {
                        if present {
                            Ok(value.unwrap_or_default())
                        } else if !word.is_empty() {
                            err(format!("{name}: {word}"))
                        } else if set {
                            err(format!("{name}: is not allowed to be empty"))
                        } else {
                            err(format!("{name}: is not allowed to be unset"))
                        }
                    }
                }
            }
            '#' | '%' if !colon => {
                let longest = self.peek() == Some(op);
                if longest {
                    self.pos += 1;
                }
                let pattern = self.nested_pattern('}')?;
                let value = value.unwrap_or_default();
                Ok(if op == '#' {
                    trim_prefix(&value, &pattern, longest)
                } else {
                    trim_suffix(&value, &pattern, longest)
                })
            }
            '/' if !colon => {
                let all = self.peek() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pattern = self.nested_pattern('/')?;
                // The pattern may end at `}` with no replacement.
                let replacement = if self.chars.get(self.pos.wrapping_sub(1)) == Some(&'}') {
                    String::new()
                } else {
                    self.nested_word()?
                };
                Ok(replace(
                    &value.unwrap_or_default(),
                    &pattern,
                    &replacement,
                    all,
                ))
            }
            _ => err(format!("unsupported modifier ({op}) in substitution")),
        }
    }

    /// The word part of `${VAR:-word}` up to its `}` (expanded, quotes removed).
    fn nested_word(&mut self) -> Result<String, ExpandError> {
        if self.depth > 64 {
            return err("substitution nested too deeply");
        }
        self.depth += 1;
        let result = self.stop_on(Some('}'));
        self.depth -= 1;
        match result? {
            (word, true) => Ok(word),
            (_, false) => err("syntax error: missing '}'"),
        }
    }

    /// A glob pattern up to `stop` (or `}`), expanded but with escapes kept
    /// as pattern escapes.
    fn nested_pattern(&mut self, stop: char) -> Result<Vec<PatternItem>, ExpandError> {
        let mut items = Vec::new();
        loop {
            let Some(c) = self.next() else {
                return err("syntax error: missing '}'");
            };
            if c == stop || c == '}' {
                return Ok(items);
            }
            if c == self.escape {
                if let Some(n) = self.next() {
                    items.push(PatternItem::Literal(n));
                }
            } else if c == '$' {
                self.depth += 1;
                let value = self.dollar();
                self.depth -= 1;
                items.extend(value?.chars().map(PatternItem::Literal));
            } else if c == '\'' {
                items.extend(self.single_quote()?.chars().map(PatternItem::Literal));
            } else if c == '"' {
                items.extend(self.double_quote()?.chars().map(PatternItem::Literal));
            } else if c == '*' {
                items.push(PatternItem::Star);
            } else if c == '?' {
                items.push(PatternItem::Any);
            } else if c == '[' {
                items.push(self.bracket());
            } else {
                items.push(PatternItem::Literal(c));
            }
        }
    }

    /// A `[…]` class (a lone `[` is a literal).
    fn bracket(&mut self) -> PatternItem {
        let start = self.pos;
        let mut negate = false;
        if matches!(self.peek(), Some('!' | '^')) {
            negate = true;
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        while let Some(c) = self.next() {
            if c == ']' && !first {
                return PatternItem::Class { negate, ranges };
            }
            first = false;
            let lo = c;
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&c| c != ']') {
                let hi = self.chars[self.pos + 1];
                self.pos += 2;
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        self.pos = start;
        PatternItem::Literal('[')
    }
}

#[derive(Clone, Debug)]
enum PatternItem {
    Literal(char),
    Any,
    Star,
    Class {
        negate: bool,
        ranges: Vec<(char, char)>,
    },
}

/// True when `pattern` matches all of `text`.
fn glob_match(pattern: &[PatternItem], text: &[char]) -> bool {
    // Iterative matcher with single-star backtracking.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let step = match pattern.get(p) {
            Some(PatternItem::Star) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(PatternItem::Literal(c)) => *c == text[t],
            Some(PatternItem::Any) => true,
            Some(PatternItem::Class { negate, ranges }) => {
                ranges
                    .iter()
                    .any(|&(lo, hi)| lo <= text[t] && text[t] <= hi)
                    != *negate
            }
            None => false,
        };
        if step {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|i| matches!(i, PatternItem::Star))
}

fn trim_prefix(value: &str, pattern: &[PatternItem], longest: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut lengths: Vec<usize> = (0..=chars.len()).collect();
    if longest {
        lengths.reverse();
    }
    for n in lengths {
        if glob_match(pattern, &chars[..n]) {
            return chars[n..].iter().collect();
        }
    }
    value.to_string()
}

fn trim_suffix(value: &str, pattern: &[PatternItem], longest: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut starts: Vec<usize> = (0..=chars.len()).rev().collect();
    if longest {
        starts.reverse();
    }
    for s in starts {
        if glob_match(pattern, &chars[s..]) {
            return chars[..s].iter().collect();
        }
    }
    value.to_string()
}

fn replace(value: &str, pattern: &[PatternItem], replacement: &str, all: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i <= chars.len() {
        if (all || !replaced) && !pattern.is_empty() {
            // Longest match starting at i.
            if let Some(end) = (i + 1..=chars.len())
                .rev()
                .find(|&end| glob_match(pattern, &chars[i..end]))
            {
                out.push_str(replacement);
                replaced = true;
                i = end;
                continue;
            }
        }
        if i < chars.len() {
            out.push(chars[i]);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "A" => Some("hello".into()),
            "E" => Some(String::new()),
            "V" => Some("1.22.3".into()),
            "P" => Some("/usr/local/bin/go".into()),
            _ => None,
        }
    }

    fn x(word: &str) -> String {
        expand(word, '\\', &env).unwrap()
    }

    #[test]
    fn plain_and_braced() {
        assert_eq!(x("$A-${A}_$Z."), "hello-hello_.");
        assert_eq!(x("a$"), "a$");
        assert_eq!(x(r#"\$A '$A' "$A""#), "$A $A hello");
    }

    #[test]
    fn defaults_and_alternatives() {
        assert_eq!(x("${Z:-d}|${E:-d}|${E-d}|${Z-d}"), "d|d||d");
        assert_eq!(x("${A:+x}|${E:+x}|${E+x}|${Z+x}"), "x||x|");
        assert_eq!(x("${Z:-${A}}"), "hello");
        assert!(expand("${Z:?need Z}", '\\', &env)
            .unwrap_err()
            .message
            .contains("need Z"));
        assert!(expand("${Z", '\\', &env).is_err());
    }

    #[test]
    fn patterns() {
        assert_eq!(x("${V%.*}"), "1.22");
        assert_eq!(x("${V%%.*}"), "1");
        assert_eq!(x("${V#*.}"), "22.3");
        assert_eq!(x("${V##*.}"), "3");
        assert_eq!(x("${P##*/}"), "go");
        assert_eq!(x("${V/2/X}|${V//2/X}|${V/[0-9]./}"), "1.X2.3|1.XX.3|22.3");
    }

    #[test]
    fn quotes_and_escape_char() {
        assert_eq!(x(r#""a \"b\" \x" 'c\d'"#), r#"a "b" \x c\d"#);
        assert_eq!(expand("`$A", '`', &env).unwrap(), "$A");
        assert!(expand("'open", '\\', &env).is_err());
    }

    #[test]
    fn words_split_unquoted() {
        let w = expand_words(r#"a "b c" $A ''"#, '\\', &env).unwrap();
        assert_eq!(w, vec!["a", "b c", "hello", ""]);
        assert_eq!(referenced_names("${A:-$B} $C", '\\'), vec!["A", "B", "C"]);
    }
}
