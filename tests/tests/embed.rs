//! Layerlens inside someone else's page (`embed-demo.html`, loading
//! `embed.js` like any host): three independent widgets, host styles left
//! alone in both directions, the `pre`s readable when the script cannot
//! load, "open in playground" carrying the text byte for byte, the
//! `#embed` frame for iframes, nothing downloaded for a page without
//! widgets, widgets for `pre`s added later, the layout in a narrow column,
//! and (reported, not asserted) how soon the widgets show their totals.
//!
//! Widgets live in open shadow roots, which WebDriver's CSS lookups do not
//! enter, so these tests reach them with scripts (`in_widget`).

use layerlens_e2e::{Browser, Error, Options, Site, DEFAULT_WAIT};
use serde_json::{json, Value};

const DEMO: &str = "embed-demo.html";
const N_WIDGETS: usize = 3;

/// Runs `body` with `widget` bound to the `index`th widget's root inside its
/// shadow root and `find(testId)` searching it; `arguments[1..]` are `args`.
/// Returns `null` while that widget is not there.
fn in_widget(browser: &Browser, index: usize, body: &str, args: &[Value]) -> Result<Value, Error> {
    let script = format!(
        "const host = document.querySelectorAll('.layerlens-embed')[arguments[0]];\n\
         const widget = host && host.shadowRoot && host.shadowRoot.querySelector('[data-testid=\"layerlens-widget\"]');\n\
         if (!widget) return null;\n\
         const find = (id) => widget.querySelector('[data-testid=\"' + id + '\"]');\n\
         {body}"
    );
    let mut all = vec![json!(index)];
    all.extend_from_slice(args);
    browser.execute(&script, &all)
}

fn total(browser: &Browser, index: usize) -> Result<Option<String>, Error> {
    let value = in_widget(
        browser,
        index,
        "const t = find('total-size'); return t ? t.textContent : null;",
        &[],
    )?;
    Ok(value
        .as_str()
        .filter(|text| !text.is_empty())
        .map(str::to_owned))
}

