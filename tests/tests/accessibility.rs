//! Every page passes axe-core's rules (WCAG 2 A/AA and best practices,
//! colour contrast included) in the states a reader sees: the playground
//! light, dark and with the rewrite shown; the tutorial; the embed demo with
//! a widget's rewrite shown (axe reads the widgets' open shadow roots); the
//! `#embed` frame for iframes.
//! axe-core is a test tool, installed by `cargo xtask test`; nothing of it
//! is in `dist/`.

use layerlens_e2e::{axe_script, Browser, Error, Options, Site, DEFAULT_WAIT};
use serde_json::Value;

/// axe's violations on the page as it is now, one line each.
fn violations(browser: &Browser) -> Result<Vec<String>, Error> {
    browser.execute(&axe_script()?, &[])?;
    browser.execute(
        "window.__axeResult = null;\n\
         axe.run(document, { resultTypes: ['violations'] }).then((result) => {\n\
           window.__axeResult = result.violations.map((v) => v.id + ' [' + v.impact + '] ' + v.help + ': '\n\
             + v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', '));\n\
         }, (error) => { window.__axeResult = ['axe failed: ' + error]; });",
        &[],
    )?;
    let found = browser.wait_until("axe's result", DEFAULT_WAIT, || {
        let value = browser.execute("return window.__axeResult;", &[])?;
        Ok((!value.is_null()).then_some(value))
    })?;
    Ok(found
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

fn assert_clean(browser: &Browser, state: &str) -> Result<(), Error> {
    let found = violations(browser)?;
    assert!(found.is_empty(), "{state}:\n{}", found.join("\n"));
    Ok(())
}

/// Waits until `script` (run in the page) returns `true`, then lets
/// transitions finish before axe measures colours.
fn wait_for(browser: &Browser, what: &str, script: &str) -> Result<(), Error> {
    browser.wait_until(what, DEFAULT_WAIT, || {
        Ok((browser.execute(script, &[])? == Value::Bool(true)).then_some(()))
    })?;
    std::thread::sleep(std::time::Duration::from_millis(400));
    Ok(())
}

#[test]
fn the_playground_passes_axe_light_dark_and_rewritten() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("axe-playground"))?;
    browser.goto(&site.url(""))?;
    let has_total = "const t = document.querySelector('[data-testid=\"total-size\"]'); return !!t && t.textContent !== '';";
    wait_for(&browser, "the seed's total", has_total)?;
    assert_clean(&browser, "playground, light")?;

    browser.find_css(".theme-toggle")?.click()?;
    wait_for(
        &browser,
        "the dark theme",
        "return document.documentElement.dataset.theme === 'dark';",
    )?;
    assert_clean(&browser, "playground, dark")?;

    browser.find("rewrite-toggle")?.click()?;
    wait_for(
        &browser,
        "the rewrite shown",
        "return document.querySelector('[data-testid=\"rewrite-toggle\"]').getAttribute('aria-checked') === 'true';",
    )?;
    assert_clean(&browser, "playground, dark, rewrite shown")?;
    Ok(())
}

#[test]
fn the_tutorial_and_the_embed_demo_pass_axe() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("axe-pages"))?;
    browser.goto(&site.url("tutorial.html"))?;
    wait_for(
        &browser,
        "the tutorial's widgets",
        "const totals = [...document.querySelectorAll('[data-testid=\"total-size\"]')]; return totals.length >= 4 && totals.every((t) => t.textContent !== '');",
    )?;
    assert_clean(&browser, "tutorial")?;

    browser.goto(&site.url("embed-demo.html"))?;
    let widget = "const host = document.querySelectorAll('.layerlens-embed')[0];\
                  const root = host && host.shadowRoot;";
    wait_for(
        &browser,
        "the demo's widgets",
        "const hosts = [...document.querySelectorAll('.layerlens-embed')];\
         return hosts.length === 3 && hosts.every((h) => { const t = h.shadowRoot.querySelector('[data-testid=\"total-size\"]'); return t && t.textContent !== ''; });",
    )?;
    browser.execute(
        &format!("{widget} root.querySelector('[data-testid=\"rewrite-toggle\"]').click();"),
        &[],
    )?;
    wait_for(
        &browser,
        "the first widget's rewrite",
        &format!("{widget} return root.querySelector('[data-testid=\"rewrite-toggle\"]').getAttribute('aria-checked') === 'true';"),
    )?;
    assert_clean(&browser, "embed demo, first widget rewritten")?;

    // The iframe form: the playground's page showing only a widget.
    browser.goto(&site.url("index.html#embed&runtime=scratch&theme=dark"))?;
    wait_for(
        &browser,
        "the framed widget",
        "const t = document.querySelector('[data-testid=\"total-size\"]'); return !!t && t.textContent !== '';",
    )?;
    assert_clean(&browser, "the #embed frame")?;
    Ok(())
}
