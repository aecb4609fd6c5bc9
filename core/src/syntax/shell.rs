//! `RUN` as shell commands, split once so rules ask questions of commands
//! instead of matching strings.
//!
//! This is a POSIX-shell word splitter, not a shell: it splits on `&&`,
//! `||`, `;`, `|`, `&`, newlines, subshell parentheses and braces, unquotes
//! words (`'…'`, `"…"`, backslash escapes), keeps `$(…)`, `${…}` and
//! backquotes inside the word as written, and sets redirections aside.

use super::short_str::ShortStr;
use crate::span::Span;

/// One word of a shell command, unquoted, with its source span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// The word with quotes and backslash escapes removed (variables not expanded).
    pub text: ShortStr,
    /// The source bytes of the word as written (quotes included).
    pub span: Span,
}

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Connector {
    /// First command, or after `;`, `&` or a newline.
    Sequence,
    /// After `&&`.
    And,
    /// After `||`.
    Or,
    /// After `|`.
    Pipe,
}

/// One simple command: `name args… [redirections]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// The program (`apt-get`, `/usr/bin/pip`, …).
    pub name: ShellWord,
    /// The words after the name, in order (flags included).
    pub args: Vec<ShellWord>,
    /// The args that are flags (start with `-`, before a `--`).
    pub flags: Vec<ShellWord>,
    /// Leading `NAME=value` assignments.
    pub assignments: Vec<ShellWord>,
    /// Redirections (`>`, `2>&1`, `<<EOF` …) with their targets, as written.
    pub redirects: Vec<ShellWord>,
    /// How this command is joined to the previous one.
    pub connector: Connector,
    /// From the first word to the last.
    pub span: Span,
}

impl ShellCommand {
    /// The program name without its directory (`/usr/bin/apt-get` → `apt-get`).
    pub fn program(&self) -> &str {
        let name = self.name.text.as_str();
        name.rsplit('/').next().unwrap_or(name)
    }

    /// True when the program is `name` and, if `sub` is not empty, the first
    /// positional argument is `sub`: `cmd.is("apt-get", "install")`.
    pub fn is(&self, name: &str, sub: &str) -> bool {
        self.program() == name && (sub.is_empty() || self.subcommand() == Some(sub))
    }

    /// The first argument that is not a flag.
    pub fn subcommand(&self) -> Option<&str> {
        self.positional().next().map(|w| w.text.as_str())
    }

    /// The arguments that are not flags.
    pub fn positional(&self) -> impl Iterator<Item = &ShellWord> {
        let mut after_dashdash = false;
        self.args.iter().filter(move |w| {
            if after_dashdash {
                return true;
            }
            let text = w.text.as_bytes();
            if text == b"--" {
                after_dashdash = true;
                return false;
            }
            !(text.first() == Some(&b'-') && text.len() > 1)
        })
    }

    /// True when `flag` is given: `--no-cache`, `--no-cache=…`, or a short
    /// flag like `-y` also inside a cluster such as `-qy`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| {
            let t = f.text.as_str();
            if flag.starts_with("--") {
                t == flag
                    || t.strip_prefix(flag)
                        .is_some_and(|rest| rest.starts_with('='))
            } else if let Some(short) = flag.strip_prefix('-') {
                t == flag
                    || (short.len() == 1
                        && !t.starts_with("--")
                        && t.len() > 1
                        && t[1..].contains(short))
            } else {
                t == flag
            }
        })
    }
}

/// Maps a byte offset in the shell text to a source offset.
pub(crate) trait OffsetMap {
    /// Source offset of text offset `at` (as a start position).
    fn start(&self, at: usize) -> u32;
    /// Source offset of text offset `at` (as an end position).
    fn end(&self, at: usize) -> u32;
}

/// Text offsets are source offsets plus a constant.
pub(crate) struct Shifted(pub u32);

impl OffsetMap for Shifted {
    fn start(&self, at: usize) -> u32 {
        self.0 + at as u32
    }
    fn end(&self, at: usize) -> u32 {
        self.0 + at as u32
    }
}