fn editor_text(browser: &Browser, index: usize) -> Result<String, Error> {
    Ok(
        in_widget(browser, index, "return find('editor').value;", &[])?
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Puts `text` at the end of the widget's editor (or replaces everything),
/// as one input event, the way typing or a paste would.
fn type_into(browser: &Browser, index: usize, text: &str, replace: bool) -> Result<(), Error> {
    in_widget(
        browser,
        index,
        "const area = find('editor'); area.focus();\n\
         if (arguments[2]) { area.select(); } else { area.setSelectionRange(area.value.length, area.value.length); }\n\
         if (!document.execCommand('insertText', false, arguments[1])) {\n\
           area.setRangeText(arguments[1], area.selectionStart, area.selectionEnd, 'end');\n\
           area.dispatchEvent(new Event('input', { bubbles: true }));\n\
         }\n\
         return true;",
        &[json!(text), json!(replace)],
    )
    .map(drop)
}

fn wait_for_widgets(browser: &Browser) -> Result<Vec<String>, Error> {
    browser.wait_until(
        &format!("{N_WIDGETS} widgets with a total"),
        DEFAULT_WAIT,
        || {
            let totals: Vec<Option<String>> = (0..N_WIDGETS)
                .map(|index| total(browser, index))
                .collect::<Result<_, _>>()?;
            Ok(totals.into_iter().collect::<Option<Vec<String>>>())
        },
    )
}

/// Computed styles of host elements that the widgets sit next to.
fn host_styles(browser: &Browser) -> Result<Value, Error> {
    browser.execute(
        "const pick = (el, names) => { const s = getComputedStyle(el); return names.map((n) => n + '=' + s.getPropertyValue(n)); };\n\
         return {\n\
           body: pick(document.body, ['background-color', 'color', 'font-family', 'font-size']),\n\
           probe: pick(document.getElementById('host-probe'), ['color', 'font-family', 'font-size', 'font-style', 'letter-spacing', 'border-left-color']),\n\
           strong: pick(document.getElementById('host-strong'), ['color', 'text-decoration-line', 'font-weight']),\n\
           h2: pick(document.querySelector('h2'), ['color', 'font-family', 'font-size']),\n\
         };",
        &[],
    )
}

#[test]
fn three_independent_widgets_leave_the_host_styles_alone() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("embed-demo"))?;

    // Without the script (blocked, as a failing CDN or a strict host would),
    // the page is the host's own: readable code blocks, its own styles.
    browser.cdp("Network.enable", &json!({}))?;
    browser.cdp("Network.setBlockedURLs", &json!({ "urls": ["*embed.js"] }))?;
    browser.goto(&site.url(DEMO))?;
    let before = host_styles(&browser)?;
    let pres = browser.find_all_css("pre[data-layerlens]")?;
    assert_eq!(pres.len(), N_WIDGETS);
    for pre in &pres {
        assert!(pre.is_displayed()?);
        assert!(pre.text()?.contains("FROM "), "the pre stays readable");
    }
    assert!(browser.find_all_css(".layerlens-embed")?.is_empty());

    browser.cdp("Network.setBlockedURLs", &json!({ "urls": [] }))?;
    browser.goto(&site.url(DEMO))?;
    let totals = wait_for_widgets(&browser)?;
    let after = host_styles(&browser)?;
    assert_eq!(
        before, after,
        "loading the widgets changed the host's styles"
    );
    for pre in browser.find_all_css("pre[data-layerlens]")? {
        assert!(!pre.is_displayed()?, "each pre gives way to its widget");
    }

    // The host's rules do not reach inside: its `strong`, `table` and `button`
    // styles would show on the total, the layer rows and the switch.
    for index in 0..N_WIDGETS {
        let inside = in_widget(
            &browser,
            index,
            "const s = (el) => getComputedStyle(el);\n\
             return {\n\
               total_color: s(find('total-size')).color,\n\
               total_line: s(find('total-size')).textDecorationLine,\n\
               row_border: s(find('layer-row').querySelector('td')).borderTopStyle,\n\
               toggle_bg: s(find('rewrite-toggle')).backgroundColor,\n\
               editor_font: s(find('editor')).fontFamily,\n\
               row_spacing: s(find('layer-row')).letterSpacing,\n\
             };",
            &[],
        )?;
        assert_ne!(inside["total_color"], json!("rgb(170, 20, 20)"), "{inside}");
        assert_ne!(inside["total_line"], json!("underline"), "{inside}");
        assert_ne!(inside["row_border"], json!("dashed"), "{inside}");
        assert_ne!(inside["toggle_bg"], json!("rgb(255, 0, 255)"), "{inside}");
        assert_eq!(inside["row_spacing"], json!("normal"), "{inside}");
        assert!(
            !inside["editor_font"]
                .as_str()
                .unwrap_or_default()
                .contains("Georgia"),
            "{inside}"
        );
        let rows = in_widget(
            &browser,
            index,
            "return widget.querySelectorAll('[data-testid=\"layer-row\"]').length;",
            &[],
        )?;
        assert!(
            rows.as_u64().unwrap_or(0) >= 2,
            "widget {index}: {rows} rows"
        );
    }
    // The options reached each widget.
    assert_eq!(
        in_widget(&browser, 1, "return find('editor').readOnly;", &[])?,
        json!(true)
    );
    assert_eq!(
        in_widget(
            &browser,
            1,
            "return widget.querySelector('[data-testid=\"runtime-select\"]').value;",
            &[]
        )?,
        json!("alpine")
    );
    browser.screenshot("embed-demo")?;

    // Typing in one widget changes its total only.
    type_into(&browser, 0, "RUN apk add --no-cache python3\n", false)?;
    let first = browser.wait_until("widget 0 to show a new total", DEFAULT_WAIT, || {
        Ok(total(&browser, 0)?.filter(|t| *t != totals[0]))
    })?;
    assert_eq!(total(&browser, 1)?.as_deref(), Some(totals[1].as_str()));
    assert_eq!(total(&browser, 2)?.as_deref(), Some(totals[2].as_str()));

    type_into(&browser, 2, "FROM alpine:3.17\nCMD [\"sh\"]\n", true)?;
    browser.wait_until("widget 2 to show a new total", DEFAULT_WAIT, || {
        Ok(total(&browser, 2)?.filter(|t| *t != totals[2]))
    })?;
    assert_eq!(total(&browser, 0)?.as_deref(), Some(first.as_str()));
    assert_eq!(total(&browser, 1)?.as_deref(), Some(totals[1].as_str()));
    assert!(editor_text(&browser, 0)?.ends_with("RUN apk add --no-cache python3\n"));
    assert!(editor_text(&browser, 1)?.contains("FROM alpine:3.17\nCOPY --from=build"));
    Ok(())
}

