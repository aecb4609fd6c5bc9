//! What a stage builds and where the results land, read from the stage
//! model's expanded commands (never from raw text).

use crate::model::vfs::{absolute, is_within};
use crate::model::{Command, Stage, StepKind};
use crate::span::Span;

use super::packages;
use super::Language;

/// A path a stage writes, and what kind of thing it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Absolute path.
    pub path: String,
    /// What wrote it.
    pub kind: OutputKind,
}

/// What kind of output a command produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// A program the compiler wrote (`go build -o`, `gcc -o`).
    Binary,
    /// A directory of build results or installed programs (`make install`
    /// → `/usr/local`, `cargo build` → `target/release`).
    Dir,
    /// A file copied, moved, downloaded or archived (`cp`, `wget -O`, `tar -cf`).
    File,
    /// Dependencies an installer wrote (`node_modules`, site-packages, gems).
    Deps,
    /// Sources fetched at build time (`git clone`): the app itself for
    /// interpreted languages.
    Source,
}

/// A package install command in a `RUN`, with the packages it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInstall {
    /// Span of the command in the text.
    pub span: Span,
    /// `apt-get`, `apt`, `apk`, `yum`, `dnf`, `microdnf`.
    pub manager: String,
    /// Package names as written.
    pub packages: Vec<String>,
    /// True when the same `RUN` removes them again (`apk del`, `apt-get purge`).
    pub removed_in_same_run: bool,
}

/// Everything the planner and the rules need to know about one stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// Paths build commands wrote.
    pub outputs: Vec<Output>,
    /// `COPY`/`ADD` destinations from the context (absolute; a trailing `/`
    /// removed), with the instruction span.
    pub copied: Vec<(String, Span)>,
    /// Directories build commands ran in (WORKDIR plus `cd`).
    pub build_dirs: Vec<String>,
    /// Directories compilers ran in (their sources live there).
    pub compile_dirs: Vec<String>,
    /// OS package installs.
    pub installs: Vec<PackageInstall>,
    /// Languages whose tools the stage runs, strongest signal first.
    pub languages: Vec<Language>,
    /// The working directory at the end of the stage.
    pub final_workdir: String,
    /// The user at the end of the stage (`USER`), if set.
    pub final_user: Option<String>,
    /// True when `pip install` runs (and with which python: `python`/`pip3`).
    pub pip: bool,
    /// True when a `go` command explicitly needs cgo (`CGO_ENABLED=1`, sqlite tags).
    pub needs_cgo: bool,
    /// True when `useradd`/`adduser`/`groupadd` runs.
    pub creates_user: bool,
    /// True when packages are installed into a custom prefix (`pip
    /// --prefix/--target/--root`), which the planner cannot follow.
    pub custom_prefix: bool,
}

/// Package manager programs and the subcommand that installs.
const INSTALLERS: &[(&str, &str)] = &[
    ("apt-get", "install"),
    ("apt", "install"),
    ("apk", "add"),
    ("yum", "install"),
    ("dnf", "install"),
    ("microdnf", "install"),
];

/// Flags of install commands that take a value.
const VALUE_FLAGS: &[&str] = &[
    "-o",
    "--virtual",
    "-t",
    "--repository",
    "-X",
    "--setopt",
    "--target-release",
];

/// The value of an environment variable at this step.
fn env_value<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The last path component (`/a/b/` → `b`), without a `@version` suffix.
pub fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
    last.split('@').next().unwrap_or(last)
}

/// `wget -qO/path`, `-O path`, `--output-document=path`; `curl -o path`.
fn download_target(command: &Command) -> Option<&str> {
    let letter = match command.program() {
        "wget" => 'O',
        "curl" => 'o',
        _ => return None,
    };
    let mut words = command.words.iter().skip(1).map(String::as_str);
    while let Some(word) = words.next() {
        if let Some(value) = word
            .strip_prefix("--output-document=")
            .or_else(|| word.strip_prefix("--output="))
        {
            return Some(value);
        }
        if word == "--output-document" || word == "--output" {
            return words.next();
        }
        if word.starts_with('-') && !word.starts_with("--") {
            if let Some(index) = word.find(letter) {
                let rest = &word[index + 1..];
                return if rest.is_empty() {
                    words.next()
                } else {
                    Some(rest)
                };
            }
        }
    }
    None
}

