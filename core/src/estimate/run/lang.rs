//! Language package managers: `pip`, `npm`, `yarn`, `pnpm`.

use super::{LayerWork, RunContext};
use crate::estimate::catalog;
use crate::estimate::compress::Content;
use crate::estimate::figures::{self, Figure};
use crate::estimate::{docker_range, docker_size};
use crate::model::vfs::absolute;
use crate::model::{ByteRange, Command, EntryKind, Model};

pub(super) fn handle(context: &mut RunContext, command: &Command, work: &mut LayerWork) -> bool {
    let program = command.program();
    let is_pip = matches!(program, "pip" | "pip3" | "pipx" | "uv")
        || (matches!(program, "python" | "python3")
            && command
                .words
                .windows(2)
                .any(|w| w[0] == "-m" && w[1] == "pip"));
    if is_pip {
        pip(context, command, work);
        return true;
    }
    if let Some(dir) = venv_created(command, &context.run.workdir) {
        venv(context, command, &dir, work);
        return true;
    }
    match program {
        "npm" => npm(context, command, work),
        "yarn" => yarn(context, command, work),
        "pnpm" => pnpm(context, command, work),
        _ => return false,
    }
    true
}

/// The words after `pip` (skipping `python -m`).
fn pip_args(command: &Command) -> Vec<&str> {
    let words: Vec<&str> = command.words.iter().map(String::as_str).collect();
    match words
        .iter()
        .position(|w| *w == "pip" || w.ends_with("/pip") || *w == "pip3" || *w == "uv")
    {
        Some(at) => words[at + 1..].to_vec(),
        None => words[1..].to_vec(),
    }
}

fn pip(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let args = pip_args(command);
    let args: Vec<&str> = if args.first() == Some(&"pip") {
        args[1..].to_vec()
    } else {
        args
    };
    if args.first() == Some(&"cache")
        && args
            .get(1)
            .is_some_and(|a| matches!(*a, "purge" | "remove"))
    {
        let path = format!("{}/.cache/pip", context.home());
        work.delete(&path);
        return;
    }
    if args.first() != Some(&"install") {
        return;
    }
    let with_value = [
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "-f",
        "--find-links",
        "--platform",
        "--python-version",
    ];
    let mut packages: Vec<String> = Vec::new();
    let mut requirement_files: Vec<String> = Vec::new();
    let mut local_project = false;
    let mut words = args.iter().skip(1);
    while let Some(&word) = words.next() {
        if word == "-r" || word == "--requirement" {
            if let Some(file) = words.next() {
                requirement_files.push((*file).to_string());
            }
            continue;
        }
        if let Some(file) = word.strip_prefix("--requirement=") {
            requirement_files.push(file.to_string());
            continue;
        }
        if with_value.contains(&word) {
            words.next();
            continue;
        }
        if word.starts_with('-') {
            continue;
        }
        if word == "." || word.starts_with("./") || word.starts_with('/') {
            local_project = true;
            continue;
        }
        packages.push(word.to_string());
    }
    let mut sources = Vec::new();
    for file in &requirement_files {
        match requirements_from_context(context.model, file, &context.run.workdir) {
            Some(list) => {
                sources.push(format!("{file} from the context lists {}", list.len()));
                packages.extend(list);
            }
            None => sources.push(format!("{file} not in the declared context")),
        }
    }
    let unknown_files =
        requirement_files.len() - sources.iter().filter(|s| s.contains("lists")).count();
    let per = figures::PIP_PER_PACKAGE;
    let n = packages.len() as u64;
    let mut total = ByteRange::ZERO;
    let mut unread = ByteRange::ZERO;
    let mut measured = Vec::new();
    let mut n_generic = 0u64;
    for package in &packages {
        let name = pip_name(package);
        let block = catalog::blocks_named(catalog::BlockKind::PipInstall, &name).next();
        if let Some(block) = block {
            total = total.plus(ByteRange::around(block.bytes, 0.15));
            measured.push(format!("{name} {}", docker_size(block.bytes)));
        } else {
            total = total.plus(per.range());
            n_generic += 1;
        }
    }
    if unknown_files > 0 || local_project {
        // An unread requirements file or a local project: dependencies unknown.
        let extra = ByteRange::new(0, per.est * 10, per.high * 10)
            .scale((unknown_files + usize::from(local_project)) as f64);
        total = total.plus(extra);
        unread = extra;
    }
    let (site_dir, where_from) = pip_site(context, command, &args, work);
    // One entry per install inside the real directory, so installs add up
    // and a `COPY --from` of the directory or any parent carries them.
    let site = format!("{site_dir}/.pip-{}", command.span.start);
    work.write(&site, total, EntryKind::Tree, "Python packages");
    let mut parts = Vec::new();
    if !measured.is_empty() {
        parts.push(format!(
            "measured site-packages growth with dependencies (catalog): {}",
            measured.join(", ")
        ));
    }
    if !unread.is_zero() {
        parts.push(format!(
            "unread requirements or local project: {} (up to 10 typical distributions each)",
            docker_range(unread.low, unread.high)
        ));
    }
    if n_generic > 0 {
        parts.push(format!(
            "{n_generic} other{} × {} ({})",
            if n_generic == 1 { "" } else { "s" },
            docker_size(per.est),
            per.source
        ));
    }
    work.basis.push(format!(
        "pip install: {} package{}{}: {}; total {}",
        n,
        if n == 1 { "" } else { "s" },
        if sources.is_empty() {
            String::new()
        } else {
            format!(" ({})", sources.join("; "))
        },
        parts.join("; "),
        docker_range(total.low, total.high)
    ));
    work.basis
        .push(format!("installed into {site_dir} ({where_from})"));
    let no_cache = command.words.iter().any(|w| w == "--no-cache-dir")
        || context
            .var(command, "PIP_NO_CACHE_DIR")
            .is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
    if no_cache {
        work.basis
            .push("--no-cache-dir: no wheel cache kept".to_string());
    } else {
        let cache = total.scale(figures::PIP_CACHE_PERCENT as f64 / 100.0);
        let path = format!("{}/.cache/pip", context.home());
        if work.write(&path, cache, EntryKind::Tree, "pip cache") {
            work.basis.push(format!(
                "pip cache in {path}: {} ({})",
                docker_size(cache.est),
                figures::PIP_CACHE_SOURCE
            ));
        }
    }
    work.content = Content::Mixed;
}

