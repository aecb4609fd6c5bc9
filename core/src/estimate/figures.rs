//! Figures the size rules use beyond the catalog: build caches, package
//! manager leftovers and fallbacks for things we cannot know from the text.
//!
//! Each constant says where its number came from. "Measured" means measured
//! on this project's build machine (Debian bookworm, `golang-1.19` =
//! go1.19.8 linux/amd64) on 2026-12-04; sizes are the sum of regular files
//! (what Docker's layer size counts; directories count 0 B).

/// A sourced figure: best estimate, range, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    /// Smallest plausible.
    pub low: u64,
    /// Best estimate.
    pub est: u64,
    /// Largest plausible.
    pub high: u64,
    /// How the number was obtained.
    pub source: &'static str,
}

impl Figure {
    /// As a byte range.
    pub const fn range(self) -> crate::model::ByteRange {
        crate::model::ByteRange {
            low: self.low,
            est: self.est,
            high: self.high,
        }
    }
}

/// Go build cache (`$GOCACHE`, `/root/.cache/go-build`) after `go build` of a
/// program importing only non-network std packages, when the toolchain ships
/// a precompiled standard library (Go ≤ 1.19).
pub const GO_CACHE_SMALL_PRECOMPILED_STD: Figure = Figure {
    low: 200_000,
    est: 252_096,
    high: 400_000,
    source:
        "measured: fresh GOCACHE, `go build hello.go` (fmt only), go1.19.8: 89 files, 252,096 B",
};

/// Same, for a program importing `net/http` (the network stack is rebuilt
/// because the precompiled copy was built with cgo).
pub const GO_CACHE_NET_PRECOMPILED_STD: Figure = Figure {
    low: 10_000_000,
    est: 16_578_202,
    high: 25_000_000,
    source: "measured: fresh GOCACHE, CGO_ENABLED=0 `go build` of a net/http server, go1.19.8: 307 files, 16,578,202 B",
};

/// Go ≥ 1.20 no longer ships a precompiled standard library, so the first
/// build compiles every std package it imports into the cache.
pub const GO_CACHE_SMALL_STD_COMPILED: Figure = Figure {
    low: 15_000_000,
    est: 21_826_475,
    high: 30_000_000,
    source: "measured as a stand-in for Go ≥ 1.20: `go build -a hello.go` (std compiled into a fresh GOCACHE), go1.19.8: 284 files, 21,826,475 B",
};

/// As above for a net/http program.
pub const GO_CACHE_NET_STD_COMPILED: Figure = Figure {
    low: 40_000_000,
    est: 55_709_898,
    high: 75_000_000,
    source: "measured as a stand-in for Go ≥ 1.20: `go build -a` of a net/http server, go1.19.8: 870 files, 55,709,898 B",
};

/// Module cache (`/go/pkg/mod`) per required module in `go.mod`: module
/// zips are kept next to their extracted trees.
pub const GO_MOD_PER_MODULE: Figure = Figure {
    low: 300_000,
    est: 3_000_000,
    high: 15_000_000,
    source: "rule of thumb: a typical Go module extracts to 1–10 MB and its zip is kept too (approximate)",
};

/// Module cache when `go.mod` is not in the context.
pub const GO_MOD_UNKNOWN: Figure = Figure {
    low: 0,
    est: 50_000_000,
    high: 1_181_116_006,
    source: "unknown dependencies; the upper end is a published dev container's /go/pkg/mod (1.1 GiB, shared/data published-building-blocks)",
};

/// `apk add` without `--no-cache` (or `apk update`) leaves the repository
/// indexes in `/var/cache/apk`.
pub const APK_INDEX_CACHE: Figure = Figure {
    low: 1_500_000,
    est: 2_600_000,
    high: 3_500_000,
    source: "approximate: APKINDEX.tar.gz for main (~0.7 MB) + community (~1.9 MB) on x86_64",
};

/// `yum`/`dnf`/`microdnf install` per requested package when no data exists
/// for RPM distributions.
pub const RPM_PER_PACKAGE: Figure = Figure {
    low: 500_000,
    est: 8_000_000,
    high: 60_000_000,
    source: "approximate: no RPM package data in the catalog; a typical package with its new dependencies",
};

/// Repository metadata dnf/yum leave in `/var/cache` without `clean all`.
pub const RPM_METADATA_CACHE: Figure = Figure {
    low: 20_000_000,
    est: 60_000_000,
    high: 150_000_000,
    source: "approximate: dnf repository metadata (BaseOS + AppStream primary/filelists) left in /var/cache",
};

/// One pip-installed distribution without data about it.
pub const PIP_PER_PACKAGE: Figure = Figure {
    low: 100_000,
    est: 3_000_000,
    high: 80_000_000,
    source: "approximate: installed size of a typical PyPI distribution (pure-Python ~0.1–5 MB; numeric wheels 30–80 MB)",
};

/// `python -m venv DIR` (with pip, the default) on Python 3.11: the
/// interpreter links, pip and setuptools with their `.pyc` files.
pub const VENV_WITH_PIP: Figure = Figure {
    low: 13_000_000,
    est: 22_344_373,
    high: 30_000_000,
    source: "measured here 2026-12-04: python3 -m venv on Debian bookworm's Python 3.11.7 (pip 23.2.1 + setuptools 65.5.0), sum of file bytes 22.34 MB",
};

/// `python -m venv DIR` on Python 3.12+, which no longer seeds setuptools:
/// the pip share of the measurement above.
pub const VENV_WITH_PIP_ONLY: Figure = Figure {
    low: 10_000_000,
    est: 14_300_000,
    high: 20_000_000,
    source: "measured here 2026-12-04: the pip 23.2.1 tree of a python3 -m venv (14.20 MB of file bytes) plus the venv's own files; 3.12+ seeds pip only",
};

