//! Picking the runtime base image: from the builder's base, the language and
//! what the program needs at run time, for each runtime choice.

use super::Language;
use crate::estimate::catalog::{resolve_image, Date};

/// Which runtime base the person asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RuntimeChoice {
    /// The smallest base that will run the program.
    #[default]
    Auto,
    /// `FROM scratch`: nothing but the artifact (static binaries only).
    Scratch,
    /// Google's distroless images (no shell, no package manager).
    Distroless,
    /// Alpine Linux (musl, busybox shell, `apk`).
    Alpine,
    /// The Debian-slim variant of the language image.
    Slim,
}

impl RuntimeChoice {
    /// Every choice, for "compare the sizes" lists.
    pub const ALL: [RuntimeChoice; 5] = [
        RuntimeChoice::Auto,
        RuntimeChoice::Scratch,
        RuntimeChoice::Distroless,
        RuntimeChoice::Alpine,
        RuntimeChoice::Slim,
    ];

    /// `auto`, `scratch`, `distroless`, `alpine` or `slim`.
    pub fn parse(text: &str) -> Option<RuntimeChoice> {
        RuntimeChoice::ALL
            .into_iter()
            .find(|choice| choice.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeChoice::Auto => "auto",
            RuntimeChoice::Scratch => "scratch",
            RuntimeChoice::Distroless => "distroless",
            RuntimeChoice::Alpine => "alpine",
            RuntimeChoice::Slim => "slim",
        }
    }
}

/// The C library a binary or base image uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    /// Statically linked or pure Go: runs anywhere, even on `scratch`.
    Static,
    /// Alpine's musl.
    Musl,
    /// glibc (Debian, Ubuntu, Fedora, CentOS…).
    Glibc,
}

/// What the runtime stage must provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// The C library the artifact was linked against.
    pub libc: Libc,
    /// A `/bin/sh`: shell-form commands, scripts, `useradd` replays.
    pub shell: bool,
    /// OS packages must be installed in the runtime (a package manager).
    pub packages: bool,
}

/// The runtime base the planner settled on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeBase {
    /// The image reference to write after `FROM`.
    pub image: String,
    /// True when the image has `/bin/sh`.
    pub has_shell: bool,
    /// True when the image has a package manager the builder's install
    /// commands work with (same OS family as the builder).
    pub same_family: bool,
    /// Why the choice differs from what was asked, if it does.
    pub note: Option<String>,
}

/// Debian release names, newest first.
const DEBIAN_RELEASES: [&str; 6] = [
    "trixie", "bookworm", "bullseye", "buster", "stretch", "jessie",
];

/// The distribution releases a new runtime stage should name: the ones
/// current at the estimate's as-of date, read from the catalog (what
/// `alpine:latest` and `debian:stable` were then), so a rewrite "as of
/// 2022-12-20" does not name a 2026 Alpine, and today's names today's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Releases {
    /// `alpine:3.NN`.
    pub alpine: String,
    /// The Debian codename (`trixie`).
    pub debian: &'static str,
}

impl Releases {
    /// The releases current on `as_of` (the newest in the catalog when `None`).
    pub fn at(as_of: Option<Date>) -> Releases {
        let tags_of = |reference: &str| {
            resolve_image(reference, None, as_of)
                .entry
                .map_or(&[][..], |entry| entry.tags)
        };
        let alpine = tags_of("alpine:latest")
            .iter()
            .find(|tag| {
                let mut parts = tag.split('.');
                parts.clone().count() == 2
                    && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
            .map_or_else(|| "alpine:3.21".to_owned(), |tag| format!("alpine:{tag}"));
        let debian = tags_of("debian:stable")
            .iter()
            .find_map(|tag| DEBIAN_RELEASES.iter().find(|release| *release == tag))
            .copied()
            .unwrap_or("bookworm");
        Releases { alpine, debian }
    }

    /// `gcr.io/distroless/static-debianNN` for the Debian release: Debian 11
    /// up to bullseye's time, else 12 (the newest the catalog has sizes for).
    pub fn distroless_static(&self) -> String {
        let version = match self.debian {
            "bullseye" | "buster" | "stretch" | "jessie" => 11,
            _ => 12,
        };
        format!("gcr.io/distroless/static-debian{version}")
    }

    /// `debian:<codename>-slim`.
    pub fn debian_slim(&self) -> String {
        format!("debian:{}-slim", self.debian)
    }
}

/// Splits `name[:tag][@digest]` into its parts (`None` tag when absent).
pub fn split_reference(reference: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (reference, None),
    };
    // A ':' after the last '/' separates the tag (a registry port comes before a '/').
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(colon) => (
            &rest[..slash + colon],
            Some(&rest[slash + colon + 1..]),
            digest,
        ),
        None => (rest, None, digest),
    }
}

