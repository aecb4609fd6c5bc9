//! Alpine packages: installed sizes and dependency edges.

use super::apk_gen::{APK, APK_CALIBRATION, APK_DEPS};

/// One Alpine package in one release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApkPackage {
    /// Release, e.g. `alpine3.17`.
    pub distro: &'static str,
    pub name: &'static str,
    pub version: &'static str,
    /// `apk info -s` installed size (KiB × 1024). Up to Alpine ~3.20 this is a
    /// `du -k` block sum; use [`ApkPackage::disk_bytes`] for `docker history` bytes.
    pub installed_bytes: u64,
    pub source: &'static str,
}

impl ApkPackage {
    /// Bytes the package adds to a layer as `docker history` counts them:
    /// installed size × the release's disk/installed factor (see
    /// [`apk_calibration`]).
    pub fn disk_bytes(&self) -> u64 {
        let (factor, _) = apk_calibration(self.distro);
        (self.installed_bytes as f64 * factor).round() as u64
    }

    /// Declared dependencies (names; version constraints dropped), if known.
    pub fn depends(&self) -> &'static [&'static str] {
        apk_depends(self.name).map_or(&[], |(d, _)| d)
    }
}

/// The disk/installed factor for a release and how it was derived. Releases
/// without their own calibration use the nearest recorded one.
pub fn apk_calibration(distro: &str) -> (f64, &'static str) {
    if let Some(&(_, f, why)) = APK_CALIBRATION.iter().find(|(d, _, _)| *d == distro) {
        return (f, why);
    }
    // Up to 3.20 installed sizes were block sums like 3.17's; later ones are byte sums.
    let minor = alpine_minor(distro).unwrap_or(99);
    let pick = if minor <= 20 {
        "alpine3.17"
    } else {
        "alpine3.24"
    };
    APK_CALIBRATION
        .iter()
        .find(|(d, _, _)| *d == pick)
        .map_or((1.0, "no calibration recorded"), |&(_, f, why)| (f, why))
}

fn alpine_minor(distro: &str) -> Option<u32> {
    distro.strip_prefix("alpine3.")?.parse().ok()
}

/// Looks up a package in a release (`alpine3.17`, `alpine3.24`, or an image
/// tag style `3.17`). If the release lacks it, the closest release that has
/// it is returned (check `distro` on the result).
pub fn apk_package(distro: &str, name: &str) -> Option<&'static ApkPackage> {
    let distro = if distro.starts_with("alpine") {
        distro.to_string()
    } else {
        format!("alpine{distro}")
    };
    if let Ok(i) = APK.binary_search_by(|p| (p.distro, p.name).cmp(&(distro.as_str(), name))) {
        return APK.get(i);
    }
    let want = alpine_minor(&distro).unwrap_or(99);
    APK.iter().filter(|p| p.name == name).min_by_key(|p| {
        let m = alpine_minor(p.distro).unwrap_or(0);
        // Prefer the closest release; on ties the newer one.
        (m.abs_diff(want), u32::MAX - m)
    })
}

fn apk_depends(name: &str) -> Option<(&'static [&'static str], &'static str)> {
    APK_DEPS
        .binary_search_by(|(n, _, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| APK_DEPS.get(i))
        .map(|&(_, d, s)| (d, s))
}

/// Result of [`apk_closure`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApkClosure {
    /// Packages that would be installed (not already present), with sizes.
    pub packages: Vec<&'static ApkPackage>,
    /// Sum of `disk_bytes()` of `packages`.
    pub disk_bytes: u64,
    /// Names requested or pulled in whose size is not in the catalog.
    pub unknown: Vec<String>,
}

/// Packages `apk add names…` installs on `distro` given what is already
/// installed, following the dependency edges the catalog knows.
pub fn apk_closure(distro: &str, names: &[&str], already_installed: &[&str]) -> ApkClosure {
    let mut out = ApkClosure::default();
    let mut seen: Vec<String> = already_installed.iter().map(|s| (*s).to_string()).collect();
    let mut queue: Vec<String> = names
        .iter()
        .map(|s| strip_constraint(s).to_string())
        .collect();
    while let Some(name) = queue.pop() {
        if name.is_empty() || seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        if let Some(p) = apk_package(distro, &name) {
            out.disk_bytes += p.disk_bytes();
            out.packages.push(p);
        } else {
            out.unknown.push(name.clone());
        }
        if let Some((deps, _)) = apk_depends(&name) {
            queue.extend(deps.iter().map(|d| strip_constraint(d).to_string()));
        }
    }
    out
}

/// `gcc>=12`, `so:libc.musl-x86_64.so.1`, `python3~3.11` → the package name.
fn strip_constraint(s: &str) -> &str {
    let end = s.find(['=', '<', '>', '~']).unwrap_or(s.len());
    &s[..end]
}
