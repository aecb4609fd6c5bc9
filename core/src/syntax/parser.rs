//! The line-level parser: BuildKit's reading of physical lines into logical
//! instructions, with spans, trivia tokens and error recovery.
//!
//! Architecture invariant: this never panics and never gives up; every byte
//! of the input ends up in exactly one token.

use super::ast::{
    ArgDecl, Command, Directive, Dockerfile, ErrorKind, Flag, Heredoc, Instruction,
    InstructionKind, KeyValue, Keyword, Parse, SyntaxError, Word,
};
use super::json::{parse_json_array, JsonArray};
use super::line_parsers::{
    extract_flags, parse_words, split_command, split_health, split_once_whitespace,
    split_whitespace_delimited_with, trim_range, LWord,
};
use super::shell::{split_commands, OffsetMap, Shifted};
use super::short_str::ShortStr;
use super::tokens::{lex_args, Token, TokenKind};
use crate::span::Span;

/// Longest physical line BuildKit's scanner accepts.
const MAX_LINE: usize = 65535;

/// Parse Dockerfile text. Never fails and never panics: problems are in
/// [`Parse::errors`] and the tree covers every byte.
pub fn parse(text: &str) -> Parse {
    // Spans are u32; a text over 4 GiB is cut (the rest is one error token).
    let limit = text.len().min(u32::MAX as usize - 1);
    let mut limit_char = limit;
    while !text.is_char_boundary(limit_char) {
        limit_char -= 1;
    }
    let mut parser = Parser::new(text, limit_char);
    parser.run();
    parser.finish()
}

#[derive(Clone, Copy)]
struct Line {
    start: usize,
    /// End of the content: trailing `\r` and `\n` removed.
    content_end: usize,
    /// After the `\n` (or the end of text).
    end: usize,
}

/// Maps logical-line offsets to source offsets: each entry is
/// (logical start, source start) of a contiguous piece.
struct SegMap<'s> {
    segs: &'s [(usize, usize)],
    base: usize,
}

impl SegMap<'_> {
    fn to_source(&self, at: usize, is_end: bool) -> u32 {
        if let [(l, s)] = self.segs {
            return (s + at.saturating_sub(*l)) as u32;
        }
        let idx = self
            .segs
            .partition_point(|&(l, _)| if is_end { l < at } else { l <= at });
        let (l, s) = self.segs[idx.saturating_sub(1)];
        (s + at.saturating_sub(l)) as u32
    }
    fn span(&self, start: usize, end: usize) -> Span {
        let s = self.to_source(start, false);
        let e = self.to_source(end, true).max(s);
        Span::new(s, e)
    }
}

impl OffsetMap for SegMap<'_> {
    fn start(&self, at: usize) -> u32 {
        self.to_source(self.base + at, false)
    }
    fn end(&self, at: usize) -> u32 {
        self.to_source(self.base + at, true)
    }
}

/// What one physical line of an instruction is, for its tokens.
enum LinePart {
    /// Content `[start, end)` then an optional continuation `[end, cont_end)`.
    Content {
        start: usize,
        end: usize,
        cont_end: usize,
    },
    /// A comment line skipped inside a continuation.
    Comment {
        line_start: usize,
        lead: usize,
        end: usize,
    },
    /// A blank line skipped inside a continuation.
    Blank { line_start: usize, end: usize },
}

