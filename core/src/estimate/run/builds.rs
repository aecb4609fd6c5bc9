//! Build steps: `go build`/`go install`/`go mod download`, `cargo build`,
//! `mvn`/`gradle`, `npm run build`.

// Linux paths are case-sensitive: `.go`, `.deb`, `.tar` are matched exactly as
// the tools themselves match them.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use super::lang::context_text;
use super::{LayerWork, RunContext};
use crate::estimate::catalog;
use crate::estimate::compress::Content;
use crate::estimate::figures::{self, Figure};
use crate::estimate::{docker_range, docker_size};
use crate::model::vfs::absolute;
use crate::model::{ByteRange, Command, EntryKind, Model};
use std::fmt::Write as _;

pub(super) fn handle(context: &mut RunContext, command: &Command, work: &mut LayerWork) -> bool {
    match command.program() {
        "go" => match command.subcommand() {
            Some("build" | "install") => go_build(context, command, work),
            Some("mod") if command.words.iter().any(|w| w == "download") => {
                go_mod_download(context, command, work, "go mod download");
            }
            Some("get") => go_mod_download(context, command, work, "go get"),
            Some("clean") => {
                if command.has_flag("-cache") {
                    let gocache = context
                        .var(command, "GOCACHE")
                        .unwrap_or_else(|| format!("{}/.cache/go-build", context.home()));
                    work.delete(&gocache);
                }
                if command.has_flag("-modcache") {
                    let modcache = mod_cache_path(context, command);
                    work.delete(&modcache);
                }
            }
            _ => return false,
        },
        "cargo" => match command.subcommand() {
            Some("build" | "install") => cargo_build(context, command, work),
            Some("fetch") => cargo_registry(context, command, work),
            _ => return false,
        },
        "mvn" | "mvnw" => maven(context, command, work),
        "gradle" | "gradlew" => gradle(context, command, work),
        _ => return false,
    }
    true
}

/// What a Go program imports, read from the `.go` files in the context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct GoImports {
    n_files: usize,
    net: bool,
    json: bool,
    any_std: bool,
    third_party: usize,
}

fn go_imports(model: &Model) -> Option<GoImports> {
    let mut imports = GoImports::default();
    let mut third_party: Vec<&str> = Vec::new();
    for file in &model.context.files {
        if !file.path.ends_with(".go") || file.path.ends_with("_test.go") {
            continue;
        }
        let Some(text) = file.content.as_deref() else {
            continue;
        };
        imports.n_files += 1;
        for path in import_paths(text) {
            let first = path.split('/').next().unwrap_or("");
            if first.contains('.') {
                if !third_party.contains(&path) {
                    third_party.push(path);
                }
            } else {
                imports.any_std = true;
                imports.net |= path == "net" || path.starts_with("net/") || path == "crypto/tls";
                imports.json |= path == "encoding/json"
                    || path == "reflect"
                    || path == "text/template"
                    || path == "html/template";
            }
        }
    }
    imports.third_party = third_party.len();
    (imports.n_files > 0).then_some(imports)
}

/// Import paths of one Go file (`import "x"` and `import ( … )` blocks).
fn import_paths(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
                continue;
            }
            if let Some(path) = quoted(line) {
                out.push(path);
            }
        } else if let Some(rest) = line.strip_prefix("import") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_block = true;
                if let Some(path) = quoted(rest) {
                    out.push(path);
                }
            } else if let Some(path) = quoted(rest) {
                out.push(path);
            }
        } else if line.starts_with("func ") || line.starts_with("type ") || line.starts_with("var ")
        {
            break;
        }
    }
    out
}

fn quoted(line: &str) -> Option<&str> {
    let start = line.find('"')? + 1;
    let end = start + line[start..].find('"')?;
    Some(&line[start..end])
}

/// Extra binary bytes per third-party import path.
const GO_THIRD_PARTY: Figure = Figure {
    low: 200_000,
    est: 1_000_000,
    high: 4_000_000,
    source: "rule of thumb: each third-party package adds 0.2–4 MB of code to the binary",
};

