//! Properties of the multi-stage rewrite, checked on every fixture and on
//! every Dockerfile of `../shared/conformance/{realworld,buildkit/corpus}`
//! that the rewrite accepts:
//!
//! 1. the output parses with no new errors;
//! 2. rewriting the output changes nothing (idempotent);
//! 3. the final-image estimate never grows;
//! 4. every `COPY --from=<builder>` names a path the builder produces;
//! 5. the final `CMD`/`ENTRYPOINT` names something present in the runtime stage.
//!
//! A failure prints the transformed text. The realworld run also requires
//! at least 50 of the 55 `rewrite_candidate: yes` files to be rewritten.

use std::path::{Path, PathBuf};

use layerlens::model::vfs::{absolute, is_within};
use layerlens::model::{CopyFrom, StepKind};
use layerlens::rewrite::facts::stage_facts;
use layerlens::rewrite::{rewrite, RewriteOptions, RuntimeChoice};
use layerlens::syntax::{parse, Command, Keyword};
use layerlens::{analyze, Options};

#[path = "support/shared.rs"]
mod shared;

/// Programs the runtime base images ship (interpreters, shells, servers).
const BASE_PROGRAMS: &[&str] = &[
    "node",
    "npm",
    "npx",
    "yarn",
    "python",
    "python2",
    "python3",
    "java",
    "dotnet",
    "ruby",
    "bundle",
    "gem",
    "php",
    "sh",
    "bash",
    "exec",
    "env",
    "apache2",
    "apache2-foreground",
    "nginx",
];

/// Directories on `PATH` whose copy makes their programs available.
const PATH_DIRS: &[&str] = &[
    "/usr/local/bin",
    "/usr/bin",
    "/bin",
    "/go/bin",
    "/root/.cabal/bin",
    "/usr/local/bundle/bin",
    "/usr/local/cargo/bin",
];

