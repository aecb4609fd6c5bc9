//! The compact widget: editor, total, layer bars, the multi-stage switch and
//! a link that opens the same text in the playground.
//!
//! It is written with plain DOM calls rather than Yew, because it ships on
//! other people's pages under a size budget: Yew's runtime and the code its
//! `html!` templates expand to cost ~60 KB gzipped, more than the widget's
//! own logic. Everything but the DOM is shared with the playground: the
//! session reducer (`state.rs`), the derived analysis and rewrite previews
//! (`derive.rs`), the editor's painting (`highlight.rs`), its key handling
//! (`textarea.rs`), the stylesheet and the markup (`view/`).
//!
//! One [`Widget`] per mount, its own session, so several widgets on a page
//! never share state. Events are delegated to the widget's regions
//! (`events.rs`); a region is redrawn only when its string changed, the
//! interactive ones in place (`morph.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use layerlens::LineIndex;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::Reducible;

use super::morph::morph;
use super::view::{self, SwitchView};
use super::WidgetConfig;
use crate::derive::{self, Derived, Inputs, Rewrites};
use crate::share;
use crate::state::{Action, RuntimeChoice, Session};
use crate::storage;
use crate::textarea::reveal;

/// How long the text must rest before the rewrite previews are recomputed.
const SETTLE_MS: u32 = 200;

/// Regions from this index on are morphed rather than replaced.
const MORPHED_FROM: usize = 5;

/// The regions `view::shell` leaves for the widget to fill.
const REGIONS: [&str; 10] = [
    "scroller",
    "gutter",
    "code",
    "bands",
    "highlight",
    "diagnostic",
    "switch",
    "summary",
    "layers",
    "link",
];

/// One live widget.
pub struct Widget {
    pub(super) area: HtmlTextAreaElement,
    /// Elements of [`REGIONS`], in that order.
    pub(super) regions: Vec<Element>,
    /// What each region was last given (HTML, or an attribute for `code`/`link`).
    written: Vec<String>,
    pub(super) session: Rc<Session>,
    /// The analysis of the shown text.
    derived: (Inputs, Rc<Derived>),
    /// Rewrite previews of the person's settled inputs, and those inputs.
    rewrites: (Inputs, Rc<Rewrites>),
    /// The person's text the pending settle timer will preview.
    pending: Option<(Inputs, Timeout)>,
    /// Base-image groups the reader opened.
    pub(super) expanded: Vec<String>,
    /// After Escape, Tab leaves the editor instead of indenting.
    pub(super) tab_leaves: bool,
    pub(super) readonly: bool,
    playground: String,
    /// "Open in playground" for the settled inputs.
    link: String,
    /// The last select request revealed.
    revealed: Option<u32>,
}

/// A widget, shared by its event listeners and timer.
pub(super) type Handle = Rc<RefCell<Widget>>;

/// Build a widget inside `container` (its content is replaced); it runs
/// while the returned [`Mounted`] lives. `None` when the DOM refuses.
pub fn mount(
    container: &Element,
    config: WidgetConfig,
    playground: &str,
    label: &str,
) -> Option<Mounted> {
    static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let shell = view::shell(
        label,
        config.readonly,
        config.height.as_deref(),
        &format!("layerlens-diagnostic-{id}"),
    );
    container.set_inner_html(&shell);
    let find = |selector: &str| container.query_selector(selector).ok().flatten();
    let area: HtmlTextAreaElement = find("textarea")?.dyn_into().ok()?;
    let regions = REGIONS
        .iter()
        .map(|name| find(&format!("[data-region=\"{name}\"]")))
        .collect::<Option<Vec<Element>>>()?;
    let session = Session {
        runtime: config.runtime,
        ..Session::from_shared(config.shared)
    };
    let inputs = Inputs::shown(&session);
    let widget = Widget {
        derived: (
            inputs.clone(),
            Rc::new(Derived::new(&inputs, storage::now_ms)),
        ),
        link: link_to(playground, &Inputs::person(&session)),
        rewrites: {
            let person = Inputs::person(&session);
            let rewrites = Rc::new(Rewrites::new(&person));
            (person, rewrites)
        },
        area,
        written: vec![String::new(); REGIONS.len()],
        regions,
        session: Rc::new(session),
        pending: None,
        expanded: Vec::new(),
        tab_leaves: false,
        readonly: config.readonly,
        playground: playground.to_owned(),
        revealed: None,
    };
    let handle: Handle = Rc::new(RefCell::new(widget));
    handle.borrow_mut().render(&handle);
    let listeners = super::events::listen(&handle);
    Some(Mounted { handle, listeners })
}

/// A live widget: its state and its event listeners.
pub struct Mounted {
    handle: Handle,
    listeners: Vec<EventListener>,
}

impl Mounted {
    /// Keep the widget for as long as the page lives (the tutorial's steps,
    /// the `#embed` frame).
    pub fn keep_for_page(mut self) {
        for listener in std::mem::take(&mut self.listeners) {
            listener.forget();
        }
        // Its state too: the listeners share it.
        std::mem::forget(self);
    }
}

impl Drop for Mounted {
    /// Removing the listeners drops their hold on the widget; a waiting
    /// settle timer holds it too, so it goes first.
    fn drop(&mut self) {
        if let Ok(mut widget) = self.handle.try_borrow_mut() {
            widget.pending = None;
        }
    }
}

/// "Open in playground" for `inputs` (the settled text: no encoding per
/// keystroke).
fn link_to(playground: &str, inputs: &Inputs) -> String {
    storage::link_for(playground, &share::encode_stored(&inputs.to_shared("")))
}

