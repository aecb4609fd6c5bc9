//! Parsed Dockerfile → [`Model`]: stages, scopes, references, steps.

use super::context::BuildContext;
use super::scope::{expand_with, Scope};
use super::vfs::absolute;
use super::{
    Base, Command, CopyFrom, CopyStep, Model, ModelDiagnostic, Mount, RunStep, Stage, Step,
    StepKind,
};
use crate::syntax::ShellCommand;
use crate::syntax::{Command as AstCommand, Dockerfile, Instruction, InstructionKind, Keyword};
use std::fmt::Write as _;

/// What the model needs from the caller besides the text.
#[derive(Clone, Copy, Debug, Default)]
pub struct ModelOptions<'a> {
    /// `--build-arg` values.
    pub build_args: &'a [(String, String)],
    /// `--target`.
    pub target: Option<&'a str>,
    /// `--platform` (default `linux/amd64`).
    pub platform: Option<&'a str>,
    /// Which catalog snapshot floating tags resolve to (for the base
    /// image's ENV/WORKDIR/USER).
    pub as_of: Option<crate::estimate::catalog::Date>,
}

/// Build the stage model of a parsed file.
pub fn build(dockerfile: &Dockerfile, context: BuildContext, options: &ModelOptions) -> Model {
    let mut builder = Builder {
        model: Model {
            context,
            ..Model::default()
        },
        options,
        scope: Scope::new(),
        shell: default_shell(),
        workdir: "/".to_string(),
        user: "root".to_string(),
        ends: Vec::new(),
    };
    for instruction in &dockerfile.instructions {
        builder.instruction(instruction);
    }
    builder.finish()
}

fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

struct Builder<'a> {
    model: Model,
    options: &'a ModelOptions<'a>,
    /// Scope of the current stage.
    scope: Scope,
    shell: Vec<String>,
    workdir: String,
    user: String,
    /// ENV/SHELL/WORKDIR/USER at the end of each finished stage.
    ends: Vec<Inherited>,
}

/// Per-stage state that a `FROM <stage>` child inherits.
#[derive(Clone)]
struct Inherited {
    env: Vec<(String, String)>,
    shell: Vec<String>,
    workdir: String,
    user: String,
}