#[derive(Debug)]
enum Piece {
    Word(ShellWord, bool),
    Redirect(ShellWord),
    Sep(Connector),
    /// `)`: ends a subshell, or a `case` pattern.
    Close,
    /// `;;`: ends a `case` branch.
    EndBranch,
}

/// Split shell `text` into commands; spans go through `map`.
pub(crate) fn split_commands(text: &str, map: &dyn OffsetMap) -> Vec<ShellCommand> {
    let mut builder = Builder {
        out: Vec::new(),
        words: Vec::new(),
        redirects: Vec::new(),
        connector: Connector::Sequence,
        next_connector: Connector::Sequence,
        case_depth: 0,
        in_case_header: false,
        in_pattern: false,
        in_for_header: false,
    };
    lex(text, map, &mut |piece| builder.piece(piece));
    builder.flush();
    builder.out
}

/// Groups lexed pieces into commands.
struct Builder {
    out: Vec<ShellCommand>,
    words: Vec<ShellWord>,
    redirects: Vec<ShellWord>,
    connector: Connector,
    next_connector: Connector,
    /// Open `case … esac` blocks.
    case_depth: u32,
    /// Reading a `case` header (`case WORD in`) or a branch pattern (`a|b)`).
    in_case_header: bool,
    in_pattern: bool,
    /// Reading a `for NAME in …` header (not a command).
    in_for_header: bool,
}

impl Builder {
    fn piece(&mut self, piece: Piece) {
        match piece {
            Piece::Word(w, quoted) => self.word(w, quoted),
            Piece::Redirect(w) => {
                if !(self.in_pattern || self.in_case_header || self.in_for_header) {
                    self.redirects.push(w);
                }
            }
            // `|` between patterns and a leading `(` belong to the pattern.
            Piece::Sep(_) if self.in_pattern || self.in_case_header => {}
            Piece::Sep(c) => {
                self.in_for_header = false;
                self.flush();
                self.next_connector = c;
            }
            Piece::Close => {
                if self.in_pattern {
                    self.in_pattern = false;
                } else {
                    self.flush();
                    self.next_connector = Connector::Sequence;
                }
            }
            Piece::EndBranch => {
                self.flush();
                self.next_connector = Connector::Sequence;
                self.in_pattern = self.case_depth > 0;
            }
        }
    }

    fn word(&mut self, w: ShellWord, quoted: bool) {
        if self.in_case_header {
            if w.text.as_bytes() == b"in" && !quoted {
                self.in_case_header = false;
                self.in_pattern = true;
            }
            return;
        }
        if self.in_pattern {
            if w.text.as_bytes() == b"esac" && !quoted {
                self.in_pattern = false;
                self.case_depth = self.case_depth.saturating_sub(1);
            }
            return;
        }
        if self.in_for_header {
            return;
        }
        // Reserved words that open or close a compound command start a new command.
        if self.words.is_empty() && !quoted {
            match w.text.as_bytes() {
                b"case" => {
                    self.in_case_header = true;
                    self.case_depth += 1;
                    return;
                }
                b"for" | b"select" => {
                    self.in_for_header = true;
                    return;
                }
                b"esac" => {
                    self.case_depth = self.case_depth.saturating_sub(1);
                    return;
                }
                b"if" | b"then" | b"else" | b"elif" | b"do" | b"while" | b"until" | b"!" | b"{"
                | b"}" | b"fi" | b"done" => return,
                _ => {}
            }
        }
        if self.words.is_empty() {
            self.connector = self.next_connector;
            self.words.reserve(8);
        }
        self.words.push(w);
    }

