//! `COPY` and `ADD`: bytes from the build context, another stage, an image
//! or a URL.

use super::catalog;
use super::compress::Content;
use super::engine::{LayerWork, StageState};
use super::figures::{self, Figure};
use super::{docker_range, docker_size, EstimateNote, NoteLevel};
use crate::model::glob::{glob_match, has_meta};
use crate::model::vfs::{absolute, is_within};
use crate::model::{ByteRange, CopyFrom, CopyStep, EntryKind, Model};
use std::fmt::Write as _;

/// Apply a `COPY`/`ADD` to the layer.
pub(super) fn apply(model: &Model, copy: &CopyStep, states: &[StageState], work: &mut LayerWork) {
    let n_sources = copy.sources.len() + copy.heredocs.len();
    for (name, bytes) in &copy.heredocs {
        let path = destination(&copy.dest, name, n_sources);
        work.write(&path, ByteRange::exact(*bytes), EntryKind::File, name);
        work.basis
            .push(format!("heredoc {name}: {bytes} B written as {path}"));
    }
    for source in &copy.sources {
        match &copy.from {
            None if is_url(source) => url(copy, source, work),
            None => from_context(model, copy, source, n_sources, work),
            Some(CopyFrom::Stage(index)) => match states.get(*index) {
                Some(state) => {
                    let label = model
                        .stages
                        .get(*index)
                        .map_or_else(|| format!("stage {index}"), crate::model::Stage::label);
                    from_stage(state, &label, copy, source, n_sources, work);
                }
                None => unknown_source(
                    copy,
                    source,
                    "the stage is not built before this step",
                    work,
                ),
            },
            Some(CopyFrom::Image(reference)) => from_image(copy, reference, source, work),
            Some(CopyFrom::Unknown(name)) => {
                // The model already reports the unknown reference itself.
                let before = work.notes.len();
                unknown_source(
                    copy,
                    source,
                    &format!("`{name}` is neither an earlier stage nor a catalogued image"),
                    work,
                );
                work.notes.truncate(before);
            }
        }
    }
}

fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://") || source.starts_with("git@")
}

/// Where a source file lands: `COPY a.go .` → `<dest>/a.go`; `COPY a.go /x`
/// (one source, no trailing slash) → `/x`.
fn destination(dest: &str, relative: &str, n_sources: usize) -> String {
    if dest.ends_with('/') || n_sources > 1 {
        absolute(relative, dest)
    } else {
        dest.to_string()
    }
}

fn from_context(
    model: &Model,
    copy: &CopyStep,
    source: &str,
    n_sources: usize,
    work: &mut LayerWork,
) {
    let context = &model.context;
    let verb = if copy.add { "ADD" } else { "COPY" };
    if !context.declared {
        let whole =
            matches!(source.trim_end_matches('/'), "." | "" | "./" | "*") || has_meta(source);
        let figure = if whole {
            figures::CONTEXT_UNKNOWN
        } else {
            Figure {
                low: 0,
                est: 4_000,
                high: 1_000_000,
                source: "file not in a declared build context: a source file is typically a few kB",
            }
        };
        let path = destination(&copy.dest, source.trim_end_matches('/'), n_sources);
        work.write(&path, figure.range(), EntryKind::Tree, source);
        work.basis.push(format!(
            "{source}: {} ({})",
            docker_range(figure.low, figure.high),
            figure.source
        ));
        if whole {
            work.notes.push(EstimateNote {
                span: work.span,
                level: NoteLevel::Warning,
                message: format!(
                    "{verb} {source} copies the build context, which was not declared: the size is a range ({}); declare the context for an exact number",
                    docker_range(figure.low, figure.high)
                ),
            });
        }
        return;
    }
    let selected = context.select(source);
    if selected.is_empty() {
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Warning,
            message: format!(
                "{source} matches no file of the declared build context (BuildKit would fail with \"not found\")"
            ),
        });
        work.basis
            .push(format!("{source}: matches nothing in the context"));
        return;
    }
    let single_file =
        selected.len() == 1 && selected[0].1.path == crate::model::context::clean_path(source);
    let mut total = 0u64;
    for (relative, file) in &selected {
        let path = if single_file {
            destination(&copy.dest, relative, n_sources)
        } else {
            absolute(relative, copy.dest.trim_end_matches('/'))
        };
        let size = if copy.add && is_local_archive(&file.path) {
            // ADD unpacks local tar archives; a gzip'd tarball unpacks to
            // roughly 3× (the catalog's pooled image ratio).
            let ratio = catalog::compression_ratio("*").ratio.max(1.0);
            ByteRange::new(file.size, (file.size as f64 * ratio) as u64, file.size * 6)
        } else {
            ByteRange::exact(file.size)
        };
        total = total.saturating_add(size.est);
        work.write(&path, size, EntryKind::File, &file.path);
    }
    let n = selected.len();
    let mut basis = format!(
        "{source}: {} declared file{} in the build context, {}",
        n,
        if n == 1 { "" } else { "s" },
        docker_size(total)
    );
    if context.n_ignored > 0 {
        let _ = write!(
            basis,
            " (.dockerignore excludes {} file{}, {})",
            context.n_ignored,
            if context.n_ignored == 1 { "" } else { "s" },
            docker_size(context.ignored_bytes)
        );
    }
    if context.dockerignore_unread {
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Info,
            message: ".dockerignore is in the context but its text was not supplied, so it was not applied".to_string(),
        });
    }
    work.basis.push(basis);
    if selected.iter().all(|(_, f)| is_text_like(&f.path)) {
        work.content = Content::Text;
    } else {
        work.content = Content::Mixed;
    }
}