/// Check properties 1–5 on one input; `Err` carries a readable report.
fn check_with(name: &str, text: &str, runtime: RuntimeChoice) -> Result<bool, String> {
    let options = RewriteOptions {
        runtime,
        ..RewriteOptions::default()
    };
    let result = rewrite(text, &options);
    if result.refusal.is_some() {
        if result.output != text || !result.edits.is_empty() {
            return Err(format!("{name}: refused but changed the text"));
        }
        return Ok(false);
    }
    let out = &result.output;
    let fail = |what: String| {
        Err(format!(
            "{name}: {what}\n----- rewritten -----\n{out}\n---------------------"
        ))
    };
    // 1. parses with no new errors
    let (before_errors, after_errors) = (parse(text).errors.len(), parse(out).errors.len());
    if after_errors > before_errors {
        return fail(format!(
            "{after_errors} parse errors after, {before_errors} before"
        ));
    }
    // 2. idempotent
    let again = rewrite(out, &options);
    if again.output != *out {
        return fail(format!(
            "not idempotent; second pass gives:\n{}",
            again.output
        ));
    }
    // 3. the estimate never grows
    let analysis = Options::default();
    let (before, after) = (analyze(text, &analysis), analyze(out, &analysis));
    if after.estimate.final_image.disk.est > before.estimate.final_image.disk.est {
        return fail(format!(
            "grew: {} → {}",
            before.estimate.final_image.disk.est, after.estimate.final_image.disk.est
        ));
    }
    // 4. COPY --from names what the builder produces
    let model = &after.model;
    let Some(runtime) = model.stages.last() else {
        return fail("no stages".into());
    };
    let mut copied: Vec<String> = Vec::new();
    for step in &runtime.steps {
        let StepKind::Copy(copy) = &step.kind else {
            continue;
        };
        match copy.from {
            Some(CopyFrom::Stage(builder)) => {
                let facts = stage_facts(&model.stages[builder]);
                for source in &copy.sources {
                    let system_python = facts.pip && source.starts_with("/usr/lib/python");
                    if !(facts.produces(source)
                        || source.starts_with("/usr/local")
                        || system_python)
                    {
                        return fail(format!(
                            "COPY --from names `{source}`, which the builder does not produce"
                        ));
                    }
                }
                copied.push(copy.dest.trim_end_matches('/').to_string());
            }
            None => copied.push(copy.dest.trim_end_matches('/').to_string()),
            _ => {}
        }
    }
    // 5. the command names something in the runtime stage
    let parsed = parse(out);
    let runtime_start = runtime.from_span.start;
    let entry = parsed
        .dockerfile
        .instructions
        .iter()
        .filter(|i| {
            i.span.start >= runtime_start && matches!(i.keyword, Keyword::Entrypoint | Keyword::Cmd)
        })
        .find(|i| i.keyword == Keyword::Entrypoint)
        .or_else(|| {
            parsed
                .dockerfile
                .instructions
                .iter()
                .rev()
                .find(|i| i.span.start >= runtime_start && i.keyword == Keyword::Cmd)
        });
    let Some(entry) = entry else { return Ok(true) };
    let program = match entry.command() {
        Some(Command::Exec(words)) => words.first().map(|w| w.value.to_string()),
        Some(Command::Shell(word)) => word
            .value
            .split_whitespace()
            .find(|w| *w != "exec")
            .map(str::to_string),
        _ => None,
    };
    let Some(program) = program else {
        return Ok(true);
    };
    let workdir = runtime
        .steps
        .iter()
        .rev()
        .find_map(|s| match &s.kind {
            StepKind::Workdir(dir) => Some(dir.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "/".into());
    let installs_globally = runtime.steps.iter().any(|s| matches!(&s.kind, StepKind::Run(run) if run.commands.iter().any(|c| c.has_flag("-g") || c.is("apt-get", "install") || c.is("apt", "install") || c.is("apk", "add") || c.is("dnf", "install") || c.is("yum", "install"))));
    // Directories the runtime stage puts on PATH (ENV PATH=…).
    let mut path_dirs: Vec<String> = PATH_DIRS.iter().map(|d| (*d).to_string()).collect();
    for instruction in parsed
        .dockerfile
        .instructions
        .iter()
        .filter(|i| i.span.start >= runtime_start)
    {
        if let layerlens::syntax::InstructionKind::Env { pairs } = &instruction.kind {
            for pair in pairs.iter().filter(|p| p.key.value == "PATH") {
                path_dirs.extend(
                    pair.value
                        .value
                        .trim_matches('"')
                        .split(':')
                        .map(str::to_string),
                );
            }
        }
    }
    let present = if program.contains('/') {
        let path = absolute(&program, &workdir);
        copied.iter().any(|dest| is_within(&path, dest))
            || path.starts_with("/bin/")
            || path.starts_with("/usr/bin/")
    } else {
        BASE_PROGRAMS.contains(&program.as_str())
            || installs_globally
            || copied.iter().any(|dest| {
                dest.rsplit('/').next() == Some(program.as_str())
                    || path_dirs.iter().any(|dir| is_within(dir, dest))
            })
    };
    if !present {
        return fail(format!(
            "the command runs `{program}`, which the runtime stage does not have"
        ));
    }
    Ok(true)
}

/// Properties 1–5 with every runtime choice; `Ok(true)` when the default
/// (`auto`) rewrite changes the text.
fn check(name: &str, text: &str) -> Result<bool, String> {
    let changed = check_with(name, text, RuntimeChoice::Auto)?;
    for runtime in RuntimeChoice::ALL.into_iter().skip(1) {
        check_with(
            &format!("{name} (--runtime {})", runtime.as_str()),
            text,
            runtime,
        )?;
    }
    Ok(changed)
}

fn dockerfiles_in(root: &Path) -> Vec<(String, PathBuf, String)> {
    let mut cases: Vec<(String, PathBuf, String)> = std::fs::read_dir(root)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("Dockerfile").is_file())
                .map(|p| {
                    let meta = std::fs::read_to_string(p.join("meta")).unwrap_or_default();
                    (
                        p.file_name().unwrap().to_string_lossy().to_string(),
                        p.join("Dockerfile"),
                        meta,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    cases
}

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[test]
fn fixtures_hold_the_properties() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite");
    let mut rewritten = 0;
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        if check(&name, &read(&entry.path())).unwrap_or_else(|e| panic!("{e}")) {
            rewritten += 1;
        }
    }
    assert!(rewritten >= 10, "{rewritten}");
}

#[test]
fn realworld_holds_the_properties_and_rewrites_the_candidates() {
    let Some(root) = shared::dir("LAYERLENS_REALWORLD_DIR", "shared/conformance/realworld") else {
        return;
    };
    let (mut candidates, mut rewritten_candidates, mut rewritten_controls) = (0, 0, 0);
    let mut failures = Vec::new();
    for (name, path, meta) in dockerfiles_in(&root) {
        match check(&name, &read(&path)) {
            Ok(changed) => {
                if meta.contains("rewrite_candidate: yes") {
                    candidates += 1;
                    rewritten_candidates += usize::from(changed);
                } else if changed {
                    rewritten_controls += 1;
                }
            }
            Err(report) => failures.push(report),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("realworld: {rewritten_candidates} of {candidates} candidates rewritten; {rewritten_controls} other files rewritten");
    assert!(
        rewritten_candidates >= 50,
        "only {rewritten_candidates} of {candidates} candidates rewritten"
    );
}

#[test]
fn buildkit_corpus_holds_the_properties() {
    let Some(root) = shared::dir("LAYERLENS_CONFORMANCE_DIR", "shared/conformance/buildkit") else {
        return;
    };
    let mut failures = Vec::new();
    let mut rewritten = 0;
    for (name, path, _) in dockerfiles_in(&root.join("corpus")) {
        match check_with(&name, &read(&path), RuntimeChoice::Auto) {
            Ok(changed) => rewritten += usize::from(changed),
            Err(report) => failures.push(report),
        }
    }
    eprintln!("buildkit corpus: {rewritten} rewritten");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
