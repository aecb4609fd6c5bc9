//! The syntax tree: one node per instruction, every node with a byte [`Span`].
//!
//! Values are what BuildKit's parser hands to the builder (continuations
//! joined, comments inside continuations dropped, quotes kept where BuildKit
//! keeps them); spans point back into the text the tree was parsed from.

use super::shell::ShellCommand;
use super::short_str::ShortStr;
use super::tokens::Token;
use crate::span::Span;

/// The result of [`parse`](super::parse): a tree and the problems found. Never fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parse {
    /// The tree (always present, even for invalid input).
    pub dockerfile: Dockerfile,
    /// Problems found, in source order. Empty for a file BuildKit accepts.
    pub errors: Vec<SyntaxError>,
}

impl Parse {
    /// True when BuildKit would refuse this file (any error at all).
    pub fn is_rejected(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A whole Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dockerfile {
    /// The text the tree was parsed from; every span indexes into it.
    pub text: String,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top.
    pub directives: Vec<Directive>,
    /// The instructions in source order.
    pub instructions: Vec<Instruction>,
    /// Lossless token stream: the tokens tile `text` exactly, in order.
    pub tokens: Vec<Token>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    /// True when the text starts with a UTF-8 byte-order mark.
    pub has_bom: bool,
}

impl Dockerfile {
    /// The text `span` covers (`""` when out of range).
    pub fn slice(&self, span: Span) -> &str {
        span.text(&self.text)
    }

    /// Print the file back from its tokens: byte for byte the parsed text.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for token in &self.tokens {
            out.push_str(token.span.text(&self.text));
        }
        out
    }

    /// The directive named `name` (lower case: `syntax`, `escape`, `check`).
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The instruction whose span touches `offset` (for editor hovers).
    pub fn instruction_at(&self, offset: u32) -> Option<&Instruction> {
        self.instructions.iter().find(|i| i.span.touches(offset))
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    /// The value as written (surrounding spaces trimmed).
    pub value: String,
    /// The whole comment line (without its newline).
    pub span: Span,
    /// Just the value.
    pub value_span: Span,
}

/// Which instruction a line is, by keyword (case-insensitive in the source).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    /// `ADD`
    Add,
    /// `ARG`
    Arg,
    /// `CMD`
    Cmd,
    /// `COPY`
    Copy,
    /// `ENTRYPOINT`
    Entrypoint,
    /// `ENV`
    Env,
    /// `EXPOSE`
    Expose,
    /// `FROM`
    From,
    /// `HEALTHCHECK`
    Healthcheck,
    /// `LABEL`
    Label,
    /// `MAINTAINER` (deprecated but accepted)
    Maintainer,
    /// `ONBUILD`
    Onbuild,
    /// `RUN`
    Run,
    /// `SHELL`
    Shell,
    /// `STOPSIGNAL`
    StopSignal,
    /// `USER`
    User,
    /// `VOLUME`
    Volume,
    /// `WORKDIR`
    Workdir,
    /// Anything else (BuildKit's parser keeps it; its builder rejects it).
    Unknown,
}