fn go_build(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let install = command.subcommand() == Some("install");
    let ldflags = command.flag_value("-ldflags").unwrap_or("").to_string();
    let stripped = ldflags
        .split_whitespace()
        .any(|f| f == "-s" || f == "-w" || f == "-s -w");
    let trimpath = command.has_flag("-trimpath");
    let cgo = context.var(command, "CGO_ENABLED").is_none_or(|v| v != "0");
    let imports = go_imports(context.model);
    let flags = catalog::GoBuildFlags {
        strip: stripped,
        cgo,
        trimpath,
    };
    // A representative import for the program class the catalog measured.
    let (representative, margin): (&[&str], f64) = match imports {
        Some(i) if i.net => (&["net/http"], 0.08),
        Some(i) if i.json => (&["encoding/json"], 0.08),
        Some(i) if i.any_std => (&["fmt"], 0.05),
        Some(_) => (&[], 0.05),
        None => (&["fmt"], 0.0),
    };
    let version = context.facts.go_version;
    let (version_factor, version_note) = match version {
        Some((1, minor)) if minor <= 19 => (1.0, format!("Go 1.{minor}")),
        Some((1, 20)) => (
            1.015,
            "Go 1.20: hello world is 1.5% larger than with 1.19 (1,845,890 B published)"
                .to_string(),
        ),
        Some((major, minor)) => (
            1.08,
            format!("Go {major}.{minor}: +8% over the 1.19 measurement (approximate)"),
        ),
        None => (1.05, "Go version unknown (approximate)".to_string()),
    };
    let Some(measured) = catalog::go_binary(representative, flags) else {
        work.basis
            .push("go build: no Go binary measurement in the catalog".to_string());
        return;
    };
    let class_name = if imports.is_none() {
        format!(
            "{} class assumed (no .go sources in the context)",
            measured.class
        )
    } else {
        format!("{} class", measured.class)
    };
    let mut binary = ByteRange::around(
        (measured.bytes as f64 * version_factor) as u64,
        margin + 0.05,
    );
    if imports.is_none() {
        let smallest = catalog::go_binary(&[], flags).map_or(0, |b| b.bytes);
        let largest = catalog::go_binary(&["net/http"], flags).map_or(binary.high, |b| b.bytes * 3);
        binary = ByteRange::new(smallest, binary.est, largest);
    }
    let third_party = imports.map_or(0, |i| i.third_party);
    if third_party > 0 {
        binary = binary.plus(
            GO_THIRD_PARTY
                .range()
                .scale(third_party as f64 * if stripped { 0.7 } else { 1.0 }),
        );
    }
    let output = command.flag_value("-o").map_or_else(
        || default_output(command, &context.run.workdir),
        str::to_string,
    );
    let path = if install {
        let bin = context
            .var(command, "GOBIN")
            .unwrap_or_else(|| format!("{}/bin", gopath(context, command)));
        format!("{bin}/{}", output.rsplit('/').next().unwrap_or("app"))
    } else {
        let mut path = absolute(&output, &context.run.workdir);
        if output.ends_with('/') {
            path = format!("{path}/{}", default_output(command, &context.run.workdir));
        }
        path
    };
    work.write(&path, binary, EntryKind::File, "Go binary");
    let mut basis = format!(
        "Go binary {path}: {} ({class_name}, {}{}{}{}; {version_note}; catalog: {} B, {})",
        docker_size(binary.est),
        if stripped {
            "-ldflags \"-s -w\""
        } else {
            "default flags"
        },
        if trimpath { ", -trimpath" } else { "" },
        if cgo { "" } else { ", CGO_ENABLED=0" },
        if third_party > 0 {
            format!(", {third_party} third-party imports")
        } else {
            String::new()
        },
        measured.bytes,
        measured.row.source
    );
    if let Some(i) = imports {
        let _ = write!(
            basis,
            "; imports read from {} .go file(s) in the context",
            i.n_files
        );
    }
    work.basis.push(basis);
    work.content = Content::Binary;
    // The build cache ($GOCACHE) stays in the layer unless a cache mount holds it.
    let precompiled_std = matches!(version, Some((1, minor)) if minor <= 19);
    let net = imports.is_some_and(|i| i.net);
    let cache = match (precompiled_std, net) {
        (true, false) => figures::GO_CACHE_SMALL_PRECOMPILED_STD,
        (true, true) => figures::GO_CACHE_NET_PRECOMPILED_STD,
        (false, false) => figures::GO_CACHE_SMALL_STD_COMPILED,
        (false, true) => figures::GO_CACHE_NET_STD_COMPILED,
    };
    let mut cache_range = cache.range();
    if imports.is_none() {
        cache_range = ByteRange::new(cache.low / 2, cache.est, cache.high * 2);
    }
    if third_party > 0 {
        cache_range =
            cache_range.plus(ByteRange::new(100_000, 500_000, 3_000_000).scale(third_party as f64));
    }
    let gocache = context
        .var(command, "GOCACHE")
        .unwrap_or_else(|| format!("{}/.cache/go-build", context.home()));
    if gocache != "off" && work.write(&gocache, cache_range, EntryKind::Tree, "Go build cache") {
        work.basis.push(format!(
            "Go build cache {gocache}: {} ({})",
            docker_size(cache_range.est),
            cache.source
        ));
    }
    if third_party > 0 {
        let modcache = mod_cache_path(context, command);
        if !work.vfs.exists(&modcache) {
            go_mod_download(context, command, work, "go build (downloads modules first)");
        }
    }
}

