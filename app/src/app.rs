//! The playground's root: the session reducer, the derived analysis and the
//! layout. Children get data and `on_<verb>` callbacks; only this component
//! dispatches.

use std::rc::Rc;

use layerlens::Span;
use yew::prelude::*;

use crate::components::{ContextPanel, Editor, OptionsPanel, StatusLine, Toolbar};
use crate::derive::{Derived, Inputs};
use crate::examples;
use crate::state::{Action, DeclaredFile, PageOptions, Session};
use crate::storage::{self, Theme};

#[component]
pub fn App() -> Html {
    let session = use_reducer(|| {
        let (shared, restored) = storage::initial(|| examples::EXAMPLES[0].to_shared());
        let mut session = Session::from_shared(shared);
        session.dirty = restored;
        session
    });
    let theme = use_state(storage::saved_theme);
    {
        use_effect_with(*theme, |theme| storage::apply_theme(*theme));
    }
    let derived = {
        let inputs = Inputs {
            text: session.text.clone(),
            context: session.context.clone(),
            options: session.options.clone(),
        };
        use_memo(inputs, |inputs| Derived::new(inputs, storage::now_ms))
    };
    // Autosave and keep the link current once the person changed anything.
    {
        let shared = session.to_shared();
        let dirty = session.dirty;
        use_effect_with((shared, dirty), |(shared, dirty)| {
            if *dirty {
                storage::keep(shared);
            }
        });
    }

    let on_edit = {
        let session = session.clone();
        Callback::from(move |(text, selection): (String, Span)| {
            session.dispatch(Action::Edit(text));
            session.dispatch(Action::Select(selection));
        })
    };
    let on_select = {
        let session = session.clone();
        Callback::from(move |span: Span| session.dispatch(Action::Select(span)))
    };
    let on_undo = {
        let session = session.clone();
        Callback::from(move |()| session.dispatch(Action::Undo))
    };
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
            let mut shared = examples::by_id(&session.example).to_shared();
            shared.example.clone_from(&session.example);
            session.dispatch(Action::Load(Box::new(shared)));
        })
    };
    let on_copy_link = {
        let session = session.clone();
        Callback::from(move |()| {
            let shared = session.to_shared();
            storage::keep(&shared);
            storage::copy_to_clipboard(&storage::link_for(&storage::page_url(), &shared));
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
    let on_context = {
        let session = session.clone();
        Callback::from(move |files: Vec<DeclaredFile>| session.dispatch(Action::SetContext(files)))
    };
    let on_options = {
        let session = session.clone();
        Callback::from(move |options: PageOptions| session.dispatch(Action::SetOptions(options)))
    };

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
                />
            </header>
            <main class="panes">
                <section class="pane pane-editor" aria-label="Dockerfile">
                    <Editor
                        text={session.text.clone()}
                        marks={derived.marks.clone()}
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
                </section>
            </main>
            <StatusLine
                n_instructions={derived.n_instructions}
                n_errors={derived.n_errors}
                n_lines={derived.n_lines}
                analysis_ms={derived.elapsed_ms}
            />
        </div>
    }
}

/// Keep `Rc` in scope for readers of this module's callbacks.
#[allow(dead_code)]
type _RcUsed = Rc<()>;
