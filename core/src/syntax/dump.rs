//! Renderings of the tree: BuildKit's `Node.Dump()` format (what
//! `layerlens parse --format buildkit` prints and the conformance tests
//! compare) and a JSON tree with spans.

use super::ast::{Command, Dockerfile, Instruction, InstructionKind, KeyValue, Word};
use crate::span::LineIndex;
use std::fmt::Write as _;

/// The arguments of `inst` as BuildKit's parser lists them (its `Next` chain).
pub fn buildkit_args(inst: &Instruction) -> Vec<&str> {
    fn words<'a>(out: &mut Vec<&'a str>, words: &'a [Word]) {
        for w in words {
            out.push(w.value.as_str());
        }
    }
    fn pairs<'a>(out: &mut Vec<&'a str>, pairs: &'a [KeyValue]) {
        for p in pairs {
            out.push(&p.key.value);
            out.push(&p.value.value);
            out.push(if p.legacy { "" } else { "=" });
        }
    }
    let mut out = Vec::new();
    match &inst.kind {
        InstructionKind::From { args } | InstructionKind::Expose { ports: args } => {
            words(&mut out, args);
        }
        InstructionKind::Copy { paths, .. }
        | InstructionKind::Add { paths, .. }
        | InstructionKind::Volume { paths, .. } => words(&mut out, paths),
        InstructionKind::Run { command }
        | InstructionKind::Cmd { command }
        | InstructionKind::Entrypoint { command }
        | InstructionKind::Shell { command } => command_into(&mut out, command),
        InstructionKind::Env { pairs: p } | InstructionKind::Label { pairs: p } => {
            pairs(&mut out, p);
        }
        InstructionKind::Arg { args } => {
            for a in args {
                out.push(&a.word.value);
            }
        }
        InstructionKind::Workdir { path: w }
        | InstructionKind::User { user: w }
        | InstructionKind::StopSignal { signal: w }
        | InstructionKind::Maintainer { name: w } => {
            if let Some(w) = w {
                out.push(&w.value);
            }
        }
        InstructionKind::Healthcheck { mode, command: c } => {
            if let Some(m) = mode {
                out.push(&m.value);
                command_into(&mut out, c);
            }
        }
        InstructionKind::Onbuild { .. } => {}
        InstructionKind::Unknown => out.push(""),
    }
    out
}

fn command_into<'a>(out: &mut Vec<&'a str>, command: &'a Command) {
    match command {
        Command::None => {}
        Command::Shell(w) => out.push(&w.value),
        Command::Exec(items) => out.extend(items.iter().map(|w| w.value.as_str())),
    }
}

/// One instruction in BuildKit's dump format: `(keyword ["--flag"] "arg"…)`.
pub fn buildkit_instruction(inst: &Instruction) -> String {
    let mut out = String::from("(");
    out.push_str(&buildkit_node(inst));
    out.push(')');
    out
}

fn buildkit_node(inst: &Instruction) -> String {
    let mut out = inst.keyword_text.to_lowercase();
    if !inst.flags.is_empty() {
        out.push_str(" [");
        for (i, f) in inst.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&go_quote(&f.to_buildkit()));
        }
        out.push(']');
    }
    if let InstructionKind::Onbuild { inner: Some(inner) } = &inst.kind {
        out.push_str(" (");
        out.push_str(&buildkit_node(inner));
        out.push(')');
    }
    for arg in buildkit_args(inst) {
        out.push(' ');
        out.push_str(&go_quote(arg));
    }
    out.trim().to_string()
}

/// The whole file in BuildKit's dump format, one instruction per line.
pub fn buildkit(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for inst in &dockerfile.instructions {
        out.push_str(&buildkit_instruction(inst));
        out.push('\n');
    }
    out
}

/// Quote `s` as Go's `strconv.Quote` does.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint`: graphic characters and the
/// ASCII space; not controls, other spaces, format characters or private use.
fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return false;
    }
    if c == ' ' {
        return true;
    }
    if c.is_whitespace() {
        return false;
    }
    !matches!(u,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
        | 0x202a..=0x202e | 0x2060..=0x206f | 0xd800..=0xf8ff | 0xfeff | 0xfff9..=0xfffb
        | 0xfffe | 0xffff | 0x110bd | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a
        | 0xe0001..=0xe007f | 0xf0000..)
}

/// The `original` lines BuildKit reports: `START END "text"` per instruction.
pub fn buildkit_original(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for inst in &dockerfile.instructions {
        let _ = writeln!(
            out,
            "{} {} {}",
            inst.start_line,
            inst.end_line,
            go_quote(&inst.original)
        );
    }
    out
}

