//! The shared test data (`../shared/conformance`, next to this checkout),
//! read in place. Test crates include this file with
//! `#[path = "support/shared.rs"] mod shared;`.

use std::path::{Path, PathBuf};

/// The folder the environment variable `env` names, else `relative` to the
/// folder that holds this checkout. `None` (with a skip notice on stderr)
/// when it is missing; under `CI=true` a missing folder fails the test.
pub fn dir(env: &str, relative: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(env).map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(relative)
        },
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "test data folder {} is missing (set {env})",
        dir.display()
    );
    eprintln!(
        "SKIP: test data folder {} not found (set {env} to run this test)",
        dir.display()
    );
    None
}
