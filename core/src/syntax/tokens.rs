//! Tokens for syntax highlighting; they tile the text, so they are also the
//! tree's trivia (printing them back gives the input byte for byte).

use crate::span::Span;

/// What a stretch of text is, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A UTF-8 byte-order mark at the start.
    Bom,
    /// A parser directive line (`# syntax=…`).
    Directive,
    /// A comment line (also comment lines inside a continuation).
    Comment,
    /// Spaces and tabs.
    Whitespace,
    /// A line break (`\n` or `\r\n`).
    Newline,
    /// The escape character ending a continued line, with trailing blanks.
    LineContinuation,
    /// A known instruction keyword.
    Keyword,
    /// A `--flag[=value]`.
    Flag,
    /// A quoted string (or a JSON string).
    String,
    /// `$VAR` or `${VAR…}`.
    Variable,
    /// Shell operators (`&&`, `||`, `|`, `;`) and JSON punctuation.
    Operator,
    /// A heredoc marker in the instruction line (`<<EOF`).
    HeredocMarker,
    /// A heredoc body (all its lines).
    HeredocBody,
    /// The heredoc terminator line.
    HeredocEnd,
    /// Plain argument text.
    Text,
    /// An unknown keyword or text the parser rejects.
    Error,
}

impl TokenKind {
    /// A short CSS-friendly name (`keyword`, `heredoc-body`, …).
    pub fn css_class(self) -> &'static str {
        match self {
            TokenKind::Bom => "bom",
            TokenKind::Directive => "directive",
            TokenKind::Comment => "comment",
            TokenKind::Whitespace => "whitespace",
            TokenKind::Newline => "newline",
            TokenKind::LineContinuation => "continuation",
            TokenKind::Keyword => "keyword",
            TokenKind::Flag => "flag",
            TokenKind::String => "string",
            TokenKind::Variable => "variable",
            TokenKind::Operator => "operator",
            TokenKind::HeredocMarker => "heredoc-marker",
            TokenKind::HeredocBody => "heredoc-body",
            TokenKind::HeredocEnd => "heredoc-end",
            TokenKind::Text => "text",
            TokenKind::Error => "error",
        }
    }

    /// True for tokens that carry no meaning (whitespace, newlines, continuations, comments).
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Bom
                | TokenKind::Whitespace
                | TokenKind::Newline
                | TokenKind::LineContinuation
                | TokenKind::Comment
        )
    }
}

/// One token: a kind and the bytes it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
}

/// The highlighting tokens of `text` (they tile it: no gaps, no overlaps).
pub fn tokens(text: &str) -> Vec<Token> {
    super::parse(text).dockerfile.tokens
}

/// Lex one stretch of argument text into tokens (strings, variables,
/// operators, text, whitespace). Used for argument regions of a line.
pub(crate) fn lex_args(text: &str, start: usize, end: usize, escape: u8, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut text_start = start;
    let flush = |out: &mut Vec<Token>, from: usize, to: usize| {
        if to > from {
            out.push(Token {
                kind: TokenKind::Text,
                span: Span::new(from as u32, to as u32),
            });
        }
    };
    while i < end {
        let b = bytes[i];
        let (kind, len) = match b {
            b' ' | b'\t' => {
                let mut j = i;
                while j < end && matches!(bytes[j], b' ' | b'\t') {
                    j += 1;
                }
                (TokenKind::Whitespace, j - i)
            }
            b'"' | b'\'' => {
                let mut j = i + 1;
                while j < end && bytes[j] != b {
                    if bytes[j] == escape && b == b'"' && j + 1 < end {
                        j += 1;
                    }
                    j += 1;
                }
                (TokenKind::String, (j + 1).min(end) - i)
            }
            b'$' if i + 1 < end && bytes[i + 1] == b'{' => {
                let mut j = i + 2;
                while j < end && bytes[j] != b'}' {
                    j += 1;
                }
                (TokenKind::Variable, (j + 1).min(end) - i)
            }
            b'$' if i + 1 < end
                && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'_') =>
            {
                let mut j = i + 1;
                while j < end && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                (TokenKind::Variable, j - i)
            }
            b'&' | b'|' if i + 1 < end && bytes[i + 1] == b => (TokenKind::Operator, 2),
            b'|' | b';' | b'[' | b']' | b',' => (TokenKind::Operator, 1),
            // An escaped character stays text. Tokens only ever end at ASCII
            // bytes, so stepping byte by byte never splits a character.
            _ if b == escape && i + 1 < end => {
                i += 2;
                continue;
            }
            _ => {
                // Skip a run of bytes that can't start a token.
                i += 1;
                while i < end && !starts_token(bytes[i], escape) {
                    i += 1;
                }
                continue;
            }
        };
        flush(out, text_start, i);
        out.push(Token {
            kind,
            span: Span::new(i as u32, (i + len) as u32),
        });
        i += len;
        text_start = i;
    }
    flush(out, text_start, end);
}

/// Bytes where [`lex_args`] may start a new token (besides the escape char).
const TOKEN_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = b" \t\"'$&|;[],";
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// True for bytes where [`lex_args`] may start a new token.
fn starts_token(b: u8, escape: u8) -> bool {
    TOKEN_START[usize::from(b)] || b == escape
}
