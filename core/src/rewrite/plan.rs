//! Plan: decide what is build-time and what the runtime needs.
//!
//! The plan keeps the person's stage as the builder (named, with a few
//! command edits), moves the run-time metadata (`CMD`, `ENTRYPOINT`,
//! `EXPOSE`…) out of it, and describes a runtime stage: its base, the
//! packages and setup commands to replay, the artifacts to copy and the
//! command to run. [`super::render`] turns it into text edits.

use crate::model::vfs::{absolute, is_within};
use crate::model::{Base, Model, Stage, StepKind};
use crate::span::Span;
use crate::syntax::{Command as AstCommand, Instruction, InstructionKind, Keyword, Parse};

use super::facts::{basename, stage_facts, OutputKind, StageFacts};
use super::packages;
use super::runtime::{self, Libc, Needs, Releases, RuntimeBase, RuntimeChoice};
use super::Language;

/// Everything render needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The language detected.
    pub language: Language,
    /// Index of the stage that becomes the builder.
    pub builder: usize,
    /// The builder's stage name (`build`).
    pub builder_name: String,
    /// Where to insert ` AS build` (end of the FROM image word), if the
    /// stage has no name yet.
    pub name_at: Option<u32>,
    /// Small edits inside builder commands: (offset, text to insert).
    pub inserts: Vec<(u32, String)>,
    /// Whole instructions to add to the builder before the instruction
    /// starting at the offset (e.g. creating a virtualenv).
    pub builder_lines: Vec<(u32, Vec<RuntimeLine>)>,
    /// Builder instructions moved earlier (the dependency install before the
    /// sources, so source edits keep its cache): deleted here, re-inserted
    /// through `builder_lines`.
    pub builder_deletes: Vec<Span>,
    /// Instructions moved out of the builder (`CMD`, `ENTRYPOINT`, …), by span.
    pub moved: Vec<Span>,
    /// Instructions appended at the end of the builder (`npm prune`).
    pub builder_append: Vec<RuntimeLine>,
    /// The runtime base.
    pub runtime: RuntimeBase,
    /// The runtime stage's instructions, in order.
    pub runtime_lines: Vec<RuntimeLine>,
    /// Things the person should check.
    pub notes: Vec<String>,
}

/// One instruction of the runtime stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeLine {
    /// An instruction of the original file, copied as written (its span).
    Verbatim(Span),
    /// A new instruction: keyword and the rest of the line.
    New(Keyword, String),
    /// A new `RUN` made of these shell command texts, joined with `&&`.
    Run(Vec<String>),
}

/// Where the rewrite puts the builder's virtualenv.
const VENV: &str = "/opt/venv";

/// Why a file is not rewritten.
pub type Refusal = String;

/// Base images that are toolchains (their weight is build-time only).
fn is_toolchain_image(reference: &str) -> bool {
    let (name, tag, _) = runtime::split_reference(reference);
    let short = runtime::official_name(name);
    let tag = tag.unwrap_or("latest");
    let slim = tag.contains("slim") || tag.contains("alpine");
    match short {
        "golang" | "rust" | "maven" | "gradle" | "haskell" | "gcc" | "buildpack-deps"
        | "openjdk" | "clojure" | "swift" | "elixir" | "erlang" => {
            !(short == "openjdk" && tag.contains("jre"))
        }
        "node" | "python" | "ruby" => !slim,
        "dotnet" | "sdk" => tag.contains("sdk") || short == "sdk",
        "cuda" => tag.contains("devel"),
        _ => false,
    }
}

/// Words of an exec-form or plain shell-form command; `None` when the
/// shell form uses shell syntax (variables, quotes, operators).
fn command_words(command: &AstCommand) -> Option<Vec<String>> {
    match command {
        AstCommand::Exec(words) => Some(words.iter().map(|w| w.value.to_string()).collect()),
        AstCommand::Shell(word) => {
            let plain = !word
                .value
                .contains(['$', '"', '\'', '`', '&', '|', ';', '>', '<', '*', '\\', '(']);
            plain.then(|| word.value.split_whitespace().map(str::to_string).collect())
        }
        AstCommand::None => Some(Vec::new()),
    }
}

/// Programs that ship with the runtime base (interpreters and shells).
fn is_runtime_program(name: &str) -> bool {
    matches!(
        name,
        "node"
            | "npm"
            | "npx"
            | "yarn"
            | "python"
            | "python2"
            | "python3"
            | "java"
            | "dotnet"
            | "ruby"
            | "bundle"
            | "rails"
            | "rake"
            | "php"
            | "sh"
            | "bash"
            | "exec"
            | "apache2"
            | "apache2-foreground"
            | "nginx"
            | "env"
    )
}

/// The stage's entry: the last ENTRYPOINT and CMD instructions.
struct Entry<'a> {
    entrypoint: Option<&'a Instruction>,
    cmd: Option<&'a Instruction>,
}

impl Entry<'_> {
    /// The program a `sh -c "prog args"` entry runs, with `$VAR`s expanded
    /// from the stage's environment.
    fn program(&self, env: &[(String, String)]) -> Option<String> {
        let words = if let Some(words) = self.words() {
            words
        } else {
            let command = self.entrypoint.or(self.cmd)?.command()?;
            let AstCommand::Shell(word) = command else {
                return None;
            };
            word.value.split_whitespace().map(str::to_string).collect()
        };
        let first = match words.first().map(String::as_str) {
            Some("sh" | "/bin/sh" | "bash" | "/bin/bash")
                if words.get(1).is_some_and(|w| w == "-c") =>
            {
                words.get(2)?.split_whitespace().next()?.to_string()
            }
            Some("exec") => words.get(1)?.clone(),
            Some(first) => first.to_string(),
            None => return None,
        };
        Some(expand_env(&first, env))
    }

    /// The words docker runs (ENTRYPOINT then CMD when ENTRYPOINT is exec form),
    /// or `None` when a shell is needed to run it.
    fn words(&self) -> Option<Vec<String>> {
        match (self.entrypoint, self.cmd) {
            (Some(entry), cmd) => {
                let mut words = command_words(entry.command()?)?;
                if let (Some(cmd), true) = (cmd, entry.command().is_some_and(AstCommand::is_exec)) {
                    words.extend(command_words(cmd.command()?)?);
                }
                Some(words)
            }
            (None, Some(cmd)) => command_words(cmd.command()?),
            (None, None) => Some(Vec::new()),
        }
    }

    fn is_shell_form(&self) -> bool {
        [self.entrypoint, self.cmd].into_iter().flatten().any(|i| {
            i.command()
                .is_some_and(|c| matches!(c, AstCommand::Shell(_)))
        })
    }
}

