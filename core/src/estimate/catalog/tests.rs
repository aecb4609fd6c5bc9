use super::*;
use std::collections::HashSet;

const MB: f64 = 1e6;

fn date(s: &str) -> Date {
    Date::parse(s).expect("valid date")
}

#[test]
fn date_parse_and_order() {
    assert_eq!(date("2022-12-20"), Date::new(2022, 12, 20));
    assert_eq!(Date::parse("2022-12"), Some(Date::new(2022, 12, 1)));
    assert_eq!(Date::parse("2022-02-30"), None);
    assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
    assert_eq!(Date::parse("20221220"), None);
    assert_eq!(Date::parse(""), None);
    assert!(date("2022-12-20") < date("2023-01-11"));
    assert_eq!(date("2023-01-11").days() - date("2022-12-20").days(), 22);
    assert_eq!(Date::new(1970, 1, 1).days(), 0);
    assert_eq!(date("2022-12-20").to_string(), "2022-12-20");
}

#[test]
fn images_sorted_unique_and_consistent() {
    let t = images();
    assert!(t.len() >= 40, "only {} images", t.len());
    for w in t.windows(2) {
        let a = (w[0].image, w[0].tag, w[0].arch, w[0].date);
        let b = (w[1].image, w[1].tag, w[1].arch, w[1].date);
        assert!(a < b, "not sorted/unique: {a:?} then {b:?}");
    }
    for e in t {
        assert!(
            e.tags.contains(&e.tag),
            "{} lacks its own tag",
            e.reference()
        );
        assert!(!e.source.is_empty());
        let disk: u64 = e.layers.iter().map(|l| l.disk_bytes).sum();
        let comp: u64 = e.layers.iter().map(|l| l.compressed_bytes).sum();
        // Totals are the sum of the rows (within rounding of the split).
        assert!(
            disk.abs_diff(e.total_bytes) <= e.layers.len() as u64,
            "{}: {disk} vs {}",
            e.reference(),
            e.total_bytes
        );
        assert_eq!(comp, e.compressed_bytes, "{}", e.reference());
        for l in e.layers {
            if l.has_layer {
                assert!(
                    !l.basis.is_empty(),
                    "{}: layer without basis",
                    e.reference()
                );
            } else {
                assert_eq!(l.disk_bytes, 0);
            }
        }
        if e.os_family == OsFamily::Scratch {
            assert!(e.layers.is_empty());
        }
    }
    // The same tag must not claim two snapshots of one image on the same day.
    let mut seen = HashSet::new();
    for e in t {
        for tag in e.tags {
            assert!(
                seen.insert((e.image, *tag, e.arch, e.date)),
                "{}:{tag} twice on {}",
                e.image,
                e.date
            );
        }
    }
}

#[test]
fn compression_table_sorted_with_pooled_row() {
    let t = compression_ratios();
    for w in t.windows(2) {
        assert!(w[0].family < w[1].family);
    }
    assert!(t.iter().any(|r| r.family == "*"));
    for r in t {
        assert!(r.ratio > 1.5 && r.ratio < 4.0, "{r:?}");
    }
    assert_eq!(compression_ratio("no-such-family").family, "*");
    assert_eq!(compression_ratio("golang").family, "golang");
}

#[test]
fn apk_sorted_unique() {
    let t = apk_gen::APK;
    for w in t.windows(2) {
        assert!(
            (w[0].distro, w[0].name) < (w[1].distro, w[1].name),
            "{:?} {:?}",
            w[0].name,
            w[1].name
        );
    }
    for w in apk_gen::APK_DEPS.windows(2) {
        assert!(w[0].0 < w[1].0);
    }
    for w in apk_gen::APK_CALIBRATION.windows(2) {
        assert!(w[0].0 < w[1].0);
    }
}

