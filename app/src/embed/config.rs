//! A widget's options, read from a `<pre data-layerlens>`'s `data-`
//! attributes or from an iframe's `#embed&…` fragment.

use web_sys::Element;

use crate::share::Shared;
use crate::state::{DeclaredFile, PageOptions, RuntimeChoice};

/// Everything a host page can set on one widget.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Text, declared context and options (as a share link carries them).
    pub shared: Shared,
    /// `data-runtime`: the rewrite's runtime choice.
    pub runtime: RuntimeChoice,
    /// `data-readonly`: the editor does not take edits.
    pub readonly: bool,
    /// `data-height`: the editor's visible height (a CSS length).
    pub height: Option<String>,
    /// `data-theme`: `light` or `dark` (absent: follow the system).
    pub theme: Option<String>,
}

impl WidgetConfig {
    /// Read a `pre`: its text and its `data-` options.
    pub fn from_element(pre: &Element) -> Self {
        let attribute = |name: &str| pre.get_attribute(name);
        let text = pre.text_content().unwrap_or_default();
        Self::from_parts(
            text,
            |name: &str| attribute(&format!("data-{name}")),
            pre.has_attribute("data-readonly")
                && attribute("data-readonly").as_deref() != Some("false"),
        )
    }

    /// Read an iframe fragment such as `#embed&s=…&runtime=scratch&readonly`.
    pub fn from_fragment(hash: &str) -> Self {
        let parts: Vec<(&str, &str)> = hash
            .trim_start_matches('#')
            .split('&')
            .map(|part| part.split_once('=').unwrap_or((part, "")))
            .collect();
        let get = |name: &str| {
            parts
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| decode_component(value))
        };
        let mut config = match crate::storage::fragment_value(hash).and_then(crate::share::decode) {
            Some(shared) => Self {
                shared,
                ..Self::default()
            },
            None => Self::from_parts(get("text").unwrap_or_default(), get, false),
        };
        config.runtime =
            RuntimeChoice::parse(&get("runtime").unwrap_or_default()).unwrap_or_default();
        config.readonly = get("readonly").is_some_and(|value| value != "false");
        config.height = get("height").filter(|h| is_css_length(h));
        config.theme = get("theme").filter(|t| t == "light" || t == "dark");
        config
    }

    /// Build from the text and an attribute lookup (`as-of`, `context`, …).
    fn from_parts(text: String, get: impl Fn(&str) -> Option<String>, readonly: bool) -> Self {
        let options = PageOptions {
            as_of: get("as-of").unwrap_or_default().trim().to_owned(),
            ..PageOptions::default()
        };
        Self {
            shared: Shared {
                text,
                context: get("context")
                    .map(|c| parse_context(&c))
                    .unwrap_or_default(),
                options,
                example: String::new(),
            },
            runtime: RuntimeChoice::parse(&get("runtime").unwrap_or_default()).unwrap_or_default(),
            readonly,
            height: get("height").filter(|h| is_css_length(h)),
            theme: get("theme").filter(|t| t == "light" || t == "dark"),
        }
    }
}

/// `hello.go:72,go.mod:30` → declared files (entries without a size in
/// bytes are skipped).
pub fn parse_context(text: &str) -> Vec<DeclaredFile> {
    text.split(',')
        .filter_map(|entry| {
            let (path, size) = entry.trim().rsplit_once(':')?;
            let path = path.trim();
            let size = size.trim().parse().ok()?;
            (!path.is_empty()).then(|| DeclaredFile {
                path: path.to_owned(),
                size,
                content: None,
            })
        })
        .collect()
}

/// A CSS length the widget accepts for its height (`16em`, `240px`,
/// `40vh`): digits and a unit, nothing that could close the style.
fn is_css_length(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
    !digits.is_empty()
        && digits.len() < text.len()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `%XX` escapes in a fragment value.
fn decode_component(value: &str) -> String {
    js_sys::decode_uri_component(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn reads_declared_context() {
        let files = parse_context("hello.go:72, go.mod:30,bad,:4,dir/a:b.txt:9");
        let named: Vec<(&str, u64)> = files.iter().map(|f| (f.path.as_str(), f.size)).collect();
        assert_eq!(
            named,
            [("hello.go", 72), ("go.mod", 30), ("dir/a:b.txt", 9)]
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn accepts_only_plain_lengths() {
        assert!(is_css_length("16em"));
        assert!(is_css_length("240px"));
        assert!(!is_css_length("240"));
        assert!(!is_css_length("1px;color:red"));
        assert!(!is_css_length("em"));
    }

    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn reads_an_iframe_fragment() {
        let shared = Shared {
            text: "FROM alpine\n".to_owned(),
            ..Shared::default()
        };
        let hash = format!(
            "#embed&s={}&runtime=scratch&readonly&height=12em&theme=dark",
            crate::share::encode(&shared)
        );
        let config = WidgetConfig::from_fragment(&hash);
        assert_eq!(config.shared, shared);
        assert_eq!(config.runtime, RuntimeChoice::Scratch);
        assert!(config.readonly);
        assert_eq!(config.height.as_deref(), Some("12em"));
        assert_eq!(config.theme.as_deref(), Some("dark"));
    }
}
