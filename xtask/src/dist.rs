//! `cargo xtask dist`: the release build of the site into `dist/`, checked
//! for the properties a static host needs, with its size report.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::pages::{write_pages, Bundle};
use crate::tools::Toolbox;
use crate::{fetch_crates, read_text, run, Error};

/// One file of the built site.
struct SiteFile {
    /// Path relative to `dist/`, with `/` separators.
    name: String,
    raw: usize,
    gzip: usize,
    text: Option<String>,
}

/// Builds `dist/` with Trunk (release, wasm-opt, hashed names, relative
/// URLs), then the widgets bundle, and adds the other pages and `embed.js`
/// around the widgets bundle (see
/// `pages.rs`), checks it and prints every file's size. Returns the folder.
pub fn build(toolbox: &Toolbox) -> Result<PathBuf, Error> {
    toolbox.ensure_web_tools()?;
    toolbox.ensure_rust_src()?;
    fetch_crates(toolbox)?;
    // The standard library's own dependencies, for the builds that compile it.
    run(
        with_built_std(toolbox, &mut toolbox.command("cargo"), StdFor::Speed).args([
            "fetch",
            "--target",
            crate::tools::WASM_TARGET,
        ]),
    )?;
    let dist = toolbox.root.join("dist");
    let mut trunk = trunk_command(toolbox, "index.html", &dist);
    run(with_built_std(toolbox, &mut trunk, StdFor::Speed))?;
    let bundle = Bundle::from_index(&read_text(&dist.join("index.html"))?)?;

    // The widget-only pages get the smaller widgets bundle, built on its own
    // and copied in beside the playground's.
    let widgets_dist = toolbox.root.join("target").join("widgets-dist");
    let mut trunk = trunk_command(toolbox, "app/widgets.html", &widgets_dist);
    run(with_built_std(toolbox, &mut trunk, StdFor::Size))?;
    let widgets = Bundle::from_index(&read_text(&widgets_dist.join("index.html"))?)?;
    for name in widgets.files() {
        copy_file(&widgets_dist.join(name), &dist.join(name))?;
    }
    println!(
        "bundles: playground {} + {}, widgets {} + {}",
        bundle.script, bundle.wasm, widgets.script, widgets.wasm
    );
    let pages = write_pages(&toolbox.root, &dist, &widgets)?;
    println!("pages beside index.html: {}", pages.join(", "));

    let files = read_site(&dist)?;
    check_site(&files)?;
    print_report(&files);
    Ok(dist)
}

/// `trunk build --release` of the page `target` into `out`, with relative
/// asset URLs.
fn trunk_command(toolbox: &Toolbox, target: &str, out: &Path) -> Command {
    let mut command = toolbox.command("trunk");
    command
        .args([
            "build",
            "--release",
            "--offline=true",
            "--skip-version-check",
        ])
        .args(["--public-url", "./", "--dist"])
        .arg(out)
        .arg(target);
    command
}

/// What a bundle's standard library is compiled for.
#[derive(Clone, Copy)]
enum StdFor {
    /// The playground: std's usual algorithms.
    Speed,
    /// The widgets bundle: std's `optimize_for_size` variants as well.
    Size,
}

/// Makes `command`'s cargo build the standard library from source (the
/// `rust-src` component) with the `immediate-abort` panic strategy, so no
/// panic message, location or the formatting code for them is linked in. A
/// panic still stops the wasm (as `panic = "abort"` does); it only loses its
/// message, and the core is panic-free (fuzzed). This saves ~25 KB gzipped
/// of the playground's `.wasm` and ~15 KB of the widgets'.
///
/// `-Zbuild-std` is unstable: `RUSTC_BOOTSTRAP=1` lets the stable toolchain
/// take it, for these release builds only (`cargo xtask serve`, the tests
/// and the CLI use the ordinary std). They have their own target folder,
/// `target/built-std/`, so the ordinary builds' cache stays valid.
fn with_built_std<'a>(
    toolbox: &Toolbox,
    command: &'a mut Command,
    std_for: StdFor,
) -> &'a mut Command {
    command
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Zunstable-options -Cpanic=immediate-abort",
        )
        .env(
            "CARGO_TARGET_DIR",
            toolbox.root.join("target").join("built-std"),
        );
    if let StdFor::Size = std_for {
        command.env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size");
    }
    command
}