/// `env A=1 make …`, `sudo make …`: the command the wrapper runs.
fn strip_wrapper(command: &Command) -> Option<Command> {
    if !matches!(command.program(), "env" | "sudo" | "nice" | "exec" | "time") {
        return None;
    }
    let mut assignments = command.assignments.clone();
    let mut words = command.words.iter().skip(1).peekable();
    while let Some(word) = words.peek() {
        if word.starts_with('-') {
            words.next();
        } else if let Some((key, value)) = word
            .split_once('=')
            .filter(|(k, _)| !k.is_empty() && !k.contains('/'))
        {
            assignments.push((key.to_string(), value.to_string()));
            words.next();
        } else {
            break;
        }
    }
    let words: Vec<String> = words.cloned().collect();
    (!words.is_empty()).then_some(Command {
        assignments,
        words,
        span: command.span,
    })
}

/// A `go get`/`go install` argument that names a program rather than a
/// library (`…/cmd/x`, `host/owner/repo`, `x/lint/golint`).
fn is_go_program(target: &str) -> bool {
    let path = target
        .split('@')
        .next()
        .unwrap_or(target)
        .trim_end_matches("/...");
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() <= 3
        || parts.contains(&"cmd")
        || parts.len() >= 2 && parts[parts.len() - 1].contains(parts[parts.len() - 2])
}

/// Language a program belongs to, if it is a build tool.
fn language_of(command: &Command) -> Option<Language> {
    let program = command.program();
    let language = match program {
        "go" => Language::Go,
        "cargo" | "rustc" | "rustup" => Language::Rust,
        "mvn" | "mvnw" | "gradle" | "gradlew" | "javac" => Language::Java,
        "dotnet" => Language::DotNet,
        "cabal" | "stack" | "ghc" => Language::Haskell,
        "npm" | "yarn" | "pnpm" | "npx" => Language::Node,
        "pip" | "pip2" | "pip3" | "uv" | "pipenv" | "poetry" | "virtualenv" => Language::Python,
        "python" | "python2" | "python3" if command.words.iter().any(|w| w == "pip") => {
            Language::Python
        }
        "bundle" | "gem" => Language::Ruby,
        "composer" | "phpize" => Language::Php,
        "gcc" | "g++" | "cc" | "c++" | "clang" | "make" | "cmake" | "ninja" => Language::Native,
        _ => return None,
    };
    Some(language)
}