/// `$VAR` and `${VAR}` replaced from `env` (unknown variables kept).
fn expand_env(text: &str, env: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (key, value) in env.iter().rev() {
        out = out
            .replace(&format!("${{{key}}}"), value)
            .replace(&format!("${key}"), value);
    }
    out.trim_end_matches('/').to_string()
}

/// Decide how to split the target stage into builder and runtime.
pub fn plan(
    parse: &Parse,
    model: &Model,
    choice: RuntimeChoice,
    releases: &Releases,
) -> Result<Plan, Refusal> {
    let Some(target) = model.target.or_else(|| model.stages.len().checked_sub(1)) else {
        return Err("there is no FROM instruction".into());
    };
    let stage = &model.stages[target];
    let base = resolve_base(model, target);
    let facts = stage_facts(stage);
    let kept_build = facts.kept_build_packages();
    let toolchain_base = base.as_deref().is_some_and(is_toolchain_image);
    let copies_from_stage = stage.steps.iter().any(|step| {
        matches!(&step.kind, StepKind::Copy(copy) if matches!(copy.from, Some(crate::model::CopyFrom::Stage(_))))
    });
    let builds_nothing = kept_build.is_empty() && facts.compile_dirs.is_empty();
    if model.stages.len() > 1 && builds_nothing && (!toolchain_base || copies_from_stage) {
        return Err(format!(
            "already multi-stage: the final stage runs on {} and builds nothing",
            base.as_deref().unwrap_or("an earlier stage")
        ));
    }
    if !toolchain_base && kept_build.is_empty() && facts.compile_dirs.is_empty() && !facts.pip {
        return Err(
            "the final stage has no toolchain, compiler or build-only packages to leave behind"
                .into(),
        );
    }
    let Some(base) = base else {
        return Err("the final stage's base image could not be resolved".into());
    };
    if facts.custom_prefix || base.contains("conda") || base.contains("pytorch/pytorch") {
        return Err("Python packages go into the base image's own prefix (conda or --prefix/--target); they cannot be separated from it".into());
    }
    if !matches!(stage.base, Base::Image(_)) {
        return Err(
            "the final stage builds on another stage; rewrite that stage's chain by hand".into(),
        );
    }
    let instructions: Vec<&Instruction> = parse
        .dockerfile
        .instructions
        .iter()
        .filter(|i| i.span.start >= stage.from_span.start && stage_contains(model, target, i.span))
        .collect();
    let language = detect_language(&base, &facts);
    Planner {
        parse,
        stage,
        base: &base,
        facts,
        language,
        instructions,
        choice,
        releases,
        context: &model.context,
    }
    .plan(target)
}

/// True when `span` lies in stage `index` (between its FROM and the next).
fn stage_contains(model: &Model, index: usize, span: Span) -> bool {
    let start = model.stages[index].from_span.start;
    let end = model
        .stages
        .get(index + 1)
        .map_or(u32::MAX, |next| next.from_span.start);
    span.start >= start && span.start < end
}

/// The image a stage ultimately starts from.
fn resolve_base(model: &Model, index: usize) -> Option<String> {
    let mut current = index;
    for _ in 0..model.stages.len() {
        match &model.stages.get(current)?.base {
            Base::Image(image) => return Some(image.clone()),
            Base::Scratch => return Some("scratch".into()),
            Base::Stage(parent) => current = *parent,
            Base::Unresolved(text) => return Some(text.clone()),
        }
    }
    None
}

/// Language from the commands first, the base image second.
fn detect_language(base: &str, facts: &StageFacts) -> Language {
    let (name, _, _) = runtime::split_reference(base);
    let from_base = match runtime::official_name(name) {
        "golang" => Some(Language::Go),
        "rust" => Some(Language::Rust),
        "node" => Some(Language::Node),
        "python" => Some(Language::Python),
        "maven" | "gradle" | "openjdk" | "eclipse-temurin" | "amazoncorretto" => {
            Some(Language::Java)
        }
        "haskell" => Some(Language::Haskell),
        "ruby" => Some(Language::Ruby),
        "php" => Some(Language::Php),
        "dotnet" | "sdk" => Some(Language::DotNet),
        _ => None,
    };
    let order = [
        Language::Go,
        Language::Rust,
        Language::Java,
        Language::DotNet,
        Language::Haskell,
        Language::Node,
        Language::Python,
        Language::Ruby,
        Language::Php,
        Language::Native,
    ];
    from_base
        .filter(|language| facts.languages.is_empty() || facts.languages.contains(language))
        .or_else(|| {
            order
                .into_iter()
                .find(|language| facts.languages.contains(language))
        })
        .or(from_base)
        .unwrap_or(Language::Native)
}

struct Planner<'a> {
    parse: &'a Parse,
    stage: &'a Stage,
    base: &'a str,
    facts: StageFacts,
    language: Language,
    instructions: Vec<&'a Instruction>,
    choice: RuntimeChoice,
    releases: &'a Releases,
    context: &'a crate::model::BuildContext,
}

