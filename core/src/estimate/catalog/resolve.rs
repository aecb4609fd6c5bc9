//! `FROM` reference → catalog entry.

use super::images_gen::{IMAGES, IMAGE_ALIASES};
use super::{Arch, Date, ImageEntry};

/// How closely the chosen entry matches the request (best first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exactness {
    /// The tag (and arch) matched a snapshot that was current at the
    /// requested date, or the newest snapshot when no date was given.
    Exact,
    /// The tag matched, but the closest snapshot is `Resolution::days_off`
    /// days away from the requested date.
    NearestDate,
    /// The digest is not in the catalog; the tag was used instead.
    DigestFallback,
    /// The requested architecture is not recorded; another one was used.
    OtherArch,
    /// The tag is not in the catalog; a snapshot of the same image and
    /// variant (e.g. `-alpine`, `-slim`) was used as an approximation.
    SimilarTag,
    /// Nothing usable: `entry` is `None`.
    Unknown,
}

/// The result of [`resolve_image`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The chosen snapshot, `None` when the image is not in the catalog.
    pub entry: Option<&'static ImageEntry>,
    /// The worst approximation that was needed.
    pub exactness: Exactness,
    /// Days between the requested date and the chosen snapshot's date
    /// (0 when no date was requested or it matched).
    pub days_off: i64,
    /// One or more sentences explaining the choice, for the estimate's basis.
    pub note: String,
    /// The image name after normalisation (`golang`, `gcr.io/distroless/static-debian12`).
    pub image: String,
    /// The tag after normalisation (`latest` when none was given).
    pub tag: String,
}

/// A snapshot counts as current for `as_of` if it is at most this many days
/// older than the requested date.
const FRESH_DAYS: i64 = 120;

/// Resolves a `FROM` reference (`golang:alpine`, `docker.io/library/node:20-slim`,
/// `alpine@sha256:…`, `gcr.io/distroless/static-debian12:nonroot`, `scratch`).
///
/// `platform` is a `--platform` value (`linux/arm64`); default amd64.
/// `as_of` picks the version a floating tag meant on that date: the newest
/// snapshot not after it (or the closest later one if none is older);
/// without a date, the newest snapshot.
pub fn resolve_image(reference: &str, platform: Option<&str>, as_of: Option<Date>) -> Resolution {
    let mut notes: Vec<String> = Vec::new();
    let mut exactness = Exactness::Exact;
    let (image, tag, digest) = split_reference(reference);
    let mut out = Resolution {
        entry: None,
        exactness: Exactness::Unknown,
        days_off: 0,
        note: String::new(),
        image: image.clone(),
        tag: tag.clone(),
    };
    if image.is_empty() || image.contains('$') || tag.contains('$') {
        out.note = format!(
            "`{}` is not a concrete image reference (empty or unexpanded variable)",
            reference.trim()
        );
        return out;
    }
    let image = match IMAGE_ALIASES.iter().find(|(from, _, _)| *from == image) {
        Some((_, to, why)) => {
            notes.push(format!("{image} is {to} ({why})"));
            if why.starts_with("approximate") {
                exactness = exactness.max(Exactness::SimilarTag);
            }
            (*to).to_string()
        }
        None => image,
    };
    out.image.clone_from(&image);

    let want_arch = match platform {
        Some(p) => {
            if let Some(a) = Arch::parse(p) {
                a
            } else {
                notes.push(format!("platform `{p}` is not recorded; using linux/amd64"));
                exactness = exactness.max(Exactness::OtherArch);
                Arch::Amd64
            }
        }
        None => Arch::Amd64,
    };

    if let Some(digest) = &digest {
        // No digests are recorded (repo-info lists them per build, but a
        // digest pins one build of one arch; the catalog keeps dated tags).
        notes.push(format!(
            "digest {} is not in the catalog; sized by tag `{tag}` instead",
            short_digest(digest)
        ));
        exactness = exactness.max(Exactness::DigestFallback);
    }

    let of_image: Vec<&'static ImageEntry> = IMAGES.iter().filter(|e| e.image == image).collect();
    if of_image.is_empty() {
        out.note = join_notes(notes, &format!("`{image}` is not in the size catalog"));
        return out;
    }

    let mut candidates: Vec<&'static ImageEntry> = of_image
        .iter()
        .copied()
        .filter(|e| e.tags.contains(&tag.as_str()))
        .collect();
    if candidates.is_empty() {
        let wanted = variant(&tag);
        candidates = of_image
            .iter()
            .copied()
            .filter(|e| e.tags.iter().any(|t| variant(t) == wanted))
            .collect();
        if candidates.is_empty() {
            out.note = join_notes(
                notes,
                &format!("`{image}:{tag}` is not in the size catalog (no tag with the same variant either)"),
            );
            return out;
        }
        notes.push(format!(
            "tag `{tag}` is not recorded; approximated by a `{image}` tag of the same variant"
        ));
        exactness = exactness.max(Exactness::SimilarTag);
    }

    let same_arch: Vec<&'static ImageEntry> = candidates
        .iter()
        .copied()
        .filter(|e| e.arch == want_arch)
        .collect();
    if same_arch.is_empty() {
        notes.push(format!(
            "no {} snapshot recorded; using {}",
            want_arch.as_str(),
            candidates[0].arch.as_str()
        ));
        exactness = exactness.max(Exactness::OtherArch);
    } else {
        candidates = same_arch;
    }

    let (chosen, days_off) = pick_by_date(&candidates, as_of);
    if days_off != 0 {
        let when = as_of.map(|d| d.to_string()).unwrap_or_default();
        if days_off > 0 {
            notes.push(format!(
                "closest snapshot is {} days after {when} ({})",
                days_off, chosen.date
            ));
        } else {
            notes.push(format!(
                "newest snapshot before {when} is {} days older ({})",
                -days_off, chosen.date
            ));
        }
        exactness = exactness.max(Exactness::NearestDate);
    }
    let head = format!(
        "{}:{} → {} ({}, {})",
        image,
        tag,
        chosen.resolved,
        chosen.arch.as_str(),
        chosen.date
    );
    out.entry = Some(chosen);
    out.exactness = exactness;
    out.days_off = days_off;
    out.note = join_notes(notes, &head);
    out
}

