//! A stage's starting point: the base image's `docker history` rows from the
//! catalog (or a stated range when the image is unknown).

use super::catalog::{self, Exactness, ImageEntry, OsFamily};
use super::engine::StageState;
use super::{EstimateNote, LayerRow, NoteLevel, RowOrigin};
use crate::model::{ByteRange, Entry, EntryKind, Stage};

/// Packages of the Alpine mini root filesystem (what `apk add` never needs
/// to install again). Source: repo-info `repos/alpine/local/3.17.1.md` and
/// `3.21.8.md` package lists (15 packages; names stable across 3.17–3.24).
pub(super) const ALPINE_ROOTFS_PACKAGES: &[&str] = &[
    "alpine-baselayout",
    "alpine-baselayout-data",
    "alpine-keys",
    "apk-tools",
    "busybox",
    "busybox-binsh",
    "ca-certificates-bundle",
    "libc-utils",
    "libcrypto3",
    "libssl3",
    "musl",
    "musl-utils",
    "scanelf",
    "ssl_client",
    "zlib",
];

/// Start a stage from a catalog image; pushes the base rows.
pub(super) fn from_image(
    stage: &Stage,
    reference: &str,
    platform: Option<&str>,
    as_of: Option<catalog::Date>,
    rows: &mut Vec<LayerRow>,
    notes: &mut Vec<EstimateNote>,
) -> StageState {
    let platform = stage.platform.as_deref().or(platform);
    let resolution = catalog::resolve_image(reference, platform, as_of);
    let Some(entry) = resolution.entry else {
        return unknown_image(stage, reference, &resolution.note, rows, notes);
    };
    let margin = match resolution.exactness {
        Exactness::Exact | Exactness::DigestFallback => 0.0,
        Exactness::NearestDate | Exactness::OtherArch => 0.05,
        Exactness::SimilarTag | Exactness::Unknown => 0.25,
    };
    if resolution.exactness >= Exactness::NearestDate {
        notes.push(EstimateNote {
            span: stage.from_span,
            level: if resolution.exactness >= Exactness::SimilarTag {
                NoteLevel::Warning
            } else {
                NoteLevel::Info
            },
            message: resolution.note.clone(),
        });
    }
    let mut state = StageState::for_image(entry);
    // A python tag the catalog only approximates (`python:2.7.15` sized by
    // a 3.x snapshot) still runs the interpreter its tag names.
    if let Some(version) = python_version_of_reference(reference) {
        state.python_version = Some(version);
    }
    let mut first_data = true;
    for (position, layer) in entry.layers.iter().enumerate() {
        let index = state.chain.len() as u32;
        let method_margin = match layer.disk_method {
            catalog::Method::Recorded | catalog::Method::Measured => 0.0,
            catalog::Method::Derived => 0.02,
            catalog::Method::Estimated => 0.15,
        };
        let disk = if layer.has_layer {
            ByteRange::around(layer.disk_bytes, margin + method_margin)
        } else {
            ByteRange::ZERO
        };
        let mut basis = if layer.basis.is_empty() {
            "metadata step of the base image: no layer (0B)".to_string()
        } else {
            layer.basis.to_string()
        };
        if position == 0 {
            basis = format!("{} — {basis}", resolution.note);
        }
        if layer.has_layer {
            let path = base_layer_path(entry, layer.created_by, first_data, index);
            first_data = false;
            state.vfs.write(Entry {
                path,
                size: disk,
                layer: index,
                kind: EntryKind::Tree,
                label: format!("{} layer", entry.resolved),
            });
            state.note_base_packages(layer.created_by);
        }
        rows.push(LayerRow {
            stage: stage.index,
            span: stage.from_span,
            line: stage.from_line,
            created_by: layer.created_by.to_string(),
            disk,
            compressed_bytes: layer.compressed_bytes,
            basis,
            origin: RowOrigin::Base,
            image: Some(entry.resolved.to_string()),
        });
        state.chain.push(rows.len() - 1);
    }
    state
}

/// Where a base layer's files mostly live, so later `rm`/`COPY --from`
/// find them: the first layer is the root filesystem; a Go toolchain layer
/// is `/usr/local/go`; others get a private path.
fn base_layer_path(entry: &ImageEntry, created_by: &str, first: bool, index: u32) -> String {
    if first {
        return "/".to_string();
    }
    let text = created_by.to_ascii_lowercase();
    if entry.image == "golang"
        && (text.contains("golang") || text.contains("go.dev") || text.contains("/usr/local/go"))
    {
        return "/usr/local/go".to_string();
    }
    format!("/.base-layer-{index}")
}

/// An image the catalog does not know: one row with a wide range drawn from
/// the catalog's own spread of image sizes, and a warning.
pub(super) fn unknown_image(
    stage: &Stage,
    reference: &str,
    why: &str,
    rows: &mut Vec<LayerRow>,
    notes: &mut Vec<EstimateNote>,
) -> StageState {
    let mut totals: Vec<u64> = catalog::images()
        .iter()
        .map(|image| image.total_bytes)
        .filter(|&bytes| bytes > 0)
        .collect();
    crate::sort::ascending(&mut totals);
    let pick = |fraction: f64| -> u64 {
        let index = ((totals.len().saturating_sub(1)) as f64 * fraction).round() as usize;
        totals.get(index).copied().unwrap_or(0)
    };
    let disk = ByteRange::new(pick(0.0), pick(0.5), pick(1.0));
    let message = format!(
        "base image `{reference}` is not in the size catalog ({why}); its size is a range from the smallest to the largest catalogued image, {} to {}, with the median {} as the estimate",
        super::docker_size(disk.low),
        super::docker_size(disk.high),
        super::docker_size(disk.est)
    );
    notes.push(EstimateNote {
        span: stage.from_span,
        level: NoteLevel::Warning,
        message: message.clone(),
    });
    let mut state = StageState {
        python_version: python_version_of_reference(reference),
        ..StageState::default()
    };
    let ratio = catalog::compression_ratio("*").ratio.max(1.0);
    state.vfs.write(Entry {
        path: "/".to_string(),
        size: disk,
        layer: 0,
        kind: EntryKind::Tree,
        label: format!("{reference} (unknown image)"),
    });
    rows.push(LayerRow {
        stage: stage.index,
        span: stage.from_span,
        line: stage.from_line,
        created_by: format!("FROM {reference} (not in catalog)"),
        disk,
        compressed_bytes: (disk.est as f64 / ratio) as u64,
        basis: message,
        origin: RowOrigin::Base,
        image: Some(reference.to_string()),
    });
    state.chain.push(rows.len() - 1);
    state
}