    fn flush(&mut self) {
        let n_assignments = self
            .words
            .iter()
            .take_while(|w| is_assignment(w.text.as_bytes()))
            .count();
        if n_assignments == self.words.len() {
            self.words.clear();
            self.redirects.clear();
            return;
        }
        let mut args = std::mem::take(&mut self.words);
        let assignments: Vec<ShellWord> = args.drain(..n_assignments).collect();
        let name = args.remove(0);
        let redirects = std::mem::take(&mut self.redirects);
        let mut flags = Vec::new();
        for a in &args {
            let text = a.text.as_bytes();
            if text == b"--" {
                break;
            }
            if text.first() == Some(&b'-') && text.len() > 1 {
                flags.push(a.clone());
            }
        }
        let mut span = name.span;
        for w in args.iter().chain(&assignments) {
            span = span.cover(w.span);
        }
        self.out.push(ShellCommand {
            name,
            args,
            flags,
            assignments,
            redirects,
            connector: self.connector,
            span,
        });
    }
}

fn is_assignment(word: &[u8]) -> bool {
    let Some(eq) = word.iter().position(|&b| b == b'=') else {
        return false;
    };
    let name = &word[..eq];
    name.first().is_some_and(|b| !b.is_ascii_digit())
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

fn lex(text: &str, map: &dyn OffsetMap, sink: &mut dyn FnMut(Piece)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let n = bytes.len();
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    // Unquoting buffer shared by all words (a word's own text is a ShortStr).
    let mut scratch = String::new();
    while i < n {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' => {
                sink(Piece::Sep(Connector::Sequence));
                i += 1;
                // Skip the bodies of heredocs opened on this line.
                for (delim, strip_tabs) in std::mem::take(&mut pending_heredocs) {
                    while i < n {
                        let line_end = text[i..].find('\n').map_or(n, |p| i + p);
                        let mut line = &text[i..line_end];
                        if strip_tabs {
                            line = line.trim_start_matches('\t');
                        }
                        i = (line_end + 1).min(n);
                        if line.trim_end_matches('\r') == delim {
                            break;
                        }
                    }
                }
            }
            b'#' => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' if bytes.get(i + 1) == Some(&b'&') => {
                sink(Piece::Sep(Connector::And));
                i += 2;
            }
            b'|' if bytes.get(i + 1) == Some(&b'|') => {
                sink(Piece::Sep(Connector::Or));
                i += 2;
            }
            b'|' => {
                sink(Piece::Sep(Connector::Pipe));
                i += if bytes.get(i + 1) == Some(&b'&') {
                    2
                } else {
                    1
                };
            }
            b'&' if bytes.get(i + 1) == Some(&b'>') => {
                i = redirect(text, i, 2, map, sink, &mut pending_heredocs, &mut scratch);
            }
            b';' if bytes.get(i + 1) == Some(&b';') => {
                sink(Piece::EndBranch);
                i += 2;
            }
            b')' => {
                sink(Piece::Close);
                i += 1;
            }
            b';' | b'&' | b'(' => {
                sink(Piece::Sep(Connector::Sequence));
                i += 1;
            }
            b'<' | b'>' => {
                i = redirect(text, i, 0, map, sink, &mut pending_heredocs, &mut scratch);
            }
            b'0'..=b'9' if io_number_len(bytes, i) > 0 => {
                let len = io_number_len(bytes, i);
                i = redirect(text, i, len, map, sink, &mut pending_heredocs, &mut scratch);
            }
            _ => {
                let (word, quoted, end) = read_word(text, i, &mut scratch);
                sink(Piece::Word(
                    ShellWord {
                        text: word,
                        span: Span::new(map.start(i), map.end(end)),
                    },
                    quoted,
                ));
                i = end;
            }
        }
    }
}

/// Length of an IO number (`2` in `2>&1`) at `i`, or 0.
fn io_number_len(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_digit() {
        j += 1;
    }
    if j < bytes.len() && matches!(bytes[j], b'<' | b'>') {
        j - i
    } else {
        0
    }
}

