//! The widget's markup, written as HTML strings by plain functions of what
//! it shows. The widget (`widget.rs`) sets each region's `innerHTML` when its
//! string changes; nothing here touches the DOM, so it is tested natively.
//!
//! The markup, classes and `data-testid`s are the playground components'
//! (`components/`), so `app.css` styles both and the tests find the same
//! hooks; every text that comes from the person or the core is escaped.

mod editor;
mod layers;
mod summary;
mod switch;

pub use editor::{bands, code_size, diagnostic, highlight};
pub use layers::layers;
pub use summary::summary;
pub use switch::{switch, switch_class, SwitchView};

use layerlens::Span;

use crate::highlight::escape_into;

/// `text` escaped for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// The widget's fixed frame: the editor's parts and an empty element per
/// region the widget fills in (`data-region`).
pub fn shell(label: &str, readonly: bool, height: Option<&str>, diagnostic_id: &str) -> String {
    let height = height.map_or_else(String::new, |h| {
        format!(" style=\"--editor-height:{}\"", escape(h))
    });
    let readonly = if readonly { " readonly" } else { "" };
    format!(
        "<div class=\"layerlens-widget\" data-testid=\"layerlens-widget\"><div class=\"widget-grid\">\
<div class=\"widget-main\">\
<div class=\"editor compact\"{height}>\
<div class=\"editor-scroll\" data-region=\"scroller\">\
<pre class=\"editor-gutter\" aria-hidden=\"true\" data-region=\"gutter\"></pre>\
<div class=\"editor-code\" data-region=\"code\">\
<div class=\"editor-bands\" aria-hidden=\"true\" data-region=\"bands\"></div>\
<pre class=\"editor-highlight\" aria-hidden=\"true\"><code data-region=\"highlight\"></code></pre>\
<textarea data-testid=\"editor\" class=\"editor-input\" aria-label=\"{label}\" aria-describedby=\"{diagnostic_id}\" \
spellcheck=\"false\" autocomplete=\"off\" autocapitalize=\"off\" wrap=\"off\"{readonly}></textarea>\
</div></div>\
<p id=\"{diagnostic_id}\" class=\"editor-diagnostic\" aria-live=\"polite\" data-region=\"diagnostic\"></p>\
</div>\
<section class=\"panel rewrite-switch compact\" role=\"group\" aria-label=\"Multi-stage rewrite\" data-region=\"switch\"></section>\
</div>\
<div class=\"widget-results\">\
<section class=\"panel size-summary compact\" role=\"group\" aria-label=\"Image size\" data-region=\"summary\"></section>\
<section class=\"panel layer-table compact\" role=\"group\" aria-label=\"Layers\" data-region=\"layers\"></section>\
<p class=\"widget-footer\"><a target=\"_blank\" rel=\"noopener\" data-testid=\"open-in-playground\" data-region=\"link\">\
Open in the Layerlens playground ↗</a></p>\
</div></div></div>",
        label = escape(label),
    )
}

/// `start:end` from a `data-span` attribute.
pub fn parse_span(text: &str) -> Option<Span> {
    let (start, end) = text.split_once(':')?;
    Some(Span::new(start.parse().ok()?, end.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_shell_has_the_hooks_and_escapes_its_label() {
        let shell = shell("Step <1>", true, Some("9em"), "d-1");
        for hook in ["layerlens-widget", "editor", "open-in-playground"] {
            assert!(shell.contains(&format!("data-testid=\"{hook}\"")), "{hook}");
        }
        assert!(shell.contains("aria-label=\"Step &lt;1&gt;\"") && shell.contains(" readonly>"));
        assert_eq!(parse_span("3:9"), Some(Span::new(3, 9)));
        assert_eq!(parse_span("x"), None);
    }
}