fn copy_file(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::copy(from, to).map(drop).map_err(|e| {
        Error::new(format!(
            "copying {} to {}: {e}",
            from.display(),
            to.display()
        ))
    })
}

fn read_site(dist: &Path) -> Result<Vec<SiteFile>, Error> {
    let mut paths = Vec::new();
    collect_files(dist, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
            let name = path
                .strip_prefix(dist)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let is_text = ["html", "js", "css", "json"]
                .iter()
                .any(|ext| extension_is(&name, ext));
            Ok(SiteFile {
                raw: bytes.len(),
                gzip: gzip_len(&bytes),
                text: is_text.then(|| String::from_utf8_lossy(&bytes).into_owned()),
                name,
            })
        })
        .collect()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::new(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Error::new(format!("{}: {e}", dir.display())))?
            .path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn extension_is(name: &str, extension: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|found| found.eq_ignore_ascii_case(extension))
}

/// Bytes after gzip at level 9, as a static host would send them.
fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |compressed| compressed.len())
}

/// `dist/` must hold `index.html` plus content-hashed `.js` and `.wasm`, and
/// no page may reference an asset by an absolute path (it would break when
/// the site is hosted under a sub-path).
fn check_site(files: &[SiteFile]) -> Result<(), Error> {
    let has = |predicate: &dyn Fn(&str) -> bool| files.iter().any(|file| predicate(&file.name));
    if !has(&|name| name == "index.html") {
        return Err(Error::new("dist/index.html is missing"));
    }
    if !has(&|name| extension_is(name, "js") && has_content_hash(name)) {
        return Err(Error::new("dist/ has no content-hashed .js file"));
    }
    if !has(&|name| extension_is(name, "wasm") && has_content_hash(name)) {
        return Err(Error::new("dist/ has no content-hashed .wasm file"));
    }
    for file in files.iter().filter(|file| extension_is(&file.name, "html")) {
        let text = file.text.as_deref().unwrap_or_default();
        if let Some(reference) = absolute_reference(text) {
            return Err(Error::new(format!(
                "dist/{} references {reference:?} by an absolute path; asset URLs must be relative",
                file.name
            )));
        }
    }
    Ok(())
}