fn default_output(command: &Command, workdir: &str) -> String {
    let target = command
        .operands(&[
            "-o",
            "-ldflags",
            "-gcflags",
            "-tags",
            "-p",
            "-mod",
            "-buildmode",
            "-asmflags",
            "-installsuffix",
        ])
        .first()
        .map(|s| (*s).to_string());
    match target {
        Some(t) if t.ends_with(".go") => t
            .trim_end_matches(".go")
            .rsplit('/')
            .next()
            .unwrap_or("main")
            .to_string(),
        Some(t) if t != "." && t != "./..." => t
            .trim_end_matches("/...")
            .rsplit('/')
            .next()
            .unwrap_or("app")
            .to_string(),
        _ => workdir
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or("app")
            .to_string(),
    }
}

/// The first GOPATH entry: the variable, else `/go` in golang images (they
/// set it) and Go's default `$HOME/go` elsewhere.
fn gopath(context: &RunContext, command: &Command) -> String {
    let gopath = context.var(command, "GOPATH").unwrap_or_else(|| {
        if context.facts.go_version.is_some() {
            "/go".to_string()
        } else {
            format!("{}/go", context.home())
        }
    });
    // GOPATH may list several directories; downloads go to the first.
    gopath.split(':').next().unwrap_or(&gopath).to_string()
}

fn mod_cache_path(context: &RunContext, command: &Command) -> String {
    context
        .var(command, "GOMODCACHE")
        .unwrap_or_else(|| format!("{}/pkg/mod", gopath(context, command)))
}

fn go_mod_download(context: &mut RunContext, command: &Command, work: &mut LayerWork, what: &str) {
    let path = mod_cache_path(context, command);
    let requires = context_text(context.model, "go.mod", &context.run.workdir).map(count_requires);
    let (size, how) = match requires {
        Some(n) => (
            figures::GO_MOD_PER_MODULE.range().scale(n as f64),
            format!(
                "go.mod requires {n} module(s) × {} ({})",
                docker_size(figures::GO_MOD_PER_MODULE.est),
                figures::GO_MOD_PER_MODULE.source
            ),
        ),
        None => (
            figures::GO_MOD_UNKNOWN.range(),
            figures::GO_MOD_UNKNOWN.source.to_string(),
        ),
    };
    if work.write(&path, size, EntryKind::Tree, "Go module cache") {
        work.basis.push(format!(
            "{what}: module cache {path} {} ({how})",
            docker_range(size.low, size.high)
        ));
    }
    work.content = Content::Mixed;
}