#[test]
fn seed_golang_alpine_dec_2022() {
    let r = resolve_image("golang:alpine", None, Some(date("2022-12-20")));
    let e = r.entry.expect("golang:alpine resolves");
    assert_eq!(e.image, "golang");
    assert!(
        e.resolved.contains("1.19") && e.resolved.contains("alpine3.17"),
        "{}",
        e.resolved
    );
    assert_eq!(r.exactness, Exactness::NearestDate);
    assert!(r.days_off > 0 && r.days_off < 60);
    let layers: Vec<_> = e.data_layers().collect();
    assert_eq!(layers.len(), 4, "{layers:?}");
    let near = |got: u64, want: f64| (got as f64 - want).abs() / want < 0.10;
    assert!(
        near(layers[0].disk_bytes, 7.46 * MB),
        "rootfs {}",
        layers[0].disk_bytes
    );
    assert!(
        near(layers[1].disk_bytes, 622e3),
        "ca-certificates {}",
        layers[1].disk_bytes
    );
    assert!(
        near(layers[2].disk_bytes, 342.0 * MB),
        "toolchain {}",
        layers[2].disk_bytes
    );
    assert!(layers[3].disk_bytes < 1000);
    assert!((e.total_bytes as f64 - 353.0 * MB).abs() / (353.0 * MB) < 0.03);
}

#[test]
fn floating_tag_by_date() {
    let old = resolve_image("golang:alpine", None, Some(date("2023-02-01")))
        .entry
        .unwrap();
    let new = resolve_image("golang:alpine", None, None).entry.unwrap();
    assert!(old.date < new.date);
    assert!(
        new.resolved.contains("1.27") || new.tag.contains("1.27"),
        "{}",
        new.resolved
    );
    assert!(new.total_bytes < old.total_bytes);
    let a = resolve_image("alpine", None, Some(date("2023-03-01")));
    assert_eq!(a.entry.unwrap().tag, "3.17");
    assert_eq!(a.exactness, Exactness::Exact);
    assert_eq!(
        resolve_image("alpine:latest", None, None)
            .entry
            .unwrap()
            .resolved,
        "alpine:3.24.2"
    );
}

#[test]
fn prefixes_digests_and_platforms() {
    let a = resolve_image("docker.io/library/alpine:3.17", None, None);
    assert_eq!(a.entry.unwrap().tag, "3.17");
    assert_eq!(a.image, "alpine");
    let b = resolve_image("library/alpine:3.17", Some("linux/amd64"), None);
    assert_eq!(b.entry, a.entry);
    let d = resolve_image(
        "alpine:3.17@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        None,
        None,
    );
    assert_eq!(d.entry, a.entry);
    assert_eq!(d.exactness, Exactness::DigestFallback);
    assert!(d.note.contains("digest"), "{}", d.note);
    let bare = resolve_image("golang@sha256:0123456789abcdef", None, None);
    assert_eq!(bare.tag, "latest");
    let weird = resolve_image("alpine:3.17", Some("linux/s390x"), None);
    assert_eq!(weird.exactness, Exactness::OtherArch);
    assert_eq!(weird.entry.unwrap().arch, Arch::Amd64);
    assert_eq!(Arch::parse("linux/arm64/v8"), Some(Arch::Arm64));
    assert_eq!(Arch::parse("x86_64"), Some(Arch::Amd64));
}

#[test]
fn unknown_and_similar() {
    let u = resolve_image("example.com/acme/app:1.0", None, None);
    assert!(u.entry.is_none());
    assert_eq!(u.exactness, Exactness::Unknown);
    assert!(u.note.contains("not in the size catalog"), "{}", u.note);
    let v = resolve_image("golang:${GO_VERSION}-alpine", None, None);
    assert!(v.entry.is_none());
    let s = resolve_image("golang:1.21.3-alpine3.18", None, Some(date("2023-10-01")));
    let e = s.entry.unwrap();
    assert_eq!(s.exactness, Exactness::SimilarTag);
    assert_eq!(e.os_family, OsFamily::Alpine);
    let sc = resolve_image("scratch", Some("linux/arm64"), None);
    let e = sc.entry.unwrap();
    assert_eq!(e.total_bytes, 0);
    assert!(e.layers.is_empty());
    assert!(!e.has_shell);
}