/// `python -m venv --without-pip DIR` or `uv venv DIR`: links and scripts.
pub const VENV_WITHOUT_PIP: Figure = Figure {
    low: 5_000,
    est: 14_129,
    high: 40_000,
    source: "measured here 2026-12-04: python3 -m venv --without-pip (pyvenv.cfg, activate scripts, interpreter symlinks), 14.1 kB of file bytes",
};

/// pip's wheel cache (`/root/.cache/pip`) as a share of installed bytes.
pub const PIP_CACHE_PERCENT: u64 = 40;

/// Source of [`PIP_CACHE_PERCENT`].
pub const PIP_CACHE_SOURCE: &str =
    "approximate: pip keeps the downloaded wheels, which are zip-compressed (~40% of installed size)";

/// One npm package in `node_modules` without lockfile data.
pub const NPM_PER_PACKAGE: Figure = Figure {
    low: 20_000,
    est: 85_000,
    high: 600_000,
    source: "derived: express hello node_modules 5.21 MB for ~60 packages, npm ci of 158 packages 16.3 MB (shared/data published-building-blocks)",
};

/// Packages pulled in per direct dependency when no lockfile is supplied.
pub const NPM_TRANSITIVE_PER_DIRECT: u64 = 12;

/// npm's cache (`/root/.npm/_cacache`) as a share of `node_modules`.
pub const NPM_CACHE_PERCENT: u64 = 35;

/// Source of [`NPM_CACHE_PERCENT`].
pub const NPM_CACHE_SOURCE: &str =
    "approximate: npm keeps gzip'd tarballs of every package (~35% of the unpacked size)";

/// `node_modules` when neither package.json nor a lockfile is supplied.
pub const NPM_UNKNOWN: Figure = Figure {
    low: 2_000_000,
    est: 60_000_000,
    high: 500_000_000,
    source:
        "unknown dependencies: from express hello (5 MB) to front-end toolchains (hundreds of MB)",
};

/// Cargo `target/` directory after `cargo build --release`, per MB of the
/// final binary (deps, incremental data, build scripts).
pub const CARGO_TARGET_PER_BINARY_MB: Figure = Figure {
    low: 15,
    est: 40,
    high: 120,
    source: "approximate: release target/ directories are typically 15–120× the final binary",
};

/// Cargo registry (`/usr/local/cargo/registry`) per dependency.
pub const CARGO_REGISTRY_PER_CRATE: Figure = Figure {
    low: 100_000,
    est: 1_500_000,
    high: 10_000_000,
    source: "approximate: crate source + .crate archive per dependency",
};

/// Rust release binary without data about the program.
pub const RUST_BINARY_UNKNOWN: Figure = Figure {
    low: 400_000,
    est: 5_750_000,
    high: 16_000_000,
    source: "published: hello world 0.4 MB stripped to 5.75 MB musl; web services 10–16 MB (shared/data published-building-blocks)",
};

/// Maven local repository (`~/.m2`) after `mvn package`.
pub const MAVEN_REPOSITORY: Figure = Figure {
    low: 30_000_000,
    est: 150_000_000,
    high: 500_000_000,
    source: "approximate: plugins + dependencies of a Spring Boot service",
};

/// Gradle caches (`~/.gradle`) after `gradle build`.
pub const GRADLE_CACHE: Figure = Figure {
    low: 100_000_000,
    est: 300_000_000,
    high: 800_000_000,
    source: "approximate: Gradle distribution + dependency caches",
};

/// The built jar.
pub const JAR: Figure = Figure {
    low: 20_000,
    est: 17_700_000,
    high: 80_000_000,
    source: "published: Spring Boot hello fat jar 17.7 MB (shared/data published-building-blocks)",
};

/// `npm run build` output when the sources are unknown.
pub const FRONTEND_BUILD: Figure = Figure {
    low: 100_000,
    est: 3_000_000,
    high: 50_000_000,
    source: "approximate: bundled front-end output (dist/, build/)",
};

/// A download (`curl -o`, `wget`, `ADD <url>`) of unknown size.
pub const DOWNLOAD_UNKNOWN: Figure = Figure {
    low: 0,
    est: 10_000_000,
    high: 200_000_000,
    source: "unknown download size: the URL is not a known artifact; 10 MB is a placeholder inside a 0–200 MB range",
};

/// A `git clone` of unknown size.
pub const GIT_CLONE_UNKNOWN: Figure = Figure {
    low: 100_000,
    est: 20_000_000,
    high: 500_000_000,
    source: "unknown repository size (history included unless --depth 1)",
};

/// `COPY . .` when no build context was declared.
pub const CONTEXT_UNKNOWN: Figure = Figure {
    low: 1_000,
    est: 5_000_000,
    high: 500_000_000,
    source: "no build context declared: a small project is a few MB, one that forgets .dockerignore can send hundreds",
};

/// A command the model does not know writes little (config edits, echo).
pub const UNKNOWN_COMMAND: Figure = Figure {
    low: 0,
    est: 0,
    high: 1_000_000,
    source: "command not modelled; assumed to write little",
};

/// `useradd` without `-l` on a large UID: `/var/log/lastlog` is a sparse
/// file of 292 bytes per UID up to the new one; the layer tar stores it in
/// full.
pub const LASTLOG_BYTES_PER_UID: u64 = 292;

/// Files `useradd`/`adduser` write (passwd, shadow, group, home skeleton).
pub const USERADD_FILES: u64 = 8_000;
