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
    }
    let site = format!(
        "/usr/local/lib/python3/site-packages/.pip-{}",
        command.span.start
    );
    work.write(&site, total, EntryKind::Tree, "Python packages");
    let mut parts = Vec::new();
    if !measured.is_empty() {
        parts.push(format!(
            "measured site-packages growth with dependencies (catalog): {}",
            measured.join(", ")
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
}