/// Run `change` on the widget unless it is busy: events our own DOM writes
/// cause synchronously (a focus, a blur) arrive while it is, and need nothing.
pub(super) fn with(handle: &Handle, change: impl FnOnce(&mut Widget, &Handle)) {
    if let Ok(mut widget) = handle.try_borrow_mut() {
        change(&mut widget, handle);
    }
}

/// Apply `action`, re-render, then reveal a newly requested selection (after
/// the borrow ends: focusing the textarea fires events of its own).
pub(super) fn dispatch(handle: &Handle, action: Action) {
    let mut reveal_now = None;
    with(handle, |widget, handle| {
        let next = widget.session.clone().reduce(action);
        if Rc::ptr_eq(&next, &widget.session) {
            return;
        }
        widget.session = next;
        widget.render(handle);
        if let Some(request) = widget.session.select_request {
            if widget.revealed != Some(request.seq) {
                widget.revealed = Some(request.seq);
                let scroller = widget.regions[0].clone().dyn_into::<HtmlElement>().ok();
                reveal_now = Some((
                    widget.area.clone(),
                    scroller,
                    widget.session.text.clone(),
                    request.span,
                ));
            }
        }
    });
    if let Some((area, scroller, text, span)) = reveal_now {
        reveal(&area, scroller, &text, span);
    }
}

impl Widget {
    /// Bring every region up to date with the session.
    pub(super) fn render(&mut self, handle: &Handle) {
        let session = self.session.clone();
        let inputs = Inputs::shown(&session);
        if self.derived.0 != inputs {
            let derived = Rc::new(Derived::new(&inputs, storage::now_ms));
            self.derived = (inputs, derived);
        }
        self.settle(handle);
        let derived = self.derived.1.clone();
        let marks = derived
            .marks
            .with_changed_lines(derive::rewrite_changes(&session));
        if self.area.value() != *session.text {
            self.area.set_value(&session.text);
        }
        let _ = if marks.diagnostics.is_empty() {
            self.area.remove_attribute("aria-invalid")
        } else {
            self.area.set_attribute("aria-invalid", "true")
        };
        let lines = LineIndex::new(&session.text);
        let caret_line = lines.line_of(session.selection.start);
        let estimate = &derived.estimate;
        let rewrite_on = session.rewrite.is_some();
        self.write(1, marks.gutter_html());
        self.write_attribute(2, "style", view::code_size(&marks));
        self.write(3, view::bands(&lines, &marks, session.hovered));
        self.write(4, view::highlight(&marks));
        self.write(5, view::diagnostic(&marks, caret_line, self.readonly));
        let _ = self.regions[6].set_attribute("class", view::switch_class(rewrite_on));
        self.write(
            6,
            view::switch(&SwitchView {
                on: rewrite_on,
                runtime: session.runtime,
                previews: &self.rewrites.1.previews,
                before: self.rewrites.1.before,
                n_changed_lines: marks.changed_lines.len(),
            }),
        );
        // A select the person changed no longer follows `selected`.
        let select = self.regions[6].query_selector("select").ok().flatten();
        if let Some(select) = select.and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            if !self.rewrites.1.previews.is_empty() {
                select.set_value(session.runtime.as_str());
            }
        }
        let before = rewrite_on.then_some(self.rewrites.1.before);
        self.write(7, view::summary(estimate, before));
        let caret_row = estimate.row_at(session.selection.start);
        self.write(8, view::layers(estimate, caret_row, &self.expanded));
        let link = self.link.clone();
        self.write_attribute(9, "href", link);
    }

    /// Set region `index`'s HTML when it changed: the editor's painted
    /// layers are replaced outright, the panels people interact with are
    /// morphed so their nodes (and focus) stay.
    fn write(&mut self, index: usize, html: String) {
        if self.written[index] == html {
            return;
        }
        let region = &self.regions[index];
        if index < MORPHED_FROM {
            region.set_inner_html(&html);
        } else {
            morph(region, &html);
        }
        self.written[index] = html;
    }

    fn write_attribute(&mut self, index: usize, name: &str, value: String) {
        if self.written[index] != value {
            let _ = self.regions[index].set_attribute(name, &value);
            self.written[index] = value;
        }
    }

    /// Start (or keep) the settle timer when the person's inputs differ
    /// from the ones the previews were made for.
    fn settle(&mut self, handle: &Handle) {
        let person = Inputs::person(&self.session);
        if self.rewrites.0 == person {
            self.pending = None;
            return;
        }
        if self
            .pending
            .as_ref()
            .is_some_and(|(pending, _)| *pending == person)
        {
            return;
        }
        let handle = handle.clone();
        let target = person.clone();
        let timer = Timeout::new(SETTLE_MS, move || {
            with(&handle, |widget, handle| {
                widget.pending = None;
                if Inputs::person(&widget.session) == target {
                    let rewrites = Rc::new(Rewrites::new(&target));
                    widget.link = link_to(&widget.playground, &target);
                    widget.rewrites = (target, rewrites);
                    widget.render(handle);
                }
            });
        });
        self.pending = Some((person, timer));
    }

    /// The rewrite of the person's text for `choice` (from the previews when
    /// they are for the current text).
    pub(super) fn rewrite_for(&self, choice: RuntimeChoice) -> Option<String> {
        self.rewrites
            .1
            .output_for(&Inputs::person(&self.session), choice)
    }
}
