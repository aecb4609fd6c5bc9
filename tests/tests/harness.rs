//! The harness's own promises, checked in real Chromium on tiny local pages,
//! so a journey test that fails points at the site, not at the tooling.

use std::path::PathBuf;

use layerlens_e2e::{keys, Browser, Error, Options, StaticServer, DEFAULT_WAIT};
use serde_json::json;

const FORM_PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>form</title>
<textarea data-testid="editor"></textarea>
<output data-testid="status">0 chars</output>
<button data-testid="reset">reset</button>
<script>
  const editor = document.querySelector('textarea');
  const status = document.querySelector('output');
  editor.addEventListener('input', () => { status.textContent = editor.value.length + ' chars'; });
  document.querySelector('button').addEventListener('click', () => {
    editor.value = ''; status.textContent = 'reset';
  });
</script>"#;

/// A scratch folder holding `index.html` = `html`, unique per test.
fn scratch_site(name: &str, html: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-harness-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), html).unwrap();
    dir
}

#[test]
fn types_clicks_reads_and_runs_scripts() -> Result<(), Error> {
    let root = scratch_site("form", FORM_PAGE);
    let server = StaticServer::start(&root, 0)?;
    let browser = Browser::start(Options::new("harness-form"))?;
    browser.goto(&server.url())?;

    let editor = browser.find("editor")?;
    let status = browser.find("status")?;
    editor.send_keys("FROM café")?;
    assert_eq!(status.text()?, "9 chars");
    editor.send_keys(&format!("{}{}", keys::BACKSPACE, keys::BACKSPACE))?;
    assert_eq!(editor.value()?, "FROM ca");

    browser.find("reset")?.click()?;
    assert_eq!(status.text()?, "reset");
    assert_eq!(editor.value()?, "");

    let joined = browser.execute(
        "return arguments[0] + ':' + arguments[1].tagName;",
        &[json!(40), editor.as_arg()],
    )?;
    assert_eq!(
        joined,
        json!("40:TEXTAREA"),
        "an element argument reaches the script as the element"
    );
    let missing = browser.find_all("no-such-thing")?;
    assert!(missing.is_empty());

    let png = browser.screenshot("harness-form")?;
    let bytes = std::fs::read(png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a real PNG file");
    std::fs::remove_dir_all(root).unwrap();
    Ok(())
}

#[test]
fn waiting_for_a_missing_element_fails_with_its_selector() -> Result<(), Error> {
    let browser = Browser::start(Options::new("harness-wait"))?;
    browser.goto("data:text/html,<p>nothing here</p>")?;
    let started = std::time::Instant::now();
    let failure = browser
        .wait_until(
            "the impossible",
            std::time::Duration::from_millis(300),
            || Ok(browser.try_find_css("[data-testid=absent]")?.map(|_| ())),
        )
        .unwrap_err();
    assert!(failure.to_string().contains("the impossible"), "{failure}");
    assert!(started.elapsed() < DEFAULT_WAIT);
    Ok(())
}

#[test]
fn phone_window_is_390_css_pixels_wide() -> Result<(), Error> {
    let browser = Browser::start(Options::phone("harness-phone"))?;
    browser.goto("data:text/html,<meta name=viewport content='width=device-width'><p>hi</p>")?;
    let width = browser.execute("return window.innerWidth;", &[])?;
    assert_eq!(width, json!(390));
    browser.set_viewport_size(800, 600)?;
    browser.reload()?;
    let width = browser.execute("return window.innerWidth;", &[])?;
    assert_eq!(width, json!(800), "the size lasts across a reload");
    Ok(())
}

#[test]
fn offline_emulation_blocks_even_loopback_and_can_be_lifted() -> Result<(), Error> {
    let root = scratch_site("offline", "<p data-testid=marker>served</p>");
    let server = StaticServer::start(&root, 0)?;
    let browser = Browser::start(Options::new("harness-offline"))?;

    browser.goto(&server.url())?;
    assert_eq!(browser.find("marker")?.text()?, "served");

    browser.set_offline(true)?;
    // Chromium shows its own error page instead of failing the navigation.
    let _ = browser.goto(&format!("{}?again", server.url()));
    assert!(
        browser.try_find_css("[data-testid=marker]")?.is_none(),
        "offline page was still served"
    );
    let fetched = browser.execute(
        "return fetch(arguments[0]).then(() => 'fetched', () => 'refused');",
        &[json!(server.url())],
    )?;
    assert_eq!(fetched, json!("refused"));

    browser.set_offline(false)?;
    browser.goto(&server.url())?;
    assert_eq!(browser.find("marker")?.text()?, "served");
    std::fs::remove_dir_all(root).unwrap();
    Ok(())
}

#[test]
fn opens_file_urls_from_a_fresh_profile() -> Result<(), Error> {
    let page = "<p data-testid=marker>from disk</p><script>
        const marker = document.querySelector('p');
        marker.dataset.seen = localStorage.getItem('k') ?? 'nothing';
        localStorage.setItem('k', 'stored');
    </script>";
    let root = scratch_site("file", page);
    let url = format!(
        "file://{}/index.html",
        root.canonicalize().unwrap().display()
    );
    let seen = |browser: &Browser| -> Result<Option<String>, Error> {
        browser.find("marker")?.attribute("data-seen")
    };

    let first = Browser::start(Options::new("harness-file-1"))?;
    first.goto(&url)?;
    assert_eq!(first.find("marker")?.text()?, "from disk");
    assert_eq!(seen(&first)?.as_deref(), Some("nothing"));
    // Chromium commits localStorage to its storage service asynchronously,
    // so the first reload can race the write: reload until it shows.
    first.wait_until("storage to last within a session", DEFAULT_WAIT, || {
        first.reload()?;
        Ok((seen(&first)?.as_deref() == Some("stored")).then_some(()))
    })?;
    drop(first);

    let second = Browser::start(Options::new("harness-file-2"))?;
    second.goto(&url)?;
    assert_eq!(
        seen(&second)?.as_deref(),
        Some("nothing"),
        "a new session starts with an empty profile"
    );
    std::fs::remove_dir_all(root).unwrap();
    Ok(())
}