/// Read a redirection starting at `i` (`prefix` bytes of IO number or `&`),
/// its operator and target word; returns the next offset.
fn redirect(
    text: &str,
    i: usize,
    prefix: usize,
    map: &dyn OffsetMap,
    sink: &mut dyn FnMut(Piece),
    pending_heredocs: &mut Vec<(String, bool)>,
    scratch: &mut String,
) -> usize {
    let bytes = text.as_bytes();
    let mut j = i + prefix;
    let op_start = j;
    while j < bytes.len()
        && matches!(bytes[j], b'<' | b'>' | b'&' | b'|' | b'-')
        && j - op_start < 3
    {
        // `<<-` strips tabs; `>&` duplicates; `>|` clobbers.
        j += 1;
    }
    let op = &text[op_start..j];
    let is_heredoc = op.starts_with("<<") && !op.starts_with("<<<");
    let strip_tabs = op.starts_with("<<-");
    while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
        j += 1;
    }
    // Process substitution `<(…)` and `>(…)` is kept as the target word.
    let mut end = j;
    let mut target = String::new();
    if j < bytes.len() && !matches!(bytes[j], b'\n' | b';' | b'&' | b'|' | b')') {
        if bytes[j] == b'(' {
            end = skip_balanced(bytes, j, b'(', b')');
            target = text[j..end].to_string();
        } else {
            let (word, _, e) = read_word(text, j, scratch);
            target = String::from(word);
            end = e;
        }
    }
    if is_heredoc && !target.is_empty() {
        pending_heredocs.push((target, strip_tabs));
    }
    sink(Piece::Redirect(ShellWord {
        text: ShortStr::new(&text[i..end]),
        span: Span::new(map.start(i), map.end(end)),
    }));
    end.max(i + 1)
}

/// Index after the bracket matching the one at `i`.
fn skip_balanced(bytes: &[u8], i: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j < bytes.len() {
        let b = bytes[j];
        if b == b'\\' {
            j += 2;
            continue;
        }
        if b == b'\'' {
            j += 1;
            while j < bytes.len() && bytes[j] != b'\'' {
                j += 1;
            }
        } else if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return j + 1;
            }
        }
        j += 1;
    }
    bytes.len()
}