/// The last path component of an image name (`docker.io/library/golang` → `golang`).
pub fn short_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The short name of an official (Docker Library) image, or the whole name
/// for anything else (`grpc/python` is not `python`).
pub fn official_name(name: &str) -> &str {
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    match name {
        "microsoft/dotnet" => "dotnet",
        "mcr.microsoft.com/dotnet/sdk" => "sdk",
        "nvidia/cuda" => "cuda",
        _ => name,
    }
}

/// Tag suffixes that name a variant rather than a version.
const VARIANTS: &[&str] = &[
    "-alpine",
    "-slim",
    "-bookworm",
    "-bullseye",
    "-buster",
    "-stretch",
    "-jessie",
    "-trixie",
    "-focal",
    "-jammy",
    "-noble",
    "-jdk",
    "-jre",
    "-sdk",
    "-windowsservercore",
    "-nanoserver",
];

/// The version part of a tag: `14-alpine3.14` → `14`, `3.7-slim` → `3.7`,
/// `latest`/none → `None`. Variable references (`${NODE_VERSION}`) are kept.
pub fn tag_version(tag: Option<&str>) -> Option<&str> {
    let tag = tag?;
    let mut end = tag.len();
    for variant in VARIANTS {
        if let Some(index) = tag.find(variant) {
            end = end.min(index);
        }
    }
    let version = &tag[..end];
    let bare_variant = [
        "alpine", "slim", "latest", "bookworm", "bullseye", "buster", "stretch", "jessie", "trixie",
    ];
    if version.is_empty() || bare_variant.contains(&version) {
        None
    } else {
        Some(version)
    }
}

/// The C library of a base image, from its name and tag.
pub fn base_libc(reference: &str) -> Libc {
    let (name, tag, _) = split_reference(reference);
    let short = short_name(name);
    if short == "alpine" || tag.is_some_and(|tag| tag.contains("alpine")) {
        Libc::Musl
    } else if short == "scratch" || name.contains("distroless/static") {
        Libc::Static
    } else {
        Libc::Glibc
    }
}

/// The major number of a version (`14.17.0` → `14`).
fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// `name:version-suffix`, or `name:suffix` when the version is unknown.
fn with_variant(name: &str, version: Option<&str>, suffix: &str) -> String {
    match version {
        Some(version) => format!("{name}:{version}-{suffix}"),
        None => format!("{name}:{suffix}"),
    }
}

/// The Debian release a language image of this tag is built on, for a slim
/// runtime with the same libraries (`rust:1.53-buster`); the current stable
/// release when the tag does not say.
fn debian_release(tag: Option<&str>, releases: &Releases) -> &'static str {
    let tag = tag.unwrap_or("");
    DEBIAN_RELEASES
        .into_iter()
        .find(|release| tag.contains(release))
        .unwrap_or(releases.debian)
}