#[test]
fn variants() {
    assert_eq!(resolve::variant("1.21.3-alpine3.18"), "alpine");
    assert_eq!(resolve::variant("3.12-slim-bookworm"), "slim-bookworm");
    assert_eq!(resolve::variant("20"), "");
    assert_eq!(resolve::variant("latest"), "");
    assert_eq!(
        resolve::split_reference("localhost:5000/app"),
        ("localhost:5000/app".into(), "latest".into(), None)
    );
}

#[test]
fn apk_lookup_and_closure() {
    let ca = apk_package("alpine3.17", "ca-certificates").unwrap();
    assert_eq!(ca.installed_bytes, 704_512);
    assert!(ca.disk_bytes() < ca.installed_bytes);
    let near = apk_package("3.18", "ca-certificates").unwrap();
    assert_eq!(near.distro, "alpine3.17");
    assert!(apk_package("alpine3.17", "no-such-package").is_none());
    let c = apk_closure("alpine3.17", &["ca-certificates", "nope"], &["musl"]);
    assert_eq!(c.packages.len(), 1);
    assert_eq!(c.unknown, vec!["nope".to_string()]);
}

#[test]
fn deb_tables_sorted_and_closure() {
    use super::deb_gen::{BASE, EDGES, EDGE_COUNT, NAMES, NAME_LEN, SIZE_KIB};
    assert_eq!(NAME_LEN.len(), SIZE_KIB.len());
    assert_eq!(EDGE_COUNT.len(), NAME_LEN.len());
    let edges: usize = EDGE_COUNT.iter().map(|&c| usize::from(c)).sum();
    assert_eq!(edges, EDGES.len());
    let name_bytes: usize = NAME_LEN.iter().map(|&c| usize::from(c)).sum();
    assert_eq!(name_bytes, NAMES.len());
    for i in 1..NAME_LEN.len() {
        assert!(deb::name_at_for_tests(i - 1) < deb::name_at_for_tests(i));
    }
    for w in BASE.windows(2) {
        assert!(w[0] < w[1]);
    }
    let be = deb_package("build-essential").expect("build-essential");
    assert_eq!(be.name(), "build-essential");
    assert!(be.depends().any(|d| d.name() == "g++"));
    assert!(deb_package("libc6:amd64").unwrap().in_base_image());
    assert!(deb_package("no-such-package-xyz").is_none());
    let c = closure(&["build-essential"], false, None);
    assert!(c.installed_bytes > 100_000_000, "{}", c.installed_bytes);
    assert!(c.packages.iter().any(|p| p.name() == "gcc-12"));
    assert!(
        !c.packages.iter().any(|p| p.name() == "libc6"),
        "libc6 is in the base image"
    );
    let with_rec = closure(&["build-essential"], true, None);
    assert!(with_rec.installed_bytes > c.installed_bytes);
    let curl = closure(&["curl"], false, None);
    let after_curl = closure(&["curl", "git"], false, Some(&["curl", "libcurl4"]));
    assert!(curl.packages.iter().any(|p| p.name() == "libcurl4"));
    assert!(!after_curl.packages.iter().any(|p| p.name() == "libcurl4"));
    let unk = closure(&["curl", "nope-nope"], false, None);
    assert_eq!(unk.unknown, vec!["nope-nope".to_string()]);
    assert!(
        DEB_APT_LISTS_BYTES > 1_000_000 && !DEB_APT_LISTS_SOURCE.is_empty(),
        "{DEB_APT_LISTS_BYTES}"
    );
}

#[test]
fn deb_big_sizes_sorted() {
    for w in deb_gen::BIG_KIB.windows(2) {
        assert!(w[0].0 < w[1].0);
    }
    let llvm = deb_gen::BIG_KIB
        .first()
        .map(|&(i, k)| (i, u64::from(k) * 1024));
    if let Some((i, bytes)) = llvm {
        assert_eq!(deb_gen::SIZE_KIB[usize::from(i)], u16::MAX);
        assert!(bytes >= 65_535 * 1024);
    }
}

