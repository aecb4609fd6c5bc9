//! The playground's user journeys in real Chromium against the built site:
//! the seed estimate on a first visit, live typing, the multi-stage switch,
//! fixes with undo, share links, reload, screenshots and a keystroke timing.

use layerlens::estimate::catalog::Date;
use layerlens::estimate::human_size;
use layerlens::{ContextFile, Options as CoreOptions};
use layerlens_e2e::{keys, Browser, Element, Error, Options, Site, DEFAULT_WAIT};
use serde_json::json;

/// The seed Dockerfile and its program, as the page's default example has them.
const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n";

/// What `layerlens estimate` reports for the seed (same core, same inputs:
/// `hello.go` in the context, sizes as of 2022-12-20, linux/amd64).
fn seed_expectation() -> (String, String) {
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
    let estimate = layerlens::analyze(SEED, &options).estimate;
    (
        human_size(estimate.final_image.disk.est),
        human_size(estimate.final_image.compressed_bytes),
    )
}

/// `353 MB` → bytes (decimal units, as the page prints them).
fn parse_size(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, unit) = text.split_once(' ')?;
    let factor = match unit {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        _ => return None,
    };
    Some(number.parse::<f64>().ok()? * factor)
}

fn open(name: &str) -> Result<(Site, Browser), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new(name))?;
    browser.goto(&site.url(""))?;
    Ok((site, browser))
}

/// Waits for `test_id`'s text to satisfy `check`, returning it.
fn wait_text(
    browser: &Browser,
    test_id: &str,
    what: &str,
    check: impl Fn(&str) -> bool,
) -> Result<String, Error> {
    let element = browser.find(test_id)?;
    browser.wait_until(what, DEFAULT_WAIT, || {
        let text = element.text()?;
        Ok(check(&text).then_some(text))
    })
}

/// Replaces the editor's whole text the way a paste would (one input event).
fn set_editor_text(browser: &Browser, text: &str) -> Result<(), Error> {
    let editor = browser.find("editor")?;
    browser.execute(
        "const area = arguments[0]; area.focus(); area.select(); \
         if (!document.execCommand('insertText', false, arguments[1])) { \
           area.value = arguments[1]; area.dispatchEvent(new Event('input', { bubbles: true })); }",
        &[editor.as_arg(), json!(text)],
    )?;
    Ok(())
}

fn editor_value(browser: &Browser) -> Result<String, Error> {
    browser.find("editor")?.value()
}

#[test]
fn first_visit_shows_the_seed_estimate() -> Result<(), Error> {
    let (_site, browser) = open("playground-first-visit")?;
    let (total, compressed) = seed_expectation();
    assert_eq!(editor_value(&browser)?, SEED);
    wait_text(&browser, "total-size", &format!("total {total}"), |t| {
        t == total
    })?;
    assert_eq!(browser.find("compressed-size")?.text()?, compressed);
    assert!(
        parse_size(&total).unwrap() > 300e6,
        "the seed is hundreds of MB: {total}"
    );
    let rows = browser.find_all("layer-row")?;
    assert!(
        rows.len() >= 4,
        "a base group and the seed's instructions: {} rows",
        rows.len()
    );
    assert!(browser.find("context-panel")?.text()?.contains("hello.go"));
    let status = browser.find("status")?.text()?;
    assert!(
        status.contains("5 instructions") && status.contains("0 errors"),
        "{status}"
    );
    assert!(status.contains("2022-12-20"), "{status}");

    // Another example replaces text, context and total.
    let examples = browser.find("example-select")?;
    browser.execute(
        "arguments[0].value = 'node'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
        &[examples.as_arg()],
    )?;
    browser.wait_until("the Node example", DEFAULT_WAIT, || {
        Ok(editor_value(&browser)?
            .starts_with("FROM node:")
            .then_some(()))
    })?;
    wait_text(&browser, "total-size", "a new total", |t| t != total)?;
    assert!(browser
        .find("context-panel")?
        .text()?
        .contains("package.json"));
    Ok(())
}

#[test]
fn typing_updates_the_total() -> Result<(), Error> {
    let (_site, browser) = open("playground-typing")?;
    let (total, _) = seed_expectation();
    wait_text(&browser, "total-size", "the seed total", |t| t == total)?;
    browser
        .find("editor")?
        .send_keys("RUN apk add --no-cache python3\n")?;
    let after = wait_text(
        &browser,
        "total-size",
        "a larger total after adding python3",
        |t| {
            parse_size(t)
                .zip(parse_size(&total))
                .is_some_and(|(after, before)| after > before)
        },
    )?;
    assert_ne!(after, total);
    assert!(editor_value(&browser)?.ends_with("RUN apk add --no-cache python3\n"));
    Ok(())
}