/// Directories that are an interpreter's own prefix, never a virtualenv.
const SYSTEM_PREFIXES: &[&str] = &["", "/", "/usr", "/usr/local"];

/// The virtualenv a `pip`/`python` program path names (`/opt/venv/bin/pip`).
fn venv_of_program(program: &str) -> Option<String> {
    let (root, name) = program.rsplit_once("/bin/")?;
    let is_python = name.starts_with("pip") || name.starts_with("python");
    (is_python && !SYSTEM_PREFIXES.contains(&root) && root.starts_with('/'))
        .then(|| root.to_string())
}

/// Where a `pip install` puts its packages, and why we think so.
fn pip_site(
    context: &RunContext,
    command: &Command,
    args: &[&str],
    work: &LayerWork,
) -> (String, String) {
    let workdir = &context.run.workdir;
    let value = |flags: &[&str]| {
        let mut words = args.iter();
        while let Some(word) = words.next() {
            for flag in flags {
                if word == flag {
                    return words.next().map(|w| (*w).to_string());
                }
                if let Some(v) = word.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                    return Some(v.to_string());
                }
            }
        }
        None
    };
    if let Some(target) = value(&["--target", "-t"]).or_else(|| context.var(command, "PIP_TARGET"))
    {
        return (absolute(&target, workdir), "--target".to_string());
    }
    let (version, version_why) = python_version(context, command);
    let lib = |prefix: &str, dir: &str| {
        format!(
            "{}/lib/python{version}/{dir}",
            if prefix == "/" { "" } else { prefix }
        )
    };
    if let Some(prefix) = value(&["--prefix"]).or_else(|| context.var(command, "PIP_PREFIX")) {
        return (
            lib(&absolute(&prefix, workdir), "site-packages"),
            format!("--prefix; {version_why}"),
        );
    }
    let root = value(&["--root"]).map(|r| absolute(&r, workdir));
    let rooted = |path: String| match &root {
        Some(root) if root != "/" => format!("{root}{path}"),
        _ => path,
    };
    if args.contains(&"--user")
        || context
            .var(command, "PIP_USER")
            .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"))
    {
        let home = context.home();
        return (
            lib(&format!("{home}/.local"), "site-packages"),
            format!("--user installs under {home}/.local; {version_why}"),
        );
    }
    // A virtualenv: named by the program path, VIRTUAL_ENV, or a PATH entry
    // whose directory a `python -m venv` created.
    let program_word = command
        .words
        .iter()
        .find(|w| {
            let name = w.rsplit('/').next().unwrap_or("");
            name.starts_with("pip") || name.starts_with("python") || name == "uv"
        })
        .map_or("", String::as_str);
    let is_uv = command.program() == "uv";
    let uv_system = is_uv && args.contains(&"--system");
    let venv = if uv_system {
        None
    } else {
        venv_of_program(program_word)
            .map(|root| (root, "the program is the virtualenv's own".to_string()))
            .or_else(|| {
                value(&["--python", "-p"])
                    .and_then(|p| venv_of_program(&p))
                    .map(|root| (root, "--python names the virtualenv".to_string()))
            })
            .or_else(|| {
                context
                    .var(command, "VIRTUAL_ENV")
                    .filter(|v| v.starts_with('/'))
                    .map(|v| (absolute(&v, "/"), "VIRTUAL_ENV".to_string()))
            })
            .or_else(|| {
                let path = context.var(command, "PATH")?;
                path.split(':').find_map(|entry| {
                    let root = entry.strip_suffix("/bin")?;
                    let known = work
                        .vfs
                        .under(root)
                        .any(|e| e.path == root && e.label == VENV_LABEL);
                    (known && !SYSTEM_PREFIXES.contains(&root))
                        .then(|| (root.to_string(), format!("PATH starts with {entry}")))
                })
            })
            .or_else(|| {
                // `uv pip install` without --system needs a virtualenv and
                // looks for `.venv` in the working directory.
                is_uv.then(|| (absolute(".venv", workdir), "uv's default .venv".to_string()))
            })
    };
    if let Some((root, why)) = venv {
        return (
            lib(&root, "site-packages"),
            format!("virtualenv {root}: {why}; {version_why}"),
        );
    }
    let facts = context.facts;
    let (dir, why) = if facts.python_version.is_some() {
        (
            lib("/usr/local", "site-packages"),
            "the image's own Python in /usr/local".to_string(),
        )
    } else if facts.is_alpine() {
        (
            lib("/usr", "site-packages"),
            "Alpine's system Python".to_string(),
        )
    } else if facts.os.is_some() || !facts.distro.is_empty() {
        (
            lib("/usr/local", "dist-packages"),
            "Debian/Ubuntu pip installs system-wide into /usr/local/lib/pythonX.Y/dist-packages"
                .to_string(),
        )
    } else {
        (
            lib("/usr/local", "site-packages"),
            "interpreter prefix assumed /usr/local".to_string(),
        )
    };
    (rooted(dir), format!("{why}; {version_why}"))
}