impl Builder<'_> {
    fn instruction(&mut self, instruction: &Instruction) {
        if instruction.keyword == Keyword::From {
            self.from(instruction);
            return;
        }
        if self.model.stages.is_empty() {
            if let InstructionKind::Arg { args } = &instruction.kind {
                for decl in args {
                    let default = decl.default.as_ref().map(|word| {
                        let globals = self.model.global_args.clone();
                        expand_global(&word.value, &globals, self.options).0
                    });
                    let value = self.build_arg(&decl.name).or(default);
                    self.model
                        .global_args
                        .retain(|(name, _)| name != &decl.name);
                    self.model.global_args.push((decl.name.clone(), value));
                }
            } else if instruction.keyword != Keyword::Unknown {
                self.diagnostic(
                    instruction.keyword_span,
                    format!(
                        "{} before the first FROM: only ARG may come before FROM",
                        instruction.keyword.as_str()
                    ),
                );
            }
            return;
        }
        let Some(step) = self.step(instruction) else {
            return;
        };
        if let Some(stage) = self.model.stages.last_mut() {
            stage.steps.push(step);
        }
    }

    fn build_arg(&self, name: &str) -> Option<String> {
        self.options
            .build_args
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    fn diagnostic(&mut self, span: crate::span::Span, message: String) {
        self.model
            .diagnostics
            .push(ModelDiagnostic { span, message });
    }

    fn from(&mut self, instruction: &Instruction) {
        if !self.model.stages.is_empty() {
            // Remember where the previous stage ended, for `FROM <stage>`.
            self.ends.push(Inherited {
                env: self.scope.env(),
                shell: self.shell.clone(),
                workdir: self.workdir.clone(),
                user: self.user.clone(),
            });
        }
        let index = self.model.stages.len();
        let globals = self.model.global_args.clone();
        let image_word = instruction.kind.from_image();
        let (base_text, unknown) = image_word.map_or((String::new(), Vec::new()), |word| {
            expand_global(&word.value, &globals, self.options)
        });
        if let (Some(word), false) = (image_word, unknown.is_empty()) {
            self.diagnostic(
                word.span,
                format!(
                    "FROM uses {} with no value (declare it with ARG before the first FROM)",
                    unknown
                        .iter()
                        .map(|name| format!("${name}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let platform = instruction
            .flag("platform")
            .and_then(|flag| flag.value.as_deref())
            .map(|value| expand_global(value, &globals, self.options).0);
        let name = instruction
            .kind
            .from_stage_name()
            .map(|word| word.value.to_ascii_lowercase());
        let lower = base_text.to_ascii_lowercase();
        let base = if base_text.trim().is_empty() {
            if let Some(word) = image_word {
                self.diagnostic(word.span, "FROM names no image".to_string());
            } else {
                self.diagnostic(instruction.span, "FROM names no image".to_string());
            }
            Base::Unresolved(base_text.clone())
        } else if lower == "scratch" {
            Base::Scratch
        } else if let Some(parent) = self
            .model
            .stages
            .iter()
            .rposition(|stage| stage.name.as_deref() == Some(lower.as_str()))
        {
            Base::Stage(parent)
        } else if !unknown.is_empty() || base_text.contains('$') {
            Base::Unresolved(base_text.clone())
        } else {
            Base::Image(base_text.clone())
        };
        if let Some(name) = &name {
            if let Some(word) = instruction.kind.from_stage_name() {
                if self
                    .model
                    .stages
                    .iter()
                    .any(|s| s.name.as_deref() == Some(name))
                {
                    self.diagnostic(word.span, format!("duplicate stage name `{name}`"));
                }
            }
        }
        // A stage built on another stage inherits its image config (ENV,
        // WORKDIR, USER, SHELL), not its ARGs.
        let inherited = match base {
            Base::Stage(parent) => self.ends.get(parent).cloned(),
            _ => None,
        };
        self.scope = Scope::new();
        let inherited = inherited.unwrap_or_else(|| match &base {
            Base::Image(reference) => self.image_config(reference, platform.as_deref()),
            _ => Inherited {
                env: Vec::new(),
                shell: default_shell(),
                workdir: "/".to_string(),
                user: "root".to_string(),
            },
        });
        for (key, value) in &inherited.env {
            self.scope.set_env(key, value);
        }
        self.shell = inherited.shell;
        self.workdir = inherited.workdir;
        self.user = inherited.user;
        self.model.stages.push(Stage {
            index,
            name,
            from_span: instruction.span,
            from_line: instruction.start_line,
            base_text,
            base,
            platform,
            steps: Vec::new(),
        });
    }

    /// ENV/WORKDIR/USER a catalog image sets, read from its history rows
    /// (`ENV GOPATH=/go`, `WORKDIR /go`), so `$GOPATH` and relative paths
    /// mean what they mean in the real image.
    fn image_config(&self, reference: &str, platform: Option<&str>) -> Inherited {
        let mut state = Inherited {
            env: Vec::new(),
            shell: default_shell(),
            workdir: "/".to_string(),
            user: "root".to_string(),
        };
        let resolution = crate::estimate::catalog::resolve_image(
            reference,
            platform.or(self.options.platform),
            self.options.as_of,
        );
        let Some(entry) = resolution.entry else {
            return state;
        };
        for layer in entry.layers {
            let text = layer.created_by.trim_end_matches(" # buildkit");
            let text = text
                .strip_prefix("/bin/sh -c #(nop) ")
                .unwrap_or(text)
                .trim();
            if text.ends_with('…') {
                // Cut by the catalog: the value is incomplete.
                continue;
            }
            if let Some(rest) = text.strip_prefix("ENV ") {
                let (key, value) = match rest.split_once('=') {
                    Some((key, value)) if !key.contains(' ') => (key, value),
                    _ => rest.split_once(' ').unwrap_or((rest, "")),
                };
                let value = value.trim().trim_matches('"');
                state.env.retain(|(k, _)| k != key);
                state.env.push((key.trim().to_string(), value.to_string()));
            } else if let Some(dir) = text.strip_prefix("WORKDIR ") {
                state.workdir = absolute(dir.trim(), &state.workdir);
            } else if let Some(user) = text.strip_prefix("USER ") {
                state.user = user.trim().to_string();
            }
        }
        state
    }

    fn step(&mut self, instruction: &Instruction) -> Option<Step> {
        let keyword = instruction.keyword.as_str().to_ascii_uppercase();
        let mut created_by = String::new();
        let kind = match &instruction.kind {
            InstructionKind::From { .. } => return None,
            InstructionKind::Arg { args } => {
                let mut parts = Vec::new();
                for decl in args {
                    let default = decl
                        .default
                        .as_ref()
                        .map(|w| self.scope.expand_word(&w.value).0);
                    let global = self
                        .model
                        .global_args
                        .iter()
                        .find(|(name, _)| name == &decl.name)
                        .and_then(|(_, value)| value.clone());
                    let value = self
                        .build_arg(&decl.name)
                        .or_else(|| default.clone())
                        .or(global)
                        .or_else(|| predefined_arg(&decl.name, self.options.platform));
                    self.scope.declare_arg(&decl.name, value.as_deref());
                    // BuildKit records the value the build uses (build arg,
                    // else default, else the global ARG's value).
                    parts.push(match &value {
                        Some(v) => format!("{}={v}", decl.name),
                        None => decl.name.clone(),
                    });
                }
                created_by = format!("ARG {}", parts.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Env { pairs } => {
                let mut parts = Vec::new();
                for pair in pairs {
                    let key = pair.key.value.clone();
                    let value = self.scope.expand_word(&pair.value.value).0;
                    parts.push(format!("{key}={value}"));
                    self.scope.set_env(&key, &value);
                }
                created_by = format!("ENV {}", parts.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Label { pairs } => {
                let parts: Vec<String> = pairs
                    .iter()
                    .map(|pair| {
                        format!(
                            "{}={}",
                            self.scope.expand_word(&pair.key.value).0,
                            self.scope.expand_word(&pair.value.value).0
                        )
                    })
                    .collect();
                created_by = format!("LABEL {}", parts.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Workdir { path } => {
                let raw = path
                    .as_ref()
                    .map_or(String::new(), |w| self.scope.expand_word(&w.value).0);
                self.workdir = absolute(&raw, &self.workdir);
                created_by = format!("WORKDIR {}", self.workdir);
                StepKind::Workdir(self.workdir.clone())
            }
            InstructionKind::User { user } => {
                let value = user
                    .as_ref()
                    .map_or(String::new(), |w| self.scope.expand_word(&w.value).0);
                created_by = format!("USER {value}");
                self.user = value;
                StepKind::Metadata
            }
            InstructionKind::Expose { ports } => {
                let mut keys: Vec<String> = ports
                    .iter()
                    .map(|w| {
                        let port = self.scope.expand_word(&w.value).0;
                        if port.contains('/') {
                            port
                        } else {
                            format!("{port}/tcp")
                        }
                    })
                    .collect();
                crate::sort::ascending(&mut keys);
                let body: Vec<String> = keys.iter().map(|k| format!("{k}:{{}}")).collect();
                created_by = format!("EXPOSE map[{}]", body.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Volume { paths, .. } => {
                let list: Vec<String> = paths
                    .iter()
                    .map(|w| self.scope.expand_word(&w.value).0)
                    .collect();
                created_by = format!("VOLUME [{}]", list.join(" "));
                StepKind::Metadata
            }
            InstructionKind::StopSignal { signal } => {
                created_by = format!(
                    "STOPSIGNAL {}",
                    signal.as_ref().map_or("", |w| w.value.as_str())
                );
                StepKind::Metadata
            }
            InstructionKind::Cmd { command } | InstructionKind::Entrypoint { command } => {
                let args = self.command_args(command);
                created_by = format!("{keyword} {}", go_quote_list(&args));
                StepKind::Metadata
            }
            InstructionKind::Shell { command } => {
                if let AstCommand::Exec(words) = command {
                    self.shell = words.iter().map(|w| w.value.to_string()).collect();
                }
                created_by = format!("SHELL [{}]", self.shell.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Healthcheck { mode, command } => {
                created_by = healthcheck_text(instruction, mode.as_ref(), command);
                StepKind::Metadata
            }
            InstructionKind::Maintainer { name } => {
                created_by = format!(
                    "MAINTAINER {}",
                    name.as_ref().map_or("", |w| w.value.as_str())
                );
                StepKind::Metadata
            }
            InstructionKind::Onbuild { .. } => {
                created_by = format!("ONBUILD {}", after_keyword(instruction));
                StepKind::Metadata
            }
            InstructionKind::Run { command } => {
                let (run, text) = self.run(instruction, command);
                created_by = text;
                StepKind::Run(run)
            }
            InstructionKind::Copy { .. } | InstructionKind::Add { .. } => {
                let (copy, text) = self.copy(instruction);
                created_by = text;
                StepKind::Copy(copy)
            }
            InstructionKind::Unknown => StepKind::Other,
        };
        if created_by.is_empty() {
            created_by.clone_from(&instruction.original);
        }
        Some(Step {
            span: instruction.span,
            line: instruction.start_line,
            keyword,
            created_by,
            kind,
        })
    }

    fn command_args(&self, command: &AstCommand) -> Vec<String> {
        match command {
            AstCommand::None => Vec::new(),
            AstCommand::Exec(words) => words.iter().map(|w| w.value.to_string()).collect(),
            AstCommand::Shell(word) => {
                let mut args = self.shell.clone();
                args.push(word.value.to_string());
                args
            }
        }
    }

    fn run(&mut self, instruction: &Instruction, command: &AstCommand) -> (RunStep, String) {
        let mut run = RunStep {
            exec_form: command.is_exec(),
            env: self.scope.vars().to_vec(),
            workdir: self.workdir.clone(),
            user: self.user.clone(),
            ..RunStep::default()
        };
        for flag in &instruction.flags {
            match flag.name.as_str() {
                "mount" => {
                    if let Some(value) = &flag.value {
                        let mount = self.mount(value, flag.span);
                        run.mounts.push(mount);
                    }
                }
                "network" => run.network.clone_from(&flag.value),
                _ => {}
            }
        }
        run.heredoc_bytes = instruction
            .heredocs
            .iter()
            .map(|h| h.content.len() as u64)
            .sum();
        run.commands = instruction
            .commands
            .iter()
            .map(|command| self.shell_command(command))
            .collect();
        if let (AstCommand::Exec(words), true) = (command, run.commands.is_empty()) {
            run.commands.push(Command {
                assignments: Vec::new(),
                words: words.iter().map(|w| w.value.to_string()).collect(),
                span: instruction.span,
            });
        }
        let args = match command {
            AstCommand::Shell(word) => {
                let mut args = self.shell.clone();
                args.push(heredoc_command_text(&word.value, instruction));
                args
            }
            AstCommand::Exec(words) => words.iter().map(|w| w.value.to_string()).collect(),
            AstCommand::None => self.shell.clone(),
        };
        let mut text = String::from("RUN ");
        let build_args: Vec<String> = self
            .scope
            .build_args()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        if !build_args.is_empty() {
            let _ = write!(text, "|{} {} ", build_args.len(), build_args.join(" "));
        }
        text.push_str(&args.join(" "));
        text.push_str(" # buildkit");
        (run, text)
    }

    fn shell_command(&self, command: &ShellCommand) -> Command {
        let assignments = command
            .assignments
            .iter()
            .filter_map(|word| {
                let (key, value) = word.text.split_once('=')?;
                Some((key.to_string(), self.scope.expand(value).0))
            })
            .collect();
        let mut words = Vec::with_capacity(command.args.len() + 1);
        words.push(self.scope.expand(&command.name.text).0);
        for arg in &command.args {
            words.push(self.scope.expand(&arg.text).0);
        }
        Command {
            assignments,
            words,
            span: command.span,
        }
    }

    fn mount(&mut self, value: &str, span: crate::span::Span) -> Mount {
        let mut mount = Mount {
            kind: "bind".to_string(),
            span,
            ..Mount::default()
        };
        for field in value.split(',') {
            let (key, val) = field.split_once('=').unwrap_or((field, ""));
            let val = self.scope.expand_word(val).0;
            match key.trim().to_ascii_lowercase().as_str() {
                "type" => mount.kind = val.to_ascii_lowercase(),
                "target" | "dst" | "destination" => mount.target = absolute(&val, &self.workdir),
                "from" => mount.from = Some(self.reference(&val, span)),
                "source" | "src" => mount.source = Some(val),
                _ => {}
            }
        }
        mount
    }

    /// Resolve a `--from` / `from=` value to a stage, an image or unknown.
    fn reference(&mut self, value: &str, span: crate::span::Span) -> CopyFrom {
        let current = self.model.stages.len().saturating_sub(1);
        if let Some(index) = self.model.stage_by_ref(value, current) {
            return CopyFrom::Stage(index);
        }
        let lower = value.to_ascii_lowercase();
        let later = self
            .model
            .stages
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()));
        if later || (lower.parse::<usize>().is_ok()) {
            self.diagnostic(
                span,
                format!("`{value}` does not name an earlier stage (a stage can only use stages defined before it)"),
            );
            return CopyFrom::Unknown(value.to_string());
        }
        if value.contains([':', '/', '@']) || is_catalog_image(value) {
            return CopyFrom::Image(value.to_string());
        }
        self.diagnostic(
            span,
            format!(
                "no stage named `{value}`; BuildKit will try to pull an image called `{value}`"
            ),
        );
        CopyFrom::Unknown(value.to_string())
    }

    fn copy(&mut self, instruction: &Instruction) -> (CopyStep, String) {
        let add = instruction.keyword == Keyword::Add;
        let mut copy = CopyStep {
            add,
            workdir: self.workdir.clone(),
            ..CopyStep::default()
        };
        let mut text = String::from(if add { "ADD" } else { "COPY" });
        for flag in &instruction.flags {
            let value = flag.value.as_deref().map(|v| self.scope.expand_word(v).0);
            match flag.name.as_str() {
                "from" => {
                    if let Some(value) = &value {
                        copy.from = Some(self.reference(value, flag.span));
                    }
                }
                "chown" => copy.chown = value,
                "chmod" => copy.chmod = value,
                "link" => copy.link = value.as_deref() != Some("false"),
                _ => {}
            }
        }
        if instruction.has_flag("parents") {
            text.push_str(" --parents");
        }
        if let Some(chown) = &copy.chown {
            let _ = write!(text, " --chown={chown}");
        }
        if let Some(chmod) = &copy.chmod {
            let _ = write!(text, " --chmod={chmod}");
        }
        for word in instruction.kind.copy_sources() {
            let source = self.scope.expand_word(&word.value).0;
            text.push(' ');
            text.push_str(&source);
            if let Some(name) = source.strip_prefix("<<") {
                let name = name.trim_start_matches('-').trim_matches(['"', '\'']);
                let bytes = instruction
                    .heredocs
                    .iter()
                    .find(|h| h.name == name)
                    .map_or(0, |h| h.content.len() as u64);
                copy.heredocs.push((name.to_string(), bytes));
            } else {
                copy.sources.push(source);
            }
        }
        let dest_raw = instruction
            .kind
            .copy_dest()
            .map_or(String::new(), |w| self.scope.expand_word(&w.value).0);
        text.push(' ');
        text.push_str(&dest_raw);
        text.push_str(" # buildkit");
        let mut dest = absolute(&dest_raw, &self.workdir);
        if (dest_raw.ends_with('/') || dest_raw == "." || dest_raw.is_empty())
            && !dest.ends_with('/')
        {
            dest.push('/');
        }
        copy.dest = dest;
        (copy, text)
    }

    fn finish(mut self) -> Model {
        let n_stages = self.model.stages.len();
        self.model.target = match self.options.target {
            Some(name) if !name.is_empty() => {
                let found = self.model.stage_by_ref(name, n_stages);
                if found.is_none() {
                    let span = crate::span::Span::empty(0);
                    self.diagnostic(
                        span,
                        format!("--target `{name}` names no stage; using the last stage"),
                    );
                }
                found.or(n_stages.checked_sub(1))
            }
            _ => n_stages.checked_sub(1),
        };
        self.model
    }
}

/// BuildKit's command text for a `RUN` with heredocs: a lone heredoc whose
/// body starts with `#!` runs as a file under `/dev/pipes/`; otherwise the
/// bodies are appended to the command line, each followed by its delimiter.
fn heredoc_command_text(command: &str, instruction: &Instruction) -> String {
    if instruction.heredocs.is_empty() {
        return command.to_string();
    }
    let first = &instruction.heredocs[0];
    let lone =
        command.trim_start().starts_with("<<") && !command.trim().contains(char::is_whitespace);
    if lone && first.content.starts_with("#!") {
        return format!("/dev/pipes/{}", first.name);
    }
    let mut text = command.to_string();
    for heredoc in &instruction.heredocs {
        text.push('\n');
        text.push_str(&heredoc.content);
        text.push_str(&heredoc.name);
    }
    text
}

/// `HEALTHCHECK` as BuildKit records it: Go's `%q` of the health config,
/// `&{["CMD-SHELL" "curl -f …"] "30s" "0s" "0s" "0s" '\x03'}`.
fn healthcheck_text(
    instruction: &Instruction,
    mode: Option<&crate::syntax::Word>,
    command: &AstCommand,
) -> String {
    let test: Vec<String> = if mode.is_some_and(|m| m.value.eq_ignore_ascii_case("none")) {
        vec!["NONE".to_string()]
    } else {
        match command {
            AstCommand::Exec(words) => std::iter::once("CMD".to_string())
                .chain(words.iter().map(|w| w.value.to_string()))
                .collect(),
            AstCommand::Shell(word) => vec!["CMD-SHELL".to_string(), word.value.to_string()],
            AstCommand::None => Vec::new(),
        }
    };
    let duration = |name: &str| -> String {
        let value = instruction
            .flag(name)
            .and_then(|f| f.value.clone())
            .unwrap_or_else(|| "0s".to_string());
        go_quote(&value)
    };
    let retries: u32 = instruction
        .flag("retries")
        .and_then(|f| f.value.as_deref())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let retries = match char::from_u32(retries) {
        Some(c) if !c.is_control() && c != '\'' && c != '\\' => format!("'{c}'"),
        _ => format!("'\\x{retries:02x}'"),
    };
    format!(
        "HEALTHCHECK &{{{} {} {} {} {} {retries}}}",
        go_quote_list(&test),
        duration("interval"),
        duration("timeout"),
        duration("start-period"),
        duration("start-interval"),
    )
}

/// Expand a `FROM` word with the global ARGs and the predefined platform ARGs.
fn expand_global(
    text: &str,
    globals: &[(String, Option<String>)],
    options: &ModelOptions,
) -> (String, Vec<String>) {
    let unquoted: String = text.chars().filter(|c| *c != '"' && *c != '\'').collect();
    expand_with(&unquoted, &|name| {
        globals
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.clone())
            .or_else(|| predefined_arg(name, options.platform))
    })
}

/// BuildKit's automatic platform ARGs.
fn predefined_arg(name: &str, platform: Option<&str>) -> Option<String> {
    let platform = platform.unwrap_or("linux/amd64");
    let mut parts = platform.split('/');
    let os = parts.next().unwrap_or("linux").to_string();
    let arch = parts.next().unwrap_or("amd64").to_string();
    let variant = parts.next().unwrap_or("").to_string();
    match name {
        "TARGETPLATFORM" | "BUILDPLATFORM" => Some(platform.to_string()),
        "TARGETOS" | "BUILDOS" => Some(os),
        "TARGETARCH" | "BUILDARCH" => Some(arch),
        "TARGETVARIANT" | "BUILDVARIANT" => Some(variant),
        _ => None,
    }
}

fn is_catalog_image(name: &str) -> bool {
    crate::estimate::catalog::resolve_image(name, None, None)
        .entry
        .is_some()
}

/// The instruction text after its keyword (flags included), one line.
fn after_keyword(instruction: &Instruction) -> String {
    let original = instruction.original.trim();
    match original.split_once(char::is_whitespace) {
        Some((_, rest)) => rest.trim().to_string(),
        None => String::new(),
    }
}

/// Go's `%q` of a `[]string`: `["/bin/sh" "-c" "x"]`, as BuildKit prints CMD.
fn go_quote_list(args: &[String]) -> String {
    let quoted: Vec<String> = args.iter().map(|arg| go_quote(arg)).collect();
    format!("[{}]", quoted.join(" "))
}

fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
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
    use crate::model::{Base, CopyFrom, StepKind};

    fn model_of(text: &str, build_args: &[(&str, &str)], target: Option<&str>) -> Model {
        let parse = crate::syntax::parse(text);
        let build_args: Vec<(String, String)> = build_args
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        let options = ModelOptions {
            build_args: &build_args,
            target,
            ..ModelOptions::default()
        };
        build(&parse.dockerfile, BuildContext::default(), &options)
    }

    fn run_env(model: &Model, stage: usize, step: usize) -> &[(String, String)] {
        match &model.stages[stage].steps[step].kind {
            StepKind::Run(run) => &run.env,
            other => panic!("not a RUN: {other:?}"),
        }
    }

    fn get<'e>(env: &'e [(String, String)], key: &str) -> Option<&'e str> {
        env.iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn stage_graph_and_references() {
        let text = "FROM golang:alpine AS Build\nRUN go build -o /app .\nFROM build AS test\nRUN true\nFROM alpine:3.21\nCOPY --from=build /app /app\nCOPY --from=0 /app /app0\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\nRUN --mount=from=test,target=/t true\nCOPY --from=missing /x /x\n";
        let model = model_of(text, &[], None);
        assert_eq!(model.stages.len(), 3);
        assert_eq!(
            model.stages[0].name.as_deref(),
            Some("build"),
            "names compare lowercased"
        );
        assert_eq!(model.stages[1].base, Base::Stage(0));
        assert_eq!(model.stages[2].base, Base::Image("alpine:3.21".into()));
        let froms: Vec<Option<CopyFrom>> = model.stages[2]
            .steps
            .iter()
            .filter_map(|step| match &step.kind {
                StepKind::Copy(copy) => Some(copy.from.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            froms,
            [
                Some(CopyFrom::Stage(0)),
                Some(CopyFrom::Stage(0)),
                Some(CopyFrom::Image("nginx:alpine".into())),
                Some(CopyFrom::Unknown("missing".into())),
            ]
        );
        assert_eq!(model.target, Some(2));
        assert_eq!(
            model.target_dependencies(),
            [0, 1, 2],
            "the mount makes `test` needed"
        );
        assert_eq!(model.lineage(1), [0, 1]);
        let diagnostic = model
            .diagnostics
            .iter()
            .find(|d| d.message.contains("missing"))
            .expect("unknown stage reported");
        assert_eq!(diagnostic.span.text(text), "--from=missing");
    }

    #[test]
    fn global_args_build_args_and_stage_scope() {
        let text = "ARG GO=1.19\nARG TAG\nFROM golang:${GO}-alpine\nARG GO\nARG APP=hello\nRUN echo $GO $APP $TAG\n";
        let model = model_of(text, &[("GO", "1.21")], None);
        assert_eq!(
            model.stages[0].base_text, "golang:1.21-alpine",
            "build arg overrides the default"
        );
        let env = run_env(&model, 0, 2);
        assert_eq!(
            get(env, "GO"),
            Some("1.21"),
            "re-declared global ARG keeps its value"
        );
        assert_eq!(get(env, "APP"), Some("hello"));
        assert_eq!(
            get(env, "TAG"),
            None,
            "a global ARG is not visible until declared in the stage"
        );
        let run = &model.stages[0].steps[2];
        assert_eq!(
            run.created_by,
            "RUN |2 GO=1.21 APP=hello /bin/sh -c echo $GO $APP $TAG # buildkit"
        );
        let unset = model_of("ARG BASE\nFROM ${BASE}\n", &[], None);
        assert!(matches!(unset.stages[0].base, Base::Unresolved(_)));
        assert!(!unset.diagnostics.is_empty());
    }

    #[test]
    fn env_is_inherited_by_child_stages_and_from_base_images() {
        let text = "FROM golang:alpine AS b\nENV A=1\nARG B=2\nRUN true\nFROM b\nRUN true\n";
        let model = model_of(text, &[], None);
        let base_env = run_env(&model, 0, 2);
        assert_eq!(
            get(base_env, "GOPATH"),
            Some("/go"),
            "ENV rows of the catalog image"
        );
        let child = run_env(&model, 1, 0);
        assert_eq!(get(child, "A"), Some("1"));
        assert_eq!(get(child, "B"), None, "ARGs do not cross FROM");
        assert_eq!(get(child, "GOPATH"), Some("/go"));
        let StepKind::Run(run) = &model.stages[1].steps[0].kind else {
            panic!("RUN expected");
        };
        assert_eq!(run.workdir, "/go", "the golang image's WORKDIR");
    }

    #[test]
    fn history_text_and_targets() {
        let text = "FROM alpine:3.21 AS base\nWORKDIR app\nCOPY --chown=1:1 --from=base a b ./\nEXPOSE 80 443/udp\nCMD node server.js\nFROM base AS final\n";
        let model = model_of(text, &[], Some("BASE"));
        assert_eq!(model.target, Some(0), "targets match case-insensitively");
        let texts: Vec<&str> = model.stages[0]
            .steps
            .iter()
            .map(|s| s.created_by.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "WORKDIR /app",
                "COPY --chown=1:1 a b ./ # buildkit",
                "EXPOSE map[443/udp:{} 80/tcp:{}]",
                "CMD [\"/bin/sh\" \"-c\" \"node server.js\"]",
            ]
        );
        let more = "FROM alpine:3.21\nARG V=1\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1\nRUN <<EOF\napk add curl\nEOF\nRUN <<EOF\n#!/bin/sh\necho hi\nEOF\n";
        let model = model_of(more, &[("V", "2")], None);
        let texts: Vec<&str> = model.stages[0]
            .steps
            .iter()
            .map(|s| s.created_by.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "ARG V=2",
                "HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x03'}",
                "RUN |1 V=2 /bin/sh -c <<EOF\napk add curl\nEOF # buildkit",
                "RUN |1 V=2 /bin/sh -c /dev/pipes/EOF # buildkit",
            ]
        );
        let missing = model_of(text, &[], Some("nope"));
        assert_eq!(missing.target, Some(1));
        assert!(missing
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nope")));
    }

    #[test]
    fn go_quote_matches_buildkit_cmd_text() {
        assert_eq!(go_quote_list(&["./hello".to_string()]), "[\"./hello\"]");
        assert_eq!(
            go_quote_list(&["/bin/sh".into(), "-c".into(), "echo \"hi\"".into()]),
            "[\"/bin/sh\" \"-c\" \"echo \\\"hi\\\"\"]"
        );
    }

    #[test]
    fn predefined_platform_args() {
        assert_eq!(
            predefined_arg("TARGETARCH", Some("linux/arm64")).as_deref(),
            Some("arm64")
        );
        assert_eq!(predefined_arg("TARGETOS", None).as_deref(), Some("linux"));
        assert_eq!(predefined_arg("OTHER", None), None);
    }
}
