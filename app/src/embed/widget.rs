//! The compact widget: editor, total, layer bars, the multi-stage switch and
//! a link that opens the same text in the playground. It owns its own
//! session reducer, so several widgets on one page never share state.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{Editor, LayerTable, RewriteSwitch, SizeSummary};
use crate::derive::{Derived, Inputs, Rewrites};
use crate::hooks::{rewrite_callbacks, use_editor_marks, use_settled, EditorCallbacks};
use crate::share::{self, Shared};
use crate::state::{RuntimeChoice, Session};
use crate::storage;

/// How long the text must rest before the rewrite previews are recomputed.
const SETTLE_MS: u32 = 200;

/// One widget's starting point and frame.
#[derive(Properties, Clone, PartialEq)]
pub struct WidgetProps {
    /// Text, declared context and options at the start.
    pub initial: Shared,
    /// The rewrite's runtime choice at the start.
    #[prop_or_default]
    pub runtime: RuntimeChoice,
    /// The editor takes no edits.
    #[prop_or_default]
    pub readonly: bool,
    /// The editor's visible height (a CSS length).
    #[prop_or_default]
    pub height: Option<AttrValue>,
    /// The playground's URL ("open in playground" adds `#s=…`).
    pub playground: AttrValue,
    /// The editor's accessible name.
    #[prop_or(AttrValue::Static("Dockerfile"))]
    pub label: AttrValue,
}

#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let session = {
        let (initial, runtime) = (props.initial.clone(), props.runtime);
        use_reducer(move || Session {
            runtime,
            ..Session::from_shared(initial)
        })
    };
    let shown = Inputs {
        text: session.text.clone(),
        context: session.context.clone(),
        options: session.options.clone(),
    };
    let derived = use_memo(shown.clone(), |inputs| {
        Derived::new(inputs, storage::now_ms)
    });
    let person = Inputs {
        text: Rc::from(session.person_text()),
        ..shown
    };
    let settled = use_settled(person, SETTLE_MS);
    let rewrites = use_memo(settled.clone(), Rewrites::new);
    // The link carries the settled text (no deflate per keystroke).
    let link = {
        let playground = props.playground.clone();
        use_memo(settled, move |inputs| {
            let shared = Shared {
                text: inputs.text.to_string(),
                context: (*inputs.context).clone(),
                options: inputs.options.clone(),
                example: String::new(),
            };
            storage::link_for(&playground, &share::encode_stored(&shared))
        })
    };
    let marks = use_editor_marks(&session, derived.marks.clone());

    let EditorCallbacks {
        on_edit,
        on_select,
        on_hover,
        on_select_span,
        on_undo,
    } = EditorCallbacks::new(&session);
    let (on_toggle, on_pick_runtime) = rewrite_callbacks(&session, &rewrites);

    let rewrite_on = session.rewrite.is_some();
    html! {
        <div class="layerlens-widget" data-testid="layerlens-widget">
            <div class="widget-main">
                <Editor
                    text={session.text.clone()}
                    marks={marks.clone()}
                    {on_edit}
                    {on_select}
                    on_undo={Some(on_undo)}
                    undo_is_fresh={session.undo_is_fresh}
                    highlight={session.hovered}
                    selection={session.selection}
                    select_request={session.select_request}
                    readonly={props.readonly}
                    compact=true
                    height={props.height.clone()}
                    label={props.label.clone()}
                />
                <RewriteSwitch
                    on={rewrite_on}
                    runtime={session.runtime}
                    previews={rewrites.previews.clone()}
                    before={rewrites.before}
                    n_changed_lines={marks.changed_lines.len()}
                    notes={rewrites.notes(session.runtime)}
                    {on_toggle}
                    {on_pick_runtime}
                    compact=true
                />
            </div>
            <div class="widget-results">
                <SizeSummary
                    estimate={derived.estimate.clone()}
                    before={rewrite_on.then_some(rewrites.before)}
                    compact=true
                />
                <LayerTable
                    estimate={derived.estimate.clone()}
                    caret={Some(session.selection.start)}
                    {on_hover}
                    {on_select_span}
                    compact=true
                />
                <p class="widget-footer">
                    <a
                        href={(*link).clone()}
                        target="_blank"
                        rel="noopener"
                        data-testid="open-in-playground"
                    >{ "Open in the Layerlens playground ↗" }</a>
                </p>
            </div>
        </div>
    }
}