struct Parser<'a> {
    text: &'a str,
    len: usize,
    lines: Vec<Line>,
    escape: char,
    directives_done: bool,
    directives: Vec<Directive>,
    instructions: Vec<Instruction>,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    has_bom: bool,
    /// Scratch buffers reused across instructions (fewer allocations).
    scratch_segs: Vec<(usize, usize)>,
    scratch_parts: Vec<LinePart>,
    scratch_specials: Vec<(Span, TokenKind)>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, len: usize) -> Self {
        let bytes = &text.as_bytes()[..len];
        // Generous estimates: growing these per file costs more than the slack.
        let mut lines = Vec::with_capacity(len / 16 + 2);
        let mut start = 0;
        while start < len {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(len, |p| start + p + 1);
            let mut content_end = end;
            while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
                content_end -= 1;
            }
            lines.push(Line {
                start,
                content_end,
                end,
            });
            start = end;
        }
        let n_lines = lines.len();
        Parser {
            text,
            len,
            lines,
            escape: '\\',
            directives_done: false,
            directives: Vec::new(),
            // Every instruction starts on its own line.
            instructions: Vec::with_capacity(n_lines),
            tokens: Vec::with_capacity(len / 2 + 8),
            errors: Vec::new(),
            has_bom: false,
            scratch_segs: Vec::with_capacity(8),
            scratch_parts: Vec::with_capacity(8),
            scratch_specials: Vec::with_capacity(8),
        }
    }

    fn token(&mut self, kind: TokenKind, start: usize, end: usize) {
        if end > start {
            self.tokens.push(Token {
                kind,
                span: Span::new(start as u32, end as u32),
            });
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
            kind: ErrorKind::Parse,
        });
    }

    /// Position of the continuation escape at the end of `[start, end)`, if any
    /// (BuildKit: the escape char followed only by spaces and tabs).
    fn continuation_at(&self, start: usize, end: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut e = end;
        while e > start && matches!(bytes[e - 1], b' ' | b'\t') {
            e -= 1;
        }
        // BuildKit's pattern is `(^|[^E])E[ \t]*$` for escape char E: a
        // doubled escape at the end (`\\`) is not a continuation.
        let escape = self.escape as u8;
        (e > start && bytes[e - 1] == escape && (e - 1 == start || bytes[e - 2] != escape))
            .then(|| e - 1)
    }

    fn is_comment_line(&self, line: Line) -> bool {
        self.text[line.start..line.content_end]
            .trim_start()
            .starts_with('#')
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let mut line = self.lines[i];
            if i == 0 && self.text[..self.len].starts_with('\u{feff}') {
                self.has_bom = true;
                self.token(TokenKind::Bom, 0, 3);
                line.start = 3;
                line.content_end = line.content_end.max(3);
            }
            i += 1;
            if line.content_end - line.start > MAX_LINE {
                let span = Span::new(line.start as u32, line.content_end as u32);
                self.error(
                    span,
                    "dockerfile line greater than max allowed size of 65535",
                );
            }
            let content = &self.text[line.start..line.content_end];
            let lead = line.start + (content.len() - content.trim_start().len());
            let directive = self.directive(lead, line.content_end);
            if self.text[lead..line.content_end].starts_with('#') {
                self.token(TokenKind::Whitespace, line.start, lead);
                let kind = if directive {
                    TokenKind::Directive
                } else {
                    TokenKind::Comment
                };
                self.token(kind, lead, line.content_end);
                self.token(TokenKind::Newline, line.content_end, line.end);
                continue;
            }
            let cont = self.continuation_at(lead, line.content_end);
            let first_end = cont.unwrap_or(line.content_end);
            if cont.is_none() && first_end == lead {
                self.token(TokenKind::Whitespace, line.start, line.content_end);
                self.token(TokenKind::Newline, line.content_end, line.end);
                continue;
            }
            i = self.instruction(i, line, lead, first_end, cont.is_some());
        }
        if self.instructions.is_empty() {
            let at = self.len as u32;
            self.error(Span::empty(at), "file with no instructions");
        }
        if self.len < self.text.len() {
            self.token(TokenKind::Error, self.len, self.text.len());
            let span = Span::new(self.len as u32, self.len as u32);
            self.error(span, "file too large");
        }
    }

    /// Handle a possible parser directive at `[lead, end)`; true when it is one.
    fn directive(&mut self, lead: usize, end: usize) -> bool {
        if self.directives_done {
            return false;
        }
        let line = &self.text[lead..end];
        let Some((name, value, value_start)) = match_directive(line) else {
            self.directives_done = true;
            return false;
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return false;
        }
        let span = Span::new(lead as u32, end as u32);
        let value_span = Span::new(
            (lead + value_start) as u32,
            (lead + value_start + value.len()) as u32,
        );
        if self.directives.iter().any(|d| d.name == name) {
            self.error(
                span,
                format!("only one {name} parser directive can be used"),
            );
            return true;
        }
        if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => self.error(
                    value_span,
                    format!("invalid escape token '{value}' does not match ` or \\"),
                ),
            }
        }
        self.directives.push(Directive {
            name,
            value: value.to_string(),
            span,
            value_span,
        });
        true
    }

    /// Read one instruction whose first line is `line` (keyword at `lead`,
    /// content up to `first_end`). Returns the next line index.
    fn instruction(
        &mut self,
        mut i: usize,
        line: Line,
        lead: usize,
        first_end: usize,
        mut continued: bool,
    ) -> usize {
        let start_line = i as u32;
        let mut logical = String::from(&self.text[lead..first_end]);
        let mut segs = std::mem::take(&mut self.scratch_segs);
        segs.clear();
        segs.push((0usize, lead));
        let mut parts = std::mem::take(&mut self.scratch_parts);
        parts.clear();
        parts.push(LinePart::Content {
            start: lead,
            end: first_end,
            cont_end: line.content_end,
        });
        let mut last = line;
        while continued && i < self.lines.len() {
            let l = self.lines[i];
            i += 1;
            last = l;
            if l.content_end - l.start > MAX_LINE {
                let span = Span::new(l.start as u32, l.content_end as u32);
                self.error(
                    span,
                    "dockerfile line greater than max allowed size of 65535",
                );
            }
            if self.is_comment_line(l) {
                let content = &self.text[l.start..l.content_end];
                let lead = l.start + (content.len() - content.trim_start().len());
                parts.push(LinePart::Comment {
                    line_start: l.start,
                    lead,
                    end: l.content_end,
                });
                continue;
            }
            if self.text[l.start..l.content_end].trim_start().is_empty() {
                parts.push(LinePart::Blank {
                    line_start: l.start,
                    end: l.content_end,
                });
                continue;
            }
            let cont = self.continuation_at(l.start, l.content_end);
            continued = cont.is_some();
            let end = cont.unwrap_or(l.content_end);
            segs.push((logical.len(), l.start));
            logical.push_str(&self.text[l.start..end]);
            parts.push(LinePart::Content {
                start: l.start,
                end,
                cont_end: l.content_end,
            });
        }
        let map = SegMap {
            segs: &segs,
            base: 0,
        };
        let mut built = build(
            &logical,
            (0, logical.len()),
            &map,
            self.escape,
            0,
            &mut self.errors,
        );

        // Heredocs: BuildKit looks for them in the joined line.
        let mut markers: Vec<Span> = Vec::new();
        let mut heredocs = Vec::new();
        let mut heredoc_ranges = Vec::new();
        if matches!(built.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
            && !is_json(&built.kind)
            && logical.contains("<<")
        {
            for found in heredocs_from_line(&logical, &map, &mut self.errors) {
                markers.push(found.marker);
                let body_start = self.lines.get(i).map_or(self.len, |l| l.start);
                let mut terminated = None;
                while i < self.lines.len() {
                    let l = self.lines[i];
                    i += 1;
                    last = l;
                    let mut candidate = &self.text[l.start..l.content_end];
                    if found.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == found.name {
                        terminated = Some(l);
                        break;
                    }
                }
                let (body_end, terminator_span) = if let Some(l) = terminated {
                    (l.start, Span::new(l.start as u32, l.content_end as u32))
                } else {
                    let end = self.len.max(body_start);
                    let span = Span::new(lead as u32, end as u32);
                    self.error(span, "unterminated heredoc");
                    (end, Span::empty(end as u32))
                };
                let content = self.text[body_start..body_end].to_string();
                heredoc_ranges.push((body_start, body_end, terminator_span));
                heredocs.push(Heredoc {
                    name: found.name,
                    expand: found.expand,
                    chomp: found.chomp,
                    fd: found.fd,
                    content,
                    body_span: Span::new(body_start as u32, body_end as u32),
                    terminator_span,
                });
            }
        }
        // The end of the instruction: the last content byte it owns.
        let end = match heredoc_ranges.last() {
            // Unterminated: the body runs to the end of the text.
            Some(&(_, body_end, t)) if t.is_empty() => body_end,
            Some(&(_, _, t)) => t.end as usize,
            None => last.content_end,
        };

        // Tokens for the instruction's lines.
        self.token(TokenKind::Whitespace, line.start, lead);
        let mut specials = std::mem::take(&mut self.scratch_specials);
        specials.clear();
        let keyword_kind = if built.keyword == Keyword::Unknown {
            TokenKind::Error
        } else {
            TokenKind::Keyword
        };
        specials.push((built.keyword_span, keyword_kind));
        collect_specials(&built, &mut specials);
        for m in &markers {
            specials.push((*m, TokenKind::HeredocMarker));
        }
        if specials.len() > 1 {
            crate::sort::by_key(&mut specials, |(s, _)| s.start);
        }
        let first_token = self.tokens.len();
        let mut prev_line_end = None;
        for part in &parts {
            if let Some(nl_start) = prev_line_end {
                // The newline of the previous physical line.
                let line_end = self.text[nl_start..]
                    .find('\n')
                    .map_or(self.len, |p| nl_start + p + 1);
                self.token(TokenKind::Newline, nl_start, line_end.min(self.len));
            }
            match *part {
                LinePart::Content {
                    start,
                    end,
                    cont_end,
                } => {
                    self.content_tokens(start, end, &specials);
                    self.token(TokenKind::LineContinuation, end, cont_end);
                    prev_line_end = Some(cont_end);
                }
                LinePart::Comment {
                    line_start,
                    lead: c,
                    end,
                } => {
                    self.token(TokenKind::Whitespace, line_start, c);
                    self.token(TokenKind::Comment, c, end);
                    prev_line_end = Some(end);
                }
                LinePart::Blank { line_start, end } => {
                    self.token(TokenKind::Whitespace, line_start, end);
                    prev_line_end = Some(end);
                }
            }
        }
        for &(body_start, body_end, terminator) in &heredoc_ranges {
            if let Some(nl_start) = prev_line_end {
                if nl_start < body_start {
                    self.token(TokenKind::Newline, nl_start, body_start);
                }
            }
            self.token(TokenKind::HeredocBody, body_start, body_end);
            if terminator.is_empty() {
                prev_line_end = None;
            } else {
                self.token(
                    TokenKind::HeredocEnd,
                    terminator.start as usize,
                    terminator.end as usize,
                );
                prev_line_end = Some(terminator.end as usize);
            }
        }
        // An unterminated heredoc body may end with newlines we already covered.
        let covered = self.tokens.last().map_or(0, |t| t.span.end as usize);
        let instruction_end = end.max(covered);
        let token_end = self.tokens.len();
        // Trailing newline of the last line: trivia after the instruction.
        let after = self
            .lines
            .get(i.wrapping_sub(1))
            .map_or(self.len, |l| l.end);
        self.token(
            TokenKind::Newline,
            instruction_end,
            after.max(instruction_end),
        );

        // A heredoc that is the whole RUN command (or fed to a shell) is a script.
        let mut commands = std::mem::take(&mut built.commands);
        if built.keyword == Keyword::Run && !heredocs.is_empty() {
            let script_like = commands.iter().all(|c| {
                matches!(c.program(), "sh" | "bash" | "ash" | "dash" | "zsh")
                    && c.args.iter().all(|a| a.text.starts_with('-'))
            });
            if let Some(doc) = heredocs.first().filter(|_| script_like) {
                if is_shell_script(&doc.content) {
                    commands.extend(split_commands(&doc.content, &Shifted(doc.body_span.start)));
                }
            }
        }
        // The ONBUILD inner instruction shares the outer lines and tokens.
        if let InstructionKind::Onbuild { inner: Some(inner) } = &mut built.kind {
            inner.start_line = start_line;
            inner.end_line = i as u32;
            let inner_tokens = &self.tokens[first_token..token_end];
            let first = inner_tokens
                .iter()
                .position(|t| t.span.start >= inner.span.start)
                .map_or(token_end, |p| first_token + p);
            let last = inner_tokens
                .iter()
                .rposition(|t| t.span.end <= inner.span.end)
                .map_or(first, |p| first_token + p + 1);
            inner.tokens = first as u32..last.max(first) as u32;
        }
        let instruction = Instruction {
            keyword: built.keyword,
            keyword_text: built.keyword_text,
            keyword_span: built.keyword_span,
            flags: built.flags,
            kind: built.kind,
            heredocs,
            commands,
            span: Span::new(lead as u32, instruction_end as u32),
            original: logical,
            start_line,
            end_line: i as u32,
            tokens: first_token as u32..token_end as u32,
        };
        self.instructions.push(instruction);
        self.scratch_segs = segs;
        self.scratch_parts = parts;
        self.scratch_specials = specials;
        i
    }

    /// Tokens of the content `[start, end)` of one line.
    fn content_tokens(&mut self, start: usize, end: usize, specials: &[(Span, TokenKind)]) {
        let escape = self.escape as u8;
        let mut pos = start;
        for &(span, kind) in specials {
            let (s, e) = (span.start as usize, span.end as usize);
            if e <= pos || s >= end {
                continue;
            }
            let s = s.max(pos);
            let e = e.min(end);
            lex_args(self.text, pos, s, escape, &mut self.tokens);
            self.token(kind, s, e);
            pos = e;
        }
        lex_args(self.text, pos, end, escape, &mut self.tokens);
    }

    fn finish(self) -> Parse {
        let mut errors = self.errors;
        crate::sort::by_key(&mut errors, |e| e.span.start);
        Parse {
            dockerfile: Dockerfile {
                text: self.text.to_string(),
                directives: self.directives,
                instructions: self.instructions,
                tokens: self.tokens,
                escape: self.escape,
                has_bom: self.has_bom,
            },
            errors,
        }
    }
}