/// `python3.12` style version of the interpreter pip runs under.
fn python_version(context: &RunContext, command: &Command) -> (String, String) {
    let facts = context.facts;
    // An explicit interpreter (`python3.9 -m pip`, `pip3.10`).
    let program = command.program();
    let explicit = program
        .strip_prefix("python")
        .or_else(|| program.strip_prefix("pip"))
        .filter(|v| v.contains('.') && v.split('.').all(|p| p.parse::<u32>().is_ok()));
    if let Some(version) = explicit {
        return (version.to_string(), format!("`{program}` names it"));
    }
    if let Some((major, minor)) = facts.python_version {
        return (
            format!("{major}.{minor}"),
            format!("Python {major}.{minor} from the base image"),
        );
    }
    // Plain `pip` next to a Python 2 package (Debian's `python-pip`,
    // Alpine's old `python`) is Python 2's.
    let python2 = program == "pip"
        && facts
            .installed
            .iter()
            .chain(context.installed.iter())
            .any(|p| {
                matches!(
                    p.as_str(),
                    "python-pip" | "python2-pip" | "python" | "python2"
                )
            });
    if python2 {
        return ("2.7".to_string(), "Python 2's pip package".to_string());
    }
    match SYSTEM_PYTHON
        .iter()
        .find(|(distro, _)| *distro == facts.distro)
    {
        Some((distro, version)) => (
            (*version).to_string(),
            format!("{distro}'s python3 is {version} ({SYSTEM_PYTHON_SOURCE})"),
        ),
        None => ("3".to_string(), "Python minor version unknown".to_string()),
    }
}

