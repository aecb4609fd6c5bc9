//! Finding and installing the external tools the build needs.
//!
//! Everything that can live in the project goes into the git-ignored
//! `.tools/` folder (`cargo install --root .tools`, `npm install --prefix
//! .tools/npm`), which comes first on the `PATH` of every command xtask runs.
//! A tool already there (or elsewhere on `PATH`) at the right version is used
//! as is, so a second run installs nothing. Chromium comes from apt, the only
//! tool that must be installed system-wide.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, Error};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// axe-core, the accessibility rules the end-to-end suite runs in each page
/// (a test tool only: nothing of it ships in `dist/`).
pub const AXE_VERSION: &str = "4.14.1";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The workspace root plus the `PATH` that puts `.tools/` first.
pub struct Toolbox {
    pub root: PathBuf,
    path: OsString,
}

/// Where the browser tests find Chromium and its driver.
pub struct ChromeTools {
    pub chromedriver: PathBuf,
    /// The browser binary to hand to ChromeDriver.
    pub binary: Option<PathBuf>,
}

impl Toolbox {
    pub fn new(root: PathBuf) -> Self {
        let tools = root.join(".tools");
        let mut dirs = vec![
            tools.join("bin"),
            tools.join("npm").join("node_modules").join(".bin"),
        ];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(dirs).unwrap_or_default();
        Self { root, path }
    }

