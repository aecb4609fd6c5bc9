//! File operations and fetches: `rm`, `chmod -R`/`chown -R`, `mv`, `cp`,
//! `curl`/`wget`, `tar`/`unzip`, `git clone`, `useradd`.

// Linux paths are case-sensitive: `.go`, `.deb`, `.tar` are matched exactly as
// the tools themselves match them.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use super::{LayerWork, RunContext};
use crate::estimate::catalog;
use crate::estimate::compress::Content;
use crate::estimate::figures::{self, Figure};
use crate::estimate::{docker_range, docker_size, one_decimal, EstimateNote, NoteLevel};
use crate::model::glob::{glob_match, has_meta};
use crate::model::vfs::absolute;
use crate::model::{ByteRange, Command, Entry, EntryKind};

pub(super) fn handle(context: &mut RunContext, command: &Command, work: &mut LayerWork) -> bool {
    match command.program() {
        "rm" => remove(context, command, work),
        "chmod" | "chown" | "chgrp" => permissions(context, command, work),
        "mv" => move_or_copy(context, command, work, true),
        "cp" => move_or_copy(context, command, work, false),
        "curl" | "wget" => download(context, command, work),
        "tar" | "unzip" | "gunzip" => extract(context, command, work),
        "git" if command.subcommand() == Some("clone") => git_clone(context, command, work),
        "useradd" | "adduser" => useradd(context, command, work),
        "mkdir" | "touch" | "rmdir" | "ln" => {}
        _ => return false,
    }
    true
}

/// The absolute glob a path argument spells (`netbox*` in `/opt` →
/// `/opt/netbox*`), or None when it has no wildcard.
fn glob_pattern(context: &RunContext, word: &str) -> Option<String> {
    if !has_meta(word) {
        return None;
    }
    let word = match word.strip_prefix('~') {
        Some(rest) => format!("{}{rest}", context.home()),
        None => word.to_string(),
    };
    Some(absolute(&word, &context.run.workdir))
}

/// Resolve a path argument: `~` is the user's home, relative paths are
/// against the working directory, and a trailing glob segment
/// (`/var/lib/apt/lists/*`) stands for the directory's contents.
fn resolve(context: &RunContext, word: &str) -> String {
    let word = if let Some(rest) = word.strip_prefix('~') {
        format!("{}{rest}", context.home())
    } else {
        word.to_string()
    };
    let mut path = absolute(&word, &context.run.workdir);
    if has_meta(&path) {
        // Keep the part before the first segment with a wildcard.
        let mut kept: Vec<&str> = Vec::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if has_meta(segment) {
                break;
            }
            kept.push(segment);
        }
        path = format!("/{}", kept.join("/"));
    }
    path
}

fn remove(context: &RunContext, command: &Command, work: &mut LayerWork) {
    for word in command.non_flag_words() {
        let path = resolve(context, word);
        if path == "/" && !word.starts_with('/') {
            continue;
        }
        work.delete(&path);
    }
}

fn permissions(context: &RunContext, command: &Command, work: &mut LayerWork) {
    let recursive = command.has_flag("-R") || command.has_flag("--recursive");
    let operands: Vec<&str> = command.non_flag_words().collect();
    // chmod MODE paths… / chown OWNER paths…
    for word in operands.iter().skip(1) {
        let path = resolve(context, word);
        let older: Vec<Entry> = work
            .vfs
            .under(&path)
            .filter(|e| e.layer < work.layer && (recursive || e.path == path))
            .cloned()
            .collect();
        let mut total = ByteRange::ZERO;
        for entry in &older {
            total = total.plus(entry.size);
            work.write(&entry.path, entry.size, entry.kind, &entry.label);
        }
        if let Some(tree) = work
            .vfs
            .enclosing_tree(&path)
            .filter(|t| t.layer < work.layer)
            .cloned()
        {
            if recursive {
                let share = ByteRange::new(0, tree.size.est / 10, tree.size.high);
                total = total.plus(share);
                work.write(
                    &path,
                    share,
                    EntryKind::Tree,
                    &format!("part of {}", tree.label),
                );
            }
        }
        if total.est > 0 || total.high > 0 {
            work.basis.push(format!(
                "{} {path} rewrites files of earlier layers, so this layer holds a second copy: {}",
                command.program(),
                docker_range(total.low, total.high)
            ));
            work.notes.push(EstimateNote {
                span: work.span,
                level: NoteLevel::Warning,
                message: format!(
                    "{}{} in a later layer duplicates {} of files (use COPY --chown/--chmod instead)",
                    command.program(),
                    if recursive { " -R" } else { "" },
                    docker_size(total.est)
                ),
            });
        }
    }
}