fn is_local_archive(path: &str) -> bool {
    [".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".txz"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

fn is_text_like(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("");
    matches!(
        ext,
        "go" | "mod"
            | "sum"
            | "rs"
            | "toml"
            | "js"
            | "ts"
            | "json"
            | "py"
            | "txt"
            | "md"
            | "java"
            | "xml"
            | "gradle"
            | "kts"
            | "html"
            | "css"
            | "yaml"
            | "yml"
            | "sh"
            | "lock"
            | "cfg"
            | "ini"
            | "conf"
    )
}

fn from_stage(
    state: &StageState,
    label: &str,
    copy: &CopyStep,
    source: &str,
    n_sources: usize,
    work: &mut LayerWork,
) {
    let src = absolute(source, "/");
    let entries: Vec<_> = if has_meta(&src) {
        state
            .vfs
            .entries()
            .iter()
            .filter(|e| {
                glob_match(
                    src.trim_start_matches('/'),
                    e.path.trim_start_matches('/'),
                    false,
                )
            })
            .cloned()
            .collect()
    } else {
        state.vfs.under(&src).cloned().collect()
    };
    if !entries.is_empty() {
        let mut total = ByteRange::ZERO;
        let mut binary = false;
        for entry in &entries {
            let path = if entry.path == src {
                let name = src.rsplit('/').next().unwrap_or("");
                destination(&copy.dest, name, n_sources)
            } else {
                let relative = entry
                    .path
                    .strip_prefix(&src)
                    .unwrap_or(&entry.path)
                    .trim_start_matches('/');
                absolute(relative, copy.dest.trim_end_matches('/'))
            };
            binary |= entry.label.contains("binary");
            total = total.plus(entry.size);
            work.write(&path, entry.size, entry.kind, &entry.label);
        }
        let what: Vec<&str> = entries.iter().map(|e| e.label.as_str()).take(3).collect();
        work.basis.push(format!(
            "{src} from {label}: {} ({})",
            docker_range(total.low, total.high),
            what.join(", ")
        ));
        work.content = if binary {
            Content::Binary
        } else {
            Content::Mixed
        };
        return;
    }
    let name = src.rsplit('/').next().unwrap_or("");
    let dest = destination(&copy.dest, name, n_sources);
    if let Some(known) = well_known(state, &src) {
        work.write(&dest, known.0, EntryKind::File, &src);
        work.basis.push(format!(
            "{src} from {label}: {} ({})",
            docker_size(known.0.est),
            known.1
        ));
        return;
    }
    if let Some(tree) = state.vfs.enclosing_tree(&src) {
        let size = ByteRange::new(0, (tree.size.est / 20).min(10_000_000), tree.size.high);
        work.write(&dest, size, EntryKind::Tree, &src);
        work.basis.push(format!(
            "{src} is somewhere inside {} ({}) of {label}; its share is unknown: {}",
            tree.label,
            docker_size(tree.size.est),
            docker_range(size.low, size.high)
        ));
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Info,
            message: format!("the size of {src} in {label} is not known; stated as a range"),
        });
        return;
    }
    work.notes.push(EstimateNote {
        span: work.span,
        level: NoteLevel::Warning,
        message: format!(
            "nothing in {label} is known to write {src}; the copy may fail or be empty"
        ),
    });
    work.basis.push(format!(
        "{src}: {label} writes nothing there that the model knows of"
    ));
}

