//! The multi-stage switch: one click shows the rewrite (changed lines are
//! marked in the editor), the runtime picker shows each option's predicted
//! size, and switching off restores the person's text.

use std::rc::Rc;

use layerlens::estimate::human_size;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::RuntimeChoice;

/// What one runtime choice would give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimePreview {
    /// The choice.
    pub choice: RuntimeChoice,
    /// Predicted final size with it, when the rewrite applies.
    pub after: Option<u64>,
    /// The runtime image it picks (`scratch`, `alpine:3.17`, …).
    pub image: Option<String>,
    /// Why the rewrite does nothing, when it does nothing.
    pub refusal: Option<String>,
}

/// What the switch shows and reports.
#[derive(Properties, PartialEq)]
pub struct RewriteSwitchProps {
    /// The rewrite is shown.
    pub on: bool,
    /// The runtime picked.
    pub runtime: RuntimeChoice,
    /// Each runtime's outcome; empty while being computed.
    pub previews: Rc<Vec<RuntimePreview>>,
    /// The person's final size (before the rewrite).
    pub before: u64,
    /// Lines the rewrite changes (while shown).
    #[prop_or_default]
    pub n_changed_lines: usize,
    /// Notes the rewrite wants the person to check.
    #[prop_or_default]
    pub notes: Rc<Vec<String>>,
    /// Turn the rewrite on or off.
    pub on_toggle: Callback<bool>,
    /// Pick a runtime.
    pub on_pick_runtime: Callback<RuntimeChoice>,
}

#[component]
pub fn RewriteSwitch(props: &RewriteSwitchProps) -> Html {
    let current = props.previews.iter().find(|p| p.choice == props.runtime);
    let refusal = current.and_then(|p| p.refusal.clone());
    let available = current.is_some_and(|p| p.after.is_some());
    let on_click = {
        let (on, on_toggle) = (props.on, props.on_toggle.clone());
        Callback::from(move |_: MouseEvent| on_toggle.emit(!on))
    };
    let on_change = {
        let on_pick_runtime = props.on_pick_runtime.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                on_pick_runtime.emit(RuntimeChoice::parse(&select.value()).unwrap_or_default());
            }
        })
    };
    let option_label = |preview: &RuntimePreview| match (preview.after, &preview.image) {
        (Some(after), Some(image)) if preview.choice == RuntimeChoice::Auto => {
            format!("auto ({image}): {}", human_size(after))
        }
        (Some(after), _) => format!("{}: {}", preview.choice.as_str(), human_size(after)),
        (None, _) => format!("{}: not possible", preview.choice.as_str()),
    };
    let outcome = current.and_then(|p| p.after).map(|after| {
        html! {
            <p class="rewrite-outcome" data-testid="rewrite-outcome">
                <span class="before">{ human_size(props.before) }</span>
                { " → " }
                <strong class="after">{ human_size(after) }</strong>
                if props.on && props.n_changed_lines > 0 {
                    <span class="changed-note">{ format!(" · {} changed lines marked", props.n_changed_lines) }</span>
                }
            </p>
        }
    });

    html! {
        <section class={classes!("panel", "rewrite-switch", props.on.then_some("is-on"))} role="group" aria-label="Multi-stage rewrite">
            <div class="switch-row">
                <button
                    type="button"
                    role="switch"
                    class="switch"
                    data-testid="rewrite-toggle"
                    aria-checked={if props.on { "true" } else { "false" }}
                    disabled={!props.on && !available}
                    onclick={on_click}
                >
                    <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
                    <span class="switch-label">{ "Multi-stage build" }</span>
                </button>
                <label class="field runtime-field">
                    <span>{ "Runtime image" }</span>
                    <select data-testid="runtime-select" onchange={on_change} disabled={props.previews.is_empty()}>
                        if props.previews.is_empty() {
                            <option selected=true>{ "computing…" }</option>
                        }
                        { for props.previews.iter().map(|preview| html! {
                            <option value={preview.choice.as_str()} selected={preview.choice == props.runtime} disabled={preview.after.is_none()}>
                                { option_label(preview) }
                            </option>
                        }) }
                    </select>
                </label>
            </div>
            { for outcome }
            if let Some(refusal) = refusal.filter(|_| !available) {
                <p class="hint">{ format!("No rewrite: {refusal}") }</p>
            }
            if props.on && !props.notes.is_empty() {
                <ul class="rewrite-notes">{ for props.notes.iter().map(|note| html! { <li>{ note }</li> }) }</ul>
            }
            if props.on {
                <p class="hint">{ "Switch off to get your own text back exactly; edit the rewrite to keep it." }</p>
            }
        </section>
    }
}
