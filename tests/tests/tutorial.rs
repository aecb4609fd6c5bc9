//! The tutorial page in real Chromium: with the network off it shows the
//! seed's numbers (computed by the core at run time, here compared with the
//! core itself and with the article's 353 MB) and its multi-stage switch
//! works; opened straight from disk (`file://`) it works the same.

use layerlens::estimate::catalog::Date;
use layerlens::estimate::human_size;
use layerlens::{ContextFile, Options as CoreOptions};
use layerlens_e2e::{Browser, Element, Error, Options, Site, DEFAULT_WAIT};
use serde_json::json;

/// The seed Dockerfile and its program, as the tutorial's first step has them.
const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n";
/// The article's measured size of the single-stage image, in bytes.
const ARTICLE_BYTES: f64 = 353e6;

/// What the core says the seed weighs (as of 2022-12-20, hello.go in context).
fn seed_total() -> String {
    let options = CoreOptions {
        context: vec![ContextFile {
            path: "hello.go".into(),
            size: HELLO_GO.len() as u64,
            content: Some(HELLO_GO.into()),
        }],
        platform: Some("linux/amd64".into()),
        as_of: Date::parse("2022-12-20"),
        ..CoreOptions::default()
    };
    human_size(
        layerlens::analyze(SEED, &options)
            .estimate
            .final_image
            .disk
            .est,
    )
}

/// `353 MB` → bytes (decimal units, as the page prints them).
fn parse_size(text: &str) -> Option<f64> {
    let (number, unit) = text.trim().split_once(' ')?;
    let factor = match unit {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => return None,
    };
    Some(number.parse::<f64>().ok()? * factor)
}

/// The `n`th element with `test_id`, once there are enough.
fn nth<'a>(browser: &'a Browser, test_id: &str, n: usize) -> Result<Element<'a>, Error> {
    browser.wait_until(
        &format!("{} `{test_id}` elements", n + 1),
        DEFAULT_WAIT,
        || Ok(browser.find_all(test_id)?.into_iter().nth(n)),
    )
}

fn wait_text(
    browser: &Browser,
    element: &Element<'_>,
    what: &str,
    check: impl Fn(&str) -> bool,
) -> Result<String, Error> {
    browser.wait_until(what, DEFAULT_WAIT, || {
        let text = element.text()?;
        Ok(check(&text).then_some(text))
    })
}

/// The page's story and its first switch, checked against the core.
fn check_tutorial(browser: &Browser) -> Result<(), Error> {
    let expected = seed_total();
    let widgets = browser.wait_until("four live steps", DEFAULT_WAIT, || {
        let widgets = browser.find_all("layerlens-widget")?;
        Ok((widgets.len() >= 4).then_some(widgets.len()))
    })?;
    let first_total = nth(browser, "total-size", 0)?;
    let total = wait_text(browser, &first_total, "the seed total", |t| !t.is_empty())?;
    let bytes = parse_size(&total).ok_or_else(|| Error::new(format!("not a size: {total:?}")))?;
    assert!(
        (bytes - ARTICLE_BYTES).abs() / ARTICLE_BYTES <= 0.03,
        "the seed's total {total} is within 3% of the article's 353 MB"
    );
    assert_eq!(total, expected, "the page's number is the core's");
    // The prose quotes the same live numbers.
    let prose_total = browser.find_css("[data-fact=\"total\"]")?.text()?;
    assert_eq!(prose_total, total);
    let biggest = browser.find_css("[data-fact=\"biggest-layer\"]")?.text()?;
    let biggest_bytes = parse_size(&biggest).unwrap_or_default();
    assert!(
        biggest_bytes > bytes * 0.9,
        "the toolchain layer ({biggest}) is most of the image ({total})"
    );
    assert_eq!(
        browser.find_css("[data-fact=\"source\"]")?.text()?,
        "72 B",
        "hello.go is in the context"
    );
    let rows = browser.find_all("layer-row")?;
    assert!(rows.len() >= widgets * 2, "{} layer rows", rows.len());

    // Step 4 compares runtimes, each with a size from the core.
    let options = browser.find_all("runtime-option")?;
    assert!(options.len() >= 3, "{} runtime options", options.len());
    let mut seen = Vec::new();
    for option in &options {
        let runtime = option.attribute("data-runtime")?.unwrap_or_default();
        let size = option.text()?;
        seen.push(runtime);
        assert!(
            size.contains(" B") || size.contains("kB") || size.contains("MB"),
            "{size}"
        );
    }
    for wanted in ["scratch", "alpine", "distroless"] {
        assert!(seen.iter().any(|r| r == wanted), "{wanted} in {seen:?}");
    }

    // The first step's switch: much smaller, and back to the exact text.
    let editor = nth(browser, "editor", 0)?;
    assert_eq!(editor.value()?, SEED);
    let toggle = nth(browser, "rewrite-toggle", 0)?;
    browser.wait_until("the switch to be enabled", DEFAULT_WAIT, || {
        Ok(toggle.attribute("disabled")?.is_none().then_some(()))
    })?;
    let second_total = nth(browser, "total-size", 1)?.text()?;
    toggle.click()?;
    let after = wait_text(browser, &first_total, "a multi-stage total", |t| {
        parse_size(t).is_some_and(|after| after < bytes / 10.0)
    })?;
    assert!(editor.value()?.matches("FROM ").count() >= 2);
    assert_eq!(
        browser.find_css("[data-fact=\"after\"]")?.text()?,
        after,
        "the prose's 'after' is what the switch shows"
    );
    assert_eq!(
        nth(browser, "total-size", 1)?.text()?,
        second_total,
        "the other steps are independent"
    );
    toggle.click()?;
    wait_text(browser, &first_total, "the single-stage total again", |t| {
        t == total
    })?;
    assert_eq!(editor.value()?, SEED, "switching off restores the text");
    Ok(())
}