fn move_or_copy(context: &RunContext, command: &Command, work: &mut LayerWork, moving: bool) {
    let operands: Vec<&str> = command.non_flag_words().collect();
    let Some((dest, sources)) = operands.split_last() else {
        return;
    };
    let dest = resolve(context, dest);
    for word in sources {
        let source = resolve(context, word);
        // Each entry with the path it is moved by: the source itself, or
        // for a glob (`mv netbox-* netbox`) the matching path above it;
        // everything else in the glob's directory stays.
        let pattern = glob_pattern(context, word);
        let entries: Vec<(Entry, String)> = work
            .vfs
            .under(&source)
            .filter_map(|entry| match &pattern {
                None => Some((entry.clone(), source.clone())),
                Some(pattern) => {
                    let depth = pattern.split('/').filter(|s| !s.is_empty()).count();
                    let root: Vec<&str> = entry
                        .path
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .take(depth)
                        .collect();
                    // Unpacked archives and unmodelled commands are
                    // recorded under a placeholder name: their contents
                    // are unknown, so they may be what the glob names.
                    let placeholder = root.last().is_some_and(|name| {
                        name.starts_with(".extracted-") || name.starts_with(".unknown-")
                    });
                    let root = format!("/{}", root.join("/"));
                    (placeholder
                        || glob_match(
                            pattern.trim_start_matches('/'),
                            root.trim_start_matches('/'),
                            false,
                        ))
                    .then(|| (entry.clone(), root))
                }
            })
            .collect();
        let into_dir = sources.len() > 1 || work.vfs.exists(&dest);
        for (entry, root) in &entries {
            let relative = entry
                .path
                .strip_prefix(root.as_str())
                .unwrap_or("")
                .trim_start_matches('/');
            let name = root.rsplit('/').next().unwrap_or("");
            let target = match (into_dir, relative.is_empty()) {
                (true, true) => format!("{}/{name}", dest.trim_end_matches('/')),
                (true, false) => format!("{}/{name}/{relative}", dest.trim_end_matches('/')),
                (false, true) => dest.clone(),
                (false, false) => format!("{}/{relative}", dest.trim_end_matches('/')),
            };
            work.write(&target, entry.size, entry.kind, &entry.label);
        }
        if moving {
            if pattern.is_some() {
                let mut roots: Vec<&String> = entries.iter().map(|(_, root)| root).collect();
                crate::sort::ascending(&mut roots);
                roots.dedup();
                for root in roots {
                    work.delete(root);
                }
            } else {
                work.delete(&source);
            }
        }
        let entries: Vec<Entry> = entries.into_iter().map(|(entry, _)| entry).collect();
        let source = pattern.unwrap_or(source);
        let total: ByteRange = entries.iter().map(|e| e.size).sum();
        if total.est > 0 {
            work.basis.push(format!(
                "{} {source} → {dest}: {}",
                command.program(),
                docker_size(total.est)
            ));
        }
    }
}

/// What the model knows about a download URL's size.
pub(crate) fn download_figure(url: &str) -> Figure {
    let name = url.rsplit('/').next().unwrap_or("");
    if name.starts_with("go1.") && name.contains("linux-") && name.ends_with(".tar.gz") {
        // The golang image's toolchain layer is this tarball unpacked (plus
        // a little); its compressed size is close to the tarball's.
        if let Some(layer) = catalog::images()
            .iter()
            .filter(|image| image.image == "golang")
            .max_by_key(|image| image.date)
            .and_then(|image| {
                image
                    .data_layers()
                    .max_by_key(|layer| layer.compressed_bytes)
            })
        {
            return Figure {
                low: layer.compressed_bytes / 2,
                est: layer.compressed_bytes,
                high: layer.compressed_bytes * 3 / 2,
                source: "Go release tarball: sized like the golang image's toolchain layer (compressed) in the catalog",
            };
        }
    }
    figures::DOWNLOAD_UNKNOWN
}

