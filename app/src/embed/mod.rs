//! Layerlens inside other pages: a compact live widget per
//! `<pre data-layerlens>` (each in its own shadow root, so no CSS crosses in
//! either direction), the same widget filling an `<iframe>` (`#embed&s=…`),
//! and the choice of what a page mounts ([`Mode`]).
//!
//! Every widget on a page runs on the one wasm instance the page loaded.

pub mod config;
mod events;
pub mod morph;
pub mod view;
pub mod widget;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode,
};

pub use config::WidgetConfig;

/// The widget's own frame and layout (inlined; the shared stylesheet,
/// `app.css`, is linked: `embed.js` lists it in `LAYERLENS_ASSETS.styles`).
pub const WIDGET_CSS: &str = include_str!("../../styles/widget.css");

/// What this document wants from the bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A host page (`embed.js` loaded, or `pre[data-layerlens]` without a
    /// page of our own): one widget per `pre`.
    Widgets,
    /// `<body data-layerlens-page="tutorial">`.
    Tutorial,
    /// `index.html#embed…` in an iframe: one widget filling the page.
    Frame,
    /// The playground.
    Playground,
}

impl Mode {
    /// Decide from the document: page marker, then the fragment, then the
    /// embed loader or embeddable `pre`s; anything else is the playground.
    pub fn detect() -> Mode {
        let Some(window) = web_sys::window() else {
            return Mode::Playground;
        };
        let Some(document) = window.document() else {
            return Mode::Playground;
        };
        let page = document
            .body()
            .and_then(|body| body.get_attribute("data-layerlens-page"));
        let hash = window.location().hash().unwrap_or_default();
        let loader = js_sys::Reflect::has(&window, &"LAYERLENS_ASSETS".into()).unwrap_or(false);
        let has_pre = document
            .query_selector("pre[data-layerlens]")
            .ok()
            .flatten()
            .is_some();
        Mode::decide(page.as_deref(), &hash, loader, has_pre)
    }

    /// [`Mode::detect`]'s rule, apart from the DOM so it can be tested.
    pub fn decide(page: Option<&str>, hash: &str, loader: bool, has_pre: bool) -> Mode {
        match page {
            Some("tutorial") => return Mode::Tutorial,
            Some("playground") => return Mode::Playground,
            _ => {}
        }
        if hash.starts_with("#embed") {
            Mode::Frame
        } else if loader || has_pre {
            Mode::Widgets
        } else {
            Mode::Playground
        }
    }
}

/// The playground's URL as seen from the bundle: `index.html` in the folder
/// `embed.js` came from, else beside the current page.
pub fn playground_url() -> String {
    let base = loader_asset("base").and_then(|base| base.as_string());
    match base {
        Some(base) if base.ends_with('/') => format!("{base}index.html"),
        Some(base) => format!("{base}/index.html"),
        None => "index.html".to_owned(),
    }
}

/// Field `name` of the `LAYERLENS_ASSETS` object `embed.js` sets.
fn loader_asset(name: &str) -> Option<wasm_bindgen::JsValue> {
    let window = web_sys::window()?;
    let assets = js_sys::Reflect::get(&window, &"LAYERLENS_ASSETS".into()).ok()?;
    if !assets.is_object() {
        return None;
    }
    js_sys::Reflect::get(&assets, &name.into()).ok()
}

/// The stylesheets `embed.js` names (`LAYERLENS_ASSETS.styles`): the
/// shared `app.css`, linked from each shadow root (the browser fetches it
/// once).
pub fn shared_styles() -> Vec<String> {
    let Some(styles) =
        loader_asset("styles").and_then(|styles| styles.dyn_into::<js_sys::Array>().ok())
    else {
        return Vec::new();
    };
    styles
        .iter()
        .filter_map(|style| style.as_string())
        .collect()
}

/// Turn every `pre[data-layerlens]` into a live widget, now and whenever the
/// page adds one later (documentation sites that change pages without
/// reloading). A `pre` whose widget cannot be made is left as it is.
pub fn mount_all() {
    mount_new();
    watch_for_new();
}