/// BuildKit's directive pattern `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`:
/// (name, value, value offset in `line`).
fn match_directive(line: &str) -> Option<(&str, &str, usize)> {
    let is_re_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let bytes = line.as_bytes();
    if bytes.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() && is_re_space(bytes[i]) {
        i += 1;
    }
    let name_start = i;
    if i >= bytes.len() || !bytes[i].is_ascii_alphabetic() {
        return None;
    }
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name = &line[name_start..i];
    while i < bytes.len() && is_re_space(bytes[i]) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < bytes.len() && is_re_space(bytes[i]) {
        i += 1;
    }
    let mut end = bytes.len();
    while end > i && is_re_space(bytes[end - 1]) {
        end -= 1;
    }
    if end <= i {
        return None;
    }
    Some((name, &line[i..end], i))
}

/// An instruction's parts before heredocs and tokens.
struct Built {
    keyword: Keyword,
    keyword_text: ShortStr,
    keyword_span: Span,
    flags: Vec<Flag>,
    kind: InstructionKind,
    /// Shell commands of a shell-form `RUN`.
    commands: Vec<ShellCommand>,
}

/// BuildKit's `json` attribute: the arguments were a JSON array.
fn is_json(kind: &InstructionKind) -> bool {
    match kind {
        InstructionKind::Run { command } => command.is_exec(),
        InstructionKind::Copy { json, .. } | InstructionKind::Add { json, .. } => *json,
        _ => false,
    }
}