fn download(context: &RunContext, command: &Command, work: &mut LayerWork) {
    let Some(url) = command.words.iter().skip(1).find(|w| w.contains("://")) else {
        return;
    };
    let output = if command.program() == "curl" {
        command
            .flag_value("-o")
            .or_else(|| command.flag_value("--output"))
            .map(str::to_string)
            .or_else(|| {
                (command.has_flag("-O") || command.has_flag("--remote-name"))
                    .then(|| url.rsplit('/').next().unwrap_or("download").to_string())
            })
    } else {
        match command
            .flag_value("-O")
            .or_else(|| command.flag_value("--output-document"))
        {
            Some("-") => None,
            Some(file) => Some(file.to_string()),
            None if command
                .words
                .iter()
                .any(|w| w.starts_with("-qO-") || w == "-O-") =>
            {
                None
            }
            None => Some(url.rsplit('/').next().unwrap_or("index.html").to_string()),
        }
    };
    let figure = download_figure(url);
    let Some(output) = output else {
        work.basis.push(format!(
            "{} {url} writes to stdout (piped): nothing saved by itself",
            command.program()
        ));
        return;
    };
    let path = resolve(context, &output);
    let label = format!("download {}", url.rsplit('/').next().unwrap_or(""));
    if !work.write(&path, figure.range(), EntryKind::File, &label) {
        return;
    }
    work.content = Content::Compressed;
    work.basis.push(format!(
        "download {url}: {} ({})",
        docker_range(figure.low, figure.high),
        figure.source
    ));
    if figure == figures::DOWNLOAD_UNKNOWN {
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Info,
            message: format!(
                "the size of {url} is unknown: stated as {}",
                docker_range(figure.low, figure.high)
            ),
        });
    }
}

fn extract(context: &RunContext, command: &Command, work: &mut LayerWork) {
    let is_tar = command.program() == "tar";
    if is_tar
        && !command
            .words
            .iter()
            .skip(1)
            .any(|w| (w.starts_with('-') || w.len() <= 6) && w.contains('x'))
    {
        return;
    }
    let archive = if is_tar {
        command
            .flag_value("-f")
            .or_else(|| command.flag_value("--file"))
            .map(str::to_string)
            .or_else(|| {
                // `tar xzf file.tgz`: the archive follows a bundled flag word.
                command
                    .words
                    .iter()
                    .skip(2)
                    .find(|w| w.contains(".tar") || w.ends_with(".tgz"))
                    .cloned()
            })
    } else {
        command.non_flag_words().next().map(str::to_string)
    };
    let dest = command
        .flag_value("-C")
        .or_else(|| command.flag_value("-d"))
        .map_or_else(|| context.run.workdir.clone(), |d| resolve(context, d));
    let ratio = catalog::compression_ratio("*").ratio.max(1.0);
    let mut source_name = String::new();
    let compressed_size = if let Some(file) = archive.as_deref().filter(|a| *a != "-") {
        let path = resolve(context, file);
        source_name = path.rsplit('/').next().unwrap_or("").to_string();
        work.vfs.under(&path).map(|e| e.size).sum::<ByteRange>()
    } else {
        {
            // Reading stdin: the download piped into it.
            let url = context.run.commands[..context.position]
                .iter()
                .rev()
                .take(1)
                .find(|c| matches!(c.program(), "curl" | "wget"))
                .and_then(|c| c.words.iter().find(|w| w.contains("://")).cloned());
            if let Some(u) = &url {
                source_name = u.rsplit('/').next().unwrap_or("").to_string();
            }
            url.map_or(ByteRange::ZERO, |u| download_figure(&u).range())
        }
    };
    if compressed_size.high == 0 {
        return;
    }
    let unpacked = compressed_size.scale(ratio);
    // Go release tarballs unpack into a `go/` directory.
    let target = if source_name.starts_with("go1.") {
        format!("{}/go", dest.trim_end_matches('/'))
    } else {
        format!(
            "{}/.extracted-{}",
            dest.trim_end_matches('/'),
            command.span.start
        )
    };
    work.write(&target, unpacked, EntryKind::Tree, "extracted archive");
    work.basis.push(format!(
        "{} unpacks about {}× the archive into {dest}: {}",
        command.program(),
        one_decimal(ratio),
        docker_range(unpacked.low, unpacked.high)
    ));
}

