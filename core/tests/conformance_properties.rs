//! Property tests of the parser: for any input it never panics, every span
//! lies inside the input on char boundaries, and the tokens tile the input
//! so printing the tree back gives the input byte for byte.

use layerlens::syntax::{parse, Instruction, InstructionKind, Parse};
use layerlens::Span;
use proptest::prelude::*;

fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} span reversed: {span:?}");
    assert!(
        span.end as usize <= text.len(),
        "{what} span out of bounds: {span:?}"
    );
    assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "{what} span not on char boundaries: {span:?}"
    );
}

fn check_instruction(text: &str, inst: &Instruction) {
    check_span(text, inst.span, "instruction");
    check_span(text, inst.keyword_span, "keyword");
    for f in &inst.flags {
        check_span(text, f.span, "flag");
    }
    for h in &inst.heredocs {
        check_span(text, h.body_span, "heredoc body");
        check_span(text, h.terminator_span, "heredoc terminator");
    }
    for c in &inst.commands {
        check_span(text, c.span, "command");
        for w in c.args.iter().chain(&c.assignments).chain(&c.redirects) {
            check_span(text, w.span, "shell word");
        }
    }
    let words: Vec<_> = match &inst.kind {
        InstructionKind::From { args } | InstructionKind::Expose { ports: args } => {
            args.iter().collect()
        }
        InstructionKind::Copy { paths, .. }
        | InstructionKind::Add { paths, .. }
        | InstructionKind::Volume { paths, .. } => paths.iter().collect(),
        InstructionKind::Env { pairs } | InstructionKind::Label { pairs } => {
            pairs.iter().flat_map(|p| [&p.key, &p.value]).collect()
        }
        InstructionKind::Arg { args } => args.iter().map(|a| &a.word).collect(),
        _ => Vec::new(),
    };
    for w in words {
        check_span(text, w.span, "word");
    }
    if let InstructionKind::Onbuild { inner: Some(inner) } = &inst.kind {
        check_instruction(text, inner);
    }
}

fn check(text: &str) -> Parse {
    let parse = parse(text);
    let d = &parse.dockerfile;
    let mut at = 0u32;
    for t in &d.tokens {
        assert_eq!(t.span.start, at, "tokens do not tile at {at}: {t:?}");
        assert!(t.span.end > t.span.start, "empty token {t:?}");
        check_span(text, t.span, "token");
        at = t.span.end;
    }
    assert_eq!(at as usize, text.len(), "tokens stop before the end");
    assert_eq!(d.print(), text, "not lossless");
    for inst in &d.instructions {
        check_instruction(text, inst);
    }
    for e in &parse.errors {
        check_span(text, e.span, "error");
    }
    parse
}

/// Dockerfile-ish text: keywords, flags, quotes, continuations, heredocs,
/// comments, directives, CRLF and non-ASCII, in random order.
fn dockerfile_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FROM ".to_string()),
        Just("RUN ".to_string()),
        Just("run ".to_string()),
        Just("COPY ".to_string()),
        Just("ADD ".to_string()),
        Just("ENV ".to_string()),
        Just("LABEL ".to_string()),
        Just("ARG ".to_string()),
        Just("ONBUILD ".to_string()),
        Just("HEALTHCHECK ".to_string()),
        Just("CMD ".to_string()),
        Just("SHELL ".to_string()),
        Just("--mount=type=cache,target=/x ".to_string()),
        Just("--from=build ".to_string()),
        Just("--".to_string()),
        Just("\\\n".to_string()),
        Just("`\n".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("# comment\n".to_string()),
        Just("# escape=`\n".to_string()),
        Just("# syntax=docker/dockerfile:1\n".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-'EOT' ".to_string()),
        Just("\nEOF\n".to_string()),
        Just("\tEOT\n".to_string()),
        Just("[\"a\", \"b\"]".to_string()),
        Just("[\"a\", 1]".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("k=v ".to_string()),
        Just("k v".to_string()),
        Just("${A:-b} $C ".to_string()),
        Just("&& ".to_string()),
        Just("| ".to_string()),
        Just("; ".to_string()),
        Just("( ".to_string()),
        Just(") ".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("é😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{a0}".to_string()),
        "[a-z/.]{1,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_and_round_trips(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn dockerfile_ish_text_round_trips(text in dockerfile_ish()) {
        check(&text);
    }

    #[test]
    fn bom_prefixed_text_round_trips(text in dockerfile_ish()) {
        check(&format!("\u{feff}{text}"));
    }
}
