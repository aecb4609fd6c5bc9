//! The playground's root: the session reducer, the derived analyses and the
//! layout. Children get data and `on_<verb>` callbacks; only this component
//! dispatches.

use yew::prelude::*;

use crate::components::{
    ContextPanel, Editor, FindingsList, LayerTable, OptionsPanel, RewriteSwitch, SizeSummary,
    StatusLine, Toolbar,
};
use crate::derive::{self, Derived, Findings, Inputs, Rewrites};
use crate::examples;
use crate::hooks::{
    dispatcher, fix_callback, rewrite_callbacks, use_autosave, use_editor_marks, use_links_pasted,
    use_settled, EditorCallbacks,
};
use crate::share;
use crate::state::{Action, DeclaredFile, PageOptions, Session};
use crate::storage::{self, Theme};

/// How long the text must rest before findings and rewrites are recomputed.
const SETTLE_MS: u32 = 200;

#[component]
pub fn App() -> Html {
    let session = use_reducer(|| {
        let (shared, restored) = storage::initial(|| examples::EXAMPLES[0].to_shared());
        let mut session = Session::from_shared(shared);
        session.dirty = restored;
        session
    });
    let theme = use_state(storage::saved_theme);
    use_effect_with(*theme, |theme| storage::apply_theme(*theme));

    // The estimate follows every keystroke.
    let shown = Inputs::shown(&session);
    let derived = use_memo(shown.clone(), |inputs| {
        Derived::new(inputs, storage::now_ms)
    });
    // Findings and rewrites follow the settled text.
    let settled = use_settled(shown.clone(), SETTLE_MS);
    let findings = use_memo(settled.clone(), Findings::new);
    let person = Inputs::person(&session);
    let settled_person = use_settled(person.clone(), SETTLE_MS);
    use_autosave(&settled_person, session.dirty, &session.example);
    let rewrites = use_memo(settled_person, Rewrites::new);

    // Mark the rewrite's changed lines in the editor.
    let marks = use_editor_marks(&session, derived.marks.clone());

    use_links_pasted(&session);

    let EditorCallbacks {
        on_edit,
        on_select,
        on_hover,
        on_select_span,
        on_undo,
    } = EditorCallbacks::new(&session);
    let on_context: Callback<Vec<DeclaredFile>> = dispatcher(&session, Action::SetContext);
    let on_options: Callback<PageOptions> = dispatcher(&session, Action::SetOptions);
    let on_pick_example = {
        let session = session.clone();
        Callback::from(move |id: String| {
            session.dispatch(Action::Load(Box::new(examples::by_id(&id).to_shared())));
        })
    };
    let on_reset = {
        let session = session.clone();
        Callback::from(move |()| {
            storage::forget();
            session.dispatch(Action::Load(Box::new(
                examples::by_id(&session.example).to_shared(),
            )));
        })
    };
    let share_url = use_state(|| None::<AttrValue>);
    let on_copy_link = {
        let (session, share_url) = (session.clone(), share_url.clone());
        Callback::from(move |()| {
            let shared = session.to_shared();
            storage::keep(&shared);
            let link = storage::link_for(&storage::page_url(), &share::encode(&shared));
            storage::copy_to_clipboard(&link);
            share_url.set(Some(link.into()));
        })
    };
    let on_toggle_theme = {
        let theme = theme.clone();
        Callback::from(move |()| {
            // Flip what is showing; the first flip leaves "system".
            theme.set(match theme.effective() {
                Theme::Dark => Theme::Light,
                _ => Theme::Dark,
            });
        })
    };
    let (on_toggle_rewrite, on_pick_runtime) = rewrite_callbacks(&session, &rewrites);
    let on_apply_fix = fix_callback(&session, &findings);

    let rewrite_on = session.rewrite.is_some();
    let findings_current = *findings.text == *session.text;
    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand">{ "Layerlens" }<small>{ " see the image size before you build" }</small></h1>
                <Toolbar
                    example={AttrValue::from(session.example.clone())}
                    undo_label={session.undo.last().map(|s| AttrValue::from(s.label.clone()))}
                    theme={*theme}
                    {on_pick_example}
                    {on_reset}
                    on_undo={on_undo.clone()}
                    {on_copy_link}
                    {on_toggle_theme}
                    share_url={(*share_url).clone()}
                />
            </header>
            <main class="panes">
                <section class="pane pane-editor" aria-label="Dockerfile">
                    <RewriteSwitch
                        on={rewrite_on}
                        runtime={session.runtime}
                        previews={rewrites.previews.clone()}
                        before={rewrites.before}
                        n_changed_lines={marks.changed_lines.len()}
                        notes={rewrites.notes(session.runtime)}
                        on_toggle={on_toggle_rewrite}
                        {on_pick_runtime}
                    />
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
                    />
                    <OptionsPanel options={session.options.clone()} on_change={on_options} />
                    <ContextPanel files={session.context.clone()} on_change={on_context} />
                </section>
                <section class="pane pane-results" aria-label="Estimate">
                    <SizeSummary
                        estimate={derived.estimate.clone()}
                        before={rewrite_on.then_some(rewrites.before)}
                    />
                    <LayerTable
                        estimate={derived.estimate.clone()}
                        caret={Some(session.selection.start)}
                        {on_hover}
                        on_select_span={on_select_span.clone()}
                    />
                    <FindingsList
                        findings={findings.views.clone()}
                        stale={!findings_current}
                        {on_select_span}
                        {on_apply_fix}
                    />
                </section>
            </main>
            <StatusLine
                n_instructions={derived.n_instructions}
                n_errors={derived.n_errors}
                n_lines={derived.n_lines}
                analysis_ms={derived.elapsed_ms}
                data_date={AttrValue::from(derive::data_date(&session.options))}
            />
        </div>
    }
}