impl Keyword {
    /// Every known keyword, in alphabetical order.
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::StopSignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Classify a keyword as written (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Keyword {
        let bytes = name.as_bytes();
        if bytes.len() < 3 || bytes.len() > 11 {
            return Keyword::Unknown;
        }
        let mut upper = [0u8; 11];
        for (u, b) in upper.iter_mut().zip(bytes) {
            *u = b.to_ascii_uppercase();
        }
        match &upper[..bytes.len()] {
            b"ADD" => Keyword::Add,
            b"ARG" => Keyword::Arg,
            b"CMD" => Keyword::Cmd,
            b"COPY" => Keyword::Copy,
            b"ENTRYPOINT" => Keyword::Entrypoint,
            b"ENV" => Keyword::Env,
            b"EXPOSE" => Keyword::Expose,
            b"FROM" => Keyword::From,
            b"HEALTHCHECK" => Keyword::Healthcheck,
            b"LABEL" => Keyword::Label,
            b"MAINTAINER" => Keyword::Maintainer,
            b"ONBUILD" => Keyword::Onbuild,
            b"RUN" => Keyword::Run,
            b"SHELL" => Keyword::Shell,
            b"STOPSIGNAL" => Keyword::StopSignal,
            b"USER" => Keyword::User,
            b"VOLUME" => Keyword::Volume,
            b"WORKDIR" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// The canonical upper-case spelling (`""` for [`Keyword::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::StopSignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }
}

/// One instruction (a logical line, plus its heredoc bodies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Which instruction this is.
    pub keyword: Keyword,
    /// The keyword as written (e.g. `run`, `Copy`, or an unknown word).
    pub keyword_text: ShortStr,
    /// Where the keyword is.
    pub keyword_span: Span,
    /// `--name=value` flags before the arguments, as BuildKit extracts them.
    pub flags: Vec<Flag>,
    /// The arguments, typed per instruction.
    pub kind: InstructionKind,
    /// Heredoc bodies (`RUN`, `COPY`, `ADD` only), in the order they are read.
    pub heredocs: Vec<Heredoc>,
    /// For `RUN` (shell form or a heredoc script): the shell commands it runs.
    pub commands: Vec<ShellCommand>,
    /// From the keyword to the end of the last line (continuations and
    /// heredoc terminator included, final newline excluded). For an `ONBUILD`
    /// inner instruction, from its keyword to the end of its arguments.
    pub span: Span,
    /// BuildKit's `Original`: the logical line with continuations joined.
    pub original: String,
    /// 1-based line of the keyword.
    pub start_line: u32,
    /// 1-based last line (the heredoc terminator's line for heredocs).
    pub end_line: u32,
    /// Indices into [`Dockerfile::tokens`] covering `span`.
    pub tokens: std::ops::Range<u32>,
}

impl Instruction {
    /// The flag named `name` (without the leading `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// True when a flag named `name` is present.
    pub fn has_flag(&self, name: &str) -> bool {
        self.flag(name).is_some()
    }

    /// The exec/shell command of `RUN`, `CMD`, `ENTRYPOINT`, `SHELL` and `HEALTHCHECK`.
    pub fn command(&self) -> Option<&Command> {
        match &self.kind {
            InstructionKind::Run { command }
            | InstructionKind::Cmd { command }
            | InstructionKind::Entrypoint { command }
            | InstructionKind::Shell { command }
            | InstructionKind::Healthcheck { command, .. } => Some(command),
            _ => None,
        }
    }

    /// Every argument word in order, as BuildKit lists them (ENV/LABEL pairs
    /// give key then value; exec forms give each element; the ONBUILD inner
    /// instruction is not included).
    pub fn words(&self) -> Vec<&Word> {
        fn command(c: &Command) -> Vec<&Word> {
            match c {
                Command::None => Vec::new(),
                Command::Shell(w) => vec![w],
                Command::Exec(items) => items.iter().collect(),
            }
        }
        match &self.kind {
            InstructionKind::From { args } | InstructionKind::Expose { ports: args } => {
                args.iter().collect()
            }
            InstructionKind::Copy { paths, .. }
            | InstructionKind::Add { paths, .. }
            | InstructionKind::Volume { paths, .. } => paths.iter().collect(),
            InstructionKind::Run { command: c }
            | InstructionKind::Cmd { command: c }
            | InstructionKind::Entrypoint { command: c }
            | InstructionKind::Shell { command: c } => command(c),
            InstructionKind::Env { pairs } | InstructionKind::Label { pairs } => {
                pairs.iter().flat_map(|p| [&p.key, &p.value]).collect()
            }
            InstructionKind::Arg { args } => args.iter().map(|a| &a.word).collect(),
            InstructionKind::Workdir { path: w }
            | InstructionKind::User { user: w }
            | InstructionKind::StopSignal { signal: w }
            | InstructionKind::Maintainer { name: w } => w.iter().collect(),
            InstructionKind::Healthcheck { mode, command: c } => {
                mode.iter().chain(command(c)).collect()
            }
            InstructionKind::Onbuild { .. } | InstructionKind::Unknown => Vec::new(),
        }
    }

    /// Shell commands of this `RUN`, matching `name` (see [`ShellCommand::is`]).
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ShellCommand> {
        self.commands.iter().filter(move |c| c.name.text == name)
    }
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The name without `--` (e.g. `mount`, `from`, `link`).
    pub name: ShortStr,
    /// The value after `=`, with BuildKit's quote and backslash processing;
    /// `None` for a bare `--link`.
    pub value: Option<String>,
    /// The flag as written, `--` through the end of its value.
    pub span: Span,
}

impl Flag {
    /// The flag as BuildKit prints it: `--name` or `--name=value`.
    pub fn to_buildkit(&self) -> String {
        match &self.value {
            Some(v) => format!("--{}={v}", self.name),
            None => format!("--{}", self.name),
        }
    }
}

/// One argument value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The value as BuildKit's parser delivers it (continuations joined;
    /// quotes kept as written for shell-form words, removed for JSON strings).
    pub value: ShortStr,
    /// The source bytes it came from (may cross continuation lines).
    pub span: Span,
}

/// Shell form or exec (JSON) form of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// No command given (`CMD` alone, or `CMD []`).
    None,
    /// Shell form: the whole command string, run with the `SHELL`.
    Shell(Word),
    /// Exec form: a JSON array of strings.
    Exec(Vec<Word>),
}

