//! The multi-stage switch: toggle, runtime picker with each choice's size,
//! and the outcome.

use std::fmt::Write as _;

use layerlens::estimate::human_size;

use super::escape;
use crate::components::rewrite_switch::RuntimePreview;
use crate::state::RuntimeChoice;

/// What the multi-stage switch shows.
pub struct SwitchView<'a> {
    /// The rewrite is shown.
    pub on: bool,
    /// The runtime picked.
    pub runtime: RuntimeChoice,
    /// Each runtime's outcome; empty while being computed.
    pub previews: &'a [RuntimePreview],
    /// The person's final size.
    pub before: u64,
    /// Lines the shown rewrite changed.
    pub n_changed_lines: usize,
}

/// The switch section's class attribute.
pub fn switch_class(on: bool) -> &'static str {
    if on {
        "panel rewrite-switch compact is-on"
    } else {
        "panel rewrite-switch compact"
    }
}

/// The switch: toggle, runtime picker with each choice's size, outcome.
pub fn switch(view: &SwitchView) -> String {
    let current = view.previews.iter().find(|p| p.choice == view.runtime);
    let available = current.is_some_and(|p| p.after.is_some());
    let mut out = format!(
        "<div class=\"switch-row\"><button type=\"button\" role=\"switch\" class=\"switch\" \
data-testid=\"rewrite-toggle\" aria-checked=\"{}\"{}>\
<span class=\"switch-track\" aria-hidden=\"true\"><span class=\"switch-thumb\"></span></span>\
<span class=\"switch-label\">Multi-stage build</span></button>\
<label class=\"field runtime-field\"><span>Runtime image</span>\
<select data-testid=\"runtime-select\"{}>",
        view.on,
        if !view.on && !available {
            " disabled"
        } else {
            ""
        },
        if view.previews.is_empty() {
            " disabled"
        } else {
            ""
        },
    );
    if view.previews.is_empty() {
        out.push_str("<option selected>computing…</option>");
    }
    for preview in view.previews {
        let label = match (preview.after, &preview.image) {
            (Some(after), Some(image)) if preview.choice == RuntimeChoice::Auto => {
                format!("auto ({image}): {}", human_size(after))
            }
            (Some(after), _) => format!("{}: {}", preview.choice.as_str(), human_size(after)),
            (None, _) => format!("{}: not possible", preview.choice.as_str()),
        };
        let _ = write!(
            out,
            "<option value=\"{}\"{}{}>{}</option>",
            preview.choice.as_str(),
            if preview.choice == view.runtime {
                " selected"
            } else {
                ""
            },
            if preview.after.is_none() {
                " disabled"
            } else {
                ""
            },
            escape(&label)
        );
    }
    out.push_str("</select></label></div>");
    if let Some(after) = current.and_then(|p| p.after) {
        let _ = write!(
            out,
            "<p class=\"rewrite-outcome\" data-testid=\"rewrite-outcome\"><span class=\"before\">{}</span> → <strong class=\"after\">{}</strong>",
            human_size(view.before),
            human_size(after)
        );
        if view.on && view.n_changed_lines > 0 {
            let _ = write!(
                out,
                "<span class=\"changed-note\"> · {} changed lines marked</span>",
                view.n_changed_lines
            );
        }
        out.push_str("</p>");
    }
    if let Some(refusal) = current
        .and_then(|p| p.refusal.as_ref())
        .filter(|_| !available)
    {
        let _ = write!(out, "<p class=\"hint\">No rewrite: {}</p>", escape(refusal));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::Rewrites;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_switch_offers_each_runtime_with_its_size() {
        let rewrites = Rewrites::new(&crate::derive::tests::seed_inputs());
        let off = switch(&SwitchView {
            on: false,
            runtime: RuntimeChoice::Auto,
            previews: &rewrites.previews,
            before: rewrites.before,
            n_changed_lines: 0,
        });
        assert!(off.contains("aria-checked=\"false\"") && !off.contains(" disabled>"));
        assert_eq!(off.matches("<option ").count(), RuntimeChoice::ALL.len());
        assert!(off.contains("data-testid=\"rewrite-outcome\""));
        let computing = switch(&SwitchView {
            on: false,
            runtime: RuntimeChoice::Auto,
            previews: &[],
            before: 0,
            n_changed_lines: 0,
        });
        assert!(computing.contains("computing…") && computing.contains("disabled"));
    }
}
