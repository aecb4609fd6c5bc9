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
            Base::Stage(parent) => self
                .model
                .stages
                .get(parent)
                .map(|stage| self.stage_end_state(stage)),
            _ => None,
        };
        self.scope = Scope::new();
        let inherited = inherited.unwrap_or(Inherited {
            env: Vec::new(),
            shell: default_shell(),
            workdir: "/".to_string(),
            user: "root".to_string(),
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

    /// ENV/SHELL/WORKDIR/USER at the end of an earlier stage, replayed from its steps.
    fn stage_end_state(&self, stage: &Stage) -> Inherited {
        let mut state = Inherited {
            env: Vec::new(),
            shell: default_shell(),
            workdir: "/".to_string(),
            user: "root".to_string(),
        };
        if let Base::Stage(parent) = stage.base {
            if parent < stage.index {
                if let Some(parent) = self.model.stages.get(parent) {
                    state = self.stage_end_state(parent);
                }
            }
        }
        for step in &stage.steps {
            match &step.kind {
                StepKind::Run(run) => {
                    state.env.clone_from(&run.env);
                    state.workdir.clone_from(&run.workdir);
                    state.user.clone_from(&run.user);
                }
                StepKind::Workdir(dir) => state.workdir.clone_from(dir),
                _ => {}
            }
        }
        if let Some(last) = stage.steps.iter().rev().find_map(|step| match &step.kind {
            StepKind::Run(run) => Some(run),
            _ => None,
        }) {
            state.env.clone_from(&last.env);
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
                    parts.push(match &default {
                        Some(d) => format!("{}={d}", decl.name),
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
                keys.sort();
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
                    self.shell = words.iter().map(|w| w.value.clone()).collect();
                }
                created_by = format!("SHELL [{}]", self.shell.join(" "));
                StepKind::Metadata
            }
            InstructionKind::Healthcheck { .. } => {
                created_by = format!("HEALTHCHECK {}", after_keyword(instruction));
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
            AstCommand::Exec(words) => words.iter().map(|w| w.value.clone()).collect(),
            AstCommand::Shell(word) => {
                let mut args = self.shell.clone();
                args.push(word.value.clone());
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
                words: words.iter().map(|w| w.value.clone()).collect(),
                span: instruction.span,
            });
        }
        let args = match command {
            AstCommand::Shell(word) => {
                let mut args = self.shell.clone();
                args.push(word.value.clone());
                args
            }
            AstCommand::Exec(words) => words.iter().map(|w| w.value.clone()).collect(),
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