impl Command {
    /// True for the JSON (exec) form.
    pub fn is_exec(&self) -> bool {
        matches!(self, Command::Exec(_))
    }
}

/// A `key=value` (or legacy `key value`) pair of `ENV` or `LABEL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The key as written.
    pub key: Word,
    /// The value as BuildKit delivers it (quotes kept; expand with [`super::expand`]).
    pub value: Word,
    /// True for the legacy `ENV key value` form (one pair, value is the rest of the line).
    pub legacy: bool,
}

/// One `ARG` declaration: `name` or `name=default`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    /// The whole word as BuildKit delivers it (quotes kept).
    pub word: Word,
    /// The name (before `=`).
    pub name: String,
    /// The default after `=`, still quoted as written; `None` without `=`.
    pub default: Option<Word>,
}

/// A heredoc body attached to `RUN`, `COPY` or `ADD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word (`EOF`), quotes removed.
    pub name: String,
    /// False when the delimiter was quoted (`<<'EOF'`): no variable expansion.
    pub expand: bool,
    /// True for `<<-EOF` (leading tabs are stripped when used).
    pub chomp: bool,
    /// File descriptor prefix (`3<<EOF` gives 3; default 0).
    pub fd: u32,
    /// The body exactly as BuildKit delivers it (lines with their newlines).
    pub content: String,
    /// The body lines (without the terminator line).
    pub body_span: Span,
    /// The terminator line (empty at end of file when unterminated).
    pub terminator_span: Span,
}