/// The generated edges are transitively reduced; closures must match the
/// unreduced snapshot the generator read.
#[test]
fn deb_closure_matches_unreduced_snapshot() {
    use std::collections::{HashMap, HashSet};
    let tsv = include_str!("gen/deb-bookworm.tsv");
    let mut rows: HashMap<&str, (u64, Vec<&str>, Vec<&str>)> = HashMap::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        rows.insert(
            f[0],
            (
                f[1].parse().unwrap(),
                f[3].split_whitespace().collect(),
                f[4].split_whitespace().collect(),
            ),
        );
    }
    let base: HashSet<&str> = debian_base_packages().map(DebPackage::name).collect();
    let unreduced = |names: &[&str], rec: bool| {
        let mut seen = HashSet::new();
        let mut stack: Vec<&str> = names.to_vec();
        let mut total = 0;
        while let Some(n) = stack.pop() {
            if base.contains(n) || !seen.insert(n) {
                continue;
            }
            let (kib, d, r) = &rows[n];
            total += kib * 1024;
            stack.extend(d);
            if rec {
                stack.extend(r);
            }
        }
        (total, seen.len())
    };
    for names in [
        &["build-essential"][..],
        &["python3-pip"],
        &["default-jdk"],
        &["git", "curl", "ca-certificates"],
        &["chromium"],
        &["libpq-dev", "gcc"],
        &["nodejs", "npm"],
        &["npm", "libreoffice", "devscripts", "git"],
        &[
            "vim", "locales", "sudo", "tzdata", "unzip", "xz-utils", "procps",
        ],
    ] {
        for rec in [false, true] {
            let c = closure(names, rec, None);
            assert_eq!(
                (
                    c.installed_bytes,
                    c.packages.len() + c.folded_packages as usize
                ),
                unreduced(names, rec),
                "{names:?} recommends={rec}"
            );
        }
    }
}

#[test]
fn deb_folded_table_sorted() {
    for w in deb_gen::FOLDED.windows(2) {
        assert!(w[0].0 < w[1].0);
    }
    let npm = closure(&["npm"], false, None);
    assert!(npm.folded_packages > 100, "{}", npm.folded_packages);
}

#[test]
fn coverage_of_required_images() {
    for (reference, platform) in [
        ("alpine", None),
        ("busybox", None),
        ("debian:bookworm", None),
        ("debian:bookworm-slim", None),
        ("ubuntu:22.04", None),
        ("golang:1.27-alpine", None),
        ("node:20-slim", None),
        ("node:24-alpine", None),
        ("python:3.12-slim", None),
        ("rust:latest", None),
        ("eclipse-temurin:21-jre", None),
        ("maven", None),
        ("gradle", None),
        ("nginx", None),
        ("httpd:alpine", None),
        ("php:cli", None),
        ("ruby:slim", None),
        ("gcr.io/distroless/static-debian12", None),
        ("gcr.io/distroless/static-debian12:nonroot", None),
        ("gcr.io/distroless/static:nonroot", None),
        ("gcr.io/distroless/base", None),
        ("gcr.io/distroless/cc-debian12:latest", None),
        ("gcr.io/distroless/java17-debian12", None),
        ("gcr.io/distroless/nodejs20-debian12", None),
        ("gcr.io/distroless/python3-debian12:nonroot", None),
        ("cgr.dev/chainguard/static", None),
        ("alpine:3.20", Some("linux/arm64")),
        ("debian:bookworm", Some("linux/arm64")),
    ] {
        let r = resolve_image(reference, platform, None);
        let e = r.entry.unwrap_or_else(|| panic!("{reference}: {}", r.note));
        assert!(e.total_bytes > 0, "{reference}");
        if let Some(p) = platform {
            assert_eq!(Some(e.arch), Arch::parse(p), "{reference}: {}", r.note);
        }
        if reference.contains("distroless") || reference.contains("chainguard") {
            assert!(!e.has_shell, "{reference}");
        }
    }
    let slim = resolve_image("node:20-slim", None, None).entry.unwrap();
    assert_eq!(slim.os_family, OsFamily::Debian);
    let arm = resolve_image("node:20-slim", Some("linux/arm64"), None)
        .entry
        .unwrap();
    assert_eq!(arm.arch, Arch::Arm64);
    assert!(arm.total_bytes > slim.total_bytes / 2);
}

