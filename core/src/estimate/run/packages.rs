//! OS package managers: `apk`, `apt-get`/`apt`, `yum`/`dnf`/`microdnf`.

// Linux paths are case-sensitive: `.go`, `.deb`, `.tar` are matched exactly as
// the tools themselves match them.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use super::{LayerWork, RunContext};
use crate::estimate::catalog;
use crate::estimate::compress::Content;
use crate::estimate::figures::{self, Figure};
use crate::estimate::{docker_range, docker_size, EstimateNote, NoteLevel};
use crate::model::{ByteRange, Command, EntryKind};
use std::fmt::Write as _;

/// Installed size of an Alpine package the catalog does not list.
const APK_UNKNOWN_PACKAGE: Figure = Figure {
    low: 20_000,
    est: 1_000_000,
    high: 60_000_000,
    source: "package not in the catalog: a typical Alpine package with its new dependencies",
};

/// Allowance for the dependencies of an Alpine package whose dependency
/// list the catalog does not record.
const APK_UNRECORDED_DEPS: Figure = Figure {
    low: 0,
    est: 0,
    high: 5_000_000,
    source: "approximate: shared libraries an Alpine package commonly pulls in (libcurl, openssl, zstd…)",
};

/// Installed size of a Debian package name missing from the bookworm index.
const DEB_UNKNOWN_PACKAGE: Figure = Figure {
    low: 50_000,
    est: 3_000_000,
    high: 100_000_000,
    source: "package not in the bookworm index snapshot",
};

pub(super) fn handle(context: &mut RunContext, command: &Command, work: &mut LayerWork) -> bool {
    match command.program() {
        "apk" => apk(context, command, work),
        "apt-get" | "apt" | "aptitude" => apt(context, command, work),
        "yum" | "dnf" | "microdnf" | "tdnf" => rpm(context, command, work),
        _ => return false,
    }
    true
}

fn apk_path(name: &str) -> String {
    format!("/usr/lib/.apk-packages/{name}")
}

fn apk(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let operands = command.operands(&[
        "--virtual",
        "-t",
        "--repository",
        "-X",
        "--root",
        "-p",
        "--arch",
        "--cache-dir",
    ]);
    match command.subcommand() {
        Some("add") => {
            let names: Vec<&str> = operands
                .iter()
                .copied()
                .filter(|n| !n.contains('/') && !n.ends_with(".apk"))
                .collect();
            if !command.has_flag("--no-cache") {
                apk_index(work, "apk add without --no-cache");
            }
            let distro = if context.facts.is_alpine() {
                context.facts.distro.clone()
            } else {
                "alpine3.24".to_string()
            };
            let mut installed: Vec<&str> =
                context.facts.installed.iter().map(String::as_str).collect();
            if context.facts.alpine_rootfs {
                installed.extend(crate::estimate::base::ALPINE_ROOTFS_PACKAGES);
            }
            installed.extend(context.installed.iter().map(String::as_str));
            let closure = catalog::apk_closure(&distro, &names, &installed);
            let mut new_packages = Vec::new();
            let mut total = ByteRange::ZERO;
            let mut n_unrecorded = 0u64;
            for package in &closure.packages {
                let mut size = ByteRange::around(package.disk_bytes(), 0.05);
                if package.depends().is_empty() && names.contains(&package.name) {
                    // Its dependencies are not in the catalog: allow for them
                    // in the high end without inventing an estimate.
                    size.high += APK_UNRECORDED_DEPS.high;
                    n_unrecorded += 1;
                }
                total = total.plus(size);
                work.write(&apk_path(package.name), size, EntryKind::Tree, package.name);
                new_packages.push(package.name.to_string());
            }
            for name in &closure.unknown {
                let size = APK_UNKNOWN_PACKAGE.range();
                total = total.plus(size);
                work.write(&apk_path(name), size, EntryKind::Tree, name);
                new_packages.push(name.clone());
            }
            let mut basis = format!(
                "apk add {}: {} package{} ({}) on {distro}, installed sizes from the catalog",
                names.join(" "),
                closure.packages.len() + closure.unknown.len(),
                if closure.packages.len() + closure.unknown.len() == 1 {
                    ""
                } else {
                    "s"
                },
                docker_range(total.low, total.high),
            );
            if !closure.unknown.is_empty() {
                let _ = write!(
                    basis,
                    "; not in the catalog: {} ({} each, {})",
                    closure.unknown.join(", "),
                    docker_range(APK_UNKNOWN_PACKAGE.low, APK_UNKNOWN_PACKAGE.high),
                    APK_UNKNOWN_PACKAGE.source
                );
            }
            work.basis.push(basis);
            if n_unrecorded > 0 {
                work.basis.push(format!(
                    "{n_unrecorded} requested package(s) without recorded dependencies: up to {} more each in the high end ({})",
                    docker_size(APK_UNRECORDED_DEPS.high),
                    APK_UNRECORDED_DEPS.source
                ));
            }
            if let Some(group) = command
                .flag_value("--virtual")
                .or_else(|| command.flag_value("-t"))
            {
                context
                    .virtual_groups
                    .push((group.to_string(), new_packages.clone()));
            }
            context.installed.extend(new_packages);
            work.content = Content::Packages;
        }
        Some("del" | "delete") => {
            for name in operands {
                let group = context
                    .virtual_groups
                    .iter()
                    .find(|(group, _)| group == name)
                    .map(|(_, packages)| packages.clone());
                match group {
                    Some(packages) => {
                        for package in packages {
                            work.delete(&apk_path(&package));
                        }
                    }
                    None => work.delete(&apk_path(name)),
                }
            }
        }
        Some("update") => apk_index(work, "apk update"),
        Some("cache") if command.words.iter().any(|w| w == "clean" || w == "purge") => {
            work.delete("/var/cache/apk");
        }
        _ => {}
    }
}