    /// A command run in the workspace root with `.tools/` first on `PATH`.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// The first `name` on our `PATH`.
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    }

    /// The first line `name --version` prints, if it runs.
    fn version_of(&self, name: &str) -> Option<String> {
        let output = self.command(name).arg("--version").output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        Some(text.lines().next().unwrap_or_default().trim().to_owned())
    }

    /// Everything `trunk build`/`serve` needs: the wasm32 target, Trunk, the
    /// wasm-bindgen CLI matching Cargo.lock and binaryen's wasm-opt.
    pub fn ensure_web_tools(&self) -> Result<(), Error> {
        self.ensure_wasm_target()?;
        self.ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, "~8 min", &[])?;
        let bindgen = self.wasm_bindgen_version()?;
        self.ensure_cargo_tool(
            "wasm-bindgen-cli",
            "wasm-bindgen",
            &bindgen,
            "~4 min",
            &["wasm-bindgen-test-runner"],
        )?;
        self.ensure_wasm_opt()
    }

    fn ensure_wasm_target(&self) -> Result<(), Error> {
        self.ensure_rustup_part(
            WASM_TARGET,
            &format!("the Rust target {WASM_TARGET}"),
            &["target", "add", WASM_TARGET],
        )
    }

    /// The standard library's source (rustup's `rust-src`), which the
    /// release bundles compile (see `dist::with_built_std`).
    pub fn ensure_rust_src(&self) -> Result<(), Error> {
        self.ensure_rustup_part(
            "src/rust/library",
            "the standard library's source (rust-src)",
            &["component", "add", "rust-src"],
        )
    }

    /// Runs `rustup <add>` unless the sysroot's `lib/rustlib/<marker>` is a folder.
    fn ensure_rustup_part(&self, marker: &str, what: &str, add: &[&str]) -> Result<(), Error> {
        let output = self
            .command("rustc")
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| Error::new(format!("cannot run rustc: {e}")))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if sysroot.join("lib/rustlib").join(marker).is_dir() {
            return Ok(());
        }
        if self.find("rustup").is_none() {
            return Err(Error::new(format!(
                "{what} is missing and rustup is not available to add it"
            )));
        }
        println!("installing {what} (first run only)…");
        run(self.command("rustup").args(add))
    }

    /// Installs crate `package` (binary `binary`, plus `companions`) into
    /// `.tools/` unless `binary --version` already reports `version`.
    pub fn ensure_cargo_tool(
        &self,
        package: &str,
        binary: &str,
        version: &str,
        estimate: &str,
        companions: &[&str],
    ) -> Result<(), Error> {
        let expected = format!("{binary} {version}");
        let matches =
            |name: &str| self.version_of(name).as_deref() == Some(&format!("{name} {version}"));
        if self.version_of(binary).as_deref() == Some(expected.as_str())
            && companions.iter().all(|name| matches(name))
        {
            return Ok(());
        }
        println!("installing {package} {version} into .tools/ (first run only, {estimate})…");
        let root = self.root.join(".tools");
        let install = |locked: bool| {
            let mut command = self.command("cargo");
            command.args(["install", package, "--version", version, "--root"]);
            // These tools ship with fat LTO and one codegen unit, which makes
            // the build several minutes slower on a small machine and the
            // tool no faster at anything we notice.
            command
                .env("CARGO_PROFILE_RELEASE_LTO", "off")
                .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
            command.arg(&root);
            if locked {
                command.arg("--locked");
            }
            run(&mut command)
        };
        // `--locked` reproduces the tool's own tested dependency set; when one
        // of those versions has been yanked from crates.io it cannot resolve,
        // and the newest compatible versions are the next best thing.
        if install(true).is_err() {
            println!("retrying {package} {version} without --locked…");
            install(false)?;
        }
        if self.version_of(binary).as_deref() != Some(expected.as_str()) {
            return Err(Error::new(format!(
                "{binary} still does not report `{expected}` after installing"
            )));
        }
        Ok(())
    }

    /// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
    fn wasm_bindgen_version(&self) -> Result<String, Error> {
        let lock_path = self.root.join("Cargo.lock");
        let lock = crate::read_text(&lock_path)?;
        locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
            Error::new("Cargo.lock has no wasm-bindgen package; is the app in the workspace?")
        })
    }

    fn ensure_wasm_opt(&self) -> Result<(), Error> {
        let reports_version = |line: Option<String>| {
            line.is_some_and(|line| {
                line.starts_with(&format!("wasm-opt version {BINARYEN_VERSION} "))
            })
        };
        if reports_version(self.version_of("wasm-opt")) {
            return Ok(());
        }
        println!("installing wasm-opt from npm binaryen@{BINARYEN_VERSION} into .tools/npm (first run only, ~1 min)…");
        self.npm_install(&format!("binaryen@{BINARYEN_VERSION}"))?;
        if !reports_version(self.version_of("wasm-opt")) {
            return Err(Error::new(format!(
                "wasm-opt does not report version {BINARYEN_VERSION} after installing binaryen"
            )));
        }
        Ok(())
    }

    /// Where the npm tools go (`.tools/npm`).
    fn npm_prefix(&self) -> PathBuf {
        self.root.join(".tools").join("npm")
    }

    /// `npm install` of `package` (`name@version`) into [`Self::npm_prefix`],
    /// beside what is there.
    fn npm_install(&self, package: &str) -> Result<(), Error> {
        run(self
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(self.npm_prefix())
            .arg(package))
    }

    /// `axe.min.js` of axe-core [`AXE_VERSION`], installed from npm into
    /// `.tools/npm` unless it is there already.
    pub fn ensure_axe(&self) -> Result<PathBuf, Error> {
        let package = self.npm_prefix().join("node_modules").join("axe-core");
        let has_version = || {
            std::fs::read_to_string(package.join("package.json"))
                .is_ok_and(|text| text.contains(&format!("\"version\": \"{AXE_VERSION}\"")))
        };
        if !has_version() {
            println!(
                "installing axe-core@{AXE_VERSION} from npm into .tools/npm (first run only)…"
            );
            self.npm_install(&format!("axe-core@{AXE_VERSION}"))?;
            if !has_version() {
                return Err(Error::new(format!(
                    "{} is not axe-core {AXE_VERSION} after installing it",
                    package.display()
                )));
            }
        }
        Ok(package.join("axe.min.js"))
    }

    /// Chromium and a matching ChromeDriver: found, or installed from apt when
    /// this is Debian and we are root, or else a clear message what to install.
    pub fn ensure_chrome(&self) -> Result<ChromeTools, Error> {
        if Self::chrome_pair().is_none() {
            if !can_use_apt() {
                return Err(Error::new(
                    "the browser tests need Chromium and ChromeDriver. Install them \
                     (Debian/Ubuntu: `sudo apt-get install chromium chromium-driver`) or set \
                     CHROME and CHROMEDRIVER to their paths, then run `cargo xtask test` again.",
                ));
            }
            println!(
                "installing chromium and chromium-driver with apt-get (first run only, ~2 min)…"
            );
            run(self.command("apt-get").arg("update"))?;
            run(self
                .command("apt-get")
                .args([
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "chromium",
                    "chromium-driver",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive"))?;
        }
        let (chrome, chromedriver) = Self::chrome_pair().ok_or_else(|| {
            Error::new("chromium or chromedriver still missing after apt-get install")
        })?;
        let major = |path: &Path| {
            let output = self.command(path).arg("--version").output().ok()?;
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            let version = text.split_whitespace().find(|word| word.contains('.'))?;
            Some(version.split('.').next()?.to_owned())
        };
        if let (Some(browser), Some(driver)) = (major(&chrome), major(&chromedriver)) {
            if browser != driver {
                println!(
                    "warning: Chromium {browser} with ChromeDriver {driver}; sessions may fail"
                );
            }
        }
        Ok(ChromeTools {
            chromedriver,
            binary: Some(chrome),
        })
    }

    /// The browser and driver the e2e harness would use (the same lookup,
    /// so both steps test one browser).
    fn chrome_pair() -> Option<(PathBuf, PathBuf)> {
        Some((
            layerlens_e2e::browser::chrome_binary()?,
            layerlens_e2e::browser::find_chromedriver()?,
        ))
    }
}

/// Root on a Debian-like system with apt-get.
fn can_use_apt() -> bool {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0");
    is_root
        && Path::new("/etc/debian_version").is_file()
        && Command::new("apt-get").arg("--version").output().is_ok()
}

/// The version of package `name` in a Cargo.lock text.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    #[test]
    fn reads_a_package_version_from_cargo_lock() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
    }
}