/// The widget's current "open in playground" link, once it carries `text`
/// (the link follows the text after a short pause).
fn playground_link(browser: &Browser, index: usize, text: &str) -> Result<String, Error> {
    browser.wait_until("the link to carry the edited text", DEFAULT_WAIT, || {
        let href = in_widget(
            browser,
            index,
            "return find('open-in-playground').href;",
            &[],
        )?;
        let current = editor_text(browser, index)?;
        Ok(href.as_str().filter(|_| current == text).map(str::to_owned))
    })
}

/// The demo page in a fresh browser, its widgets showing their totals. The
/// site is returned too: its server stops when it is dropped.
fn open_demo(name: &str) -> Result<(Site, Browser), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new(name))?;
    browser.goto(&site.url(DEMO))?;
    wait_for_widgets(&browser)?;
    Ok((site, browser))
}

#[test]
fn open_in_playground_round_trips_the_text() -> Result<(), Error> {
    let (site, browser) = open_demo("embed-open-in-playground")?;
    let original = editor_text(&browser, 0)?;
    let first_href = in_widget(&browser, 0, "return find('open-in-playground').href;", &[])?;
    // Odd bytes the link must carry exactly: accents, emoji, tabs, trailing blanks.
    let added = "# café 😀\tlast line  \n";
    type_into(&browser, 0, added, false)?;
    let expected = format!("{original}{added}");
    let href = browser.wait_until("a new link", DEFAULT_WAIT, || {
        let href = playground_link(&browser, 0, &expected)?;
        Ok((json!(href) != first_href).then_some(href))
    })?;
    assert!(
        href.starts_with(&site.url("index.html#s=")),
        "the link points at the playground beside embed.js: {href}"
    );

    browser.goto(&href)?;
    let editor = browser.find("editor")?;
    let shown = browser.wait_until("the playground to load the link", DEFAULT_WAIT, || {
        let value = editor.value()?;
        Ok((!value.is_empty()).then_some(value))
    })?;
    assert_eq!(shown.as_bytes(), expected.as_bytes(), "byte for byte");
    assert!(
        browser.find("context-panel")?.text()?.contains("hello.go"),
        "the declared context came along"
    );
    let status = browser.find("status")?.text()?;
    assert!(
        status.contains("2022-12-20"),
        "the as-of date came along: {status}"
    );

    // The same link as an iframe source (`#embed&s=…`) shows just the widget.
    // (A fresh load, as a frame gets: a fragment-only change would not reload.)
    let fragment = href.split_once("#s=").map(|(_, s)| s).unwrap_or_default();
    browser.goto("about:blank")?;
    browser.goto(&site.url(&format!("index.html#embed&s={fragment}&runtime=scratch")))?;
    let frame_editor =
        browser.find_css("[data-testid=\"layerlens-widget\"] [data-testid=\"editor\"]")?;
    assert_eq!(frame_editor.value()?.as_bytes(), expected.as_bytes());
    assert!(
        browser.find_all("status")?.is_empty(),
        "no playground chrome in the frame"
    );
    assert_eq!(browser.find("runtime-select")?.value()?, "scratch");
    assert!(!browser.find("total-size")?.text()?.is_empty());
    Ok(())
}