/// Read one word at `start`: its unquoted text, whether any part was quoted, and its end.
fn read_word(text: &str, start: usize, out: &mut String) -> (ShortStr, bool, usize) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Fast path: a plain word with nothing to unquote (`(` only ends a word
    // at its start, and callers never start a word there).
    let plain_end = bytes[start..]
        .iter()
        .position(|b| {
            matches!(
                b,
                b' ' | b'\t'
                    | b'\r'
                    | b'\n'
                    | b';'
                    | b'&'
                    | b'|'
                    | b'<'
                    | b'>'
                    | b')'
                    | b'\\'
                    | b'\''
                    | b'"'
                    | b'$'
                    | b'`'
            )
        })
        .map_or(len, |p| start + p);
    if plain_end == len
        || matches!(
            bytes[plain_end],
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b')'
        )
    {
        return (ShortStr::new(&text[start..plain_end]), false, plain_end);
    }
    out.clear();
    let mut quoted = false;
    let mut j = start;
    while j < len {
        let b = bytes[j];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b')' => break,
            b'(' if j == start => break,
            b'\\' => {
                if j + 1 < len {
                    let c = text[j + 1..].chars().next().unwrap_or('\\');
                    if c != '\n' {
                        out.push(c);
                    }
                    j += 1 + c.len_utf8();
                } else {
                    j += 1;
                }
            }
            b'\'' => {
                quoted = true;
                let close = text[j + 1..].find('\'').map_or(len, |p| j + 1 + p);
                out.push_str(&text[j + 1..close]);
                j = (close + 1).min(len);
            }
            b'"' => {
                quoted = true;
                j += 1;
                while j < len && bytes[j] != b'"' {
                    if bytes[j] == b'\\'
                        && j + 1 < len
                        && matches!(bytes[j + 1], b'$' | b'`' | b'"' | b'\\' | b'\n')
                    {
                        if bytes[j + 1] != b'\n' {
                            out.push(char::from(bytes[j + 1]));
                        }
                        j += 2;
                        continue;
                    }
                    if bytes[j] == b'$' && bytes.get(j + 1) == Some(&b'(') {
                        let e = skip_balanced(bytes, j + 1, b'(', b')');
                        out.push_str(&text[j..e]);
                        j = e;
                        continue;
                    }
                    let c = text[j..].chars().next().unwrap_or(' ');
                    out.push(c);
                    j += c.len_utf8();
                }
                j = (j + 1).min(len);
            }
            b'$' if bytes.get(j + 1) == Some(&b'(') => {
                let e = skip_balanced(bytes, j + 1, b'(', b')');
                out.push_str(&text[j..e]);
                j = e;
            }
            b'$' if bytes.get(j + 1) == Some(&b'{') => {
                let e = skip_balanced(bytes, j + 1, b'{', b'}');
                out.push_str(&text[j..e]);
                j = e;
            }
            b'`' => {
                let close = text[j + 1..].find('`').map_or(len, |p| j + 1 + p);
                let e = (close + 1).min(len);
                out.push_str(&text[j..e]);
                j = e;
            }
            _ => {
                let c = text[j..].chars().next().unwrap_or(' ');
                out.push(c);
                j += c.len_utf8();
            }
        }
    }
    (ShortStr::new(out), quoted, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(text: &str) -> Vec<ShellCommand> {
        split_commands(text, &Shifted(0))
    }

    #[test]
    fn splits_on_operators() {
        let c = cmds("apt-get update && apt-get install -y --no-install-recommends curl; rm -rf /var/lib/apt/lists/* | cat");
        let names: Vec<_> = c.iter().map(|c| c.name.text.as_str()).collect();
        assert_eq!(names, vec!["apt-get", "apt-get", "rm", "cat"]);
        assert!(c[1].is("apt-get", "install"));
        assert!(c[1].has_flag("-y"));
        assert!(c[1].has_flag("--no-install-recommends"));
        assert!(c[2].has_flag("-f"));
        assert_eq!(c[1].connector, Connector::And);
        assert_eq!(c[3].connector, Connector::Pipe);
    }

    #[test]
    fn unquotes_and_keeps_spans() {
        let text = r#"FOO=1 echo "a b" 'c' d\ e > /tmp/x 2>&1"#;
        let c = &cmds(text)[0];
        assert_eq!(c.assignments[0].text, "FOO=1");
        assert_eq!(c.name.text, "echo");
        let args: Vec<_> = c.args.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(args, vec!["a b", "c", "d e"]);
        assert_eq!(c.args[0].span.text(text), "\"a b\"");
        assert_eq!(c.redirects.len(), 2);
    }

    #[test]
    fn subshells_and_compound_commands() {
        let c = cmds("(cd /x && make) || { echo fail; exit 1; }; if [ -f a ]; then rm a; fi");
        let names: Vec<_> = c.iter().map(|c| c.name.text.as_str()).collect();
        assert_eq!(names, vec!["cd", "make", "echo", "exit", "[", "rm"]);
    }

    #[test]
    fn case_and_for_are_not_commands() {
        let c = cmds(
            "case \"$(uname -m)\" in x86_64|amd64) ARCH=amd64; apk add a ;; aarch64) apk add b ;; *) exit 1 ;; esac; for f in a b; do rm $f; done && (make)",
        );
        let names: Vec<_> = c.iter().map(|c| c.name.text.as_str()).collect();
        assert_eq!(names, vec!["apk", "apk", "exit", "rm", "make"]);
        assert_eq!(c[0].args[1].text, "a");
        assert_eq!(c[0].connector, Connector::Sequence);
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        let c = cmds("cat <<EOF > /a\nhello && world\nEOF\necho done");
        let names: Vec<_> = c.iter().map(|c| c.name.text.as_str()).collect();
        assert_eq!(names, vec!["cat", "echo"]);
    }
}