#[test]
fn the_switch_shrinks_the_image_and_switching_back_restores_the_text() -> Result<(), Error> {
    let (_site, browser) = open("playground-switch")?;
    // Odd bytes the rewrite must not disturb: accents, emoji, tabs, trailing blanks.
    let mine = format!("# café 😀 build\t \n{SEED}");
    set_editor_text(&browser, &mine)?;
    let before = wait_text(&browser, "total-size", "a seed-sized total", |t| {
        parse_size(t).is_some_and(|b| b > 300e6)
    })?;
    let toggle = browser.find("rewrite-toggle")?;
    browser.wait_until("the switch to be enabled", DEFAULT_WAIT, || {
        Ok(toggle.attribute("disabled")?.is_none().then_some(()))
    })?;
    toggle.click()?;
    let after = wait_text(
        &browser,
        "total-size",
        "a smaller total with the rewrite",
        |t| parse_size(t).is_some_and(|after| after < 50e6),
    )?;
    let rewritten = editor_value(&browser)?;
    assert_ne!(rewritten, mine);
    assert!(rewritten.matches("FROM ").count() >= 2, "{rewritten}");
    assert_eq!(toggle.attribute("aria-checked")?.as_deref(), Some("true"));
    let outcome = browser.find("rewrite-outcome")?.text()?;
    assert!(
        outcome.contains(&before) && outcome.contains(&after),
        "{outcome} vs {before} → {after}"
    );
    browser.screenshot("playground-rewrite")?;

    toggle.click()?;
    wait_text(&browser, "total-size", "the original total", |t| {
        t == before
    })?;
    assert_eq!(
        editor_value(&browser)?,
        mine,
        "switching off restores the text byte for byte"
    );
    assert_eq!(toggle.attribute("aria-checked")?.as_deref(), Some("false"));

    // Another runtime shows its own size.
    let select = browser.find("runtime-select")?;
    let labels = browser.execute(
        "return Array.from(arguments[0].options).map(o => o.textContent);",
        &[select.as_arg()],
    )?;
    let labels: Vec<String> = labels
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("alpine") && l.contains("MB")),
        "{labels:?}"
    );
    Ok(())
}

/// The first enabled "Apply fix" once the findings are current (not busy)
/// and describe the text on screen (a finding mentions `mentions`).
fn enabled_fix<'a>(browser: &'a Browser, mentions: &str) -> Result<Element<'a>, Error> {
    browser.wait_until(
        &format!("a current finding about {mentions} with a fix"),
        DEFAULT_WAIT,
        || {
            let Some(panel) = browser.try_find_css("section.findings:not([aria-busy])")? else {
                return Ok(None);
            };
            if !panel.text()?.contains(mentions) {
                return Ok(None);
            }
            for button in browser.find_all("apply-fix")? {
                if button.attribute("disabled")?.is_none() {
                    return Ok(Some(button));
                }
            }
            Ok(None)
        },
    )
}

#[test]
fn a_fix_applies_and_undoes() -> Result<(), Error> {
    let (_site, browser) = open("playground-fix")?;
    let text =
        "FROM python:3.12\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n";
    set_editor_text(&browser, text)?;
    let fix = enabled_fix(&browser, "apt-get")?;
    let n_findings = browser.find_all("finding")?.len();
    fix.click()?;
    let fixed = browser.wait_until("the text to change", DEFAULT_WAIT, || {
        let value = editor_value(&browser)?;
        Ok((value != text).then_some(value))
    })?;
    assert_ne!(fixed, text);
    browser.wait_until("fewer or different findings", DEFAULT_WAIT, || {
        Ok(
            (browser.find_all("finding")?.len() != n_findings || editor_value(&browser)? != text)
                .then_some(()),
        )
    })?;
    browser.find("undo")?.click()?;
    browser.wait_until("the text to come back", DEFAULT_WAIT, || {
        Ok((editor_value(&browser)? == text).then_some(()))
    })?;

    // Ctrl+Z in the editor right after a fix undoes the fix too.
    let fix = enabled_fix(&browser, "apt-get")?;
    fix.click()?;
    browser.wait_until("the fix applied again", DEFAULT_WAIT, || {
        Ok((editor_value(&browser)? != text).then_some(()))
    })?;
    // U+E000 releases the held modifier (WebDriver's NULL key).
    let ctrl_z = format!("{}z\u{E000}", keys::CONTROL);
    browser.find("editor")?.send_keys(&ctrl_z)?;
    browser.wait_until("Ctrl+Z to restore the text", DEFAULT_WAIT, || {
        Ok((editor_value(&browser)? == text).then_some(()))
    })?;
    Ok(())
}

