//! The docs widget (plain DOM, no Yew) in a real browser: its numbers, rows,
//! hover and selection links, the switch and its undo, typing.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{all, mouse, one, root, select};
use layerlens::estimate::human_size;
use layerlens_app::embed::{self, widget, WidgetConfig};
use layerlens_app::examples;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn seed_widget() -> Element {
    let container = root();
    let config = WidgetConfig {
        shared: examples::EXAMPLES[0].to_shared(),
        ..WidgetConfig::default()
    };
    widget::mount(&container, config, "index.html", "Seed")
        .expect("mounts")
        .keep_for_page();
    container
}

fn seed_total() -> String {
    let shared = examples::EXAMPLES[0].to_shared();
    let options = layerlens_app::derive::core_options(&shared.context, &shared.options);
    human_size(
        layerlens::analyze(&shared.text, &options)
            .estimate
            .final_image
            .disk
            .est,
    )
}

fn editor(container: &Element) -> HtmlTextAreaElement {
    one(container, "editor").dyn_into().unwrap()
}

#[wasm_bindgen_test]
fn shows_the_core_total_and_folds_the_base_image() {
    let container = seed_widget();
    assert_eq!(
        one(&container, "total-size").text_content().unwrap(),
        seed_total()
    );
    let group = select(&container, "tr.layer-group");
    let toggle = select(&group, ".group-toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        group.get_attribute("tabindex"),
        None,
        "the button is the stop"
    );
    assert!(all(&container, "base-layer-row").is_empty());
    toggle.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true"),
        "same button node, opened"
    );
    assert!(!all(&container, "base-layer-row").is_empty());
    group.click();
    assert!(all(&container, "base-layer-row").is_empty());
}

#[wasm_bindgen_test]
fn hovering_a_row_bands_its_lines_and_clicking_selects_it() {
    let container = seed_widget();
    let row = select(&container, "tr[data-span]");
    mouse(&row, "mouseover");
    let bands = container
        .query_selector_all(".editor-band:not(.editor-changed)")
        .unwrap();
    assert_eq!(bands.length(), 1, "the hovered instruction is banded");
    mouse(
        &select(&container, "[data-region=\"layers\"]"),
        "mouseleave",
    );
    let bands = container.query_selector_all(".editor-band").unwrap();
    assert_eq!(bands.length(), 0);

    let span = row.get_attribute("data-span").unwrap();
    let (start, end) = span.split_once(':').unwrap();
    row.click();
    let area = editor(&container);
    let text = area.value();
    let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
    let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u32;
    assert_eq!(area.selection_start().unwrap(), Some(utf16(start)));
    assert_eq!(area.selection_end().unwrap(), Some(utf16(end)));
}

#[wasm_bindgen_test]
fn the_switch_rewrites_keeps_its_nodes_and_undoes() {
    let container = seed_widget();
    let area = editor(&container);
    let original = area.value();
    let total = one(&container, "total-size");
    let toggle = one(&container, "rewrite-toggle");
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    toggle.click();
    assert!(
        area.value().matches("FROM ").count() >= 2,
        "{}",
        area.value()
    );
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    let after = total.text_content().unwrap();
    assert_ne!(
        after,
        seed_total(),
        "the same total node shows the new size"
    );
    assert!(container
        .query_selector(".editor-changed")
        .unwrap()
        .is_some());

    // Ctrl+Z right after the rewrite is the widget's own undo.
    let init = KeyboardEventInit::new();
    init.set_key("z");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&event).unwrap();
    assert!(event.default_prevented());
    assert_eq!(area.value(), original, "exactly the person's text again");
    assert_eq!(total.text_content().unwrap(), seed_total());
}

#[wasm_bindgen_test]
fn typing_updates_the_total_and_the_link_follows_later() {
    let container = seed_widget();
    let area = editor(&container);
    let link = one(&container, "open-in-playground");
    let first_link = link.get_attribute("href").unwrap();
    assert!(first_link.starts_with("index.html#s="), "{first_link}");
    area.set_value("FROM alpine:3.17\n");
    area.dispatch_event(&Event::new("input").unwrap()).unwrap();
    let total = one(&container, "total-size").text_content().unwrap();
    assert_ne!(total, seed_total());
    assert!(total.ends_with("MB"), "{total}");
    // The link is made for the settled text, not on every keystroke.
    assert_eq!(link.get_attribute("href").unwrap(), first_link);
}

/// Lets the page run its queued work (the `pre` watcher runs after a change).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_pre_added_later_mounts_and_its_widget_is_let_go_when_it_leaves() {
    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let before = embed::live_widgets();
    embed::mount_all();

    // A single-page site shows a page with a widget…
    let page = document.create_element("div").unwrap();
    page.set_inner_html("<pre data-layerlens>FROM alpine:3.17\n</pre>");
    body.append_child(&page).unwrap();
    next_task().await;
    assert_eq!(embed::live_widgets(), before + 1);
    let host = page.query_selector(".layerlens-embed").unwrap();
    assert!(host.is_some(), "the pre became a widget");

    // …then moves on: the widget's element leaves, and the widget is freed.
    body.remove_child(&page).unwrap();
    next_task().await;
    assert_eq!(embed::live_widgets(), before);
}
