//! Helpers for the component tests: mount into a fresh element, query by
//! `data-testid`, fire events, record callbacks.

#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::{BaseComponent, Callback};

/// The page's stylesheet, so layout (the growing textarea, hidden basis
/// text) behaves as on the page.
const APP_CSS: &str = include_str!("../../styles/app.css");

/// A fresh element attached to the body to mount a component into.
pub fn root() -> Element {
    let document = gloo_document();
    if document.get_element_by_id("app-css").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("app-css");
        style.set_text_content(Some(APP_CSS));
        document.head().unwrap().append_child(&style).unwrap();
    }
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

pub fn gloo_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mount `C` with `props` into a fresh root and let it render.
pub async fn mount<C>(props: C::Properties) -> Element
where
    C: BaseComponent,
{
    let root = root();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// All elements under `root` with `data-testid="{id}"`.
pub fn all(root: &Element, id: &str) -> Vec<HtmlElement> {
    let list = root
        .query_selector_all(&format!("[data-testid=\"{id}\"]"))
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// The one element with `data-testid="{id}"`.
pub fn one(root: &Element, id: &str) -> HtmlElement {
    let found = all(root, id);
    assert_eq!(found.len(), 1, "expected one [data-testid={id}]");
    found.into_iter().next().unwrap()
}

/// The first element matching a CSS selector.
pub fn select(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into()
        .unwrap()
}

/// A callback that records every value it gets.
pub fn recorder<T: 'static>() -> (Callback<T>, Rc<RefCell<Vec<T>>>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    (
        Callback::from(move |value| sink.borrow_mut().push(value)),
        seen,
    )
}

/// Fire a bubbling event of `kind` (`input`, `change`, `focus`, …).
pub fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Fire a `keydown` for `key` (with Shift when asked).
pub fn key_down(target: &Element, key: &str, shift: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap()
}

/// Dispatches a (non-bubbling) `focus` or `blur` event at `target`.
/// `element.focus()` fires none in a headless Chromium whose window does not
/// have the system's focus (seen with Chromium 148), so tests of what focus
/// does dispatch the event themselves, as they do for the mouse.
pub fn focus_event(target: &Element, kind: &str) {
    let init = web_sys::FocusEventInit::new();
    // `focusin`/`focusout` bubble, as the browser's own do.
    init.set_bubbles(kind == "focusin" || kind == "focusout");
    let event = web_sys::FocusEvent::new_with_focus_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Fire a `mouseenter`-style event (does not bubble) or a click.
pub fn mouse(target: &Element, kind: &str) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(kind != "mouseenter" && kind != "mouseleave");
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}
