//! `cargo xtask test`: every check, in an order that compiles each thing
//! once (host checks, host tests, then wasm builds, then the browser).

use std::path::Path;
use std::process::ExitCode;

use layerlens_e2e::StaticServer;

use crate::steps::{run_counting, Steps};
use crate::tools::{ChromeTools, Toolbox, WASM_TARGET};
use crate::{dist, run, Error};

/// Crates that must never appear in the core's normal dependency tree.
const BROWSER_CRATES: &[&str] = &[
    "wasm-bindgen",
    "web-sys",
    "js-sys",
    "yew",
    "gloo",
    "wasm-bindgen-futures",
];

/// Chromium flags for the wasm-bindgen component tests; the runner itself
/// adds `headless`, `no-sandbox` and `disable-dev-shm-usage`.
const RUNNER_CHROME_ARGS: &[&str] = &[
    "disable-gpu",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
    "no-first-run",
];

/// Runs every step; test steps use `--no-fail-fast` so one failing test
/// binary does not hide the results of the others.
pub fn run_all(toolbox: &Toolbox) -> ExitCode {
    let mut steps = Steps::new(10);
    let cargo = || toolbox.command("cargo");

    let web_tools = steps.run("set-up: wasm target, trunk, wasm-bindgen, wasm-opt", |_| {
        toolbox.ensure_web_tools()?;
        crate::fetch_crates(toolbox)
    });
    let mut chrome = None;
    let mut axe = None;
    steps.run("set-up: chromium, chromedriver and axe-core", |_| {
        chrome = Some(toolbox.ensure_chrome()?);
        axe = Some(toolbox.ensure_axe()?);
        Ok(())
    });

    steps.run("format (cargo fmt --check)", |_| {
        run(cargo().args(["fmt", "--all", "--", "--check"]))
    });
    steps.run("lint (clippy, all targets, -D warnings)", |_| {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    steps.run(
        "native tests (every crate but the browser-only ones)",
        |counts| {
            // The app is browser-only (Yew + web-sys), tested in step 8; the e2e
            // crate needs dist/ and runs last.
            run_counting(
                cargo().args([
                    "test",
                    "--no-fail-fast",
                    "--workspace",
                    "--exclude",
                    "layerlens-app",
                    "--exclude",
                    "layerlens-e2e",
                ]),
                counts,
            )
        },
    );

    let wasm_step = "core builds for wasm32";
    if web_tools {
        steps.run(wasm_step, |_| {
            run(cargo().args(["build", "-p", "layerlens", "--target", WASM_TARGET]))
        });
    } else {
        steps.skip(wasm_step, "set-up failed");
    }
    steps.run("core's normal dependencies have no browser crate", |_| {
        core_is_browser_free(toolbox)
    });

    let component_step = "browser component tests (wasm-bindgen-test, headless Chromium)";
    match (&chrome, web_tools) {
        (Some(chrome), true) => {
            steps.run(component_step, |counts| {
                component_tests(toolbox, chrome, counts)
            });
        }
        _ => steps.skip(component_step, "set-up failed"),
    }

    let mut dist_dir = None;
    if web_tools {
        steps.run("dist (release build, wasm-opt, sizes)", |_| {
            dist_dir = Some(dist::build(toolbox)?);
            Ok(())
        });
    } else {
        steps.skip("dist (release build, wasm-opt, sizes)", "set-up failed");
    }

    let e2e_step = "end-to-end tests (dist/ in headless Chromium)";
    match (&chrome, &axe, &dist_dir) {
        (Some(chrome), Some(axe), Some(dist_dir)) => {
            steps.run(e2e_step, |counts| {
                end_to_end(toolbox, chrome, axe, dist_dir, counts)
            });
        }
        _ => steps.skip(e2e_step, "needs Chromium, axe-core and dist/"),
    }
    steps.finish()
}

fn core_is_browser_free(toolbox: &Toolbox) -> Result<(), Error> {
    let mut command = toolbox.command("cargo");
    // `--target all` also shows dependencies that only apply on wasm32.
    command.args([
        "tree",
        "-p",
        "layerlens",
        "-e",
        "normal",
        "--target",
        "all",
        "--prefix",
        "none",
    ]);
    println!("$ {}", crate::describe(&command));
    let output = command
        .output()
        .map_err(|e| Error::new(format!("cannot run cargo tree: {e}")))?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    print!("{tree}");
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| BROWSER_CRATES.contains(name))
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "core depends on browser crates: {}",
            found.join(", ")
        )))
    }
}

fn component_tests(
    toolbox: &Toolbox,
    chrome: &ChromeTools,
    counts: &mut crate::steps::TestCounts,
) -> Result<(), Error> {
    let profile = toolbox
        .root
        .join("target")
        .join("xtask")
        .join("component-test-profile");
    let _ = std::fs::remove_dir_all(&profile);
    let mut args: Vec<String> = RUNNER_CHROME_ARGS
        .iter()
        .map(|arg| (*arg).to_owned())
        .collect();
    args.push(format!("user-data-dir={}", profile.display()));
    let mut options = serde_json::json!({ "args": args });
    if let Some(binary) = &chrome.binary {
        options["binary"] = serde_json::json!(binary.display().to_string());
    }
    let capabilities = serde_json::json!({ "goog:chromeOptions": options });
    let config = toolbox
        .root
        .join("target")
        .join("xtask")
        .join("webdriver.json");
    write_file(&config, &capabilities.to_string())?;

    run_counting(
        toolbox
            .command("cargo")
            .args([
                "test",
                "--no-fail-fast",
                "-p",
                "layerlens-app",
                "--target",
                WASM_TARGET,
            ])
            .env("CHROMEDRIVER", &chrome.chromedriver)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &config)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        counts,
    )
}

fn end_to_end(
    toolbox: &Toolbox,
    chrome: &ChromeTools,
    axe: &Path,
    dist_dir: &Path,
    counts: &mut crate::steps::TestCounts,
) -> Result<(), Error> {
    let server = StaticServer::start(dist_dir, 0).map_err(|e| Error::new(e.to_string()))?;
    println!("serving {} at {}", dist_dir.display(), server.url());
    let mut command = toolbox.command("cargo");
    command
        .args(["test", "--no-fail-fast", "-p", "layerlens-e2e"])
        .env(layerlens_e2e::URL_VAR, server.url())
        .env(layerlens_e2e::DIST_VAR, dist_dir)
        .env(layerlens_e2e::AXE_VAR, axe)
        .env("CHROMEDRIVER", &chrome.chromedriver);
    if let Some(binary) = &chrome.binary {
        command.env("CHROME", binary);
    }
    let timings = layerlens_e2e::timings_file();
    let _ = std::fs::remove_file(&timings);
    let result = run_counting(&mut command, counts);
    // The suite's in-browser measurements (reported, never asserted).
    if let Ok(text) = std::fs::read_to_string(&timings) {
        print!("in-browser timings:\n{text}");
    }
    result
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::new(format!("{}: {e}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}
