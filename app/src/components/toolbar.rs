//! The top bar: examples menu, Reset, Undo, Copy link and the theme toggle.

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::examples::EXAMPLES;
use crate::storage::Theme;

/// What the toolbar shows and reports.
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// Id of the example the session started from.
    pub example: AttrValue,
    /// Label of the change Undo would revert, if any.
    pub undo_label: Option<AttrValue>,
    /// The theme choice.
    pub theme: Theme,
    /// An example was picked.
    pub on_pick_example: Callback<String>,
    /// Reset to the current example.
    pub on_reset: Callback<()>,
    /// Undo the last rewrite or fix.
    pub on_undo: Callback<()>,
    /// Copy the share link; returns nothing, the bar shows "Copied".
    pub on_copy_link: Callback<()>,
    /// Switch the theme.
    pub on_toggle_theme: Callback<()>,
    /// The last link copied, shown for copying by hand.
    #[prop_or_default]
    pub share_url: Option<AttrValue>,
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let copied = use_state(|| false);
    let on_change = {
        let on_pick_example = props.on_pick_example.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                on_pick_example.emit(select.value());
            }
        })
    };
    let on_copy = {
        let (copied, on_copy_link) = (copied.clone(), props.on_copy_link.clone());
        Callback::from(move |_: MouseEvent| {
            on_copy_link.emit(());
            copied.set(true);
        })
    };
    let theme_label = match props.theme {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    html! {
        <nav class="toolbar" aria-label="Playground">
            <label class="field">
                <span>{ "Example" }</span>
                <select data-testid="example-select" onchange={on_change}>
                    { for EXAMPLES.iter().map(|example| html! {
                        <option value={example.id} selected={example.id == props.example.as_str()}>{ example.title }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={props.on_reset.reform(|_| ())} title="Start over from the selected example">{ "Reset" }</button>
            <button
                type="button"
                data-testid="undo"
                disabled={props.undo_label.is_none()}
                onclick={props.on_undo.reform(|_| ())}
                title={props.undo_label.as_ref().map(|label| format!("Undo {label}"))}
            >{ "Undo" }</button>
            <button type="button" data-testid="share-link" onclick={on_copy}>
                { if *copied { "Link copied" } else { "Copy link" } }
            </button>
            if let Some(url) = props.share_url.clone() {
                <input class="share-url" data-testid="share-url" readonly=true aria-label="Share link" value={url} onfocus={Callback::from(|event: FocusEvent| {
                    if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                })} />
            }
            <button type="button" class="theme-toggle" onclick={props.on_toggle_theme.reform(|_| ())} aria-label={theme_label} title={theme_label}>
                { match props.theme { Theme::System => "◐", Theme::Light => "☀", Theme::Dark => "☾" } }
            </button>
        </nav>
    }
}