/// The widgets bundle's script and `.wasm` the page has downloaded so far.
fn bundle_downloads(browser: &Browser) -> Result<Vec<String>, Error> {
    let value = browser.execute(
        "return performance.getEntriesByType('resource').map((e) => e.name)\
           .filter((name) => /layerlens-widgets-[0-9a-f]+(_bg\\.wasm|\\.js)$/.test(name));",
        &[],
    )?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// Adds `<script src="embed.js?<tag>">` to the page and waits until it ran.
fn add_loader(browser: &Browser, tag: &str) -> Result<(), Error> {
    browser.execute(
        "window.__loaded = false;\
         const s = document.createElement('script');\
         s.src = 'embed.js?' + arguments[0];\
         s.onload = () => { window.__loaded = true; };\
         document.body.appendChild(s);",
        &[json!(tag)],
    )?;
    browser.wait_until("embed.js to run", DEFAULT_WAIT, || {
        Ok(browser
            .execute("return window.__loaded || null;", &[])?
            .as_bool())
    })?;
    Ok(())
}

/// The demo page as the host wrote it, loaded without its script, and then
/// with no `pre` asking for a widget: a page for [`add_loader`] to try. The
/// site is returned too: its server stops when it is dropped.
fn demo_without_widgets(name: &str) -> Result<(Site, Browser), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new(name))?;
    browser.cdp("Network.enable", &json!({}))?;
    browser.cdp("Network.setBlockedURLs", &json!({ "urls": ["*embed.js"] }))?;
    browser.goto(&site.url(DEMO))?;
    browser.cdp("Network.setBlockedURLs", &json!({ "urls": [] }))?;
    browser.execute(
        "for (const pre of document.querySelectorAll('pre[data-layerlens]')) pre.removeAttribute('data-layerlens');",
        &[],
    )?;
    Ok((site, browser))
}

#[test]
fn embed_js_alone_on_a_page_without_widgets() -> Result<(), Error> {
    let (_site, browser) = demo_without_widgets("embed-none")?;
    // A page with no widget (embed.js in a site-wide layout) loads nothing more.
    add_loader(&browser, "none")?;
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert_eq!(bundle_downloads(&browser)?, Vec::<String>::new());
    assert!(browser.find_all_css(".layerlens-embed")?.is_empty());
    Ok(())
}

#[test]
fn widgets_added_after_the_page_loaded_mount_too() -> Result<(), Error> {
    // Like a documentation site that changes pages without reloading: first
    // no widget, then one (the bundle loads), then another (it mounts on the
    // bundle already there).
    let (_site, browser) = demo_without_widgets("embed-added")?;
    add_loader(&browser, "added")?;
    let add_pre = "const pre = document.createElement('pre');\
                   pre.setAttribute('data-layerlens', '');\
                   pre.textContent = arguments[0];\
                   document.body.prepend(pre);";

    browser.execute(add_pre, &[json!("FROM alpine:3.17\n")])?;
    let first = browser.wait_until("the first added widget", DEFAULT_WAIT, || {
        total(&browser, 0)
    })?;

    browser.execute(
        add_pre,
        &[json!("FROM alpine:3.17\nRUN apk add --no-cache git\n")],
    )?;
    // Prepended, so the new widget comes first in the page.
    let totals = browser.wait_until("the second added widget", DEFAULT_WAIT, || {
        Ok(total(&browser, 0)?.zip(total(&browser, 1)?))
    })?;
    assert_eq!(totals.1, first, "the first widget is unchanged");
    assert_ne!(totals.0, first, "git makes the second image bigger");
    let wasm = bundle_downloads(&browser)?
        .into_iter()
        .filter(|name| name.ends_with("_bg.wasm"))
        .count();
    assert_eq!(wasm, 1, "one download serves both");
    Ok(())
}

