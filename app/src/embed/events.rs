//! The widget's events, delegated to its regions: typing and caret moves in
//! the textarea, its keys (Tab, Ctrl+Z), the switch and runtime picker,
//! hovering and activating table rows.

use gloo_events::{EventListener, EventListenerOptions};
use layerlens::Span;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlSelectElement, KeyboardEvent};

use super::view;
use super::widget::{dispatch, with, Handle};
use crate::state::{Action, RuntimeChoice};
use crate::textarea::{handle_key, selection_of};

/// The element `event` happened on, or its closest ancestor matching
/// `selector`.
fn closest(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// A row's span to hover (`data-hover`), if the event is on one.
fn hovered_row(event: &Event) -> Option<Span> {
    closest(event, "tr[data-hover]")
        .and_then(|row| row.get_attribute("data-hover"))
        .and_then(|text| view::parse_span(&text))
}

/// Activate a table row: select its instruction, or open/close its group.
fn activate_row(handle: &Handle, row: &Element) {
    if let Some(group) = row.get_attribute("data-group") {
        with(handle, |widget, handle| {
            match widget.expanded.iter().position(|open| *open == group) {
                Some(at) => {
                    widget.expanded.remove(at);
                }
                None => widget.expanded.push(group),
            }
            widget.render(handle);
        });
    } else if let Some(span) = row
        .get_attribute("data-span")
        .and_then(|text| view::parse_span(&text))
    {
        dispatch(handle, Action::RequestSelect(span));
    }
}

/// Wire the widget's events. The listeners stay while the returned values
/// live; dropping them removes the listeners and their hold on the widget.
pub(super) fn listen(handle: &Handle) -> Vec<EventListener> {
    let listeners = std::cell::RefCell::new(Vec::new());
    let (area, switch, layers) = {
        let widget = handle.borrow();
        (
            widget.area.clone(),
            widget.regions[6].clone(),
            widget.regions[8].clone(),
        )
    };
    let on = |target: &web_sys::EventTarget, kind: &'static str, callback: Box<dyn Fn(&Event)>| {
        listeners.borrow_mut().push(EventListener::new_with_options(
            target,
            kind,
            EventListenerOptions::enable_prevent_default(),
            move |event| callback(event),
        ));
    };

    let h = handle.clone();
    let element = area.clone();
    on(
        &area,
        "input",
        Box::new(move |_| {
            dispatch(&h, Action::Edit(element.value(), selection_of(&element)));
        }),
    );
    for kind in ["keyup", "click", "select", "focus"] {
        let h = handle.clone();
        let element = area.clone();
        on(
            &area,
            kind,
            Box::new(move |_| {
                dispatch(&h, Action::Select(selection_of(&element)));
            }),
        );
    }
    let h = handle.clone();
    let element = area.clone();
    on(
        &area,
        "keydown",
        Box::new(move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            // Read what the key needs, then let go: Tab inserts text through
            // the browser, which fires `input` at once.
            let Ok(mut widget) = h.try_borrow_mut() else {
                return;
            };
            let escape = event.key() == "Escape";
            let tab_leaves = std::mem::replace(&mut widget.tab_leaves, escape);
            let (readonly, fresh) = (widget.readonly, widget.session.undo_is_fresh);
            drop(widget);
            let undo = || dispatch(&h, Action::Undo);
            let undo = fresh.then_some(&undo as &dyn Fn());
            handle_key(event, &element, tab_leaves, readonly, undo);
        }),
    );

    let h = handle.clone();
    on(
        &switch,
        "click",
        Box::new(move |event| {
            if closest(event, "[data-testid=\"rewrite-toggle\"]").is_none() {
                return;
            }
            let mut action = None;
            with(&h, |widget, _| {
                action = if widget.session.rewrite.is_some() {
                    Some(Action::HideRewrite)
                } else {
                    widget
                        .rewrite_for(widget.session.runtime)
                        .map(Action::ShowRewrite)
                };
            });
            if let Some(action) = action {
                dispatch(&h, action);
            }
        }),
    );
    let h = handle.clone();
    on(
        &switch,
        "change",
        Box::new(move |event| {
            let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            else {
                return;
            };
            let choice = RuntimeChoice::parse(&select.value()).unwrap_or_default();
            let mut output = None;
            with(&h, |widget, _| {
                output = widget
                    .session
                    .rewrite
                    .is_some()
                    .then(|| widget.rewrite_for(choice))
                    .flatten();
            });
            dispatch(&h, Action::SetRuntime(choice, output));
        }),
    );

    for kind in ["mouseover", "focusin"] {
        let h = handle.clone();
        on(
            &layers,
            kind,
            Box::new(move |event| {
                dispatch(&h, Action::Hover(hovered_row(event)));
            }),
        );
    }
    for kind in ["mouseleave", "focusout"] {
        let h = handle.clone();
        on(
            &layers,
            kind,
            Box::new(move |_| dispatch(&h, Action::Hover(None))),
        );
    }
    let h = handle.clone();
    on(
        &layers,
        "click",
        Box::new(move |event| {
            if let Some(row) = closest(event, "tr.layer") {
                activate_row(&h, &row);
            }
        }),
    );
    let h = handle.clone();
    on(
        &layers,
        "keydown",
        Box::new(move |event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>().map(KeyboardEvent::key) else {
                return;
            };
            if key != "Enter" && key != " " {
                return;
            }
            if let Some(row) = closest(event, "tr.layer") {
                event.prevent_default();
                activate_row(&h, &row);
            }
        }),
    );
    listeners.into_inner()
}