/// `require` entries of a go.mod (single lines and blocks).
fn count_requires(go_mod: &str) -> u64 {
    let mut n = 0;
    let mut in_block = false;
    for line in go_mod.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if !line.is_empty() {
                n += 1;
            }
        } else if let Some(rest) = line.strip_prefix("require") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_block = true;
            } else if !rest.is_empty() {
                n += 1;
            }
        }
    }
    n
}

fn cargo_home(context: &RunContext, command: &Command) -> String {
    context.var(command, "CARGO_HOME").unwrap_or_else(|| {
        if context.facts.image.is_some_and(|i| i.image == "rust") {
            "/usr/local/cargo".to_string()
        } else {
            format!("{}/.cargo", context.home())
        }
    })
}

fn cargo_dependencies(model: &Model, workdir: &str) -> Option<u64> {
    let manifest = context_text(model, "Cargo.toml", workdir)?;
    let mut n = 0;
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.contains("dependencies");
            continue;
        }
        if in_deps && line.contains('=') && !line.starts_with('#') {
            n += 1;
        }
    }
    Some(n)
}

fn cargo_registry(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let home = cargo_home(context, command);
    let path = format!("{home}/registry");
    let direct = cargo_dependencies(context.model, &context.run.workdir);
    // Each direct dependency brings about 8 crates with it (approximate).
    let crates = direct.map_or(40, |n| n * 8);
    let size = figures::CARGO_REGISTRY_PER_CRATE
        .range()
        .scale(crates as f64);
    if work.write(&path, size, EntryKind::Tree, "cargo registry") {
        work.basis.push(format!(
            "cargo registry {path}: ~{crates} crates ({}) × {} ({})",
            direct.map_or("dependencies unknown".to_string(), |n| format!(
                "{n} direct dependencies × 8"
            )),
            docker_size(figures::CARGO_REGISTRY_PER_CRATE.est),
            figures::CARGO_REGISTRY_PER_CRATE.source
        ));
    }
}

fn cargo_build(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let release = command.has_flag("--release")
        || command.has_flag("-r")
        || command.subcommand() == Some("install");
    let binary_figure = figures::RUST_BINARY_UNKNOWN;
    let debug_factor = if release { 1.0 } else { 4.0 };
    let binary = binary_figure.range().scale(debug_factor);
    let name = context
        .model
        .context
        .files
        .iter()
        .find(|f| f.path.ends_with("Cargo.toml"))
        .and_then(|f| f.content.as_deref())
        .and_then(|text| {
            text.lines()
                .find(|l| l.trim_start().starts_with("name"))
                .and_then(|l| l.split('"').nth(1))
        })
        .unwrap_or("app")
        .to_string();
    let profile = if release { "release" } else { "debug" };
    if command.subcommand() == Some("install") {
        let home = cargo_home(context, command);
        work.write(
            &format!("{home}/bin/{name}"),
            binary,
            EntryKind::File,
            "Rust binary",
        );
        work.basis.push(format!(
            "cargo install: binary {} ({})",
            docker_range(binary.low, binary.high),
            binary_figure.source
        ));
    } else {
        let target = context
            .var(command, "CARGO_TARGET_DIR")
            .unwrap_or_else(|| absolute("target", &context.run.workdir));
        let per_mb = figures::CARGO_TARGET_PER_BINARY_MB;
        let rest = ByteRange::new(
            binary.low * per_mb.low,
            binary.est * per_mb.est,
            binary.high * per_mb.high,
        );
        work.write(
            &format!("{target}/{profile}/{name}"),
            binary,
            EntryKind::File,
            "Rust binary",
        );
        work.write(
            &format!("{target}/{profile}/deps"),
            rest,
            EntryKind::Tree,
            "cargo target dir",
        );
        work.basis.push(format!(
            "cargo build --{profile}: binary {target}/{profile}/{name} {} ({}); the rest of {target} {} ({})",
            docker_size(binary.est),
            binary_figure.source,
            docker_range(rest.low, rest.high),
            per_mb.source
        ));
    }
    let home = cargo_home(context, command);
    if !work.vfs.exists(&format!("{home}/registry")) {
        cargo_registry(context, command, work);
    }
    work.content = Content::Binary;
}