/// The `python3` version each distribution release ships.
const SYSTEM_PYTHON: &[(&str, &str)] = &[
    ("bookworm", "3.11"),
    ("bullseye", "3.9"),
    ("buster", "3.7"),
    ("focal", "3.8"),
    ("jammy", "3.10"),
    ("noble", "3.12"),
    ("trixie", "3.13"),
];

/// Where [`SYSTEM_PYTHON`] comes from.
const SYSTEM_PYTHON_SOURCE: &str = "the release's python3 package on packages.debian.org / packages.ubuntu.com; bookworm checked here with apt-cache";

/// The label of a virtualenv's own entry.
const VENV_LABEL: &str = "virtualenv";

/// The directory `python -m venv DIR`, `virtualenv DIR` or `uv venv [DIR]`
/// creates.
fn venv_created(command: &Command, workdir: &str) -> Option<String> {
    let program = command.program();
    let words: Vec<&str> = command.words.iter().map(String::as_str).collect();
    let after = if program.starts_with("python") {
        let at = words
            .windows(2)
            .position(|w| w[0] == "-m" && w[1] == "venv")?;
        &words[at + 2..]
    } else if program == "virtualenv" {
        &words[1..]
    } else if program == "uv" && words.get(1) == Some(&"venv") {
        let dir = words[2..].iter().find(|w| !w.starts_with('-'));
        return Some(absolute(dir.copied().unwrap_or(".venv"), workdir));
    } else {
        return None;
    };
    let mut rest = after.iter();
    while let Some(word) = rest.next() {
        if matches!(*word, "--prompt" | "-p" | "--python") {
            rest.next();
            continue;
        }
        if !word.starts_with('-') {
            return Some(absolute(word, workdir));
        }
    }
    None
}

/// A new virtualenv: its interpreter links, scripts and (unless told
/// otherwise) its own pip.
fn venv(context: &RunContext, command: &Command, dir: &str, work: &mut LayerWork) {
    let without_pip = command.program() == "uv"
        || command
            .words
            .iter()
            .any(|w| w == "--without-pip" || w == "--no-pip");
    let pip_only = context.facts.python_version.is_some_and(|v| v >= (3, 12));
    let figure = if without_pip {
        figures::VENV_WITHOUT_PIP
    } else if pip_only {
        figures::VENV_WITH_PIP_ONLY
    } else {
        figures::VENV_WITH_PIP
    };
    if work.write(dir, figure.range(), EntryKind::Tree, VENV_LABEL) {
        work.basis.push(format!(
            "virtualenv {dir}: {} ({})",
            docker_size(figure.est),
            figure.source
        ));
    }
    work.content = Content::Mixed;
}

/// `Flask[async]>=3.0 ; python_version>"3"` → `flask`.
fn pip_name(requirement: &str) -> String {
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(requirement.len());
    requirement[..end].to_ascii_lowercase().replace('_', "-")
}

/// Package lines of a requirements file in the context (None when absent
/// or its text was not supplied).
fn requirements_from_context(model: &Model, file: &str, workdir: &str) -> Option<Vec<String>> {
    let text = context_text(model, file, workdir)?;
    Some(
        text.lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|line| !line.is_empty() && !line.starts_with('-'))
            .map(str::to_string)
            .collect(),
    )
}

/// Text of a context file the image refers to by `path` (absolute or
/// relative to the working directory): matched against context paths by
/// their tail, since the COPY may have moved it.
pub(super) fn context_text<'m>(model: &'m Model, path: &str, workdir: &str) -> Option<&'m str> {
    let absolute_path = absolute(path, workdir);
    let name = absolute_path.rsplit('/').next().unwrap_or("");
    let mut best: Option<&crate::model::ContextFile> = None;
    for file in &model.context.files {
        if file.content.is_none() {
            continue;
        }
        let tail_matches = absolute_path.ends_with(&format!("/{}", file.path));
        let name_matches = file.path.rsplit('/').next() == Some(name);
        if tail_matches || (name_matches && best.is_none()) {
            best = Some(file);
            if tail_matches {
                break;
            }
        }
    }
    best.and_then(|file| file.content.as_deref())
}