impl StageState {
    /// A fresh state describing a catalog image.
    pub(super) fn for_image(entry: &'static ImageEntry) -> Self {
        let mut state = StageState {
            image: Some(entry),
            family: family_of(entry),
            os: Some(entry.os_family),
            distro: distro_of(entry),
            go_version: go_version_of(entry),
            python_version: python_version_of(entry),
            ..StageState::default()
        };
        state.alpine_rootfs = entry.os_family == OsFamily::Alpine;
        state
    }

    /// Remember packages a base layer installed (`apk add … ca-certificates`).
    fn note_base_packages(&mut self, created_by: &str) {
        // The history text may be cut (`…`): its last word is then partial.
        let cut = created_by.ends_with('…');
        for verb in ["apk add", "apt-get install", "apt install"] {
            let mut from = 0;
            while let Some(at) = created_by[from..].find(verb) {
                let rest = &created_by[from + at + verb.len()..];
                let end = rest.find([';', '&', '|']).unwrap_or(rest.len());
                let mut words: Vec<&str> = rest[..end].split_whitespace().collect();
                if cut && end == rest.len() {
                    words.pop();
                }
                let mut words = words.into_iter();
                while let Some(word) = words.next() {
                    if matches!(word, "--virtual" | "-t" | "-o") {
                        words.next();
                        continue;
                    }
                    if word.starts_with('-') || word.contains(['$', '"', '\'', '\\', '=']) {
                        continue;
                    }
                    self.installed.push(word.to_string());
                }
                from += at + verb.len();
            }
        }
    }
}

/// The compression-ratio family for new layers on this image.
fn family_of(entry: &ImageEntry) -> &'static str {
    match entry.os_family {
        OsFamily::Alpine => "alpine",
        OsFamily::Debian | OsFamily::Distroless => "debian",
        OsFamily::Ubuntu => "ubuntu",
        _ => "*",
    }
}

/// `golang:1.19.5-alpine3.17` → `alpine3.17`; `alpine:3.21.8` → `alpine3.21`;
/// Debian/Ubuntu codenames when the tag names one.
fn distro_of(entry: &ImageEntry) -> String {
    let resolved = entry.resolved;
    if let Some(at) = resolved.find("alpine3.") {
        let tail = &resolved[at + "alpine3.".len()..];
        let minor: String = tail.chars().take_while(char::is_ascii_digit).collect();
        return format!("alpine3.{minor}");
    }
    if entry.image == "alpine" {
        if let Some((_, version)) = resolved.split_once(':') {
            let mut parts = version.split('.');
            if let (Some(major), Some(minor)) = (parts.next(), parts.next()) {
                return format!("alpine{major}.{minor}");
            }
        }
    }
    for codename in [
        "trixie", "bookworm", "bullseye", "buster", "noble", "jammy", "focal",
    ] {
        if resolved.contains(codename) || entry.tags.iter().any(|t| t.contains(codename)) {
            return codename.to_string();
        }
    }
    match entry.os_family {
        OsFamily::Alpine => "alpine3.24".to_string(),
        OsFamily::Debian | OsFamily::Distroless => "bookworm".to_string(),
        OsFamily::Ubuntu => "noble".to_string(),
        _ => String::new(),
    }
}

/// Go minor version of a golang image (`golang:1.19.5-alpine3.17` → (1, 19)).
fn go_version_of(entry: &ImageEntry) -> Option<(u32, u32)> {
    if entry.image != "golang" {
        return None;
    }
    let version = entry.resolved.split_once(':')?.1;
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Python version of an image's interpreter: the `ENV PYTHON_VERSION` row of
/// its history (official python images and images built on them), else the
/// resolved tag of a `python` image.
fn python_version_of(entry: &ImageEntry) -> Option<(u32, u32)> {
    entry
        .layers
        .iter()
        .find_map(|layer| layer.created_by.strip_prefix("ENV PYTHON_VERSION="))
        .and_then(major_minor)
        .or_else(|| python_version_of_reference(entry.resolved))
}

/// `python:3.12-slim-bookworm` → (3, 12); `python:2.7.15` → (2, 7); other
/// repositories (and tags without a minor version) → None.
fn python_version_of_reference(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.split('@').next().unwrap_or(reference);
    let (name, tag) = reference.rsplit_once(':')?;
    if name.rsplit('/').next() != Some("python") {
        return None;
    }
    // `python:2` and `python:2-alpine` always meant 2.7, the last Python 2.
    if tag == "2" || tag.starts_with("2-") {
        return Some((2, 7));
    }
    major_minor(tag)
}

/// `3.12.13` or `3.12-slim` → (3, 12).
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
