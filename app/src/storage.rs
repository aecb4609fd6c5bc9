//! The browser's keeping places: the URL fragment (share links), local
//! storage (autosave, theme) and the clipboard. Failures are quiet: a page in
//! a private window without storage still works, it just forgets.

use wasm_bindgen::JsValue;

use crate::share::{self, Shared};

/// The local-storage key of the autosaved session.
const SESSION_KEY: &str = "layerlens.session.v1";
/// The local-storage key of the theme choice.
const THEME_KEY: &str = "layerlens.theme";
/// The fragment parameter carrying a shared session.
const FRAGMENT_PARAM: &str = "s";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The session a link in the fragment carries, if any.
pub fn shared_from_fragment() -> Option<Shared> {
    let hash = web_sys::window()?.location().hash().ok()?;
    fragment_value(&hash).and_then(share::decode)
}

/// The value of `s=` in a fragment such as `#s=…` or `#embed&s=…`.
pub fn fragment_value(hash: &str) -> Option<&str> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_PARAM)?.strip_prefix('='))
}

/// Call `load` with the session of every new fragment link; the listener
/// lasts as long as the returned value.
pub fn on_hash_change(load: impl Fn(Shared) + 'static) -> Option<gloo_events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo_events::EventListener::new(
        &window,
        "hashchange",
        move |_| {
            if let Some(shared) = shared_from_fragment() {
                load(shared);
            }
        },
    ))
}

/// The autosaved session, if any.
pub fn autosaved() -> Option<Shared> {
    share::decode(&storage()?.get_item(SESSION_KEY).ok()??)
}

/// Where the page starts: a link, else the autosave, else `fallback`.
pub fn initial(fallback: impl FnOnce() -> Shared) -> (Shared, bool) {
    if let Some(shared) = shared_from_fragment() {
        return (shared, true);
    }
    if let Some(shared) = autosaved() {
        return (shared, true);
    }
    (fallback(), false)
}

/// Autosave `shared` and put it in the address bar (without a history entry).
pub fn keep(shared: &Shared) {
    let encoded = share::encode(shared);
    if let Some(storage) = storage() {
        let _ = storage.set_item(SESSION_KEY, &encoded);
    }
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let url = format!("#{FRAGMENT_PARAM}={encoded}");
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// Forget the autosave and clear the fragment (Reset).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(SESSION_KEY);
    }
    if let Some(window) = web_sys::window() {
        if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
            let search = window.location().search().unwrap_or_default();
            let _ = history.replace_state_with_url(
                &JsValue::NULL,
                "",
                Some(&format!("{path}{search}")),
            );
        }
    }
}

/// A link that opens `shared` in the page at `base` (an absolute or relative URL).
pub fn link_for(base: &str, encoded: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{FRAGMENT_PARAM}={encoded}")
}

/// The current page's URL without its fragment.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// The theme choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    #[must_use]
    /// The theme actually showing (System resolved by the media query).
    pub fn effective(self) -> Theme {
        match self {
            Theme::System => {
                let dark = web_sys::window()
                    .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                    .is_some_and(|query| query.matches());
                if dark {
                    Theme::Dark
                } else {
                    Theme::Light
                }
            }
            other => other,
        }
    }
}

/// The saved theme choice.
pub fn saved_theme() -> Theme {
    match storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .as_deref()
    {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => Theme::System,
    }
}

/// Show and remember `theme` (`data-theme` on the root element).
pub fn apply_theme(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.as_str()),
        };
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(THEME_KEY, theme.as_str());
    }
}

/// Copy `text` to the clipboard (async; the browser may refuse silently).
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let promise = window.navigator().clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// Milliseconds from the page's clock (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn finds_the_session_in_a_fragment() {
        assert_eq!(fragment_value("#s=abc"), Some("abc"));
        assert_eq!(fragment_value("#embed&s=x-_y&h=3"), Some("x-_y"));
        assert_eq!(fragment_value("#size=3"), None);
        assert_eq!(fragment_value(""), None);
        let link = link_for(
            "https://h/p/index.html#old",
            &share::encode(&Shared::default()),
        );
        assert!(link.starts_with("https://h/p/index.html#s="));
        assert_eq!(
            share::decode(fragment_value(link.split('#').nth(1).unwrap()).unwrap()),
            Some(Shared::default())
        );
    }
}