/// True when the file stem carries a hex content hash, as Trunk writes
/// (`layerlens-app-0123456789abcdef_bg.wasm`). Trunk prints a 64-bit hash
/// without leading zeros, so one build in sixteen has 15 digits (or fewer).
fn has_content_hash(name: &str) -> bool {
    let stem = name.rsplit('/').next().unwrap_or(name);
    stem.split(['-', '_', '.'])
        .any(|part| (8..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The first `src="/…"`, `href="/…"` or `from '/…'` that is not protocol-relative.
fn absolute_reference(html: &str) -> Option<String> {
    for prefix in [
        "src=\"/",
        "href=\"/",
        "src='/",
        "href='/",
        "from '/",
        "from \"/",
        "import('/",
        "import(\"/",
    ] {
        let mut rest = html;
        while let Some(index) = rest.find(prefix) {
            let after = &rest[index + prefix.len()..];
            if !after.starts_with('/') {
                let end = after.find(['"', '\'']).unwrap_or(after.len()).min(80);
                return Some(format!("/{}", &after[..end]));
            }
            rest = after;
        }
    }
    None
}

/// Every file a page loads from `dist/`: names found in the page's text, and
/// recursively in the scripts and styles it names.
fn page_assets<'a>(files: &'a [SiteFile], page: &'a SiteFile) -> Vec<&'a SiteFile> {
    let mut seen = BTreeSet::from([page.name.as_str()]);
    let mut queue = vec![page];
    let mut assets = vec![page];
    while let Some(current) = queue.pop() {
        let Some(text) = current.text.as_deref() else {
            continue;
        };
        for file in files {
            let base = file.name.rsplit('/').next().unwrap_or(&file.name);
            if !extension_is(&file.name, "html") && text.contains(base) && seen.insert(&file.name) {
                assets.push(file);
                queue.push(file);
            }
        }
    }
    assets
}

fn print_report(files: &[SiteFile]) {
    let width = files
        .iter()
        .map(|file| file.name.len())
        .max()
        .unwrap_or(0)
        .max(5);
    println!("\ndist/ (release build, wasm-opt'd; gzip = level 9):");
    println!(
        "  {:<width$}  {:>11}  {:>11}",
        "file", "raw bytes", "gzip bytes"
    );
    for file in files {
        println!(
            "  {:<width$}  {:>11}  {:>11}",
            file.name,
            group_digits(file.raw),
            group_digits(file.gzip)
        );
    }
    let raw: usize = files.iter().map(|file| file.raw).sum();
    let gzip: usize = files.iter().map(|file| file.gzip).sum();
    println!(
        "  {:<width$}  {:>11}  {:>11}",
        "total",
        group_digits(raw),
        group_digits(gzip)
    );

    println!("\ntransfer per page (gzip bytes of the page and everything it loads from dist/):");
    let entry_points = files
        .iter()
        .filter(|file| extension_is(&file.name, "html") || file.name == "embed.js");
    for page in entry_points {
        let assets = page_assets(files, page);
        let total: usize = assets.iter().map(|file| file.gzip).sum();
        let names: Vec<&str> = assets
            .iter()
            .skip(1)
            .map(|file| file.name.as_str())
            .collect();
        println!(
            "  {:<width$}  {:>11}  ({:.1} KiB; with {})",
            page.name,
            group_digits(total),
            total as f64 / 1024.0,
            if names.is_empty() {
                "nothing else".to_owned()
            } else {
                names.join(", ")
            }
        );
    }
}

fn group_digits(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{
        absolute_reference, group_digits, gzip_len, has_content_hash, page_assets, SiteFile,
    };

    fn file(name: &str, text: Option<&str>) -> SiteFile {
        SiteFile {
            name: name.to_owned(),
            raw: 10,
            gzip: 5,
            text: text.map(str::to_owned),
        }
    }

    #[test]
    fn recognises_trunk_content_hashes() {
        assert!(has_content_hash("layerlens-app-4f3c2b1a0d9e8f7a_bg.wasm"));
        assert!(has_content_hash("layerlens-app-4f3c2b1a0d9e8f7a.js"));
        // A hash whose leading hex digit was zero.
        assert!(has_content_hash("layerlens-app-65d8c75bea82a3d.js"));
        assert!(!has_content_hash("layerlens-app_bg.wasm"));
        assert!(!has_content_hash("index.html"));
    }

    #[test]
    fn finds_absolute_asset_paths_but_not_relative_or_protocol_relative_ones() {
        assert_eq!(
            absolute_reference(r#"<script src="/app.js"></script>"#).as_deref(),
            Some("/app.js")
        );
        assert_eq!(
            absolute_reference(r##"<link href="./app.css"><a href="#top">"##),
            None
        );
        assert_eq!(
            absolute_reference(r#"<img src="//example.invalid/x.png">"#),
            None
        );
        assert_eq!(
            absolute_reference(r"import init from '/app-1.js';").as_deref(),
            Some("/app-1.js")
        );
    }

    #[test]
    fn a_page_counts_what_it_loads_transitively_and_nothing_else() {
        let files = vec![
            file(
                "index.html",
                Some("<script type=module>import init from './app-1.js'</script>"),
            ),
            file(
                "app-1.js",
                Some("fetch(new URL('app-1_bg.wasm', import.meta.url))"),
            ),
            file("app-1_bg.wasm", None),
            file("unused.css", Some("")),
            file("tutorial.html", Some("<a href='index.html'>")),
        ];
        let names: Vec<&str> = page_assets(&files, &files[0])
            .iter()
            .map(|file| file.name.as_str())
            .collect();
        assert_eq!(names, ["index.html", "app-1.js", "app-1_bg.wasm"]);
        assert_eq!(
            page_assets(&files, &files[4]).len(),
            1,
            "links to other pages are not loads"
        );
    }

    #[test]
    fn gzip_shrinks_repetitive_text_and_digits_are_grouped() {
        assert!(gzip_len(&[b'a'; 10_000]) < 100);
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}