#[test]
fn a_share_link_restores_text_and_options_in_a_fresh_profile() -> Result<(), Error> {
    let (site, browser) = open("playground-share")?;
    let text = "# shared ✓\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";
    set_editor_text(&browser, text)?;
    let platform = browser.find("platform-select")?;
    browser.execute(
        "arguments[0].value = 'linux/arm64'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
        &[platform.as_arg()],
    )?;
    let date = browser.find("as-of")?;
    browser.execute(
        "arguments[0].value = '2023-06-01'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
        &[date.as_arg()],
    )?;
    browser.find("share-link")?.click()?;
    let link = browser.find("share-url")?.value()?;
    assert!(
        link.starts_with(&site.url("")) && link.contains("#s="),
        "{link}"
    );
    drop(browser);

    let fresh = Browser::start(Options::new("playground-share-fresh"))?;
    fresh.goto(&link)?;
    fresh.wait_until("the shared text", DEFAULT_WAIT, || {
        Ok((editor_value(&fresh)? == text).then_some(()))
    })?;
    assert_eq!(fresh.find("platform-select")?.value()?, "linux/arm64");
    assert_eq!(fresh.find("as-of")?.value()?, "2023-06-01");
    Ok(())
}

#[test]
fn reload_keeps_the_text() -> Result<(), Error> {
    let (_site, browser) = open("playground-reload")?;
    browser
        .find("editor")?
        .send_keys("# kept across reloads\n")?;
    let typed = browser.wait_until("the typed line", DEFAULT_WAIT, || {
        let value = editor_value(&browser)?;
        Ok(value.ends_with("# kept across reloads\n").then_some(value))
    })?;
    // Autosave follows the settled text (200 ms); give it a moment, then reload.
    std::thread::sleep(std::time::Duration::from_millis(800));
    browser.reload()?;
    browser.wait_until("the text after reload", DEFAULT_WAIT, || {
        Ok((editor_value(&browser)? == typed).then_some(()))
    })?;
    // Reset returns to the example.
    browser.find_css("button[title^='Start over']")?.click()?;
    browser.wait_until("the seed after Reset", DEFAULT_WAIT, || {
        Ok((editor_value(&browser)? == SEED).then_some(()))
    })?;
    Ok(())
}

#[test]
fn screenshots_light_dark_and_phone() -> Result<(), Error> {
    let site = Site::locate()?;
    let (total, _) = seed_expectation();
    for (name, options) in [
        (
            "playground-light",
            Options {
                color_scheme: Some("light".into()),
                ..Options::new("playground-light")
            },
        ),
        (
            "playground-dark",
            Options {
                color_scheme: Some("dark".into()),
                ..Options::new("playground-dark")
            },
        ),
        ("playground-390px", Options::phone("playground-390px")),
    ] {
        let browser = Browser::start(options)?;
        if name.ends_with("390px") {
            browser.set_viewport_size(390, 844)?;
        }
        browser.goto(&site.url(""))?;
        wait_text(&browser, "total-size", "the seed total", |t| t == total)?;
        let scheme = browser.execute(
            "return getComputedStyle(document.documentElement).colorScheme;",
            &[],
        )?;
        if name.ends_with("dark") {
            assert_eq!(scheme, json!("dark"), "the dark system theme is followed");
        }
        if name.ends_with("390px") {
            // Panes stack: nothing wider than the viewport.
            let width = browser.execute("return document.documentElement.scrollWidth;", &[])?;
            assert!(
                width.as_u64().unwrap_or(9999) <= 390,
                "page is {width} px wide at 390 px"
            );
        }
        let path = browser.screenshot(name)?;
        println!("screenshot: {}", path.display());
        if name.ends_with("light") {
            // The toggle overrides the system theme, and the choice survives a reload.
            browser.find_css(".theme-toggle")?.click()?;
            let scheme_after = || {
                browser.execute(
                    "return getComputedStyle(document.documentElement).colorScheme;",
                    &[],
                )
            };
            assert_eq!(scheme_after()?, json!("dark"));
            browser.reload()?;
            wait_text(&browser, "total-size", "the seed total", |t| t == total)?;
            assert_eq!(scheme_after()?, json!("dark"));
        }
    }
    Ok(())
}