/// Sizes of a few paths people copy out of base images.
fn well_known(state: &StageState, path: &str) -> Option<(ByteRange, String)> {
    let distro = if state.distro.starts_with("alpine") {
        state.distro.as_str()
    } else {
        "alpine3.17"
    };
    let package = |name: &str| catalog::apk_package(distro, name);
    if path.starts_with("/etc/ssl/certs") {
        let p = package("ca-certificates-bundle")?;
        return Some((
            ByteRange::around(p.disk_bytes(), 0.1),
            format!(
                "size of the CA bundle package ca-certificates-bundle {} ({})",
                p.version, p.distro
            ),
        ));
    }
    if is_within(path, "/usr/share/zoneinfo") {
        let p = package("tzdata")?;
        return Some((
            ByteRange::new(0, p.disk_bytes(), p.disk_bytes()),
            format!(
                "size of tzdata {} ({}); a single zone file is far smaller",
                p.version, p.distro
            ),
        ));
    }
    if matches!(path, "/etc/passwd" | "/etc/group" | "/etc/nsswitch.conf") {
        return Some((
            ByteRange::new(100, 1_000, 4_000),
            "a small system file".to_string(),
        ));
    }
    None
}

fn from_image(copy: &CopyStep, reference: &str, source: &str, work: &mut LayerWork) {
    let resolution = catalog::resolve_image(reference, None, None);
    let Some(entry) = resolution.entry else {
        unknown_source(
            copy,
            source,
            &format!("image `{reference}` is not in the catalog"),
            work,
        );
        return;
    };
    let mut state = StageState::for_image(entry);
    for (layer, base_layer) in (0u32..).zip(entry.data_layers()) {
        state.vfs.write(crate::model::Entry {
            path: if layer == 0 {
                "/".to_string()
            } else {
                format!("/.base-layer-{layer}")
            },
            size: ByteRange::exact(base_layer.disk_bytes),
            layer,
            kind: EntryKind::Tree,
            label: format!("{} layer", entry.resolved),
        });
    }
    from_stage(&state, reference, copy, source, 1, work);
}

fn unknown_source(copy: &CopyStep, source: &str, why: &str, work: &mut LayerWork) {
    let figure = figures::DOWNLOAD_UNKNOWN;
    let dest = destination(&copy.dest, source.rsplit('/').next().unwrap_or(source), 1);
    work.write(&dest, figure.range(), EntryKind::Tree, source);
    work.basis.push(format!(
        "{source}: unknown size because {why}: {}",
        docker_range(figure.low, figure.high)
    ));
    work.notes.push(EstimateNote {
        span: work.span,
        level: NoteLevel::Warning,
        message: format!("cannot size {source}: {why}"),
    });
}

fn url(copy: &CopyStep, source: &str, work: &mut LayerWork) {
    let name = source
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("__unnamed__");
    let dest = destination(&copy.dest, name, copy.sources.len());
    let figure = super::run::download_figure(source);
    work.write(&dest, figure.range(), EntryKind::File, name);
    work.content = Content::Compressed;
    work.basis.push(format!(
        "{source}: {} ({}); ADD does not unpack remote archives",
        docker_range(figure.low, figure.high),
        figure.source
    ));
    work.notes.push(EstimateNote {
        span: work.span,
        level: NoteLevel::Info,
        message: format!("download size of {source} is {}", figure.source),
    });
}
