//! The multi-stage switch in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use common::{mount, one, recorder};
use layerlens_app::components::rewrite_switch::{
    RewriteSwitch, RewriteSwitchProps, RuntimePreview,
};
use layerlens_app::state::RuntimeChoice;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlSelectElement;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn previews() -> Rc<Vec<RuntimePreview>> {
    let preview = |choice, after: Option<u64>, image: &str| RuntimePreview {
        choice,
        after,
        image: Some(image.to_owned()),
        refusal: after.is_none().then(|| "needs a shell".to_owned()),
    };
    Rc::new(vec![
        preview(RuntimeChoice::Auto, Some(2_070_000), "scratch"),
        preview(RuntimeChoice::Scratch, Some(2_070_000), "scratch"),
        preview(
            RuntimeChoice::Distroless,
            Some(4_100_000),
            "gcr.io/distroless/static",
        ),
        preview(RuntimeChoice::Alpine, Some(9_500_000), "alpine:3.17"),
        preview(RuntimeChoice::Slim, None, "debian:bookworm-slim"),
    ])
}

fn props(on: bool, runtime: RuntimeChoice) -> RewriteSwitchProps {
    RewriteSwitchProps {
        on,
        runtime,
        previews: previews(),
        before: 353_000_000,
        n_changed_lines: 3,
        notes: Rc::default(),
        on_toggle: Callback::noop(),
        on_pick_runtime: Callback::noop(),
    }
}

#[wasm_bindgen_test]
async fn shows_before_and_after_and_each_runtimes_size() {
    let root = mount::<RewriteSwitch>(props(false, RuntimeChoice::Auto)).await;
    let outcome = one(&root, "rewrite-outcome").text_content().unwrap();
    assert!(
        outcome.contains("353 MB") && outcome.contains("2.07 MB"),
        "{outcome}"
    );
    let select: HtmlSelectElement = one(&root, "runtime-select").dyn_into().unwrap();
    let options = select.query_selector_all("option").unwrap();
    let labels: Vec<String> = (0..options.length())
        .map(|i| options.get(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(labels.len(), 5);
    assert!(
        labels[0].contains("auto (scratch)") && labels[0].contains("2.07 MB"),
        "{labels:?}"
    );
    assert!(
        labels[3].contains("alpine") && labels[3].contains("9.5 MB"),
        "{labels:?}"
    );
    assert!(labels[4].contains("not possible"), "{labels:?}");
    let toggle = one(&root, "rewrite-toggle");
    assert_eq!(toggle.get_attribute("role").as_deref(), Some("switch"));
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn clicking_flips_and_picking_reports_the_choice() {
    let (on_toggle, toggled) = recorder();
    let (on_pick_runtime, picked) = recorder();
    let mut switch_props = props(true, RuntimeChoice::Scratch);
    switch_props.on_toggle = on_toggle;
    switch_props.on_pick_runtime = on_pick_runtime;
    let root = mount::<RewriteSwitch>(switch_props).await;
    let toggle = one(&root, "rewrite-toggle");
    assert_eq!(
        toggle.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert!(root.text_content().unwrap().contains("3 changed lines"));
    toggle.click();
    assert_eq!(toggled.borrow().as_slice(), &[false]);
    let select: HtmlSelectElement = one(&root, "runtime-select").dyn_into().unwrap();
    assert_eq!(select.value(), "scratch");
    select.set_value("alpine");
    common::fire(&select, "change");
    assert_eq!(picked.borrow().as_slice(), &[RuntimeChoice::Alpine]);
}

#[wasm_bindgen_test]
async fn a_refused_rewrite_cannot_be_switched_on() {
    let root = mount::<RewriteSwitch>(props(false, RuntimeChoice::Slim)).await;
    let toggle = one(&root, "rewrite-toggle");
    assert!(toggle.has_attribute("disabled"));
    assert!(root
        .text_content()
        .unwrap()
        .contains("No rewrite: needs a shell"));
}
