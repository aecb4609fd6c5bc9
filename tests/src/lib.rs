//! End-to-end test harness: the built site (`dist/`) in real headless Chromium.
//!
//! - [`Site`] finds the site under test: `LAYERLENS_E2E_URL` when set (as
//!   `cargo xtask test` does), else it serves `dist/` itself with
//!   [`StaticServer`]; with neither it fails, it never skips.
//! - [`Browser`] starts ChromeDriver plus a headless Chromium with a fresh
//!   profile and offers navigate, find by `data-testid`, type, click, read
//!   text, run scripts, emulate offline, resize and take screenshots (saved
//!   under `target/screenshots/`).
//!
//! The tests themselves live in `tests/tests/*.rs`, one user journey each.

pub mod browser;
pub mod http;
pub mod server;

use std::fmt;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

pub use browser::{keys, Browser, Element, Options, DEFAULT_WAIT};
pub use server::StaticServer;

/// The environment variable naming the base URL of the site under test.
pub const URL_VAR: &str = "LAYERLENS_E2E_URL";
/// The environment variable naming the built site's folder on disk.
pub const DIST_VAR: &str = "LAYERLENS_E2E_DIST";
/// Path of axe-core's `axe.min.js` for the accessibility test (default:
/// `.tools/npm/node_modules/axe-core/axe.min.js`, where `cargo xtask test`
/// installs it).
pub const AXE_VAR: &str = "LAYERLENS_E2E_AXE";

/// A harness failure, with enough context to act on.
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Tests return `Result<(), Error>`; a failing one prints this, so it is the
// plain message rather than a struct dump.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The site under test and, when the harness serves it, its server.
pub struct Site {
    base_url: String,
    dist: Option<PathBuf>,
    _server: Option<StaticServer>,
}

impl Site {
    /// Finds the site: `LAYERLENS_E2E_URL`, else `dist/` (or
    /// `LAYERLENS_E2E_DIST`) served on a free loopback port.
    pub fn locate() -> Result<Self, Error> {
        let dist =
            std::env::var_os(DIST_VAR).map_or_else(|| workspace_root().join("dist"), PathBuf::from);
        let dist = dist.join("index.html").is_file().then_some(dist);

        if let Ok(url) = std::env::var(URL_VAR) {
            let base_url = if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            };
            return Ok(Self {
                base_url,
                dist,
                _server: None,
            });
        }
        let Some(dist) = dist else {
            return Err(Error::new(format!(
                "no site to test: {URL_VAR} is not set and there is no dist/index.html. \
                 Run `cargo xtask test` (it builds dist/ and serves it), or `cargo xtask dist` \
                 first, or set {URL_VAR} to a running site."
            )));
        };
        let server = StaticServer::start(&dist, 0)?;
        Ok(Self {
            base_url: server.url(),
            dist: Some(dist),
            _server: Some(server),
        })
    }

    /// The URL of `page` (e.g. `""`, `"tutorial.html"`, `"#embed"`).
    pub fn url(&self, page: &str) -> String {
        format!("{}{page}", self.base_url)
    }

    /// The `file://` URL of `page` inside the built site on disk.
    pub fn file_url(&self, page: &str) -> Result<String, Error> {
        let dist = self.dist.as_ref().ok_or_else(|| {
            Error::new(format!(
                "file:// tests need the built site on disk: set {DIST_VAR} or build dist/"
            ))
        })?;
        let dist = dist
            .canonicalize()
            .map_err(|e| Error::new(format!("{}: {e}", dist.display())))?;
        Ok(format!("file://{}/{page}", dist.display()))
    }
}

/// axe-core's script, to run in a page under test: from [`AXE_VAR`] or
/// where `cargo xtask test` installs it. Missing is an error, never a skip.
pub fn axe_script() -> Result<String, Error> {
    let path = std::env::var_os(AXE_VAR).map_or_else(
        || workspace_root().join(".tools/npm/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).map_err(|e| {
        Error::new(format!(
            "axe-core is needed for the accessibility test: {}: {e}. `cargo xtask test` \
             installs it; or set {AXE_VAR} to an axe.min.js",
            path.display()
        ))
    })
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Where measurements go: `<target dir>/e2e-timings.txt`, one line per
/// measurement; `cargo xtask test` prints it after the suite (test output
/// itself is captured).
pub fn timings_file() -> PathBuf {
    target_dir().join("e2e-timings.txt")
}

/// Records one measurement line in [`timings_file`] (and on stdout).
pub fn record_timing(line: &str) {
    println!("{line}");
    let _ = std::fs::create_dir_all(target_dir());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(timings_file());
    if let Ok(mut file) = file {
        let _ = writeln!(file, "{line}");
    }
}

/// Where screenshots go: `<target dir>/screenshots`.
pub fn screenshot_dir() -> PathBuf {
    target_dir().join("screenshots")
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(
            || workspace_root().join("target"),
            |dir| {
                if dir.is_absolute() {
                    dir
                } else {
                    workspace_root().join(dir)
                }
            },
        )
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> Result<u16, Error> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| Error::new(format!("no free loopback port: {e}")))
}