/// The keywords whose instructions only matter at run time.
const RUNTIME_ONLY: &[Keyword] = &[
    Keyword::Cmd,
    Keyword::Entrypoint,
    Keyword::Expose,
    Keyword::Volume,
    Keyword::Healthcheck,
    Keyword::StopSignal,
];

impl Planner<'_> {
    fn plan(self, target: usize) -> Result<Plan, Refusal> {
        let mut notes = Vec::new();
        let entry = Entry {
            entrypoint: self
                .instructions
                .iter()
                .rev()
                .find(|i| i.keyword == Keyword::Entrypoint)
                .copied(),
            cmd: self
                .instructions
                .iter()
                .rev()
                .find(|i| i.keyword == Keyword::Cmd)
                .copied(),
        };
        let entry_words = entry.words();
        let needs_shell = entry.is_shell_form()
            || entry_words.as_ref().is_none()
            || entry_words.as_ref().is_some_and(|w| {
                w.first()
                    .is_some_and(|p| matches!(basename(p), "sh" | "bash"))
            })
            || self.facts.creates_user
            // distroless/nodejs runs `node` itself: other commands need a shell image.
            || (self.language == Language::Node
                && entry_words.as_ref().is_none_or(|w| w.first().is_none_or(|p| basename(p) != "node")));
        let compiled = matches!(
            self.language,
            Language::Go | Language::Rust | Language::Haskell | Language::Native
        );
        let go_static = self.language == Language::Go
            && !self.facts.needs_cgo
            && !self.installs_dev_libraries();
        let rust_static =
            self.language == Language::Rust && runtime::base_libc(self.base) == Libc::Musl;
        let replays = self.replays();
        let needs_packages = !replays.is_empty()
            && !matches!(
                self.language,
                Language::Go | Language::Rust | Language::Java | Language::DotNet
            );
        let libc = if go_static || rust_static {
            Libc::Static
        } else {
            runtime::base_libc(self.base)
        };
        let needs = Needs {
            libc,
            shell: needs_shell,
            packages: needs_packages && !go_static,
        };
        let runtime_base =
            runtime::pick(self.base, self.language, self.choice, needs, self.releases);
        if let Some(note) = &runtime_base.note {
            notes.push(note.clone());
        }
        if runtime::split_reference(&runtime_base.image) == runtime::split_reference(self.base)
            && !runtime_base.same_family
        {
            return Err("no smaller runtime image for this base".into());
        }

        // Artifacts: (path in builder, path in runtime).
        let mut venv_before: Option<Span> = None;
        let mut artifacts: Vec<(String, String)> = Vec::new();
        let final_workdir = self.facts.final_workdir.clone();
        let mut new_entry: Option<Vec<String>> = None;
        let stage_env = self.stage_env();
        let mut entry_exe = entry.program(&stage_env);
        let mut entry_words = entry_words;
        if let Some(words) = self.cargo_run_binary(entry_words.as_deref(), &final_workdir) {
            entry_exe = words.first().cloned();
            entry_words = Some(words);
        }
        let minimal = !runtime_base.same_family && matches!(runtime_base.image.as_str(), "scratch")
            || runtime_base.image.contains("distroless/static");
        if compiled {
            let exe = entry_exe
                .as_deref()
                .and_then(|exe| self.resolve_program(exe, &final_workdir));
            let is_script = exe
                .as_deref()
                .is_some_and(|path| !self.facts.outputs.iter().any(|o| is_within(path, &o.path)));
            match exe {
                Some(path) if !is_script => {
                    let name = basename(&path).to_string();
                    let collides = is_within(&final_workdir, &format!("/{name}"))
                        || self.instructions.iter().any(|i| {
                            i.keyword == Keyword::Volume && i.original.contains(&format!("/{name}"))
                        });
                    let dest = match (minimal, collides) {
                        (true, false) => format!("/{name}"),
                        (true, true) => format!("/usr/local/bin/{name}"),
                        _ => path.clone(),
                    };
                    match entry_words.clone() {
                        Some(mut words)
                            if words.first().is_some_and(|w| {
                                expand_env(w, &stage_env) == path
                                    || absolute(w, &final_workdir) == path
                                    || basename(w) == name
                            }) =>
                        {
                            words[0].clone_from(&dest);
                            new_entry = Some(words);
                        }
                        _ if dest != path => {
                            return Err(
                                "the command that starts the program needs a shell to find it"
                                    .into(),
                            )
                        }
                        _ => {}
                    }
                    artifacts.push((path, dest));
                }
                Some(script) => {
                    // A script copied in: it runs what the build installed.
                    if self
                        .facts
                        .outputs
                        .iter()
                        .any(|o| o.path.contains("/target/"))
                    {
                        return Err("the entrypoint is a script around cargo build output whose binary name is not known".into());
                    }
                    artifacts.push((script.clone(), script));
                    self.push_build_results(&mut artifacts);
                }
                None if entry_exe.is_some()
                    && !entry_exe
                        .as_deref()
                        .is_some_and(|e| is_runtime_program(basename(e))) =>
                {
                    if entry_exe.as_deref() == Some("cargo") {
                        return Err("the program is started with `cargo run`; its binary name is not known without Cargo.toml".into());
                    }
                    return Err(format!(
                        "cannot tell which build output `{}` is",
                        entry_exe.unwrap_or_default()
                    ));
                }
                None => {
                    self.push_build_results(&mut artifacts);
                    if artifacts.is_empty() && entry_exe.is_none() {
                        return Err("no CMD or ENTRYPOINT and no identifiable build output".into());
                    }
                }
            }
        } else {
            // Interpreted: the files the command names, the app directory and
            // the dependency directories.
            let mut named_artifact = false;
            if let Some(words) = &entry_words {
                for word in words {
                    let value = word.split_once('=').map_or(word.as_str(), |(_, v)| v);
                    if value.starts_with('-') || value.is_empty() {
                        continue;
                    }
                    let looks_like_path = value.contains('/')
                        || [
                            ".js", ".py", ".rb", ".dll", ".jar", ".php", ".sh", ".mjs", ".cjs",
                            ".ts",
                        ]
                        .iter()
                        .any(|ext| value.ends_with(ext));
                    if !looks_like_path || value.contains("://") {
                        continue;
                    }
                    let path = absolute(value, &final_workdir);
                    if self.facts.produces(&path) {
                        let parent = if value.ends_with('/') {
                            path.clone()
                        } else {
                            parent_dir(&path)
                        };
                        // A Gradle distribution needs its lib/ next to bin/.
                        let parent = match parent.find("/build/install/") {
                            Some(index) => {
                                let rest = &parent[index + "/build/install/".len()..];
                                format!(
                                    "{}/build/install/{}",
                                    &parent[..index],
                                    rest.split('/').next().unwrap_or(rest)
                                )
                            }
                            None => parent,
                        };
                        artifacts.push((parent.clone(), parent));
                        named_artifact = true;
                    }
                }
            }
            let java_artifact_only = self.language == Language::Java && named_artifact;
            if final_workdir != "/" && self.facts.produces(&final_workdir) && !java_artifact_only {
                artifacts.push((final_workdir.clone(), final_workdir.clone()));
            }
            for output in &self.facts.outputs {
                let sources_are_app = !matches!(self.language, Language::Java | Language::DotNet);
                let kept = matches!(
                    output.kind,
                    OutputKind::Deps | OutputKind::Binary | OutputKind::File
                ) || (output.kind == OutputKind::Source && sources_are_app)
                    || output.path.starts_with("/usr/lib/php");
                if kept && output.path != "/usr/local" && output.path != "/" {
                    artifacts.push((output.path.clone(), output.path.clone()));
                }
            }
            if self.facts.pip || self.language == Language::Python {
                if runtime::base_libc(self.base) == Libc::Musl
                    && runtime::official_name(runtime::split_reference(self.base).0) != "python"
                {
                    // Alpine's system Python installs into /usr/lib.
                    let python2 = self
                        .facts
                        .installs
                        .iter()
                        .flat_map(|i| i.packages.iter())
                        .any(|p| p == "python" || p == "python2" || p == "py-pip");
                    if !python2 {
                        return Err("packages installed with Alpine's system Python 3 live in a versioned /usr/lib directory".into());
                    }
                    artifacts.push((
                        "/usr/lib/python2.7/site-packages".into(),
                        "/usr/lib/python2.7/site-packages".into(),
                    ));
                } else {
                    artifacts.push(("/usr/local".into(), "/usr/local".into()));
                }
            }
            if let Some(exe) = entry_exe.as_deref() {
                if let Some(path) = self.resolve_program(exe, &final_workdir) {
                    artifacts.push((path.clone(), path));
                }
            }
        }
        // Files named by the command's arguments and run-time files copied in
        // (configuration, scripts), except sources the compiler consumed.
        let mut context_copies = Vec::new();
        for (dest, span) in &self.facts.copied {
            if dest == "/" && !compiled {
                // Sources copied into the root: copy them from the context again.
                context_copies.push(*span);
                continue;
            }
            let under_compile = self
                .facts
                .compile_dirs
                .iter()
                .any(|dir| dir != "/" && (is_within(dest, dir) || is_within(dir, dest)));
            // Java and .NET compile too: their sources stay in the builder.
            let compiles = compiled || matches!(self.language, Language::Java | Language::DotNet);
            if dest.starts_with("/tmp") || dest == "/" || (compiles && under_compile) {
                continue;
            }
            if compiles
                && !Self::referenced(dest, entry_words.as_deref().unwrap_or(&[]), &final_workdir)
            {
                let in_bin = ["/usr/bin/", "/usr/local/bin/", "/bin/", "/etc/"]
                    .iter()
                    .any(|p| dest.starts_with(p));
                if !in_bin {
                    continue;
                }
            }
            artifacts.push((dest.clone(), dest.clone()));
        }
        if let Some(words) = &entry_words {
            for word in words.iter().skip(1) {
                let value = word.split_once('=').map_or(word.as_str(), |(_, v)| v);
                if value.starts_with('/')
                    && self.facts.produces(value)
                    && !value.starts_with("/tmp")
                {
                    artifacts.push((value.to_string(), value.to_string()));
                }
            }
        }
        if self.language == Language::Python
            && runtime::official_name(runtime::split_reference(self.base).0) == "python"
        {
            // Python 3: packages go into a virtualenv the runtime copies
            // whole; Python 2 has no venv module, so its site-packages
            // (same path in the slim variant) are copied instead.
            artifacts.retain(|(from, _)| from != "/usr/local");
            let version = runtime::tag_version(runtime::split_reference(self.base).1);
            let first_pip = self.stage.steps.iter().find(|step| {
                matches!(&step.kind, StepKind::Run(run) if run.commands.iter().any(|c| {
                    let python = c.program().starts_with("python") && c.words.iter().any(|w| w == "pip");
                    (c.program().starts_with("pip") || python) && c.words.iter().any(|w| w == "install")
                }))
            });
            let python2 = version.is_some_and(|v| v.starts_with('2'));
            if let (Some(step), false) = (first_pip, python2) {
                venv_before = Some(step.span);
                artifacts.push((VENV.into(), VENV.into()));
            }
            let site = match version {
                Some(v) if v.starts_with('2') => {
                    "/usr/local/lib/python2.7/site-packages".to_string()
                }
                Some(v) if v.matches('.').count() >= 1 && !v.contains('$') => {
                    let minor: Vec<&str> = v.split('.').take(2).collect();
                    format!("/usr/local/lib/python{}/site-packages", minor.join("."))
                }
                _ => String::new(),
            };
            if venv_before.is_none() {
                if site.is_empty() {
                    artifacts.push(("/usr/local/lib".into(), "/usr/local/lib".into()));
                } else {
                    artifacts.push((site.clone(), site));
                }
                artifacts.push(("/usr/local/bin".into(), "/usr/local/bin".into()));
            }
        }
        artifacts.retain(|(from, _)| from != "/" && !from.is_empty());
        crate::sort::ascending(&mut artifacts);
        artifacts.dedup();
        let mut kept: Vec<(String, String)> = Vec::new();
        for artifact in artifacts {
            if kept.iter().any(|(from, to)| {
                from == to && is_within(&artifact.0, from) && artifact.0 == artifact.1
            }) {
                continue;
            }
            kept.retain(|(from, to)| {
                !(from == to && artifact.0 == artifact.1 && is_within(from, &artifact.0))
            });
            kept.push(artifact);
        }
        if kept.is_empty() {
            return Err("nothing identifiable to copy into a runtime stage".into());
        }
        if let Some((bad, _)) = kept.iter().find(|(from, _)| {
            let system_python = self.facts.pip && from.starts_with("/usr/lib/python");
            let venv = venv_before.is_some() && from == VENV;
            !(self.facts.produces(from) || from.starts_with("/usr/local") || system_python || venv)
        }) {
            return Err(format!("the builder does not produce `{bad}`"));
        }

        // Builder edits.
        let mut inserts = Vec::new();
        let mut builder_append = Vec::new();
        if self.language == Language::Node && self.npm_installs_dev_dependencies() {
            // Only production dependencies travel to the runtime.
            builder_append.push(RuntimeLine::New(
                Keyword::Run,
                "npm prune --production".into(),
            ));
        }
        if self.language == Language::Go && minimal {
            notes.push(format!(
                "{} has no CA certificates or time-zone data: if the program makes TLS connections add \
                 `COPY --from={} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`, and for time zones build with `-tags timetzdata`",
                runtime_base.image,
                self.stage.name.as_deref().unwrap_or("build")
            ));
        }
        let mut builder_lines = Vec::new();
        let mut builder_deletes = Vec::new();
        if let Some((before, lines, delete)) = self.dependencies_first() {
            builder_lines.push((before, lines));
            if !delete.is_empty() {
                builder_deletes.push(delete);
            }
        }
        if let Some(first_pip) = venv_before {
            // The virtualenv must exist before the first pip install, wherever
            // that install ends up.
            let venv = vec![
                RuntimeLine::New(Keyword::Run, format!("python -m venv {VENV}")),
                RuntimeLine::New(Keyword::Env, format!("PATH=\"{VENV}/bin:$PATH\"")),
            ];
            match builder_lines
                .iter_mut()
                .find(|(_, lines)| lines.contains(&RuntimeLine::Verbatim(first_pip)))
            {
                Some((_, lines)) => {
                    let at = lines.len() - 1;
                    lines.splice(at..at, venv);
                }
                None => builder_lines.push((first_pip.start, venv)),
            }
        }
        if self.language == Language::Go {
            self.go_edits(go_static, minimal, &mut inserts);
        }
        let from = self.instructions.first().copied();
        let name_at = match self.stage.name.as_deref() {
            Some(_) => None,
            None => from.and_then(|from| match &from.kind {
                InstructionKind::From { args } => args.first().map(|word| word.span.end),
                _ => None,
            }),
        };
        let builder_name = self
            .stage
            .name
            .clone()
            .unwrap_or_else(|| "build".to_string());
        let moved: Vec<Span> = self
            .instructions
            .iter()
            .filter(|i| RUNTIME_ONLY.contains(&i.keyword))
            .map(|i| i.span)
            .collect();

        // Runtime stage.
        let mut lines = Vec::new();
        lines.push(RuntimeLine::New(Keyword::From, runtime_base.image.clone()));
        for instruction in &self.instructions {
            if matches!(
                instruction.keyword,
                Keyword::Arg | Keyword::Env | Keyword::Label
            ) {
                lines.push(RuntimeLine::Verbatim(instruction.span));
            }
        }
        if runtime_base.same_family && runtime_base.has_shell {
            for commands in replays {
                lines.push(RuntimeLine::Run(commands));
            }
        }
        let keep_workdir = final_workdir != "/"
            && (!compiled
                || !self.facts.compile_dirs.iter().any(|dir| {
                    dir != "/" && (is_within(dir, &final_workdir) || is_within(&final_workdir, dir))
                }));
        if keep_workdir {
            lines.push(RuntimeLine::New(Keyword::Workdir, final_workdir.clone()));
        }
        lines.extend(context_copies.into_iter().map(RuntimeLine::Verbatim));
        let user = self.facts.final_user.clone();
        let chown = match (&user, runtime_base.same_family) {
            (Some(user), true) if !compiled && user != "root" && !user.starts_with('0') => {
                Some(user.clone())
            }
            _ => None,
        };
        for (from_path, to_path) in &kept {
            let chown_flag = match (
                &chown,
                from_path.starts_with("/usr/local") || from_path.starts_with("/opt/venv"),
            ) {
                (Some(user), false) => format!("--chown={user} "),
                _ => String::new(),
            };
            lines.push(RuntimeLine::New(
                Keyword::Copy,
                format!("--from={builder_name} {chown_flag}{from_path} {to_path}"),
            ));
        }
        if venv_before.is_some() {
            lines.push(RuntimeLine::New(
                Keyword::Env,
                format!("PATH=\"{VENV}/bin:$PATH\""),
            ));
        }
        match (&user, minimal, runtime_base.image.contains("distroless")) {
            (Some(_), false, false) if runtime_base.same_family || !self.facts.creates_user => {
                if let Some(instruction) = self
                    .instructions
                    .iter()
                    .rev()
                    .find(|i| i.keyword == Keyword::User)
                {
                    lines.push(RuntimeLine::Verbatim(instruction.span));
                }
            }
            (_, true, _) => lines.push(RuntimeLine::New(Keyword::User, "65532:65532".into())),
            (_, _, true) => lines.push(RuntimeLine::New(Keyword::User, "nonroot:nonroot".into())),
            _ => {}
        }
        for instruction in &self.instructions {
            let keyword = instruction.keyword;
            if keyword == Keyword::Healthcheck && !runtime_base.has_shell {
                notes.push(
                    "HEALTHCHECK dropped: the runtime image has no shell or tools to run it".into(),
                );
                continue;
            }
            if matches!(
                keyword,
                Keyword::Expose | Keyword::Volume | Keyword::Healthcheck | Keyword::StopSignal
            ) {
                lines.push(RuntimeLine::Verbatim(instruction.span));
            }
        }
        let distroless_node = runtime_base.image.contains("distroless/nodejs");
        if distroless_node {
            // Its ENTRYPOINT is node: the command keeps only node's arguments.
            let words = entry_words.clone().unwrap_or_default();
            new_entry = None;
            lines.push(RuntimeLine::New(
                Keyword::Cmd,
                json_array(words.get(1..).unwrap_or(&[])),
            ));
        }
        match new_entry {
            _ if distroless_node => {}
            Some(words) if !words.is_empty() => {
                let cmd_count = if entry.entrypoint.is_some() {
                    entry
                        .cmd
                        .and_then(|c| c.command())
                        .and_then(command_words)
                        .map_or(0, |w| w.len())
                } else {
                    words.len().saturating_sub(1)
                };
                let split = words.len().saturating_sub(cmd_count).max(1);
                lines.push(RuntimeLine::New(
                    Keyword::Entrypoint,
                    json_array(&words[..split]),
                ));
                if split < words.len() {
                    lines.push(RuntimeLine::New(Keyword::Cmd, json_array(&words[split..])));
                }
            }
            _ => {
                for instruction in [entry.entrypoint, entry.cmd].into_iter().flatten() {
                    lines.push(RuntimeLine::Verbatim(instruction.span));
                }
                if entry.is_shell_form() && !runtime_base.has_shell {
                    return Err("the command needs a shell and the runtime has none".into());
                }
            }
        }
        if !go_static && self.language == Language::Go {
            notes.push("the Go build needs cgo, so the runtime keeps a C library".into());
        }
        if self.installs_dev_libraries() && !runtime_base.same_family {
            notes.push("development libraries were installed; check the runtime has their shared libraries".into());
        }
        let _ = target;
        Ok(Plan {
            language: self.language,
            builder: self.stage.index,
            builder_name,
            name_at,
            inserts,
            builder_lines,
            builder_deletes,
            moved,
            builder_append,
            runtime: runtime_base,
            runtime_lines: lines,
            notes,
        })
    }

    /// Go: `COPY . .` before the build while the context has `go.mod`: copy
    /// `go.mod`/`go.sum` and download the modules first (nothing deleted).
    fn go_modules_first(&self) -> Option<(u32, Vec<RuntimeLine>, Span)> {
        let mut copy_all = None;
        for step in &self.stage.steps {
            match &step.kind {
                StepKind::Copy(copy) if copy.from.is_none() => {
                    if copy.sources.iter().any(|s| basename(s) == "go.mod") {
                        return None;
                    }
                    if copy.sources.iter().any(|s| s == "." || s == "./") && copy_all.is_none() {
                        copy_all = Some((
                            step.span,
                            copy.workdir.clone(),
                            copy.dest.trim_end_matches('/').to_string(),
                        ));
                    }
                }
                StepKind::Run(run)
                    if run
                        .commands
                        .iter()
                        .any(|c| c.is("go", "build") || c.is("go", "install")) =>
                {
                    let (span, workdir, dest) = copy_all?;
                    let in_root = dest == workdir || dest == ".";
                    if !in_root || self.context.file("go.mod").is_none() {
                        return None;
                    }
                    let sum = if self.context.file("go.sum").is_some() {
                        " go.sum"
                    } else {
                        ""
                    };
                    let lines = vec![
                        RuntimeLine::New(Keyword::Copy, format!("go.mod{sum} ./")),
                        RuntimeLine::New(Keyword::Run, "go mod download".into()),
                    ];
                    return Some((span.start, lines, Span::empty(0)));
                }
                _ => {}
            }
        }
        None
    }

    /// True when `npm install`/`npm ci` ran without a production-only flag.
    fn npm_installs_dev_dependencies(&self) -> bool {
        self.stage.steps.iter().any(|step| {
            let StepKind::Run(run) = &step.kind else {
                return false;
            };
            let production = run
                .env
                .iter()
                .any(|(k, v)| k == "NODE_ENV" && v == "production");
            run.commands.iter().any(|c| {
                let install = matches!(c.program(), "npm")
                    && matches!(c.subcommand(), Some("install" | "i" | "ci"));
                let flags = [
                    "--production",
                    "--omit=dev",
                    "--only=production",
                    "--only=prod",
                    "-g",
                    "--global",
                ];
                install
                    && !production
                    && !c.words.iter().any(|w| flags.contains(&w.as_str()))
                    && c.operands(&[]).is_empty()
            })
        })
    }

    /// `COPY . .` followed by a dependency install that needs only the
    /// manifests: copy the manifests and install first. Returns (insert
    /// before this offset, the new lines, the install RUN to delete).
    fn dependencies_first(&self) -> Option<(u32, Vec<RuntimeLine>, Span)> {
        let text = &self.parse.dockerfile.text;
        if self.language == Language::Go {
            return self.go_modules_first();
        }
        let mut copy_all: Option<(&Instruction, String)> = None;
        for step in &self.stage.steps {
            match &step.kind {
                StepKind::Copy(copy) if copy.from.is_none() => {
                    if copy.sources.iter().any(|s| s == "." || s == "./") {
                        let instruction = self.instructions.iter().find(|i| i.span == step.span)?;
                        copy_all = Some((instruction, copy.dest.trim_end_matches('/').to_string()));
                    } else if copy_all.is_none()
                        && copy.sources.iter().any(|s| {
                            [
                                "package.json",
                                "package-lock.json",
                                "requirements.txt",
                                "go.mod",
                                "Gemfile",
                            ]
                            .contains(&basename(s))
                                || s.starts_with("package")
                        })
                    {
                        return None; // manifests are already copied first
                    }
                }
                StepKind::Run(run) => {
                    let Some((copy, dest)) = &copy_all else {
                        continue;
                    };
                    let [command] = run.commands.as_slice() else {
                        continue;
                    };
                    let install = command.is("npm", "install")
                        || command.is("npm", "ci")
                        || command.is("npm", "i") && command.words.len() == 2
                        || (command.program() == "yarn"
                            && matches!(command.subcommand(), None | Some("install")))
                        || (command.program().starts_with("pip")
                            && command.subcommand() == Some("install")
                            && command.flag_value("-r").is_some());
                    let global = command.has_flag("-g") || command.has_flag("--global");
                    if !install || global || run.workdir != *dest || !run.mounts.is_empty() {
                        return None;
                    }
                    let manifests = match command.program() {
                        "npm" => "package*.json ./".to_string(),
                        "yarn" => "package.json yarn.lock* ./".to_string(),
                        _ => format!("{} ./", command.flag_value("-r")?),
                    };
                    let instruction = self.instructions.iter().find(|i| i.span == step.span)?;
                    if instruction.span.text(text).contains('\n') {
                        return None;
                    }
                    return Some((
                        copy.span.start,
                        vec![
                            RuntimeLine::New(Keyword::Copy, manifests),
                            RuntimeLine::Verbatim(instruction.span),
                        ],
                        instruction.span,
                    ));
                }
                _ => {}
            }
        }
        None
    }

    /// `cargo run [--release] [-- args]` with a `Cargo.toml` in the context:
    /// the binary cargo would run and its arguments.
    fn cargo_run_binary(&self, words: Option<&[String]>, workdir: &str) -> Option<Vec<String>> {
        let words = words?;
        if words.first().map(String::as_str) != Some("cargo")
            || words.get(1).map(String::as_str) != Some("run")
        {
            return None;
        }
        let manifest = self.context.file("Cargo.toml")?.content.as_deref()?;
        let mut in_package = false;
        let mut name = None;
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_package = line == "[package]";
            } else if let Some(value) = line
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix('='))
            {
                if in_package {
                    name = Some(value.trim().trim_matches('"').to_string());
                }
            }
        }
        let name = name.filter(|n| !n.is_empty() && !n.contains(['/', '$']))?;
        let profile = if words.iter().any(|w| w == "--release" || w == "-r") {
            "release"
        } else {
            "debug"
        };
        let mut binary = vec![absolute(&format!("target/{profile}/{name}"), workdir)];
        if let Some(split) = words.iter().position(|w| w == "--") {
            binary.extend(words[split + 1..].iter().cloned());
        }
        Some(binary)
    }

    /// Programs the build wrote (binaries, `make install` trees).
    fn push_build_results(&self, artifacts: &mut Vec<(String, String)>) {
        for output in &self.facts.outputs {
            let install_tree = output.kind == OutputKind::Dir
                && (output.path == "/usr/local"
                    || output.path.ends_with("/bin")
                    || output.path.starts_with("/usr/lib/php"));
            if output.kind == OutputKind::Binary || install_tree {
                artifacts.push((output.path.clone(), output.path.clone()));
            }
        }
    }

    /// The environment at the end of the stage (ENV and ARG values).
    fn stage_env(&self) -> Vec<(String, String)> {
        self.stage
            .steps
            .iter()
            .rev()
            .find_map(|step| match &step.kind {
                StepKind::Run(run) => Some(run.env.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// True when a `-dev`/`-devel` library (not just headers for the
    /// toolchain) was installed: a sign of cgo or native extensions.
    fn installs_dev_libraries(&self) -> bool {
        self.facts
            .installs
            .iter()
            .flat_map(|i| i.packages.iter())
            .any(|p| {
                let name = packages::package_name(p);
                (name.ends_with("-dev") || name.ends_with("-devel"))
                    && !matches!(
                        name,
                        "musl-dev"
                            | "libc6-dev"
                            | "linux-headers"
                            | "libc-dev"
                            | "python-dev"
                            | "python3-dev"
                    )
            })
    }

    /// Where the program named `exe` lives in the builder, if it built it.
    fn resolve_program(&self, exe: &str, workdir: &str) -> Option<String> {
        if exe.contains('/') {
            let path = absolute(exe, workdir);
            return self.facts.produces(&path).then_some(path);
        }
        if is_runtime_program(exe) {
            return None;
        }
        let by_name = self.facts.outputs.iter().find(|o| {
            matches!(o.kind, OutputKind::Binary | OutputKind::File) && basename(&o.path) == exe
        });
        if let Some(output) = by_name {
            return Some(output.path.clone());
        }
        for output in self
            .facts
            .outputs
            .iter()
            .filter(|o| o.kind == OutputKind::Dir)
        {
            let candidate = if output.path == "/usr/local" {
                format!("/usr/local/bin/{exe}")
            } else if output.path.ends_with("/bin") {
                format!("{}/{exe}", output.path)
            } else {
                continue;
            };
            return Some(candidate);
        }
        self.facts
            .copied
            .iter()
            .find(|(dest, _)| basename(dest) == exe)
            .map(|(dest, _)| dest.clone())
    }

    /// True when the entry words name `path` or something inside it.
    fn referenced(path: &str, words: &[String], workdir: &str) -> bool {
        words.iter().skip(1).any(|word| {
            let value = word.split_once('=').map_or(word.as_str(), |(_, v)| v);
            (value.contains('/') || value.contains('.')) && {
                let resolved = absolute(value, workdir);
                is_within(&resolved, path) || is_within(path, &resolved)
            }
        })
    }

    /// Package installs and setup commands the runtime must repeat, per RUN.
    fn replays(&self) -> Vec<Vec<String>> {
        let text = &self.parse.dockerfile.text;
        let healthcheck: String = self
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Healthcheck)
            .map(|i| i.original.clone())
            .collect();
        let musl = runtime::base_libc(self.base) == Libc::Musl;
        let mut replays = Vec::new();
        for step in &self.stage.steps {
            let StepKind::Run(run) = &step.kind else {
                continue;
            };
            let Some(instruction) = self.instructions.iter().find(|i| i.span == step.span) else {
                continue;
            };
            let mut kept: Vec<String> = Vec::new();
            let mut manager = None;
            for (command, shell) in run.commands.iter().zip(instruction.commands.iter()) {
                let program = command.program();
                if let Some(install) = self.facts.installs.iter().find(|i| i.span == command.span) {
                    let mut runtime_packages: Vec<String> = Vec::new();
                    for package in &install.packages {
                        let name = packages::package_name(package);
                        let downloader =
                            matches!(name, "curl" | "wget") && !healthcheck.contains(name);
                        if !packages::is_build_only(package) && !downloader {
                            runtime_packages.push(package.clone());
                        } else if musl {
                            if let Some(library) = packages::alpine_runtime_library(package) {
                                runtime_packages.push(library.to_string());
                            }
                        }
                    }
                    runtime_packages.dedup();
                    if runtime_packages.is_empty() {
                        continue;
                    }
                    let flags: Vec<&str> = shell
                        .args
                        .iter()
                        .map(|w| w.span.text(text))
                        .take_while(|w| w.starts_with('-') || matches!(*w, "install" | "add"))
                        .collect();
                    let mut words = vec![shell.name.span.text(text).to_string()];
                    words.extend(flags.iter().map(|f| (*f).to_string()));
                    if !flags.iter().any(|f| matches!(*f, "install" | "add")) {
                        words.push(if install.manager == "apk" {
                            "add".into()
                        } else {
                            "install".into()
                        });
                    }
                    if install.manager == "apk" && !command.has_flag("--no-cache") {
                        words.push("--no-cache".into());
                    }
                    words.extend(runtime_packages);
                    kept.push(words.join(" "));
                    manager = Some(install.manager.clone());
                    continue;
                }
                let file_paths_absolute = command
                    .non_flag_words()
                    .all(|w| w.starts_with('/') || !w.contains('/'));
                let setup = match program {
                    "useradd"
                    | "adduser"
                    | "groupadd"
                    | "addgroup"
                    | "add-apt-repository"
                    | "a2enmod"
                    | "update-ca-certificates"
                    | "ldconfig" => true,
                    "ln" | "mkdir" => file_paths_absolute,
                    "sed" => {
                        command.has_flag("-i")
                            && command.words.last().is_some_and(|w| w.starts_with("/etc/"))
                    }
                    "npm" | "yarn" | "pnpm" => {
                        command.has_flag("-g")
                            || command.has_flag("--global")
                            || command.subcommand() == Some("global")
                    }
                    _ => false,
                };
                if setup {
                    kept.push(shell.span.text(text).to_string());
                }
            }
            if kept.is_empty() {
                continue;
            }
            match manager.as_deref() {
                Some("apt-get" | "apt") => {
                    let update = run
                        .commands
                        .iter()
                        .find(|c| c.is("apt-get", "update") || c.is("apt", "update"))
                        .map_or("apt-get update".to_string(), |c| c.words.join(" "));
                    kept.insert(0, update);
                    kept.push("rm -rf /var/lib/apt/lists/*".into());
                }
                Some("yum" | "dnf" | "microdnf") => {
                    kept.push(format!("{} clean all", manager.unwrap_or_default()));
                }
                _ => {}
            }
            replays.push(kept);
        }
        if self.language == Language::Haskell && !musl {
            // GHC links programs against libgmp dynamically.
            replays.push(vec![
                "apt-get update".into(),
                "apt-get install -y --no-install-recommends libgmp10".into(),
                "rm -rf /var/lib/apt/lists/*".into(),
            ]);
        }
        replays
    }

    /// `CGO_ENABLED=0` and `-ldflags="-s -w"` on `go build`/`go install`.
    fn go_edits(&self, go_static: bool, minimal: bool, inserts: &mut Vec<(u32, String)>) {
        let text = &self.parse.dockerfile.text;
        for instruction in self
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Run)
        {
            let Some(step) = self.stage.steps.iter().find(|s| s.span == instruction.span) else {
                continue;
            };
            let StepKind::Run(run) = &step.kind else {
                continue;
            };
            let env_off = run
                .env
                .iter()
                .rev()
                .find(|(k, _)| k == "CGO_ENABLED")
                .is_some_and(|(_, v)| v == "0");
            for shell in &instruction.commands {
                if !(shell.is("go", "build") || shell.is("go", "install") || shell.is("go", "get"))
                {
                    continue;
                }
                let has_cgo = shell
                    .assignments
                    .iter()
                    .any(|a| a.text.starts_with("CGO_ENABLED="));
                if go_static && !has_cgo && !env_off && minimal {
                    inserts.push((shell.span.start, "CGO_ENABLED=0 ".into()));
                }
                if !shell.args.iter().any(|a| a.text.starts_with("-ldflags"))
                    && shell.subcommand() != Some("get")
                {
                    if let Some(sub) = shell
                        .args
                        .iter()
                        .find(|a| a.text == "build" || a.text == "install")
                    {
                        let _ = text;
                        inserts.push((sub.span.end, " -ldflags=\"-s -w\"".into()));
                    }
                }
            }
        }
    }
}

/// The directory containing `path`.
fn parent_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(index) => path[..index].to_string(),
    }
}

/// `["a", "b"]` with JSON escaping.
pub fn json_array(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| {
            let mut out = String::from("\"");
            for c in w.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    _ => out.push(c),
                }
            }
            out.push('"');
            out
        })
        .collect();
    format!("[{}]", quoted.join(", "))
}