/// Pick the runtime base for `language` built on `builder`, honouring
/// `choice` where the program can run there.
pub fn pick(
    builder: &str,
    language: Language,
    choice: RuntimeChoice,
    needs: Needs,
    releases: &Releases,
) -> RuntimeBase {
    let (name, tag, _) = split_reference(builder);
    let short = official_name(name);
    let version = tag_version(tag);
    let builder_libc = base_libc(builder);
    let mut note = None;
    let mut fallback = |wanted: RuntimeChoice, why: &str| {
        if choice == wanted {
            note = Some(format!(
                "`{}` cannot run this program ({why})",
                wanted.as_str()
            ));
        }
    };
    let base = |image: String, has_shell: bool, same_family: bool| RuntimeBase {
        image,
        has_shell,
        same_family,
        note: None,
    };
    let mut picked = match language {
        Language::Go | Language::Rust if needs.libc == Libc::Static && !needs.packages => {
            match (choice, needs.shell) {
                (RuntimeChoice::Scratch | RuntimeChoice::Auto, false) => {
                    base("scratch".into(), false, false)
                }
                (RuntimeChoice::Distroless, false) => {
                    base(releases.distroless_static(), false, false)
                }
                (RuntimeChoice::Slim, _) => base(releases.debian_slim(), true, false),
                _ => {
                    fallback(RuntimeChoice::Scratch, "it needs a shell");
                    fallback(RuntimeChoice::Distroless, "it needs a shell");
                    base(releases.alpine.clone(), true, builder_libc == Libc::Musl)
                }
            }
        }
        Language::Go | Language::Rust
            if !needs.packages && !needs.shell && builder_libc == Libc::Glibc =>
        {
            match choice {
                RuntimeChoice::Slim | RuntimeChoice::Alpine => {
                    fallback(RuntimeChoice::Alpine, "the binary links glibc");
                    base(
                        format!("debian:{}-slim", debian_release(tag, releases)),
                        true,
                        true,
                    )
                }
                _ => {
                    fallback(RuntimeChoice::Scratch, "the binary links glibc dynamically");
                    let image = if language == Language::Rust {
                        "cc"
                    } else {
                        "base"
                    };
                    base(format!("gcr.io/distroless/{image}-debian12"), false, false)
                }
            }
        }
        Language::Node if short == "node" => {
            let major_version = version.and_then(major);
            match choice {
                RuntimeChoice::Distroless
                    if major_version.is_some_and(|v| v >= 18)
                        && !needs.shell
                        && !needs.packages =>
                {
                    base(
                        format!(
                            "gcr.io/distroless/nodejs{}-debian12",
                            major_version.unwrap_or(22)
                        ),
                        false,
                        false,
                    )
                }
                RuntimeChoice::Alpine if builder_libc == Libc::Musl || !needs.packages => {
                    if builder_libc == Libc::Musl {
                        base(builder.to_string(), true, true)
                    } else {
                        base(with_variant(name, version, "alpine"), true, false)
                    }
                }
                _ if builder_libc == Libc::Musl => {
                    fallback(
                        RuntimeChoice::Slim,
                        "native modules were built against musl",
                    );
                    fallback(
                        RuntimeChoice::Distroless,
                        "native modules were built against musl",
                    );
                    fallback(RuntimeChoice::Scratch, "Node.js needs its runtime");
                    base(builder.to_string(), true, true)
                }
                _ => {
                    fallback(RuntimeChoice::Scratch, "Node.js needs its runtime");
                    fallback(
                        RuntimeChoice::Distroless,
                        "it needs a shell, npm or OS packages, or Node.js is older than 18",
                    );
                    fallback(
                        RuntimeChoice::Alpine,
                        "native modules are built against glibc",
                    );
                    base(with_variant(name, version, "slim"), true, true)
                }
            }
        }
        Language::Python | Language::Ruby
            if (short == "python" || short == "ruby") && !needs.packages =>
        {
            if builder_libc == Libc::Musl {
                fallback(
                    RuntimeChoice::Slim,
                    "compiled packages were built against musl",
                );
                fallback(
                    RuntimeChoice::Distroless,
                    "compiled packages were built against musl",
                );
                fallback(RuntimeChoice::Scratch, "the interpreter is needed");
                let (name, tag, _) = split_reference(builder);
                base(format!("{name}:{}", tag.unwrap_or("alpine")), true, true)
            } else {
                fallback(RuntimeChoice::Scratch, "the interpreter is needed");
                fallback(
                    RuntimeChoice::Distroless,
                    "distroless ships its own Python version",
                );
                fallback(
                    RuntimeChoice::Alpine,
                    "compiled packages were built against glibc",
                );
                base(with_variant(name, version, "slim"), true, true)
            }
        }
        Language::Java => {
            let java = java_version(short, tag);
            match choice {
                RuntimeChoice::Alpine => {
                    base(format!("eclipse-temurin:{java}-jre-alpine"), true, false)
                }
                RuntimeChoice::Distroless if [11, 17, 21].contains(&java) && !needs.shell => base(
                    format!("gcr.io/distroless/java{java}-debian12"),
                    false,
                    false,
                ),
                _ => {
                    fallback(RuntimeChoice::Scratch, "a Java runtime is needed");
                    fallback(
                        RuntimeChoice::Distroless,
                        "no distroless image for this Java version, or a shell is needed",
                    );
                    base(format!("eclipse-temurin:{java}-jre"), true, false)
                }
            }
        }
        Language::DotNet => {
            fallback(RuntimeChoice::Scratch, "the .NET runtime is needed");
            let image = if name.starts_with("mcr.microsoft.com/dotnet/sdk") {
                format!(
                    "mcr.microsoft.com/dotnet/runtime:{}",
                    version.unwrap_or("8.0")
                )
            } else {
                with_variant(name, version, "runtime")
            };
            base(image, true, false)
        }
        _ => {
            // Native programs and OS-based builds: the same distribution, slim
            // where a slim variant exists, with the runtime packages replayed.
            fallback(RuntimeChoice::Scratch, "it needs OS files or packages");
            fallback(RuntimeChoice::Distroless, "it needs OS packages or a shell");
            fallback(
                RuntimeChoice::Alpine,
                "the binaries link the builder's C library",
            );
            base(same_family_slim(builder, releases), true, true)
        }
    };
    picked.note = note;
    // The same image as the builder: keep its exact reference (digest pins).
    let (picked_name, picked_tag, _) = split_reference(&picked.image);
    if (picked_name, picked_tag) == (name, tag) {
        picked.image = builder.to_string();
    }
    picked
}