/// How many packages a Node install puts in `node_modules`, and how we know.
fn node_package_count(model: &Model, workdir: &str, production: bool) -> (Option<u64>, String) {
    if let Some(lock) = context_text(model, "package-lock.json", workdir) {
        let mut total = 0;
        let mut dev = 0;
        for chunk in lock.split("\"node_modules/").skip(1) {
            total += 1;
            let body = chunk.split("\"node_modules/").next().unwrap_or("");
            let body = body.split('}').next().unwrap_or("");
            if body.contains("\"dev\": true") || body.contains("\"dev\":true") {
                dev += 1;
            }
        }
        let count = if production { total - dev } else { total };
        return (
            Some(count),
            format!("package-lock.json lists {total} packages ({dev} dev-only)"),
        );
    }
    if let Some(lock) = context_text(model, "yarn.lock", workdir) {
        let count = lock
            .lines()
            .filter(|line| !line.starts_with([' ', '#']) && line.trim_end().ends_with(':'))
            .count() as u64;
        return (Some(count), format!("yarn.lock lists {count} packages"));
    }
    if let Some(lock) = context_text(model, "pnpm-lock.yaml", workdir) {
        let count = lock
            .lines()
            .filter(|line| {
                let trimmed = line.trim_start();
                line.len() - trimmed.len() == 2
                    && (trimmed.starts_with('/') || trimmed.starts_with('\''))
                    && trimmed.ends_with(':')
            })
            .count() as u64;
        return (
            Some(count),
            format!("pnpm-lock.yaml lists {count} packages"),
        );
    }
    if let Some(manifest) = context_text(model, "package.json", workdir) {
        let direct = count_keys(manifest, "\"dependencies\"");
        let dev = count_keys(manifest, "\"devDependencies\"");
        let n_direct = if production { direct } else { direct + dev };
        let count = n_direct * (1 + figures::NPM_TRANSITIVE_PER_DIRECT);
        return (
            Some(count),
            format!(
                "package.json has {direct} dependencies and {dev} devDependencies; without a lockfile each direct dependency is taken to pull in {} more",
                figures::NPM_TRANSITIVE_PER_DIRECT
            ),
        );
    }
    (
        None,
        "no package.json or lockfile in the declared context".to_string(),
    )
}

/// Number of keys in the JSON object that follows `key` (a shallow scan).
fn count_keys(json: &str, key: &str) -> u64 {
    let Some(at) = json.find(key) else {
        return 0;
    };
    let rest = &json[at + key.len()..];
    let Some(open) = rest.find('{') else {
        return 0;
    };
    let body = &rest[open + 1..];
    let close = body.find('}').unwrap_or(body.len());
    body[..close].matches("\":").count() as u64
}

fn node_modules(
    context: &mut RunContext,
    command: &Command,
    work: &mut LayerWork,
    production: bool,
    tool: &str,
    cache: Option<(&str, &str)>,
) {
    let explicit: Vec<&str> = command.operands(&["--prefix", "--registry", "--cache"]);
    let global = command.has_flag("-g") || command.has_flag("--global");
    let known: Vec<&'static catalog::Block> = explicit
        .iter()
        .filter_map(|name| {
            let name = npm_name(name);
            catalog::blocks_named(catalog::BlockKind::NpmInstall, name).next()
        })
        .collect();
    let (count, how) = if explicit.is_empty() {
        node_package_count(context.model, &context.run.workdir, production)
    } else if known.len() == explicit.len() {
        let bytes: u64 = known.iter().map(|b| b.bytes).sum();
        let size = ByteRange::around(bytes, 0.15);
        let path = if global {
            "/usr/local/lib/node_modules".to_string()
        } else {
            absolute("node_modules", &context.run.workdir)
        };
        work.write(&path, size, EntryKind::Tree, "node_modules");
        let names: Vec<String> = known
            .iter()
            .map(|b| format!("{} {}", b.name, docker_size(b.bytes)))
            .collect();
        work.basis.push(format!(
            "{tool}: node_modules measured after installing {} (catalog)",
            names.join(", ")
        ));
        node_cache(context, work, size, tool, cache);
        work.content = Content::Mixed;
        return;
    } else {
        let n = explicit.len() as u64 * (1 + figures::NPM_TRANSITIVE_PER_DIRECT);
        (
            Some(n),
            format!(
                "{} named package(s), each taken to pull in {} more",
                explicit.len(),
                figures::NPM_TRANSITIVE_PER_DIRECT
            ),
        )
    };
    let size = match count {
        Some(n) => figures::NPM_PER_PACKAGE.range().scale(n as f64),
        None => figures::NPM_UNKNOWN.range(),
    };
    let figure: Figure = if count.is_some() {
        figures::NPM_PER_PACKAGE
    } else {
        figures::NPM_UNKNOWN
    };
    let path = if global {
        "/usr/local/lib/node_modules".to_string()
    } else {
        absolute("node_modules", &context.run.workdir)
    };
    work.write(&path, size, EntryKind::Tree, "node_modules");
    work.basis.push(format!(
        "{tool}: {how}; {} ({}){}",
        docker_range(size.low, size.high),
        figure.source,
        if production {
            ", production dependencies only"
        } else {
            ""
        }
    ));
    node_cache(context, work, size, tool, cache);
    work.content = Content::Mixed;
}