/// Where the widget's parts sit: `[top, left, bottom, right]` of its
/// editor, switch, total, layer table and playground link.
fn part_boxes(browser: &Browser, index: usize) -> Result<Vec<[f64; 4]>, Error> {
    let value = in_widget(
        browser,
        index,
        "return ['editor', 'rewrite-toggle', 'total-size', 'layer-row', 'open-in-playground'].map((id) => {\n\
           const part = id === 'editor' ? find(id).closest('.editor')\n\
             : id === 'rewrite-toggle' ? find(id).closest('.rewrite-switch')\n\
             : id === 'total-size' ? find(id).closest('.size-summary')\n\
             : id === 'layer-row' ? find(id).closest('.layer-table') : find(id);\n\
           const r = part.getBoundingClientRect();\n\
           return [r.top, r.left, r.bottom, r.right];\n\
         });",
        &[],
    )?;
    serde_json::from_value(value).map_err(|e| Error::new(format!("part boxes: {e}")))
}

#[test]
fn a_widget_in_a_narrow_column_stacks_its_parts_in_reading_order() -> Result<(), Error> {
    let (_site, browser) = open_demo("embed-narrow")?;
    let [editor, _, summary, ..] = part_boxes(&browser, 0)?[..] else {
        return Err(Error::new("five parts"));
    };
    assert!(
        summary[1] >= editor[3],
        "wide: the results sit beside the editor: {editor:?} {summary:?}"
    );

    // A docs theme's narrow column on a wide screen: the window stays wide,
    // only the widget's own width decides.
    browser.execute(
        "document.querySelectorAll('.layerlens-embed')[0].style.width = '420px';",
        &[],
    )?;
    let boxes = browser.wait_until("the narrow widget stacks", DEFAULT_WAIT, || {
        let boxes = part_boxes(&browser, 0)?;
        Ok((boxes[2][0] >= boxes[0][2]).then_some(boxes))
    })?;
    for pair in boxes.windows(2) {
        assert!(
            pair[1][0] >= pair[0][2],
            "editor, switch, total, layers, link from top to bottom: {boxes:?}"
        );
    }
    Ok(())
}

/// How long after navigation the demo's three widgets show their totals,
/// from a local server with a fresh cache, reported with the other timings
/// (not checked against a number: timings are reported, never asserted).
/// A watcher added before any of the page's scripts runs notes the first
/// frame with all three totals, and the `.wasm`'s resource timing says when
/// its download ended.
#[test]
fn widgets_start_up_timing() -> Result<(), Error> {
    let site = Site::locate()?;
    let browser = Browser::start(Options::new("embed-timing"))?;
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        &json!({ "source": "(() => {\n\
            const done = () => {\n\
              const hosts = document.querySelectorAll('.layerlens-embed');\n\
              return hosts.length === 3 && [...hosts].every((h) => {\n\
                const t = h.shadowRoot && h.shadowRoot.querySelector('[data-testid=\"total-size\"]');\n\
                return t && t.textContent !== '';\n\
              });\n\
            };\n\
            const tick = () => { if (done()) { window.__layerlensReadyMs = performance.now(); } else { requestAnimationFrame(tick); } };\n\
            requestAnimationFrame(tick);\n\
          })();" }),
    )?;
    browser.goto(&site.url(DEMO))?;
    wait_for_widgets(&browser)?;
    let times = browser.wait_until("the ready time", DEFAULT_WAIT, || {
        let value = browser.execute(
            "const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'));\n\
             return window.__layerlensReadyMs === undefined || !wasm ? null\n\
               : [window.__layerlensReadyMs, wasm.responseEnd, wasm.encodedBodySize];",
            &[],
        )?;
        Ok(serde_json::from_value::<Option<(f64, f64, f64)>>(value).ok().flatten())
    })?;
    let (ready, wasm_end, wasm_bytes) = times;
    assert!(wasm_end <= ready, "the widgets need the .wasm: {times:?}");
    layerlens_e2e::record_timing(&format!(
        "embed demo, local server, cold cache: .wasm ({wasm_bytes:.0} B) downloaded by {wasm_end:.0} ms, \
         three widgets showing totals {ready:.0} ms after navigation"
    ));
    Ok(())
}