fn apk_index(work: &mut LayerWork, why: &str) {
    if work.vfs.under("/var/cache/apk").next().is_some() {
        return;
    }
    let figure = figures::APK_INDEX_CACHE;
    if work.write(
        "/var/cache/apk",
        figure.range(),
        EntryKind::Tree,
        "apk index cache",
    ) {
        work.basis.push(format!(
            "{why} keeps the package indexes in /var/cache/apk: {} ({})",
            docker_range(figure.low, figure.high),
            figure.source
        ));
    }
}

fn deb_path(name: &str) -> String {
    format!("/usr/lib/.deb-packages/{name}")
}

fn apt(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let operands = command.operands(&["-o", "-t", "--target-release", "-c"]);
    match command.subcommand() {
        Some("update") => {
            let bytes = catalog::DEB_APT_LISTS_BYTES;
            if work.write(
                "/var/lib/apt/lists",
                ByteRange::around(bytes, 0.2),
                EntryKind::Tree,
                "apt lists",
            ) {
                work.basis.push(format!(
                    "apt-get update writes /var/lib/apt/lists: {} ({})",
                    docker_size(bytes),
                    catalog::DEB_APT_LISTS_SOURCE
                ));
            }
        }
        Some("install") => apt_install(context, command, &operands, work),
        Some("remove" | "purge") => {
            for name in operands {
                work.delete(&deb_path(name));
            }
        }
        Some("clean") => work.delete("/var/cache/apt/archives"),
        _ => {}
    }
}

