//! The Dockerfile parser: lossless, error-tolerant, BuildKit-faithful.
//!
//! # API tour
//!
//! - [`parse`]`(&str) -> `[`Parse`]` { dockerfile, errors }`: never fails,
//!   never panics. `errors` is empty exactly when BuildKit accepts the file
//!   ([`ErrorKind::UnknownInstruction`] and [`ErrorKind::Build`] errors mean
//!   BuildKit's parser accepts the line but its builder rejects it).
//! - [`Dockerfile`]: `directives` (`# syntax=`, `# escape=`, `# check=`),
//!   `instructions`, the lossless `tokens`, the `escape` char, and the parsed
//!   `text`. [`Dockerfile::print`] prints the file back from its tokens, byte
//!   for byte.
//! - [`Instruction`]: `keyword` ([`Keyword`]), `keyword_span`, `flags`
//!   ([`Flag`] `{ name, value, span }`; look one up with
//!   [`Instruction::flag`]`("mount")`), `kind` ([`InstructionKind`], the typed
//!   arguments: `From { args }`, `Run { command }`, `Copy { paths, json }`,
//!   `Env { pairs }`, `Arg { args }`, `Onbuild { inner }`, …), `heredocs`
//!   ([`Heredoc`] with its `content` and `body_span`), `commands`, `span`,
//!   `start_line`/`end_line` (1-based) and `original` (BuildKit's joined line).
//! - Every argument is a [`Word`] `{ value, span }`: `value` is what BuildKit
//!   hands the builder (continuations joined, quotes kept as BuildKit keeps
//!   them), `span` the source bytes it came from.
//! - Tree strings (`Word::value`, `ShellWord::text`, `Flag::name`,
//!   `Instruction::keyword_text`) are [`ShortStr`]: inline up to 22 bytes,
//!   deref to `str`, compare with `&str`/`String`; `.to_string()` for a `String`.
//! - `RUN` is modelled once as shell commands: [`Instruction::commands`] is a
//!   list of [`ShellCommand`] `{ name, args, flags, assignments, redirects,
//!   connector, span }`, split on `&&`, `||`, `;`, `|`, subshells, and read
//!   from a heredoc body when the heredoc is the script; words are unquoted
//!   and have spans. Ask `cmd.is("apt-get", "install")`,
//!   `cmd.has_flag("--no-cache")`.
//! - [`tokens()`](tokens::tokens) gives the highlighting tokens
//!   ([`TokenKind`]: keyword, flag, string, variable, comment, heredoc body,
//!   operator, error …); they tile the text.
//! - [`expand::expand`]`(word, escape, &lookup)` expands `$VAR`, `${VAR:-x}`,
//!   `${VAR%pat}` … and removes quotes as BuildKit does; [`expand::expand_words`]
//!   also splits into words. Scope (which ARG/ENV is visible) is the caller's.
//! - [`dump::buildkit`] renders BuildKit's `(keyword ["--flags"] "args"…)`
//!   format, [`dump::json`] a JSON tree with spans.
//!
//! ```
//! use layerlens::syntax::{parse, InstructionKind};
//! let text = "FROM golang:alpine AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    apk add --no-cache git && go build -o /hello .\n";
//! let parse = parse(text);
//! assert!(parse.errors.is_empty());
//! let run = &parse.dockerfile.instructions[1];
//! assert_eq!(run.flag("mount").unwrap().value.as_deref(), Some("type=cache,target=/root/.cache"));
//! assert!(run.commands[0].is("apk", "add") && run.commands[0].has_flag("--no-cache"));
//! assert_eq!(run.commands[1].span.text(text), "go build -o /hello .");
//! let from = &parse.dockerfile.instructions[0].kind;
//! assert_eq!(from.from_stage_name().unwrap().value, "build");
//! assert_eq!(parse.dockerfile.print(), text);
//! ```

mod ast;
pub mod dump;
pub mod expand;
mod json;
mod line_parsers;
mod parser;
mod shell;
mod short_str;
pub mod tokens;

pub use ast::{
    ArgDecl, Command, Directive, Dockerfile, ErrorKind, Flag, Heredoc, Instruction,
    InstructionKind, KeyValue, Keyword, Parse, SyntaxError, Word,
};
pub use parser::parse;
pub use shell::{Connector, ShellCommand, ShellWord};
pub use short_str::ShortStr;
pub use tokens::{tokens, Token, TokenKind};