/// The package manager's download cache, unless cleaned later in the RUN.
fn node_cache(
    context: &RunContext,
    work: &mut LayerWork,
    size: ByteRange,
    tool: &str,
    cache: Option<(&str, &str)>,
) {
    if let Some((cache_path, cleaned_by)) = cache {
        let cleaned = context.later(|c| {
            let text = c.words.join(" ");
            text.contains(cleaned_by)
        });
        let cache_path = cache_path.replace('~', &context.home());
        if cleaned {
            work.basis.push(format!(
                "cache cleaned later in the same RUN ({cleaned_by})"
            ));
        } else {
            let cache = size.scale(figures::NPM_CACHE_PERCENT as f64 / 100.0);
            if work.write(
                &cache_path,
                cache,
                EntryKind::Tree,
                &format!("{tool} cache"),
            ) {
                work.basis.push(format!(
                    "{tool} cache in {cache_path}: {} ({})",
                    docker_size(cache.est),
                    figures::NPM_CACHE_SOURCE
                ));
            }
        }
    }
}

/// `express@4.19` / `@types/node@20` → the package name.
fn npm_name(spec: &str) -> &str {
    let search_from = usize::from(spec.starts_with('@'));
    match spec[search_from..].find('@') {
        Some(at) => &spec[..search_from + at],
        None => spec,
    }
}

fn is_production(context: &RunContext, command: &Command) -> bool {
    command.has_flag("--production")
        || command.words.iter().any(|w| {
            w == "--omit=dev" || w == "--only=production" || w == "--only=prod" || w == "--prod"
        })
        || context.var(command, "NODE_ENV").as_deref() == Some("production")
}

fn npm(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    match command.subcommand() {
        Some("ci" | "install" | "i" | "add") => {
            let production = is_production(context, command);
            node_modules(
                context,
                command,
                work,
                production,
                "npm",
                Some(("~/.npm", "npm cache clean")),
            );
        }
        Some("run" | "run-script") => super::builds::frontend_build(context, command, work),
        Some("cache") if command.words.iter().any(|w| w == "clean") => {
            let path = format!("{}/.npm", context.home());
            work.delete(&path);
        }
        Some("prune") if is_production(context, command) => {
            work.basis.push(
                "npm prune --production removes dev dependencies (not modelled per package)"
                    .to_string(),
            );
        }
        _ => {}
    }
}

fn yarn(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    match command.subcommand() {
        None | Some("install" | "add") => {
            let production = is_production(context, command);
            node_modules(
                context,
                command,
                work,
                production,
                "yarn",
                Some(("/usr/local/share/.cache/yarn", "yarn cache clean")),
            );
        }
        Some("build" | "run") => super::builds::frontend_build(context, command, work),
        Some("cache") if command.words.iter().any(|w| w == "clean") => {
            work.delete("/usr/local/share/.cache/yarn");
        }
        _ => {}
    }
}