#[test]
fn golang_alpine_versions_over_time() {
    let oct = resolve_image("golang:alpine", None, Some(date("2022-10-10")))
        .entry
        .unwrap();
    assert!(oct.resolved.contains("alpine3.16"), "{}", oct.resolved);
    let jan = resolve_image("golang:alpine", None, Some(date("2023-01-15")))
        .entry
        .unwrap();
    assert!(jan.resolved.contains("alpine3.17"), "{}", jan.resolved);
    // The toolchain row is the derived remainder of the recorded total.
    let tool = oct.data_layers().max_by_key(|l| l.disk_bytes).unwrap();
    assert!(tool.disk_bytes > 300_000_000 && tool.disk_bytes < oct.total_bytes);
}

#[test]
fn blocks_sorted_and_go_binary() {
    let t = blocks();
    for w in t.windows(2) {
        let a = (w[0].kind, w[0].name, w[0].variant, w[0].bytes);
        let b = (w[1].kind, w[1].name, w[1].variant, w[1].bytes);
        assert!(a < b, "{a:?} {b:?}");
    }
    for b in t {
        assert!(b.bytes > 0 && !b.source.is_empty(), "{b:?}");
    }
    let hello = go_binary(&["fmt"], GoBuildFlags::default()).unwrap();
    let stripped = go_binary(
        &["fmt"],
        GoBuildFlags {
            strip: true,
            ..GoBuildFlags::default()
        },
    )
    .unwrap();
    let http = go_binary(&["net/http", "fmt"], GoBuildFlags::default()).unwrap();
    assert!(stripped.bytes < hello.bytes && hello.bytes < http.bytes);
    // The seed's `go build` layer (2.07 MB) is the binary plus the build cache it leaves.
    let cache = blocks_named(BlockKind::GoBuildCache, "hello (fmt)")
        .next()
        .unwrap();
    let layer = (hello.bytes + cache.bytes) as f64;
    assert!((layer - 2.07e6).abs() / 2.07e6 < 0.10, "{layer}");
}

#[test]
fn apk_build_base_closure_follows_sourced_edges() {
    let c = apk_closure("alpine3.17", &["build-base"], &[]);
    let names: Vec<&str> = c.packages.iter().map(|p| p.name).collect();
    for n in ["gcc", "binutils", "isl25", "mpfr4"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    // make, patch, musl-dev, build-base itself: no sourced size → reported, not guessed.
    assert!(c.unknown.iter().any(|n| n == "musl-dev"), "{:?}", c.unknown);
    assert!(c.disk_bytes > 100_000_000);
}

#[test]
fn odd_references_never_panic() {
    for r in [
        "",
        " ",
        ":",
        "@",
        ":@",
        "a:b@c",
        "/",
        "//:",
        "ÿ:ß@∂",
        "rc",
        "x:rc",
        "x:rc1-é",
        "golang:-",
        "localhost:5000",
        "localhost:5000/",
        "docker.io/",
        "library/",
        "🦀:🦀",
        "a:b:c:d",
        "@sha256:",
    ] {
        let res = resolve_image(r, Some(r), Date::parse(r));
        assert!(!res.note.is_empty(), "{r:?}");
        let _ = apk_package(r, r);
        let _ = apk_closure(r, &[r], &[r]);
        let _ = deb_package(r);
        let _ = closure(&[r], true, Some(&[r]));
        let _ = compression_ratio(r);
        let _ = go_binary(&[r], GoBuildFlags::default());
    }
}