/// Arguments of an instruction, typed per instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstructionKind {
    /// `FROM image [AS name]`: the whitespace-separated words.
    From {
        /// Words as written: image, then optionally `AS` and the stage name.
        args: Vec<Word>,
    },
    /// `RUN`: the command (shell commands are in [`Instruction::commands`]).
    Run {
        /// Shell or exec form.
        command: Command,
    },
    /// `CMD`: default command.
    Cmd {
        /// Shell or exec form.
        command: Command,
    },
    /// `ENTRYPOINT`: the executable.
    Entrypoint {
        /// Shell or exec form.
        command: Command,
    },
    /// `SHELL ["sh", "-c"]`.
    Shell {
        /// Normally exec form.
        command: Command,
    },
    /// `COPY src… dest`.
    Copy {
        /// Sources then destination (a heredoc source appears as `<<EOF`).
        paths: Vec<Word>,
        /// True for the JSON form.
        json: bool,
    },
    /// `ADD src… dest`.
    Add {
        /// Sources then destination.
        paths: Vec<Word>,
        /// True for the JSON form.
        json: bool,
    },
    /// `ENV k=v …` or `ENV k v`.
    Env {
        /// The pairs in order.
        pairs: Vec<KeyValue>,
    },
    /// `LABEL k=v …` or `LABEL k v`.
    Label {
        /// The pairs in order.
        pairs: Vec<KeyValue>,
    },
    /// `ARG name[=default] …`.
    Arg {
        /// The declarations in order.
        args: Vec<ArgDecl>,
    },
    /// `WORKDIR path`.
    Workdir {
        /// The rest of the line.
        path: Option<Word>,
    },
    /// `USER user[:group]`.
    User {
        /// The rest of the line.
        user: Option<Word>,
    },
    /// `EXPOSE port…`.
    Expose {
        /// Ports as written.
        ports: Vec<Word>,
    },
    /// `VOLUME path…` or JSON.
    Volume {
        /// Paths as written.
        paths: Vec<Word>,
        /// True for the JSON form.
        json: bool,
    },
    /// `HEALTHCHECK NONE` or `HEALTHCHECK [flags] CMD …`.
    Healthcheck {
        /// The first word (`CMD` or `NONE`, as written).
        mode: Option<Word>,
        /// The command after `CMD`.
        command: Command,
    },
    /// `ONBUILD instruction`.
    Onbuild {
        /// The wrapped instruction (`None` for a bare `ONBUILD`).
        inner: Option<Box<Instruction>>,
    },
    /// `STOPSIGNAL signal`.
    StopSignal {
        /// The rest of the line.
        signal: Option<Word>,
    },
    /// `MAINTAINER name`.
    Maintainer {
        /// The rest of the line.
        name: Option<Word>,
    },
    /// An unrecognised keyword: nothing is interpreted.
    Unknown,
}

impl InstructionKind {
    /// For `FROM`: the image reference.
    pub fn from_image(&self) -> Option<&Word> {
        match self {
            InstructionKind::From { args } => args.first(),
            _ => None,
        }
    }

    /// For `FROM … AS name`: the stage name.
    pub fn from_stage_name(&self) -> Option<&Word> {
        match self {
            InstructionKind::From { args }
                if args.len() >= 3 && args[1].value.eq_ignore_ascii_case("as") =>
            {
                args.get(2)
            }
            _ => None,
        }
    }

    /// For `COPY`/`ADD`: the source paths (all but the last).
    pub fn copy_sources(&self) -> &[Word] {
        match self {
            InstructionKind::Copy { paths, .. } | InstructionKind::Add { paths, .. } => {
                &paths[..paths.len().saturating_sub(1)]
            }
            _ => &[],
        }
    }

    /// For `COPY`/`ADD`: the destination (the last path).
    pub fn copy_dest(&self) -> Option<&Word> {
        match self {
            InstructionKind::Copy { paths, .. } | InstructionKind::Add { paths, .. }
                if paths.len() >= 2 =>
            {
                paths.last()
            }
            _ => None,
        }
    }
}

/// How bad a [`SyntaxError`] is for BuildKit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// BuildKit's parser rejects the file.
    Parse,
    /// BuildKit's parser accepts the line but the build rejects the unknown instruction.
    UnknownInstruction,
    /// BuildKit's parser accepts the line but the build rejects it for
    /// another reason (e.g. `ONBUILD ONBUILD`, `ONBUILD FROM`).
    Build,
}

/// A problem in the text, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where (may be empty, e.g. at end of file).
    pub span: Span,
    /// What, in BuildKit's words where it has some.
    pub message: String,
    /// Whether the parser or the builder rejects it.
    pub kind: ErrorKind,
}

#[cfg(test)]
mod tests {
    use super::Keyword;

    #[test]
    fn keyword_names_round_trip() {
        for k in Keyword::ALL {
            assert_eq!(Keyword::from_name(k.as_str()), k);
            assert_eq!(Keyword::from_name(&k.as_str().to_lowercase()), k);
        }
        assert_eq!(Keyword::from_name("FROMX"), Keyword::Unknown);
        assert_eq!(Keyword::from_name(""), Keyword::Unknown);
    }
}