/// Read a stage's steps.
pub fn stage_facts(stage: &Stage) -> StageFacts {
    let mut facts = StageFacts {
        final_workdir: "/".to_string(),
        ..StageFacts::default()
    };
    let mut seen_languages: Vec<Language> = Vec::new();
    for step in &stage.steps {
        match &step.kind {
            StepKind::Workdir(dir) => facts.final_workdir.clone_from(dir),
            StepKind::Copy(copy) if copy.from.is_none() => {
                let dest = copy.dest.trim_end_matches('/');
                let dest = if dest.is_empty() { "/" } else { dest };
                let dest = if copy.dest.ends_with('/')
                    && copy.sources.len() == 1
                    && !copy.sources[0].ends_with('/')
                    && copy.sources[0] != "."
                    && !copy.sources[0].contains('*')
                {
                    absolute(basename(&copy.sources[0]), dest)
                } else {
                    dest.to_string()
                };
                facts.copied.push((dest, step.span));
            }
            StepKind::Metadata if step.keyword == "USER" => {
                let user = step.created_by.rsplit(' ').next().unwrap_or("").to_string();
                facts.final_user = (!user.is_empty()).then_some(user);
            }
            StepKind::Run(run) => {
                let mut cwd = run.workdir.clone();
                let mut removed: Vec<String> = Vec::new();
                for command in &run.commands {
                    if command.is("apk", "del")
                        || command.is("apt-get", "purge")
                        || command.is("apt-get", "remove")
                        || command.is("apt", "purge")
                        || command.is("apt", "remove")
                        || command.is("yum", "remove")
                        || command.is("dnf", "remove")
                    {
                        removed.extend(
                            command
                                .operands(VALUE_FLAGS)
                                .into_iter()
                                .map(str::to_string),
                        );
                    }
                }
                for original in &run.commands {
                    let stripped = strip_wrapper(original);
                    let command = stripped.as_ref().unwrap_or(original);
                    let env = |name: &str| {
                        command
                            .assignments
                            .iter()
                            .rev()
                            .find(|(key, _)| key == name)
                            .map(|(_, value)| value.as_str())
                            .or_else(|| env_value(&run.env, name))
                    };
                    if let Some(language) = language_of(command) {
                        if !seen_languages.contains(&language) {
                            seen_languages.push(language);
                        }
                        if !facts.build_dirs.contains(&cwd) {
                            facts.build_dirs.push(cwd.clone());
                        }
                    }
                    let program = command.program();
                    let operands =
                        command.operands(&["-o", "-C", "-f", "-t", "-p", "-tags", "-ldflags"]);
                    let mut out =
                        |path: String, kind: OutputKind| facts.outputs.push(Output { path, kind });
                    match program {
                        "cd" => {
                            if let Some(dir) = command.words.get(1) {
                                cwd = absolute(dir, &cwd);
                            }
                        }
                        "go" => {
                            let sub = command.subcommand().unwrap_or("");
                            if env("CGO_ENABLED") == Some("1")
                                || command
                                    .flag_value("-tags")
                                    .is_some_and(|tags| tags.contains("sqlite"))
                            {
                                facts.needs_cgo = true;
                            }
                            match sub {
                                "build" => {
                                    facts.compile_dirs.push(cwd.clone());
                                    let output =
                                        command.flag_value("-o").map(|o| absolute(o, &cwd));
                                    let path = match output {
                                        Some(path)
                                            if command
                                                .flag_value("-o")
                                                .is_some_and(|o| o.ends_with('/')) =>
                                        {
                                            format!("{path}/{}", basename(&cwd))
                                        }
                                        Some(path) => path,
                                        None => {
                                            let go_file = operands.iter().find(|op| {
                                                op.to_ascii_lowercase().ends_with(".go")
                                            });
                                            let package = operands
                                                .iter()
                                                .find(|op| op.starts_with("./") && op.len() > 2);
                                            match (go_file, package) {
                                                (Some(file), _) => absolute(
                                                    basename(file).trim_end_matches(".go"),
                                                    &cwd,
                                                ),
                                                (None, Some(package)) => {
                                                    absolute(basename(package), &cwd)
                                                }
                                                _ => absolute(basename(&cwd), &cwd),
                                            }
                                        }
                                    };
                                    out(path, OutputKind::Binary);
                                }
                                "install" | "get" => {
                                    facts.compile_dirs.push(cwd.clone());
                                    let gopath = env("GOPATH")
                                        .and_then(|p| p.split(':').next())
                                        .unwrap_or("/go");
                                    let bin = env("GOBIN")
                                        .map_or_else(|| absolute("bin", gopath), str::to_string);
                                    let targets: Vec<&str> = operands
                                        .iter()
                                        .copied()
                                        .filter(|op| !op.starts_with('-'))
                                        .collect();
                                    if targets.is_empty()
                                        || targets == ["."]
                                        || targets == ["./..."]
                                    {
                                        out(absolute(basename(&cwd), &bin), OutputKind::Binary);
                                    }
                                    for target in targets.iter().filter(|t| {
                                        **t != "." && **t != "./..." && is_go_program(t)
                                    }) {
                                        let name = basename(target.trim_end_matches("/..."));
                                        out(absolute(name, &bin), OutputKind::Binary);
                                    }
                                    out(bin, OutputKind::Dir);
                                }
                                _ => {}
                            }
                        }
                        "cargo" => match command.subcommand() {
                            Some("build") => {
                                facts.compile_dirs.push(cwd.clone());
                                let profile = if command.has_flag("--release") {
                                    "release"
                                } else {
                                    "debug"
                                };
                                out(
                                    absolute(&format!("target/{profile}"), &cwd),
                                    OutputKind::Dir,
                                );
                            }
                            Some("install") => {
                                facts.compile_dirs.push(cwd.clone());
                                let root = command.flag_value("--root").map(|r| absolute(r, &cwd));
                                let home =
                                    env("CARGO_HOME").unwrap_or("/usr/local/cargo").to_string();
                                out(absolute("bin", &root.unwrap_or(home)), OutputKind::Dir);
                            }
                            _ => {}
                        },
                        "gcc" | "g++" | "cc" | "c++" | "clang" => {
                            facts.compile_dirs.push(cwd.clone());
                            if let Some(path) = command.flag_value("-o") {
                                out(absolute(path, &cwd), OutputKind::Binary);
                            }
                        }
                        "make" | "cmake" | "ninja" => {
                            facts.compile_dirs.push(cwd.clone());
                            let dir = command
                                .flag_value("-C")
                                .map_or_else(|| cwd.clone(), |d| absolute(d, &cwd));
                            if command
                                .words
                                .iter()
                                .any(|w| w == "install" || w == "--install")
                            {
                                let php = run.commands.iter().any(|c| c.program() == "phpize");
                                out(
                                    if php {
                                        "/usr/lib/php5".into()
                                    } else {
                                        "/usr/local".into()
                                    },
                                    OutputKind::Dir,
                                );
                            }
                            if let Some(gopath) = env("GOPATH") {
                                out(
                                    absolute("bin", gopath.split(':').next().unwrap_or(gopath)),
                                    OutputKind::Dir,
                                );
                            }
                            out(dir, OutputKind::Dir);
                        }
                        "cabal" | "stack"
                            if matches!(
                                command.subcommand(),
                                Some("install" | "v2-install" | "v1-install")
                            ) =>
                        {
                            facts.compile_dirs.push(cwd.clone());
                            let bin = if program == "cabal" {
                                "/root/.cabal/bin"
                            } else {
                                "/root/.local/bin"
                            };
                            out(bin.into(), OutputKind::Dir);
                            for package in operands.iter().filter(|op| !op.starts_with('-')) {
                                out(absolute(package, bin), OutputKind::Binary);
                            }
                        }
                        "dotnet" if command.subcommand() == Some("publish") => {
                            facts.compile_dirs.push(cwd.clone());
                            let dir = command
                                .flag_value("-o")
                                .or_else(|| command.flag_value("--output"));
                            out(
                                dir.map_or_else(|| cwd.clone(), |d| absolute(d, &cwd)),
                                OutputKind::Dir,
                            );
                        }
                        "mvn" | "mvnw" => {
                            facts.compile_dirs.push(cwd.clone());
                            out(absolute("target", &cwd), OutputKind::Dir);
                        }
                        "gradle" | "gradlew" => {
                            facts.compile_dirs.push(cwd.clone());
                            out(absolute("build", &cwd), OutputKind::Dir);
                        }
                        "npm" | "yarn" | "pnpm" => {
                            let sub = command.subcommand().unwrap_or("install");
                            let global = command.has_flag("-g")
                                || command.has_flag("--global")
                                || sub == "global";
                            if !global {
                                out(absolute("node_modules", &cwd), OutputKind::Deps);
                                out(cwd.clone(), OutputKind::Dir);
                            }
                        }
                        "python" | "python2" | "python3"
                            if command
                                .words
                                .get(1..3)
                                .is_some_and(|w| w[0] == "-m" && w[1] == "venv") =>
                        {
                            if let Some(dir) = command.words.get(3) {
                                out(absolute(dir, &cwd), OutputKind::Deps);
                            }
                        }
                        "pip" | "pip2" | "pip3" | "uv" | "python" | "python2" | "python3"
                            if command.words.iter().any(|w| w == "install") =>
                        {
                            facts.pip = true;
                            if command.words.iter().any(|w| {
                                ["--prefix", "--target", "--root", "--user", "-t"]
                                    .iter()
                                    .any(|f| w == f || w.starts_with(&format!("{f}=")))
                            }) {
                                facts.custom_prefix = true;
                            }
                            out("/usr/local".into(), OutputKind::Deps);
                        }
                        "bundle" if command.subcommand().unwrap_or("install") == "install" => {
                            let path = env("BUNDLE_PATH")
                                .or_else(|| env("GEM_HOME"))
                                .unwrap_or("/usr/local/bundle");
                            out(path.to_string(), OutputKind::Deps);
                        }
                        "cp" | "mv" if operands.len() >= 2 || command.words.len() >= 3 => {
                            let args: Vec<&str> = command.non_flag_words().collect();
                            if let Some((dest, sources)) = args.split_last() {
                                let dest_path = absolute(dest, &cwd);
                                let into_dir = dest.ends_with('/')
                                    || matches!(*dest, "." | "..")
                                    || dest_path == cwd
                                    || sources.len() > 1;
                                if into_dir {
                                    for source in sources {
                                        out(
                                            absolute(basename(source), &dest_path),
                                            OutputKind::File,
                                        );
                                    }
                                } else {
                                    out(dest_path, OutputKind::File);
                                }
                            }
                        }
                        "wget" | "curl" => {
                            if let Some(target) = download_target(command) {
                                if target != "-" {
                                    out(absolute(target, &cwd), OutputKind::File);
                                }
                            }
                        }
                        "tar" => {
                            let create = command
                                .words
                                .get(1)
                                .is_some_and(|w| w.trim_start_matches('-').contains('c'));
                            let file = command.flag_value("-f").or_else(|| {
                                let bundle = command.words.get(1)?;
                                if bundle.trim_start_matches('-').ends_with('f') {
                                    command.words.get(2).map(String::as_str)
                                } else {
                                    None
                                }
                            });
                            if let Some(file) = file {
                                let kind = if create {
                                    OutputKind::File
                                } else {
                                    OutputKind::Source
                                };
                                if create {
                                    out(absolute(file, &cwd), kind);
                                } else {
                                    let dir = command
                                        .flag_value("-C")
                                        .map_or_else(|| cwd.clone(), |d| absolute(d, &cwd));
                                    out(dir, kind);
                                }
                            }
                        }
                        "git" if command.subcommand() == Some("clone") => {
                            let args: Vec<&str> =
                                command.operands(&["--branch", "-b", "--depth", "--origin"]);
                            let dir = match args.as_slice() {
                                [_, dir, ..] => absolute(dir, &cwd),
                                [url] => absolute(basename(url).trim_end_matches(".git"), &cwd),
                                [] => cwd.clone(),
                            };
                            out(dir, OutputKind::Source);
                        }
                        "useradd" | "adduser" | "groupadd" | "addgroup" => {
                            facts.creates_user = true;
                        }
                        _ => {}
                    }
                    if let Some(&(manager, _)) = INSTALLERS
                        .iter()
                        .find(|(manager, sub)| command.is(manager, sub))
                    {
                        let packages: Vec<String> = command
                            .operands(VALUE_FLAGS)
                            .into_iter()
                            .filter(|p| !p.is_empty())
                            .map(str::to_string)
                            .collect();
                        let removed_in_same_run = packages
                            .iter()
                            .filter(|p| packages::is_build_only(p))
                            .all(|p| {
                                removed
                                    .iter()
                                    .any(|r| packages::package_name(r) == packages::package_name(p))
                            })
                            && !removed.is_empty();
                        facts.installs.push(PackageInstall {
                            span: command.span,
                            manager: manager.to_string(),
                            packages,
                            removed_in_same_run,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    facts
        .outputs
        .retain(|o| !o.path.contains(['*', '$', '?', '`']));
    facts.languages = seen_languages;
    facts.compile_dirs.dedup();
    facts
}

impl StageFacts {
    /// Build-only packages installed and not removed in the same `RUN`.
    pub fn kept_build_packages(&self) -> Vec<&str> {
        self.installs
            .iter()
            .filter(|install| !install.removed_in_same_run)
            .flat_map(|install| install.packages.iter())
            .map(String::as_str)
            .filter(|p| packages::is_build_only(p))
            .collect()
    }

    /// True when `path` is something the stage wrote or copied (so a
    /// `COPY --from` of it will find it).
    pub fn produces(&self, path: &str) -> bool {
        self.outputs.iter().any(|o| {
            is_within(path, &o.path)
                || (o.kind == OutputKind::Dir && is_within(&o.path, path) && path != "/")
        }) || self
            .copied
            .iter()
            .any(|(dest, _)| is_within(path, dest) || is_within(dest, path) && path != "/")
            || self
                .build_dirs
                .iter()
                .any(|dir| dir != "/" && is_within(path, dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basenames() {
        assert_eq!(basename("/a/b/"), "b");
        assert_eq!(basename("github.com/x/tool@v1.2"), "tool");
        assert_eq!(basename("hello"), "hello");
    }
}