/// BuildKit's `newNodeFromLine` on `logical[start..end]`.
fn build(
    logical: &str,
    (start, end): (usize, usize),
    map: &SegMap,
    escape: char,
    depth: u32,
    errors: &mut Vec<SyntaxError>,
) -> Built {
    let ((ks, ke), rest_start) = split_command(logical, start, end);
    let (_, trimmed_end) = trim_range(logical, start, end);
    let keyword_text = ShortStr::new(&logical[ks..ke]);
    let keyword = Keyword::from_name(&logical[ks..ke]);
    let keyword_span = map.span(ks, ke);
    let (raw_flags, args_from) = if rest_start < trimmed_end {
        extract_flags(logical, rest_start, trimmed_end)
    } else {
        (Vec::new(), trimmed_end)
    };
    let flags = raw_flags
        .into_iter()
        .map(|f| {
            let text: &str = &f.text;
            let text = text.strip_prefix("--").unwrap_or(text);
            let (name, value) = match text.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (text, None),
            };
            Flag {
                name: ShortStr::new(name),
                value,
                span: map.span(f.start, f.end),
            }
        })
        .collect();
    let (a, b) = trim_range(logical, args_from.min(trimmed_end), trimmed_end);
    let word = |w: LWord| Word {
        span: map.span(w.start, w.end),
        value: w.value,
    };
    let split_words = || {
        split_whitespace_delimited_with(logical, a, b, |text, s, e| Word {
            value: ShortStr::new(text),
            span: map.span(s, e),
        })
    };
    let whole = || Word {
        value: ShortStr::new(&logical[a..b]),
        span: map.span(a, b),
    };
    let mut reject = |errors: &mut Vec<SyntaxError>, message: String| {
        errors.push(SyntaxError {
            span: map.span(ks, b.max(ke)),
            message,
            kind: ErrorKind::Parse,
        });
    };
    let maybe_json = |errors: &mut Vec<SyntaxError>,
                      reject: &mut dyn FnMut(&mut Vec<SyntaxError>, String)|
     -> Command {
        if a == b {
            return Command::None;
        }
        match parse_json_array(logical, a, b) {
            JsonArray::Strings(items) if items.is_empty() => Command::None,
            JsonArray::Strings(items) => Command::Exec(items.into_iter().map(word).collect()),
            JsonArray::NotStrings => {
                reject(errors, NOT_STRINGS.to_string());
                Command::Shell(whole())
            }
            JsonArray::Invalid => Command::Shell(whole()),
        }
    };
    let json_list = |errors: &mut Vec<SyntaxError>,
                     reject: &mut dyn FnMut(&mut Vec<SyntaxError>, String)|
     -> (Vec<Word>, bool) {
        match parse_json_array(logical, a, b) {
            JsonArray::Strings(items) => (items.into_iter().map(word).collect(), true),
            JsonArray::NotStrings => {
                reject(errors, NOT_STRINGS.to_string());
                (Vec::new(), true)
            }
            JsonArray::Invalid => (split_words(), false),
        }
    };
    let string = || (a < b).then(whole);
    let kind = match keyword {
        Keyword::From => InstructionKind::From {
            args: split_words(),
        },
        Keyword::Expose => InstructionKind::Expose {
            ports: split_words(),
        },
        Keyword::Run => InstructionKind::Run {
            command: maybe_json(errors, &mut reject),
        },
        Keyword::Cmd => InstructionKind::Cmd {
            command: maybe_json(errors, &mut reject),
        },
        Keyword::Entrypoint => InstructionKind::Entrypoint {
            command: maybe_json(errors, &mut reject),
        },
        Keyword::Shell => InstructionKind::Shell {
            command: maybe_json(errors, &mut reject),
        },
        Keyword::Copy => {
            let (paths, json) = json_list(errors, &mut reject);
            InstructionKind::Copy { paths, json }
        }
        Keyword::Add => {
            let (paths, json) = json_list(errors, &mut reject);
            InstructionKind::Add { paths, json }
        }
        Keyword::Volume => {
            let (paths, json) = json_list(errors, &mut reject);
            InstructionKind::Volume { paths, json }
        }
        Keyword::Env | Keyword::Label => {
            let pairs = name_values(logical, a, b, map, escape, keyword, errors, &mut reject);
            if keyword == Keyword::Env {
                InstructionKind::Env { pairs }
            } else {
                InstructionKind::Label { pairs }
            }
        }
        Keyword::Arg => InstructionKind::Arg {
            args: parse_words(logical, a, b, escape)
                .into_iter()
                .map(|w| {
                    let eq = w.value.find('=');
                    let name = eq.map_or(w.value.as_str(), |e| &w.value[..e]).to_string();
                    let default = eq.map(|e| {
                        // The word's text equals its source in the logical line.
                        let value = ShortStr::new(&w.value[e + 1..]);
                        let vstart = (w.end - value.len()).max(w.start);
                        Word {
                            span: map.span(vstart, w.end),
                            value,
                        }
                    });
                    ArgDecl {
                        word: word(w),
                        name,
                        default,
                    }
                })
                .collect(),
        },
        Keyword::Workdir => InstructionKind::Workdir { path: string() },
        Keyword::User => InstructionKind::User { user: string() },
        Keyword::StopSignal => InstructionKind::StopSignal { signal: string() },
        Keyword::Maintainer => InstructionKind::Maintainer { name: string() },
        Keyword::Healthcheck => match split_health(logical, a, b) {
            None => InstructionKind::Healthcheck {
                mode: None,
                command: Command::None,
            },
            Some((mode, next)) => {
                let command = if next >= b {
                    Command::None
                } else {
                    match parse_json_array(logical, next, b) {
                        JsonArray::Strings(items) if items.is_empty() => Command::None,
                        JsonArray::Strings(items) => {
                            Command::Exec(items.into_iter().map(word).collect())
                        }
                        JsonArray::NotStrings => {
                            reject(errors, NOT_STRINGS.to_string());
                            Command::None
                        }
                        JsonArray::Invalid => Command::Shell(Word {
                            value: ShortStr::new(&logical[next..b]),
                            span: map.span(next, b),
                        }),
                    }
                };
                InstructionKind::Healthcheck {
                    mode: Some(word(mode)),
                    command,
                }
            }
        },
        Keyword::Onbuild => {
            if depth > 0 {
                errors.push(SyntaxError {
                    span: keyword_span,
                    message: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
                    kind: ErrorKind::Build,
                });
            }
            // BuildKit's parser nests without limit; past this depth the rest
            // stays unparsed so a pathological chain cannot exhaust the stack.
            let inner = (a < b && depth < MAX_ONBUILD_DEPTH).then(|| {
                let built = build(logical, (a, b), map, escape, depth + 1, errors);
                if matches!(built.keyword, Keyword::From | Keyword::Maintainer) {
                    errors.push(SyntaxError {
                        span: built.keyword_span,
                        message: format!(
                            "{} isn't allowed as an ONBUILD trigger",
                            built.keyword.as_str()
                        ),
                        kind: ErrorKind::Build,
                    });
                }
                let (_, inner_end) = trim_range(logical, a, b);
                Box::new(Instruction {
                    keyword: built.keyword,
                    keyword_text: built.keyword_text,
                    keyword_span: built.keyword_span,
                    flags: built.flags,
                    kind: built.kind,
                    heredocs: Vec::new(),
                    commands: built.commands,
                    span: map.span(a, inner_end),
                    original: logical[a..b].to_string(),
                    start_line: 0,
                    end_line: 0,
                    tokens: 0..0,
                })
            });
            InstructionKind::Onbuild { inner }
        }
        Keyword::Unknown => {
            errors.push(SyntaxError {
                span: keyword_span,
                message: format!("unknown instruction: {keyword_text}"),
                kind: ErrorKind::UnknownInstruction,
            });
            InstructionKind::Unknown
        }
    };
    let commands = match &kind {
        InstructionKind::Run {
            command: Command::Shell(w),
        } => split_commands(
            &w.value,
            &SegMap {
                segs: map.segs,
                base: a,
            },
        ),
        _ => Vec::new(),
    };
    Built {
        keyword,
        keyword_text,
        keyword_span,
        flags,
        kind,
        commands,
    }
}

