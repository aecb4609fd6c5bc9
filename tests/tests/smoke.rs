//! The whole pipeline in a real browser: text typed into the editor goes
//! through the core (compiled to wasm) and comes back as the status line.

use layerlens_e2e::{Browser, Error, Options, Site, DEFAULT_WAIT};

/// The number right before the word "instruction" in a status line such as
/// `5 instructions · 0 errors`.
fn instruction_count(status: &str) -> Option<u32> {
    let lower = status.to_lowercase();
    let before = lower[..lower.find("instruction")?].trim_end();
    let digits_start = before
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |index| index + 1);
    before[digits_start..].parse().ok()
}

#[test]
fn typing_an_instruction_updates_the_status_line() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("smoke"))?;
    browser.goto(&site.url(""))?;

    let editor = browser.find("editor")?;
    let status = browser.find("status")?;
    let before_text = browser.wait_until(
        "a status line with an instruction count",
        DEFAULT_WAIT,
        || {
            let text = status.text()?;
            Ok(instruction_count(&text).map(|_| text))
        },
    )?;
    let before = instruction_count(&before_text).unwrap_or_default();

    // WebDriver puts the caret at the end of an unfocused textarea, so this
    // appends one instruction on a new line.
    editor.send_keys("\nRUN echo typed-by-the-smoke-test")?;

    let after_text = browser.wait_until(
        &format!(
            "the instruction count to go from {before} to {} (status was {before_text:?})",
            before + 1
        ),
        DEFAULT_WAIT,
        || {
            let text = status.text()?;
            Ok((instruction_count(&text) == Some(before + 1)).then_some(text))
        },
    )?;
    assert!(editor
        .value()?
        .ends_with("RUN echo typed-by-the-smoke-test"));
    assert_ne!(before_text, after_text);
    browser.screenshot("smoke")?;
    Ok(())
}

#[test]
fn instruction_count_reads_the_number_before_the_word() {
    assert_eq!(instruction_count("5 instructions · 0 errors"), Some(5));
    assert_eq!(
        instruction_count("Parsed 12 Instructions, 1 error"),
        Some(12)
    );
    assert_eq!(instruction_count("1 instruction"), Some(1));
    assert_eq!(instruction_count("instructions: 4"), None);
    assert_eq!(instruction_count("no count here"), None);
}
