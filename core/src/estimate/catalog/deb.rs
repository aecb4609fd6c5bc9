//! Debian bookworm packages: Installed-Size and dependency edges, stored as
//! a string table plus index arrays (see `deb_gen.rs`), and the dependency
//! closure `apt-get install` would pull in.

use super::deb_gen::{
    APT_LISTS_BYTES, APT_LISTS_SOURCE, BASE, BASE_SOURCE, BIG_KIB, EDGES, EDGE_CHECK, EDGE_COUNT,
    FOLDED, NAMES, NAME_CHECK, NAME_LEN, SIZE_KIB, SOURCE, STEP,
};

/// Where the Debian numbers come from (suite, mirror, date, method).
pub const DEB_SOURCE: &str = SOURCE;

/// Bytes `/var/lib/apt/lists` holds after `apt-get update` on bookworm, as
/// measured on the catalog's build machine (lists kept compressed as the
/// debian images configure apt). A `RUN apt-get update && apt-get install`
/// layer carries this unless the same `RUN` deletes the lists.
pub const DEB_APT_LISTS_BYTES: u64 = APT_LISTS_BYTES;

/// How [`DEB_APT_LISTS_BYTES`] was measured.
pub const DEB_APT_LISTS_SOURCE: &str = APT_LISTS_SOURCE;

/// Downloaded `.deb` files are not left behind in Debian-based images: the
/// images' `/etc/apt/apt.conf.d/docker-clean` deletes
/// `/var/cache/apt/archives/*.deb` and the `*.bin` caches after every dpkg
/// run. Ubuntu images lack that hook, so `apt-get clean` matters there.
pub const DEB_ARCHIVES_NOTE: &str = "debian images delete /var/cache/apt/archives/*.deb and /var/cache/apt/*.bin after each dpkg run (/etc/apt/apt.conf.d/docker-clean); ubuntu images keep the .deb files until `apt-get clean`";

/// One Debian package as recorded in the index snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebPackage {
    index: u16,
}

impl DebPackage {
    pub fn name(self) -> &'static str {
        name_at(usize::from(self.index))
    }

    /// `Installed-Size` × 1024 (Debian states it in KiB).
    pub fn installed_bytes(self) -> u64 {
        let kib = match SIZE_KIB.get(usize::from(self.index)).copied().unwrap_or(0) {
            u16::MAX => BIG_KIB
                .binary_search_by_key(&self.index, |&(i, _)| i)
                .ok()
                .and_then(|i| BIG_KIB.get(i))
                .map_or(u32::from(u16::MAX), |&(_, k)| k),
            small => u32::from(small),
        };
        u64::from(kib) * 1024
    }

    /// Whether the package is part of `debian:bookworm`/`bookworm-slim`.
    pub fn in_base_image(self) -> bool {
        BASE.binary_search(&self.index).is_ok()
    }

    /// `Depends` + `Pre-Depends`, first alternative of each group.
    pub fn depends(self) -> impl Iterator<Item = DebPackage> {
        self.edges()
            .filter(|e| e & 0x8000 == 0)
            .map(|e| DebPackage { index: e })
    }

    /// `Recommends`, first alternative of each group.
    pub fn recommends(self) -> impl Iterator<Item = DebPackage> {
        self.edges()
            .filter(|e| e & 0x8000 != 0)
            .map(|e| DebPackage { index: e & 0x7fff })
    }

    fn edges(self) -> impl Iterator<Item = u16> {
        let i = usize::from(self.index);
        let start = checkpointed(i, &EDGE_CHECK, &EDGE_COUNT);
        let end = start + usize::from(EDGE_COUNT.get(i).copied().unwrap_or(0));
        EDGES.get(start..end).unwrap_or(&[]).iter().copied()
    }
}

/// Offset of item `i` given offsets every `STEP` items and per-item lengths.
fn checkpointed(i: usize, check: &[u16], lens: &[u8]) -> usize {
    let k = i / STEP;
    let base = usize::from(check.get(k).copied().unwrap_or(0));
    let from = (k * STEP).min(lens.len());
    let to = i.min(lens.len());
    base + lens
        .get(from..to)
        .unwrap_or(&[])
        .iter()
        .map(|&l| usize::from(l))
        .sum::<usize>()
}