fn maven(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let goals: Vec<&str> = command.operands(&["-f", "-s", "-P", "-pl", "-D"]);
    let all: Vec<&str> = command.non_flag_words().collect();
    let builds_jar = all
        .iter()
        .any(|g| matches!(*g, "package" | "install" | "verify" | "deploy"));
    let _ = goals;
    let repo = format!("{}/.m2/repository", context.home());
    let figure = figures::MAVEN_REPOSITORY;
    if work.write(&repo, figure.range(), EntryKind::Tree, "Maven repository") {
        work.basis.push(format!(
            "~/.m2 repository: {} ({})",
            docker_range(figure.low, figure.high),
            figure.source
        ));
    }
    if builds_jar {
        let jar = figures::JAR;
        let path = absolute("target/app.jar", &context.run.workdir);
        work.write(&path, jar.range(), EntryKind::File, "jar");
        work.write(
            &absolute("target/classes", &context.run.workdir),
            jar.range().scale(0.1),
            EntryKind::Tree,
            "compiled classes",
        );
        work.basis.push(format!(
            "jar in target/: {} ({})",
            docker_range(jar.low, jar.high),
            jar.source
        ));
    }
    work.content = Content::Compressed;
}

fn gradle(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let tasks: Vec<&str> = command.non_flag_words().collect();
    let builds_jar = tasks.iter().any(|t| {
        matches!(
            *t,
            "build" | "assemble" | "bootJar" | "jar" | "shadowJar" | "installDist"
        )
    });
    let cache_dir = format!("{}/.gradle", context.home());
    let figure = figures::GRADLE_CACHE;
    if work.write(&cache_dir, figure.range(), EntryKind::Tree, "Gradle caches") {
        work.basis.push(format!(
            "~/.gradle: {} ({})",
            docker_range(figure.low, figure.high),
            figure.source
        ));
    }
    if builds_jar {
        let jar = figures::JAR;
        work.write(
            &absolute("build/libs/app.jar", &context.run.workdir),
            jar.range(),
            EntryKind::File,
            "jar",
        );
        work.write(
            &absolute("build/classes", &context.run.workdir),
            jar.range().scale(0.1),
            EntryKind::Tree,
            "compiled classes",
        );
        work.basis.push(format!(
            "jar in build/libs: {} ({})",
            docker_range(jar.low, jar.high),
            jar.source
        ));
    }
    work.content = Content::Compressed;
}

/// `npm run build` and friends: a bundle whose size tracks the sources.
pub(super) fn frontend_build(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let script = command
        .words
        .iter()
        .skip(2)
        .find(|w| !w.starts_with('-'))
        .map_or("", String::as_str);
    if !script.contains("build") && command.subcommand() != Some("build") {
        return;
    }
    let sources: u64 = context
        .model
        .context
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/") || f.path.starts_with("public/"))
        .map(|f| f.size)
        .sum();
    let (size, how) = if sources > 0 {
        (
            ByteRange::new(sources / 4, sources, sources * 4 + 1_000_000),
            format!(
                "sources in src/ and public/ total {}; bundles are ¼–4× that",
                docker_size(sources)
            ),
        )
    } else {
        (
            figures::FRONTEND_BUILD.range(),
            figures::FRONTEND_BUILD.source.to_string(),
        )
    };
    work.write(
        &absolute("dist", &context.run.workdir),
        size,
        EntryKind::Tree,
        "build output",
    );
    work.basis.push(format!(
        "build output: {} ({how})",
        docker_range(size.low, size.high)
    ));
    work.content = Content::Text;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_imports_and_requires() {
        let source = "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"github.com/gin-gonic/gin\"\n)\n\nfunc main() {}\n";
        assert_eq!(
            import_paths(source),
            ["fmt", "net/http", "github.com/gin-gonic/gin"]
        );
        assert_eq!(
            import_paths("package main\nimport \"fmt\"\nfunc main(){}"),
            ["fmt"]
        );
        let go_mod = "module x\n\ngo 1.21\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v1.2.0 // indirect\n)\nrequire golang.org/x/e v0.1.0\n";
        assert_eq!(count_requires(go_mod), 3);
    }
}