fn apt_install(
    context: &mut RunContext,
    command: &Command,
    operands: &[&str],
    work: &mut LayerWork,
) {
    let names: Vec<&str> = operands
        .iter()
        .copied()
        .filter(|n| !n.ends_with(".deb") && !n.contains('/'))
        .collect();
    if names.is_empty() {
        return;
    }
    let recommends = !command.has_flag("--no-install-recommends")
        && !context
            .run
            .env
            .iter()
            .any(|(k, v)| k == "APT_OPTS" && v.contains("no-install-recommends"));
    let mut present: Vec<String> = if context.facts.os == Some(catalog::OsFamily::Ubuntu)
        || context.facts.os == Some(catalog::OsFamily::Debian)
        || context.facts.image.is_none()
    {
        catalog::debian_base_packages()
            .map(|p| p.name().to_string())
            .collect()
    } else {
        Vec::new()
    };
    present.extend(context.facts.installed.iter().cloned());
    present.extend(context.installed.iter().cloned());
    let present_refs: Vec<&str> = present.iter().map(String::as_str).collect();
    let closure = catalog::closure(&names, recommends, Some(&present_refs));
    let mut total = ByteRange::ZERO;
    for package in &closure.packages {
        let size = ByteRange::around(package.installed_bytes(), 0.05);
        total = total.plus(size);
        work.write(
            &deb_path(package.name()),
            size,
            EntryKind::Tree,
            package.name(),
        );
        context.installed.push(package.name().to_string());
    }
    for name in &closure.unknown {
        let size = DEB_UNKNOWN_PACKAGE.range();
        total = total.plus(size);
        work.write(&deb_path(name), size, EntryKind::Tree, name);
    }
    let mut basis = format!(
        "apt-get install {}: {} package{} with dependencies{} ({}), Installed-Size from Debian bookworm's index",
        names.join(" "),
        closure.packages.len(),
        if closure.packages.len() == 1 { "" } else { "s" },
        if recommends { " and Recommends" } else { " (--no-install-recommends)" },
        docker_range(total.low, total.high)
    );
    if !closure.unknown.is_empty() {
        let _ = write!(
            basis,
            "; not in the index: {} ({})",
            closure.unknown.join(", "),
            DEB_UNKNOWN_PACKAGE.source
        );
    }
    work.basis.push(basis);
    let plain_os_image = context
        .facts
        .image
        .is_some_and(|image| matches!(image.image, "debian" | "ubuntu"));
    if !plain_os_image {
        work.basis.push(
            "packages the base image already has are subtracted only where its history shows them (Debian's base set and visible apt-get install lines)".to_string(),
        );
    }
    if context.facts.is_ubuntu() {
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Info,
            message: "Ubuntu packages are sized with Debian bookworm's index (approximate)"
                .to_string(),
        });
        // Ubuntu images keep downloaded .deb files until `apt-get clean`.
        if !context.later(|c| c.is("apt-get", "clean") || c.is("apt", "clean")) {
            let archives = total.scale(0.35);
            if work.write(
                "/var/cache/apt/archives",
                archives,
                EntryKind::Tree,
                "downloaded .deb files",
            ) {
                work.basis.push(format!(
                    "downloaded .deb files kept in /var/cache/apt/archives: ~{} ({})",
                    docker_size(archives.est),
                    catalog::DEB_ARCHIVES_NOTE
                ));
            }
        }
    }
    if !work.vfs.exists("/var/lib/apt/lists") {
        work.notes.push(EstimateNote {
            span: work.span,
            level: NoteLevel::Warning,
            message: "apt-get install without apt-get update: official images ship empty package lists, so the install fails".to_string(),
        });
    }
    work.content = Content::Packages;
}

fn rpm_path(name: &str) -> String {
    format!("/usr/lib/.rpm-packages/{name}")
}

fn rpm(context: &mut RunContext, command: &Command, work: &mut LayerWork) {
    let program = command.program().to_string();
    let operands = command.operands(&[
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--installroot",
        "--releasever",
    ]);
    match command.subcommand() {
        Some("install" | "groupinstall" | "reinstall") => {
            let names: Vec<&str> = operands
                .iter()
                .copied()
                .filter(|n| !n.starts_with('@'))
                .collect();
            let figure = figures::RPM_PER_PACKAGE;
            for name in &names {
                work.write(&rpm_path(name), figure.range(), EntryKind::Tree, name);
                context.installed.push((*name).to_string());
            }
            let cache = format!(
                "/var/cache/{}",
                if program == "yum" { "yum" } else { "dnf" }
            );
            let cleaned = context.later(|c| {
                matches!(c.program(), "yum" | "dnf" | "microdnf" | "tdnf")
                    && c.subcommand() == Some("clean")
                    || (c.program() == "rm" && c.words.iter().any(|w| w.starts_with("/var/cache/")))
            });
            if !cleaned {
                let meta = figures::RPM_METADATA_CACHE;
                work.write(&cache, meta.range(), EntryKind::Tree, "repository metadata");
                work.basis.push(format!(
                    "repository metadata left in {cache}: {} ({})",
                    docker_range(meta.low, meta.high),
                    meta.source
                ));
            }
            work.basis.push(format!(
                "{program} install {}: {} each, approximate ({})",
                names.join(" "),
                docker_range(figure.low, figure.high),
                figure.source
            ));
            work.notes.push(EstimateNote {
                span: work.span,
                level: NoteLevel::Info,
                message: format!(
                    "{program} packages are approximate: the catalog has no RPM package sizes"
                ),
            });
            work.content = Content::Packages;
        }
        Some("remove" | "erase") => {
            for name in operands {
                work.delete(&rpm_path(name));
            }
        }
        Some("clean") => {
            work.delete("/var/cache/dnf");
            work.delete("/var/cache/yum");
        }
        _ => {}
    }
}