/// How deep `ONBUILD ONBUILD …` is followed.
const MAX_ONBUILD_DEPTH: u32 = 16;

const NOT_STRINGS: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// BuildKit's `parseNameVal` for `ENV` and `LABEL`.
#[allow(clippy::too_many_arguments)]
fn name_values(
    logical: &str,
    a: usize,
    b: usize,
    map: &SegMap,
    escape: char,
    keyword: Keyword,
    errors: &mut Vec<SyntaxError>,
    reject: &mut dyn FnMut(&mut Vec<SyntaxError>, String),
) -> Vec<KeyValue> {
    let words = parse_words(logical, a, b, escape);
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let word = |value: &str, s: usize, e: usize| Word {
        value: ShortStr::new(value),
        span: map.span(s, e),
    };
    if !first.value.contains('=') {
        let (key, value) = split_once_whitespace(logical, a, b);
        let Some(value) = value else {
            reject(
                errors,
                format!("{} must have two arguments", keyword.as_str()),
            );
            return Vec::new();
        };
        return vec![KeyValue {
            key: word(&key.value, key.start, key.end),
            value: word(&value.value, value.start, value.end),
            legacy: true,
        }];
    }
    let mut pairs = Vec::new();
    for w in &words {
        let Some(eq) = w.value.find('=') else {
            reject(
                errors,
                format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    super::dump::go_quote(&w.value)
                ),
            );
            continue;
        };
        // Words keep their source text, so offsets inside them are offsets in the line.
        let split = w.start + eq;
        pairs.push(KeyValue {
            key: word(&w.value[..eq], w.start, split),
            value: word(&w.value[eq + 1..], split + 1, w.end),
            legacy: false,
        });
    }
    pairs
}