/// The smallest image of the builder's own distribution.
pub fn same_family_slim(builder: &str, releases: &Releases) -> String {
    let (name, tag, _) = split_reference(builder);
    let musl = base_libc(builder) == Libc::Musl;
    match official_name(name) {
        "node" | "python" | "ruby" if musl => builder.to_string(),
        "golang" | "rust" | "maven" | "gradle" | "openjdk" if musl => releases.alpine.clone(),
        "golang" | "rust" | "maven" | "gradle" | "openjdk" => {
            format!("debian:{}-slim", debian_release(tag, releases))
        }
        "node" | "python" | "ruby" => with_variant(name, tag_version(tag), "slim"),
        "cuda" => builder.replace("-devel-", "-runtime-"),
        other if other.ends_with("/golang") || other.ends_with("/rust") => releases.debian_slim(),
        "debian" => match tag {
            Some(tag) if tag.ends_with("-slim") => builder.to_string(),
            Some(tag) => format!("{name}:{tag}-slim"),
            None => releases.debian_slim(),
        },
        "haskell" | "gcc" | "buildpack-deps" => {
            format!("debian:{}-slim", debian_release(tag, releases))
        }
        _ => builder.to_string(),
    }
}

/// The Java feature version a JDK image tag names (default 21).
fn java_version(short: &str, tag: Option<&str>) -> u32 {
    let tag = tag.unwrap_or("");
    let from_jdk = tag.split("jdk").nth(1).and_then(|rest| {
        let digits: String = rest
            .trim_start_matches('-')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    });
    let leading = || {
        let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    match short {
        "maven" | "gradle" => from_jdk.unwrap_or(21),
        _ => from_jdk.or_else(leading).unwrap_or(21),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        assert_eq!(
            split_reference("golang:alpine"),
            ("golang", Some("alpine"), None)
        );
        assert_eq!(
            split_reference("localhost:5000/app"),
            ("localhost:5000/app", None, None)
        );
        assert_eq!(
            split_reference("python:3.14-slim@sha256:ce4"),
            ("python", Some("3.14-slim"), Some("sha256:ce4"))
        );
        assert_eq!(tag_version(Some("14-alpine3.14")), Some("14"));
        assert_eq!(tag_version(Some("alpine")), None);
        assert_eq!(
            tag_version(Some("${NODE_VERSION}")),
            Some("${NODE_VERSION}")
        );
    }

    #[test]
    fn runtime_bases_by_language() {
        let now = Releases::at(None);
        let go = Needs {
            libc: Libc::Static,
            shell: false,
            packages: false,
        };
        assert_eq!(
            pick("golang:alpine", Language::Go, RuntimeChoice::Auto, go, &now).image,
            "scratch"
        );
        assert_eq!(
            pick(
                "golang:alpine",
                Language::Go,
                RuntimeChoice::Alpine,
                go,
                &now
            )
            .image,
            now.alpine
        );
        let node = Needs {
            libc: Libc::Glibc,
            shell: true,
            packages: false,
        };
        assert_eq!(
            pick("node:10", Language::Node, RuntimeChoice::Auto, node, &now).image,
            "node:10-slim"
        );
        assert_eq!(
            pick(
                "maven:3.3.3-jdk-8",
                Language::Java,
                RuntimeChoice::Auto,
                node,
                &now
            )
            .image,
            "eclipse-temurin:8-jre"
        );
        assert_eq!(
            pick("openjdk:8", Language::Java, RuntimeChoice::Auto, node, &now).image,
            "eclipse-temurin:8-jre"
        );
        let native = Needs {
            libc: Libc::Glibc,
            shell: true,
            packages: true,
        };
        assert_eq!(
            pick(
                "debian:bullseye",
                Language::Native,
                RuntimeChoice::Auto,
                native,
                &now
            )
            .image,
            "debian:bullseye-slim"
        );
        let scratch = pick(
            "debian:bullseye",
            Language::Native,
            RuntimeChoice::Scratch,
            native,
            &now,
        );
        assert!(scratch.note.is_some());
    }

    #[test]
    fn releases_follow_the_as_of_date() {
        // What alpine:latest and debian:stable were then (3.17 came out
        // on 2022-11-22, bookworm only in June 2023).
        let seed = Releases::at(Some(Date::new(2022, 12, 20)));
        assert_eq!(seed.alpine, "alpine:3.17");
        assert_eq!(seed.debian, "bullseye");
        let now = Releases::at(None);
        assert_eq!(now.alpine, "alpine:3.24");
        assert_eq!(now.debian, "trixie");
        assert_eq!(now.debian_slim(), "debian:trixie-slim");
        assert_eq!(
            seed.distroless_static(),
            "gcr.io/distroless/static-debian11"
        );
        assert_eq!(now.distroless_static(), "gcr.io/distroless/static-debian12");
        assert_eq!(debian_release(Some("1.53-buster"), &now), "buster");
        assert_eq!(debian_release(Some("1.22"), &seed), "bullseye");
    }
}