#[test]
fn tutorial_with_the_network_off_shows_the_seed_and_its_switch_works() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("tutorial-offline-network"))?;
    browser.goto(&site.url("tutorial.html"))?;
    nth(&browser, "total-size", 0)?;
    // Everything the page needs came with it: from here on, no network.
    browser.set_offline(true)?;
    check_tutorial(&browser)?;
    let origin = site.url("");
    let foreign = browser.execute(
        "return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => !n.startsWith(arguments[0]));",
        &[json!(origin)],
    )?;
    assert_eq!(foreign, json!([]), "no request left the origin");
    browser.screenshot("tutorial")?;
    for step in ["step-2", "step-4"] {
        browser.execute(
            "document.getElementById(arguments[0]).scrollIntoView();",
            &[json!(step)],
        )?;
        browser.screenshot(&format!("tutorial-{step}"))?;
    }
    Ok(())
}

#[test]
fn tutorial_opened_from_disk_works() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("tutorial-file"))?;
    browser.set_offline(true)?;
    browser.goto(&site.file_url("tutorial.html")?)?;
    browser.wait_until("the single-file tutorial", DEFAULT_WAIT, || {
        let url = browser.current_url()?;
        Ok(url.ends_with("tutorial-offline.html").then_some(url))
    })?;
    check_tutorial(&browser)?;
    Ok(())
}

/// Milliseconds from a keystroke in the first step's widget to its total
/// changing (`apk add gi` → `git`), reported with the other timings.
#[test]
fn widget_keystroke_to_total_timing() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("tutorial-timing"))?;
    browser.goto(&site.url("tutorial.html"))?;
    let total = nth(&browser, "total-size", 0)?;
    let editor = nth(&browser, "editor", 0)?;
    // The key goes at the very end: ChromeDriver may move the caret there
    // before typing (it does in Chromium 148), wherever the page put it.
    let text = "FROM alpine:3.17\nRUN apk add --no-cache gi";
    browser.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
        &[editor.as_arg(), json!(text)],
    )?;
    let before = wait_text(&browser, &total, "the total of the new text", |t| {
        parse_size(t).is_some_and(|bytes| bytes < 20e6)
    })?;
    let ms = browser.keystroke_to_change_ms(&editor, text.len(), "t", &total)?;
    let after = total.text()?;
    assert_ne!(after, before, "`git` is a known package, `gi` is not");
    layerlens_e2e::record_timing(&format!(
        "keystroke → updated total in a tutorial widget: {ms:.1} ms ({before} → {after})"
    ));
    Ok(())
}

#[test]
fn sizes_parse_in_decimal_units() {
    assert_eq!(parse_size("353 MB"), Some(353e6));
    assert_eq!(parse_size("72 B"), Some(72.0));
    assert_eq!(parse_size("1.9 MB"), Some(1.9e6));
    assert_eq!(parse_size("big"), None);
}