fn collect_specials(built: &Built, specials: &mut Vec<(Span, TokenKind)>) {
    for f in &built.flags {
        specials.push((f.span, TokenKind::Flag));
    }
    if let InstructionKind::Onbuild { inner: Some(inner) } = &built.kind {
        let kind = if inner.keyword == Keyword::Unknown {
            TokenKind::Error
        } else {
            TokenKind::Keyword
        };
        specials.push((inner.keyword_span, kind));
        for f in &inner.flags {
            specials.push((f.span, TokenKind::Flag));
        }
    }
}

/// True unless the body starts with a `#!` line naming a non-shell interpreter.
fn is_shell_script(content: &str) -> bool {
    let first = content.lines().next().unwrap_or("");
    let Some(interpreter) = first.strip_prefix("#!") else {
        return true;
    };
    let program = interpreter.split_whitespace().last().unwrap_or("");
    let program = program.rsplit('/').next().unwrap_or(program);
    matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh")
}

use super::shell::ShellCommand;

/// A heredoc found on an instruction line.
struct FoundHeredoc {
    name: String,
    expand: bool,
    chomp: bool,
    fd: u32,
    marker: Span,
}

/// BuildKit's `heredocsFromLine`: shell words of the line (quotes and escapes
/// kept), each matched against `^(\d*)<<(-?)([^<]*)$`; a bare `<<` takes the
/// next word as its delimiter.
fn heredocs_from_line(
    logical: &str,
    map: &SegMap,
    errors: &mut Vec<SyntaxError>,
) -> Vec<FoundHeredoc> {
    let mut out = Vec::new();
    let words = raw_shell_words(logical, 0, logical.len());
    let mut index = 0;
    while index < words.len() {
        let (ws, mut we) = words[index];
        index += 1;
        let word = &logical[ws..we];
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, mut rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() {
            let Some(&(ns, ne)) = words.get(index) else {
                continue;
            };
            index += 1;
            rest = &logical[ns..ne];
            we = ne;
        }
        if rest.contains('<') {
            continue;
        }
        let marker = map.span(ws, we);
        let Some((name, quoted)) = unquote_heredoc_name(rest) else {
            errors.push(SyntaxError {
                span: marker,
                message: "unterminated quote in heredoc delimiter".to_string(),
                kind: ErrorKind::Parse,
            });
            continue;
        };
        if name.is_empty() {
            continue;
        }
        out.push(FoundHeredoc {
            name,
            expand: !quoted,
            chomp,
            fd: word[..digits].parse().unwrap_or(0),
            marker,
        });
    }
    out
}