thread_local! {
    /// The widgets on this page, by the element that holds each one.
    static LIVE: std::cell::RefCell<Vec<(Element, widget::Mounted)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// How many widgets this page keeps (a widget is let go once its element
/// has left the page; see [`mount_all`]).
pub fn live_widgets() -> usize {
    LIVE.with(|live| live.borrow().len())
}

/// Let go of widgets whose element left the page (a single-page site moved
/// on): their listeners, timer and state are freed.
fn release_removed() {
    let removed: Vec<_> = LIVE.with(|live| {
        let mut live = live.borrow_mut();
        let (kept, removed) = std::mem::take(&mut *live)
            .into_iter()
            .partition(|(host, _)| host.is_connected());
        *live = kept;
        removed
    });
    // Dropped outside the borrow: nothing they run can reach `LIVE` then.
    drop(removed);
}

/// Mount a widget for each `pre` that has none yet (and has not failed),
/// after letting go of the widgets that left the page.
fn mount_new() {
    release_removed();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(pres) = document.query_selector_all(
        "pre[data-layerlens]:not([data-layerlens-mounted]):not([data-layerlens-failed])",
    ) else {
        return;
    };
    if pres.length() == 0 {
        return;
    }
    let playground = playground_url();
    let styles = shared_styles();
    for index in 0..pres.length() {
        let Some(pre) = pres.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let config = WidgetConfig::from_element(&pre);
        if mount_one(&document, &pre, config, &playground, &styles).is_none()
            && !pre.has_attribute("data-layerlens-mounted")
        {
            // Not tried again on every change of the page.
            let _ = pre.set_attribute("data-layerlens-failed", "");
        }
    }
}

thread_local! {
    static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Once per page: mount widgets for `pre`s added to the light DOM later.
/// Changes inside the widgets' shadow roots are not seen, so a widget's own
/// updates never wake this.
fn watch_for_new() {
    if WATCHING.with(|watching| watching.replace(true)) {
        return;
    }
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(
        |_: js_sys::Array, _: MutationObserver| mount_new(),
    );
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    if observer.observe_with_options(&body, &init).is_ok() {
        // Lives as long as the page.
        callback.forget();
    }
}

fn mount_one(
    document: &Document,
    pre: &Element,
    config: WidgetConfig,
    playground: &str,
    styles: &[String],
) -> Option<()> {
    // A tag of our own, so the host's element rules (`div { … }`) miss it,
    // and an inline reset, which beats the host's `*` rules: nothing
    // inherits into the widget from the page around it.
    let host = document.create_element("layerlens-embed").ok()?;
    host.set_attribute("class", "layerlens-embed").ok()?;
    host.set_attribute("style", "all: initial; display: block; margin: 1em 0;")
        .ok()?;
    if let Some(theme) = &config.theme {
        host.set_attribute("data-theme", theme).ok()?;
    }
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .ok()?;
    for href in styles {
        let link = document.create_element("link").ok()?;
        link.set_attribute("rel", "stylesheet").ok()?;
        link.set_attribute("href", href).ok()?;
        shadow.append_child(&link).ok()?;
    }
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(WIDGET_CSS));
    shadow.append_child(&style).ok()?;
    let root = document.create_element("div").ok()?;
    shadow.append_child(&root).ok()?;
    // The widget is built before it enters the page: if that fails, the
    // `pre` stays as it was.
    let mounted = widget::mount(&root, config, playground, "Dockerfile")?;
    pre.parent_node()?.insert_before(&host, Some(pre)).ok()?;
    LIVE.with(|live| live.borrow_mut().push((host.clone(), mounted)));
    pre.set_attribute("data-layerlens-mounted", "").ok()?;
    // Hidden, not removed: the host page's own scripts may still look for it.
    pre.set_attribute("hidden", "").ok()?;
    Some(())
}

/// The widget filling the page (`index.html#embed&s=…`), for hosts that
/// allow iframes but not scripts.
pub fn mount_frame() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let config = WidgetConfig::from_fragment(&hash);
    if let Some(theme) = &config.theme {
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    }
    let _ = body.set_attribute("class", "layerlens-frame");
    if let Ok(style) = document.create_element("style") {
        style.set_text_content(Some(WIDGET_CSS));
        let _ = body.append_child(&style);
    }
    // The frame is a document of its own: its widget is its main content,
    // under a heading only screen readers see.
    let (Ok(main), Ok(root)) = (
        document.create_element("main"),
        document.create_element("div"),
    ) else {
        return;
    };
    if let Ok(heading) = document.create_element("h1") {
        heading.set_class_name("visually-hidden");
        heading.set_text_content(Some("Layerlens: image size of a Dockerfile"));
        let _ = main.append_child(&heading);
    }
    let _ = main.append_child(&root);
    let _ = body.append_child(&main);
    let playground = crate::storage::page_url();
    if let Some(mounted) = widget::mount(&root, config, &playground, "Dockerfile") {
        mounted.keep_for_page();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn decides_the_mode() {
        assert_eq!(
            Mode::decide(Some("tutorial"), "", true, true),
            Mode::Tutorial
        );
        assert_eq!(
            Mode::decide(None, "#embed&s=abc", false, false),
            Mode::Frame
        );
        assert_eq!(Mode::decide(None, "#s=abc", true, false), Mode::Widgets);
        assert_eq!(Mode::decide(None, "", false, true), Mode::Widgets);
        assert_eq!(Mode::decide(None, "#s=abc", false, false), Mode::Playground);
        assert_eq!(
            Mode::decide(Some("playground"), "", false, true),
            Mode::Playground
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_shared_stylesheet_themes_shadow_hosts_too() {
        // Every theme rule for the document has its :host twin, so the one
        // linked file styles widgets inside shadow roots.
        let css = include_str!("../../styles/app.css");
        let rules: Vec<&str> = css
            .lines()
            .filter(|line| line.contains(":root") && line.ends_with('{'))
            .collect();
        assert_eq!(rules.len(), 3, "{rules:?}");
        for rule in rules {
            assert!(rule.contains(":host"), "{rule}");
        }
    }
}