fn name_at(i: usize) -> &'static str {
    let start = checkpointed(i, &NAME_CHECK, &NAME_LEN);
    let end = start + usize::from(NAME_LEN.get(i).copied().unwrap_or(0));
    NAMES.get(start..end).unwrap_or("")
}

/// Looks up a package by exact name (`build-essential`, `libpq-dev`).
/// Architecture suffixes (`:amd64`) and version pins (`=1.2-3`) are ignored.
pub fn deb_package(name: &str) -> Option<DebPackage> {
    let name = name.split(['=', ':']).next().unwrap_or(name).trim();
    let (mut lo, mut hi) = (0usize, NAME_LEN.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match name_at(mid).cmp(name) {
            core::cmp::Ordering::Less => lo = mid + 1,
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some(DebPackage { index: mid as u16 }),
        }
    }
    None
}

/// The packages in the debian:bookworm(-slim) images (use as the
/// `already_installed` set for a `FROM debian:bookworm` stage).
pub fn debian_base_packages() -> impl Iterator<Item = DebPackage> {
    BASE.iter().map(|&index| DebPackage { index })
}

/// Where the base package list comes from.
pub const DEB_BASE_SOURCE: &str = BASE_SOURCE;

/// Result of [`closure`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Closure {
    /// Packages apt would install (not already installed), sorted by name.
    pub packages: Vec<DebPackage>,
    /// Sum of their installed sizes.
    pub installed_bytes: u64,
    /// Requested names not found in the index snapshot.
    pub unknown: Vec<String>,
    /// Packages counted in `installed_bytes` but not listed in `packages`:
    /// the private dependency trees of `npm`, `libreoffice` and `devscripts`
    /// are stored as one precomputed size each (e.g. npm's ~350 `node-*`
    /// packages) to keep the catalog small.
    pub folded_packages: u32,
}

/// What `apt-get install names…` adds on top of debian:bookworm: the
/// requested packages plus their `Depends`/`Pre-Depends` (and `Recommends`
/// when `recommends` is true, i.e. without `--no-install-recommends`),
/// recursively, first alternative of each `a | b`. The debian:bookworm
/// package set ([`debian_base_packages`]) always counts as installed (the
/// table does not store edges into it); `already_installed` adds more names
/// (packages installed by earlier layers). `None` and `Some(&[])` are the same.
pub fn closure(names: &[&str], recommends: bool, already_installed: Option<&[&str]>) -> Closure {
    let mut installed = vec![false; NAME_LEN.len()];
    for &i in &BASE {
        if let Some(slot) = installed.get_mut(usize::from(i)) {
            *slot = true;
        }
    }
    for n in already_installed.unwrap_or(&[]) {
        if let Some(p) = deb_package(n) {
            installed[usize::from(p.index)] = true;
        }
    }
    let mut out = Closure::default();
    let mut stack: Vec<DebPackage> = Vec::new();
    for n in names {
        match deb_package(n) {
            Some(p) => stack.push(p),
            None => out.unknown.push((*n).to_string()),
        }
    }
    while let Some(p) = stack.pop() {
        let i = usize::from(p.index);
        if installed.get(i).copied().unwrap_or(true) {
            continue;
        }
        installed[i] = true;
        out.installed_bytes += p.installed_bytes();
        out.packages.push(p);
        if let Ok(f) = FOLDED.binary_search_by_key(&p.index, |row| row.0) {
            if let Some(&(_, kib_norec, n_norec, kib_rec, n_rec)) = FOLDED.get(f) {
                let (kib, n) = if recommends {
                    (kib_rec, n_rec)
                } else {
                    (kib_norec, n_norec)
                };
                out.installed_bytes += u64::from(kib) * 1024;
                out.folded_packages += u32::from(n);
            }
        }
        stack.extend(p.depends());
        if recommends {
            stack.extend(p.recommends());
        }
    }
    crate::sort::by_key(&mut out.packages, |p| p.index);
    out
}

#[cfg(test)]
pub(super) fn name_at_for_tests(i: usize) -> &'static str {
    name_at(i)
}