fn pnpm(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    match command.subcommand() {
        Some("install" | "i" | "add") => {
            let production = is_production(context, command);
            node_modules(
                context,
                command,
                work,
                production,
                "pnpm",
                Some(("~/.local/share/pnpm/store", "pnpm store prune")),
            );
        }
        Some("build" | "run") => super::builds::frontend_build(context, command, work),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_json_object_keys() {
        let manifest = r#"{"name":"x","dependencies":{"express":"^4","pg":"^8"},"devDependencies":{"jest":"^29"}}"#;
        assert_eq!(count_keys(manifest, "\"dependencies\""), 2);
        assert_eq!(count_keys(manifest, "\"devDependencies\""), 1);
        assert_eq!(count_keys(manifest, "\"peerDependencies\""), 0);
    }

    /// The `basis` of the row whose `created_by` contains `needle`.
    fn basis_of(text: &str, needle: &str) -> String {
        let analysis = crate::analyze(text, &crate::Options::default());
        analysis
            .estimate
            .rows
            .iter()
            .find(|row| {
                row.origin != crate::estimate::RowOrigin::Base && row.created_by.contains(needle)
            })
            .map(|row| row.basis.clone())
            .unwrap_or_default()
    }

    #[test]
    fn pip_installs_where_the_interpreter_puts_packages() {
        let cases = [
            (
                "FROM python:3.12-slim\nRUN pip install flask\n",
                "/usr/local/lib/python3.12/site-packages",
            ),
            (
                "FROM python:3.11\nRUN python -m venv /opt/venv\nRUN /opt/venv/bin/pip install flask\n",
                "/opt/venv/lib/python3.11/site-packages",
            ),
            (
                "FROM python:3.12\nRUN python -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\nRUN pip install flask\n",
                "/opt/venv/lib/python3.12/site-packages",
            ),
            (
                "FROM python:3.12\nENV VIRTUAL_ENV=/venv\nRUN pip install flask\n",
                "/venv/lib/python3.12/site-packages",
            ),
            (
                "FROM python:3.12\nRUN pip install --user flask\n",
                "/root/.local/lib/python3.12/site-packages",
            ),
            (
                "FROM python:3.12\nWORKDIR /app\nRUN pip install --target deps flask\n",
                "/app/deps (--target",
            ),
            (
                "FROM python:3.12\nRUN pip install --prefix=/install flask\n",
                "/install/lib/python3.12/site-packages",
            ),
            (
                "FROM debian:bookworm\nRUN apt-get update && apt-get install -y python3-pip && pip3 install flask\n",
                "/usr/local/lib/python3.11/dist-packages",
            ),
            (
                "FROM python:2.7.15\nRUN pip install flask\n",
                "/usr/local/lib/python2.7/site-packages",
            ),
        ];
        for (text, wanted) in cases {
            let basis = basis_of(text, "flask");
            assert!(
                basis.contains(&format!("installed into {wanted}")),
                "{text}\n→ {basis}"
            );
        }
    }

    #[test]
    fn a_venv_and_its_packages_travel_with_copy_from() {
        let text = "FROM python:3.12 AS build\nRUN python -m venv /opt/venv\nRUN /opt/venv/bin/pip install --no-cache-dir flask\n\
                    FROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv\n";
        let analysis = crate::analyze(text, &crate::Options::default());
        let copy = analysis
            .estimate
            .rows
            .iter()
            .find(|row| row.created_by.contains("COPY"))
            .expect("the COPY row");
        let flask = catalog::blocks_named(catalog::BlockKind::PipInstall, "flask")
            .next()
            .expect("flask is measured")
            .bytes;
        let venv = figures::VENV_WITH_PIP_ONLY.est;
        assert_eq!(copy.disk.est, flask + venv, "{}", copy.basis);
        assert!(copy.basis.contains("virtualenv"), "{}", copy.basis);
    }

    #[test]
    fn venv_directories() {
        let command = |words: &[&str]| Command {
            words: words.iter().map(|w| (*w).to_string()).collect(),
            ..Command::default()
        };
        assert_eq!(
            venv_created(&command(&["python3", "-m", "venv", "/opt/venv"]), "/app"),
            Some("/opt/venv".into())
        );
        assert_eq!(
            venv_created(
                &command(&["python", "-m", "venv", "--copies", ".venv"]),
                "/app"
            ),
            Some("/app/.venv".into())
        );
        assert_eq!(
            venv_created(&command(&["uv", "venv"]), "/app"),
            Some("/app/.venv".into())
        );
        assert_eq!(venv_created(&command(&["python", "app.py"]), "/app"), None);
        assert_eq!(
            venv_of_program("/opt/venv/bin/pip3"),
            Some("/opt/venv".into())
        );
        assert_eq!(venv_of_program("/usr/local/bin/pip"), None);
    }
}