fn join_notes(notes: Vec<String>, head: &str) -> String {
    let mut s = head.to_string();
    for n in notes {
        s.push_str("; ");
        s.push_str(&n);
    }
    s
}

fn short_digest(d: &str) -> &str {
    let end = d.char_indices().nth(19).map_or(d.len(), |(i, _)| i);
    &d[..end]
}

/// Picks the snapshot for `as_of`: the one closest in time (snapshots sample
/// a tag that drifts; ties go to the older one, which certainly existed).
/// Returns it and the signed distance in days: 0 when the snapshot is at most
/// [`FRESH_DAYS`] older than the date (it is what the tag meant then),
/// positive when it is later, negative when it is older than that.
fn pick_by_date(cands: &[&'static ImageEntry], as_of: Option<Date>) -> (&'static ImageEntry, i64) {
    // Candidates are non-empty here (checked by the caller).
    let newest = cands
        .iter()
        .copied()
        .max_by_key(|e| e.date)
        .unwrap_or(cands[0]);
    let Some(as_of) = as_of else {
        return (newest, 0);
    };
    let target = as_of.days();
    let chosen = cands
        .iter()
        .copied()
        .min_by_key(|e| ((e.date.days() - target).abs(), e.date))
        .unwrap_or(newest);
    let delta = chosen.date.days() - target;
    let days_off = if (-FRESH_DAYS..=0).contains(&delta) {
        0
    } else {
        delta
    };
    (chosen, days_off)
}

/// Splits a reference into (image, tag, digest), normalising Docker Hub
/// prefixes: `docker.io/library/golang:alpine` → (`golang`, `alpine`, None).
pub(super) fn split_reference(reference: &str) -> (String, String, Option<String>) {
    let r = reference.trim();
    let (name_tag, digest) = match r.split_once('@') {
        Some((a, d)) => (a, Some(d.to_string())),
        None => (r, None),
    };
    // A ':' after the last '/' separates the tag (a ':' before it is a registry port).
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (&name_tag[..last_slash + i], &name_tag[last_slash + i + 1..]),
        None => (name_tag, ""),
    };
    let mut name = name.to_ascii_lowercase();
    for prefix in [
        "docker.io/",
        "index.docker.io/",
        "registry-1.docker.io/",
        "registry.hub.docker.com/",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.to_string();
        }
    }
    if let Some(rest) = name.strip_prefix("library/") {
        name = rest.to_string();
    }
    let tag = if tag.is_empty() { "latest" } else { tag };
    (name, tag.to_string(), digest)
}

/// The variant part of a tag: version-like tokens dropped, distro versions
/// folded (`1.21.3-alpine3.18` → `alpine`, `3.12-slim-bookworm` →
/// `slim-bookworm`, `20` → ``, `latest` → ``).
pub(super) fn variant(tag: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for tok in tag.split('-') {
        let is_version = tok == "latest"
            || tok == "lts"
            || tok.chars().all(|c| c.is_ascii_digit() || c == '.')
            || tok.starts_with("rc") && tok[2..].chars().all(|c| c.is_ascii_digit());
        if is_version {
            continue;
        }
        let folded = tok.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        parts.push(if folded.is_empty() { tok } else { folded });
    }
    parts.join("-")
}