/// The heredocs BuildKit reports, one line each.
pub fn buildkit_heredocs(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for (index, inst) in dockerfile.instructions.iter().enumerate() {
        for h in &inst.heredocs {
            let _ = writeln!(
                out,
                "{index} name={} expand={} chomp={} fd={} content={}",
                go_quote(&h.name),
                h.expand,
                h.chomp,
                h.fd,
                go_quote(&h.content)
            );
        }
    }
    out
}

/// The tree as JSON: instructions with keyword, flags, args, spans, lines,
/// heredocs and shell commands, plus the errors (hand-written: the core has
/// no dependencies).
pub fn json(parse: &super::ast::Parse) -> String {
    let d = &parse.dockerfile;
    let index = LineIndex::new(&d.text);
    let mut out = String::from("{\n  \"escape\": ");
    out.push_str(&json_str(&d.escape.to_string()));
    out.push_str(",\n  \"directives\": [");
    for (i, dir) in d.directives.iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let _ = write!(
            out,
            "{{\"name\": {}, \"value\": {}, \"span\": {}}}",
            json_str(&dir.name),
            json_str(&dir.value),
            json_span(dir.span)
        );
    }
    out.push_str("],\n  \"instructions\": [");
    for (i, inst) in d.instructions.iter().enumerate() {
        out.push_str(if i > 0 { "," } else { "" });
        out.push_str("\n    ");
        json_instruction(&mut out, inst);
    }
    out.push_str("\n  ],\n  \"errors\": [");
    for (i, e) in parse.errors.iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let lc = index.line_col(&d.text, e.span.start);
        let _ = write!(
            out,
            "{{\"message\": {}, \"span\": {}, \"line\": {}, \"col\": {}}}",
            json_str(&e.message),
            json_span(e.span),
            lc.line,
            lc.col
        );
    }
    out.push_str("]\n}\n");
    out
}

fn json_instruction(out: &mut String, inst: &Instruction) {
    let _ = write!(
        out,
        "{{\"keyword\": {}, \"span\": {}, \"lines\": [{}, {}], \"flags\": [",
        json_str(&inst.keyword_text),
        json_span(inst.span),
        inst.start_line,
        inst.end_line
    );
    for (i, f) in inst.flags.iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let value = f.value.as_deref().map_or("null".to_string(), json_str);
        let _ = write!(
            out,
            "{{\"name\": {}, \"value\": {value}, \"span\": {}}}",
            json_str(&f.name),
            json_span(f.span)
        );
    }
    out.push_str("], \"args\": [");
    for (i, a) in buildkit_args(inst).iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        out.push_str(&json_str(a));
    }
    out.push_str("], \"words\": [");
    for (i, w) in inst.words().iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let _ = write!(
            out,
            "{{\"value\": {}, \"span\": {}}}",
            json_str(&w.value),
            json_span(w.span)
        );
    }
    out.push_str("], \"heredocs\": [");
    for (i, h) in inst.heredocs.iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let _ = write!(
            out,
            "{{\"name\": {}, \"expand\": {}, \"chomp\": {}, \"body_span\": {}}}",
            json_str(&h.name),
            h.expand,
            h.chomp,
            json_span(h.body_span)
        );
    }
    out.push_str("], \"commands\": [");
    for (i, c) in inst.commands.iter().enumerate() {
        out.push_str(if i > 0 { ", " } else { "" });
        let _ = write!(out, "{{\"name\": {}, \"args\": [", json_str(&c.name.text));
        for (j, a) in c.args.iter().enumerate() {
            out.push_str(if j > 0 { ", " } else { "" });
            out.push_str(&json_str(&a.text));
        }
        let _ = write!(out, "], \"span\": {}}}", json_span(c.span));
    }
    out.push(']');
    if let InstructionKind::Onbuild { inner: Some(inner) } = &inst.kind {
        out.push_str(", \"inner\": ");
        json_instruction(out, inner);
    }
    out.push('}');
}

fn json_span(span: crate::span::Span) -> String {
    format!("[{}, {}]", span.start, span.end)
}

/// `s` as a JSON string literal, quotes and escapes included (shared with the
/// CLI's JSON and SARIF output).
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\td\u{1}"), r#""a\"b\\c\td\x01""#);
        assert_eq!(go_quote("café \u{feff}"), "\"café \\ufeff\"");
    }

    #[test]
    fn dumps_like_buildkit() {
        let p = super::super::parse(
            "FROM a AS b\nLABEL k v\nONBUILD RUN --mount=type=cache,target=/x echo hi\nCMD [\"a\", \"b\"]\n",
        );
        assert_eq!(
            buildkit(&p.dockerfile),
            "(from \"a\" \"AS\" \"b\")\n(label \"k\" \"v\" \"\")\n(onbuild (run [\"--mount=type=cache,target=/x\"] \"echo hi\"))\n(cmd \"a\" \"b\")\n"
        );
    }
}