/// Milliseconds from one keystroke to the total changing: the text ends with
/// `COPY big.bi /data/`, the context declares `big.bin` (50 MB), the caret
/// is after `big.bi` and the key is `n`.
fn keystroke_to_total_ms(browser: &Browser, text: &str) -> Result<f64, Error> {
    let full = format!("{text}COPY big.bi /data/\n");
    set_editor_text(browser, &full)?;
    let before = wait_text(browser, "total-size", "a settled total", |t| !t.is_empty())?;
    std::thread::sleep(std::time::Duration::from_millis(400));
    let editor: Element = browser.find("editor")?;
    // The caret goes right after `big.bi` (UTF-16 offsets; the text is ASCII).
    let caret = full.len() - " /data/\n".len();
    let total = browser.find("total-size")?;
    let timing = browser.keystroke_to_change_ms(&editor, caret, "n", &total)?;
    let after = browser.find("total-size")?.text()?;
    assert_ne!(before, after, "declaring big.bin's COPY changes the total");
    let status = browser.find("status")?.text()?;
    layerlens_e2e::record_timing(&format!(
        "  status after the keystroke: {}",
        status.replace('\n', " · ")
    ));
    // The settled work: 200 ms after the last key, findings (each priced by
    // re-estimating) and the five rewrite previews, in one task.
    let settled = browser.wait_until("the findings to follow", DEFAULT_WAIT, || {
        let busy = browser.execute(
            "return document.querySelector('section.findings[aria-busy]') ? null : performance.now() - window.__ll.start;",
            &[],
        )?;
        Ok(busy.as_f64())
    })?;
    layerlens_e2e::record_timing(&format!(
        "  findings and rewrite previews current {settled:.0} ms after the keystroke (200 ms of it the pause)"
    ));
    Ok(timing)
}

#[test]
fn keystroke_to_updated_total_timing() -> Result<(), Error> {
    let (_site, browser) = open("playground-timing")?;
    // Declare big.bin through the context panel's form.
    let panel = browser.find("context-panel")?;
    let inputs = browser.find_all_css("[data-testid=context-panel] .context-add input")?;
    assert_eq!(inputs.len(), 2);
    inputs[0].send_keys("big.bin")?;
    inputs[1].send_keys("50 MB")?;
    browser
        .find_css("[data-testid=context-panel] .context-add button")?
        .click()?;
    browser.wait_until("big.bin declared", DEFAULT_WAIT, || {
        Ok(panel.text()?.contains("big.bin").then_some(()))
    })?;

    let seed_ms = keystroke_to_total_ms(&browser, SEED)?;
    let mut long = String::from("FROM debian:bookworm-slim\n");
    let packages = [
        "curl",
        "ca-certificates",
        "git",
        "make",
        "gcc",
        "libc6-dev",
        "python3",
        "unzip",
    ];
    let mut line = 1;
    while line < 990 {
        long.push_str(
            "# install another batch of tools\nRUN apt-get update && apt-get install -y \\\n",
        );
        line += 2;
        for i in 0..45 {
            long.push_str("    ");
            long.push_str(packages[i % packages.len()]);
            long.push_str(" \\\n");
            line += 1;
        }
        long.push_str("    && rm -rf /var/lib/apt/lists/*\n");
        line += 1;
    }
    let n_lines = long.lines().count() + 1;
    let long_ms = keystroke_to_total_ms(&browser, &long)?;
    layerlens_e2e::record_timing(&format!(
        "keystroke → updated total: seed {seed_ms:.1} ms; {n_lines}-line Dockerfile {long_ms:.1} ms"
    ));
    Ok(())
}

/// The base image's rows unfold from the keyboard: its button takes the
/// focus and one Enter toggles once (the row's own Enter handling and the
/// button's click do not both fire).
#[test]
fn the_base_image_unfolds_from_the_keyboard() -> Result<(), Error> {
    let (_site, browser) = open("playground-group-keys")?;
    let n_children = |browser: &Browser| Ok::<_, Error>(browser.find_all("base-layer-row")?.len());
    browser.wait_until("the layer table", DEFAULT_WAIT, || {
        Ok(browser.try_find_css(".group-toggle")?.map(drop))
    })?;
    assert_eq!(n_children(&browser)?, 0, "the group starts folded");
    browser.find_css(".group-toggle")?.send_keys(keys::ENTER)?;
    let opened = browser.wait_until("the group unfolded", DEFAULT_WAIT, || {
        Ok(Some(n_children(&browser)?).filter(|&n| n > 0))
    })?;
    assert!(opened > 1, "the seed's base image has several layers");
    let toggle = browser.find_css(".group-toggle")?;
    assert_eq!(toggle.attribute("aria-expanded")?.as_deref(), Some("true"));
    let focused = browser.execute(
        "return document.activeElement === arguments[0];",
        &[toggle.as_arg()],
    )?;
    assert_eq!(
        focused,
        serde_json::Value::Bool(true),
        "focus stays on the button"
    );
    toggle.send_keys(keys::ENTER)?;
    browser.wait_until("the group folded again", DEFAULT_WAIT, || {
        Ok((n_children(&browser)? == 0).then_some(()))
    })?;
    Ok(())
}
