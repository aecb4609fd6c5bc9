//! The playground's hooks and callback builders, so its root component
//! (`app.rs`) only wires them together.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use layerlens::Span;
use yew::prelude::*;

use crate::derive::{self, Findings, Inputs, Rewrites};
use crate::highlight::EditorMarks;
use crate::state::{Action, RuntimeChoice, Session};
use crate::storage;

/// `value`, once it has stayed the same for `delay_ms`: slow derived work
/// (findings, rewrite previews) follows the settled text, not every keystroke.
/// The first value is returned at once.
#[hook]
pub fn use_settled<T>(value: T, delay_ms: u32) -> T
where
    T: Clone + PartialEq + 'static,
{
    let settled = use_state(|| value.clone());
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let settled = settled.clone();
        use_effect_with(value, move |value| {
            if *value == *settled {
                *timer.borrow_mut() = None;
            } else {
                let value = value.clone();
                *timer.borrow_mut() = Some(Timeout::new(delay_ms, move || settled.set(value)));
            }
        });
    }
    (*settled).clone()
}

/// An element id unique in the page (`{prefix}-{n}`), stable for the
/// component's life, so several widgets can share one document.
#[hook]
pub fn use_unique_id(prefix: &'static str) -> AttrValue {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = use_state(|| {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        AttrValue::from(format!("{prefix}-{n}"))
    });
    (*id).clone()
}

/// The editor's marks: the analysis's own, plus the lines the shown rewrite
/// changed (so the person sees what the switch did).
#[hook]
pub fn use_editor_marks(
    session: &UseReducerHandle<Session>,
    base: Rc<EditorMarks>,
) -> Rc<EditorMarks> {
    let changed = derive::rewrite_changes(session);
    let marks = use_memo((base, changed), |(base, changed)| {
        base.with_changed_lines(changed.clone())
    });
    (*marks).clone()
}

/// The callbacks every editor-and-table view hands its children.
pub struct EditorCallbacks {
    pub on_edit: Callback<(String, Span)>,
    pub on_select: Callback<Span>,
    pub on_hover: Callback<Option<Span>>,
    pub on_select_span: Callback<Span>,
    pub on_undo: Callback<()>,
}

impl EditorCallbacks {
    /// Each dispatches its action to `session`.
    pub fn new(session: &UseReducerHandle<Session>) -> Self {
        Self {
            on_edit: dispatcher(session, |(text, selection)| Action::Edit(text, selection)),
            on_select: dispatcher(session, Action::Select),
            on_hover: dispatcher(session, Action::Hover),
            on_select_span: dispatcher(session, Action::RequestSelect),
            on_undo: dispatcher(session, |()| Action::Undo),
        }
    }
}

/// A callback that dispatches `make(value)` to the session.
pub fn dispatcher<T: 'static>(
    session: &UseReducerHandle<Session>,
    make: fn(T) -> Action,
) -> Callback<T> {
    let session = session.clone();
    Callback::from(move |value| session.dispatch(make(value)))
}

/// The multi-stage switch's two callbacks, `on_toggle` and
/// `on_pick_runtime`, over the person's text (never over a shown rewrite).
pub fn rewrite_callbacks(
    session: &UseReducerHandle<Session>,
    rewrites: &Rc<Rewrites>,
) -> (Callback<bool>, Callback<RuntimeChoice>) {
    let rewrite_of = |session: &Session, rewrites: &Rewrites, choice| {
        rewrites.output_for(&Inputs::person(session), choice)
    };
    let on_toggle = {
        let (session, rewrites) = (session.clone(), rewrites.clone());
        Callback::from(move |on: bool| {
            if !on {
                session.dispatch(Action::HideRewrite);
            } else if let Some(output) = rewrite_of(&session, &rewrites, session.runtime) {
                session.dispatch(Action::ShowRewrite(output));
            }
        })
    };
    let on_pick_runtime = {
        let (session, rewrites) = (session.clone(), rewrites.clone());
        Callback::from(move |choice: RuntimeChoice| {
            let output = session
                .rewrite
                .is_some()
                .then(|| rewrite_of(&session, &rewrites, choice))
                .flatten();
            session.dispatch(Action::SetRuntime(choice, output));
        })
    };
    (on_toggle, on_pick_runtime)
}

/// Autosave the person's settled inputs once they changed anything (the
/// settled text is enough, and encoding it per keystroke is not free).
#[hook]
pub fn use_autosave(settled: &Inputs, dirty: bool, example: &str) {
    use_effect_with(
        (settled.clone(), dirty, example.to_owned()),
        |(inputs, dirty, example)| {
            if *dirty {
                storage::keep(&inputs.to_shared(example));
            }
        },
    );
}

/// A share link pasted into this tab's address bar only changes the
/// fragment: load it. (Our own `replaceState` never fires `hashchange`.)
#[hook]
pub fn use_links_pasted(session: &UseReducerHandle<Session>) {
    let session = session.clone();
    use_effect_with((), move |()| {
        let listener = storage::on_hash_change(move |shared| {
            session.dispatch(Action::Load(Box::new(shared)));
        });
        move || drop(listener)
    });
}

/// Apply finding `index`'s fix, only while the findings are for the text
/// shown (fixes were computed for the settled text, never another).
pub fn fix_callback(
    session: &UseReducerHandle<Session>,
    findings: &Rc<Findings>,
) -> Callback<usize> {
    let (session, findings) = (session.clone(), findings.clone());
    Callback::from(move |index: usize| {
        if *findings.text != *session.text {
            return;
        }
        if let Some(text) = findings.fixed_text(index) {
            let label = findings
                .views
                .get(index)
                .map_or_else(String::new, |v| v.rule.to_string());
            session.dispatch(Action::ApplyFix { text, label });
        }
    })
}