/// Split `[start, end)` into shell words, keeping quotes and escapes raw.
fn raw_shell_words(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = start;
    while i < end {
        while i < end && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i >= end {
            break;
        }
        let ws = i;
        while i < end && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            match bytes[i] {
                b'\\' => i = (i + 2).min(end),
                q @ (b'\'' | b'"') => {
                    i += 1;
                    while i < end && bytes[i] != q {
                        if q == b'"' && bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i = (i + 1).min(end);
                }
                _ => i += 1,
            }
        }
        // Never split inside a character.
        while i < end && !text.is_char_boundary(i) {
            i += 1;
        }
        words.push((ws, i));
    }
    words
}

/// Remove shell quoting from a heredoc delimiter: (name, had quotes).
fn unquote_heredoc_name(raw: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' | '"' => {
                quoted = true;
                loop {
                    match chars.next() {
                        None => return None,
                        Some(n) if n == c => break,
                        Some('\\') if c == '"' => {
                            if let Some(n) = chars.next() {
                                out.push(n);
                            }
                        }
                        Some(n) => out.push(n),
                    }
                }
            }
            _ => out.push(c),
        }
    }
    Some((out, quoted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::dump;

    /// Tokens must tile the text: contiguous, non-empty, in order.
    fn assert_lossless(text: &str) {
        let p = parse(text);
        let mut at = 0;
        for t in &p.dockerfile.tokens {
            assert_eq!(
                t.span.start, at,
                "gap or overlap at {at} in {text:?}: {t:?}"
            );
            assert!(t.span.end > t.span.start, "empty token in {text:?}");
            at = t.span.end;
        }
        assert_eq!(at as usize, text.len(), "tokens stop early in {text:?}");
        assert_eq!(p.dockerfile.print(), text);
    }

    #[test]
    fn lossless_on_tricky_inputs() {
        for text in [
            "",
            "\n",
            "\u{feff}FROM a\r\n",
            "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  hi\n",
            "FROM a\nRUN a \\\n# comment\n\n  b \\",
            "FROM a\nRUN <<EOF cat\nhello\nEOF\nCOPY <<-A <<B /x\n\tone\n\tA\ntwo\nB",
            "FROM a\nRUN <<EOF\nunterminated\n",
            "ONBUILD RUN --mount=type=cache,target=/x echo hi",
            "  FROM\ta\t\n\t\n",
            "FROM a\nCMD [\"a\", \"b\"]\nBOGUS x\n",
        ] {
            assert_lossless(text);
        }
    }

    #[test]
    fn spans_point_at_source() {
        let text = "FROM alpine AS build\nCOPY --from=build --chmod=755 \\\n  a b /dst/\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let copy = &p.dockerfile.instructions[1];
        assert_eq!(copy.keyword, Keyword::Copy);
        assert_eq!(copy.flags[0].span.text(text), "--from=build");
        assert_eq!(copy.flag("chmod").unwrap().value.as_deref(), Some("755"));
        let sources: Vec<_> = copy
            .kind
            .copy_sources()
            .iter()
            .map(|w| w.span.text(text))
            .collect();
        assert_eq!(sources, vec!["a", "b"]);
        assert_eq!(copy.kind.copy_dest().unwrap().value, "/dst/");
        assert_eq!((copy.start_line, copy.end_line), (2, 3));
        assert_eq!(
            copy.span.text(text),
            "COPY --from=build --chmod=755 \\\n  a b /dst/"
        );
    }

    #[test]
    fn errors_and_recovery() {
        let p = parse("FROM a\nBOGUS x\nENV PATH\nRUN echo ok\n");
        let kinds: Vec<_> = p.errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![ErrorKind::UnknownInstruction, ErrorKind::Parse]);
        assert_eq!(p.errors[1].message, "ENV must have two arguments");
        assert_eq!(p.dockerfile.instructions.len(), 4);
        assert!(parse("").errors[0].message.contains("no instructions"));
        assert!(parse("# escape=x\nFROM a").is_rejected());
        assert!(parse("FROM a\nCMD [\"a\", 1]").is_rejected());
        let chained = parse(&format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(5000)));
        assert!(chained.errors.iter().any(|e| e.kind == ErrorKind::Build));
        assert!(parse("FROM a\nONBUILD FROM b").errors[0]
            .message
            .contains("ONBUILD trigger"));
    }

    #[test]
    fn onbuild_inner_has_lines_and_tokens() {
        let text = "FROM a\nONBUILD COPY --from=b \\\n  x /y\n";
        let p = parse(text);
        let outer = &p.dockerfile.instructions[1];
        let InstructionKind::Onbuild { inner: Some(inner) } = &outer.kind else {
            panic!("no inner instruction");
        };
        assert_eq!((inner.start_line, inner.end_line), (2, 3));
        assert_eq!(inner.span.text(text), "COPY --from=b \\\n  x /y");
        let first = p.dockerfile.tokens[inner.tokens.start as usize];
        assert_eq!(first.span.text(text), "COPY");
        let words: Vec<_> = inner.words().iter().map(|w| w.value.as_str()).collect();
        assert_eq!(words, vec!["x", "/y"]);
    }

    #[test]
    fn heredoc_script_becomes_commands() {
        let text = "FROM a\nRUN <<EOF\napt-get update && apt-get install -y curl\nEOF\n";
        let p = parse(text);
        let run = &p.dockerfile.instructions[1];
        assert_eq!(
            run.heredocs[0].content,
            "apt-get update && apt-get install -y curl\n"
        );
        assert!(run.commands[1].is("apt-get", "install"));
        assert_eq!(run.commands[1].span.text(text), "apt-get install -y curl");
        assert_eq!(dump::buildkit_instruction(run), "(run \"<<EOF\")");
    }
}