fn git_clone(context: &RunContext, command: &Command, work: &mut LayerWork) {
    let operands = command.operands(&[
        "--depth", "-b", "--branch", "--origin", "-o", "--filter", "-c", "--config",
    ]);
    let Some(url) = operands.first() else {
        return;
    };
    let name = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit('/')
        .next()
        .unwrap_or("repo");
    let dir = operands
        .get(1)
        .map_or_else(|| name.to_string(), |d| (*d).to_string());
    let shallow = command.flag_value("--depth").is_some();
    let figure = figures::GIT_CLONE_UNKNOWN;
    let size = if shallow {
        figure.range().scale(0.5)
    } else {
        figure.range()
    };
    work.write(
        &resolve(context, &dir),
        size,
        EntryKind::Tree,
        &format!("clone of {url}"),
    );
    work.basis.push(format!(
        "git clone {url}{}: {} ({})",
        if shallow { " (shallow)" } else { "" },
        docker_range(size.low, size.high),
        figure.source
    ));
}

fn useradd(context: &RunContext, command: &Command, work: &mut LayerWork) {
    let files = ByteRange::new(1_000, figures::USERADD_FILES, 40_000);
    work.write(
        &format!("/etc/.users-{}", command.span.start),
        files,
        EntryKind::Tree,
        "user database files",
    );
    let busybox = command.program() == "adduser" && context.facts.is_alpine();
    let no_log = command.has_flag("-l") || command.has_flag("--no-log-init");
    if command.program() == "useradd" && !no_log && !busybox {
        let uid: u64 = command
            .flag_value("-u")
            .or_else(|| command.flag_value("--uid"))
            .and_then(|u| u.parse().ok())
            .unwrap_or(1000);
        let bytes = uid
            .saturating_add(1)
            .saturating_mul(figures::LASTLOG_BYTES_PER_UID);
        work.write(
            "/var/log/lastlog",
            ByteRange::exact(bytes),
            EntryKind::File,
            "lastlog (sparse)",
        );
        work.write(
            "/var/log/faillog",
            ByteRange::exact(uid.saturating_add(1) * 32),
            EntryKind::File,
            "faillog (sparse)",
        );
        work.basis.push(format!(
            "useradd without -l writes a sparse /var/log/lastlog of {} B per UID up to {uid}, stored in full in the layer: {}",
            figures::LASTLOG_BYTES_PER_UID,
            docker_size(bytes)
        ));
    } else {
        work.basis
            .push(format!("user account files: ~{}", docker_size(files.est)));
    }
}

#[cfg(test)]
mod tests {
    /// Final-stage `COPY` rows' estimates, in order.
    fn copies(text: &str) -> Vec<u64> {
        let analysis = crate::analyze(text, &crate::Options::default());
        let last = analysis.estimate.final_image.stage;
        analysis
            .estimate
            .rows
            .iter()
            .filter(|row| Some(row.stage) == last && row.created_by.starts_with("COPY"))
            .map(|row| row.disk.est)
            .collect()
    }

    #[test]
    fn a_globbed_mv_moves_only_what_the_glob_names() {
        let text = "FROM python:3.12 AS build\nRUN python -m venv /opt/venv\nWORKDIR /opt\n\
                    RUN wget -q -O - https://example.com/app.tar.gz | tar xz && mv app-* app\n\
                    FROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv\nCOPY --from=build /opt/app /opt/app\n";
        let sizes = copies(text);
        assert_eq!(sizes.len(), 2);
        assert_eq!(
            sizes[0],
            crate::estimate::figures::VENV_WITH_PIP_ONLY.est,
            "the virtualenv stays where it was"
        );
        assert!(sizes[1] > 1_000_000, "the unpacked archive became /opt/app");
    }
}
