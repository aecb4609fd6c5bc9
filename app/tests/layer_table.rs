//! The layer table in a real browser, fed by the core's estimate of the seed.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use common::{all, focus_event, mount, mouse, recorder, select};
use layerlens::estimate::{human_size, Estimate, RowOrigin};
use layerlens::Span;
use layerlens_app::components::layer_table::{LayerTable, LayerTableProps};
use layerlens_app::derive::Inputs;
use layerlens_app::examples;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn seed_estimate(text: &str) -> Rc<Estimate> {
    let shared = examples::EXAMPLES[0].to_shared();
    let inputs = Inputs {
        text: Rc::from(text),
        context: Rc::new(shared.context),
        options: shared.options,
    };
    Rc::new(layerlens::analyze(text, &inputs.core_options()).estimate)
}

const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

fn table_props(estimate: Rc<Estimate>) -> LayerTableProps {
    LayerTableProps {
        estimate,
        caret: None,
        on_hover: Callback::noop(),
        on_select_span: Callback::noop(),
    }
}

#[wasm_bindgen_test]
async fn rows_follow_the_estimate_with_the_base_image_grouped() {
    let estimate = seed_estimate(SEED);
    let root = mount::<LayerTable>(table_props(estimate.clone())).await;
    let rows = all(&root, "layer-row");
    let own: Vec<_> = estimate
        .final_rows()
        .filter(|row| row.origin != RowOrigin::Base)
        .collect();
    // One group row for the base image plus one row per instruction row.
    assert_eq!(rows.len(), own.len() + 1, "{rows:?}");
    // The group folds behind a button: a plain table's rows cannot carry
    // `aria-expanded`, and the button is the group row's one tab stop.
    let toggle = select(&rows[0], ".group-toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(rows[0].get_attribute("tabindex"), None);
    assert_eq!(rows[1].get_attribute("tabindex").as_deref(), Some("0"));
    for (row, expected) in rows[1..].iter().zip(&own) {
        let text = row.text_content().unwrap();
        assert!(
            text.contains(&human_size(expected.disk.est)),
            "{text} lacks {}",
            human_size(expected.disk.est)
        );
    }
    // The largest entry's bar is full width; the others are scaled to it.
    let widths: Vec<f64> = root
        .query_selector_all(".bar")
        .map(|list| {
            (0..list.length())
                .map(|i| {
                    let style = list
                        .get(i)
                        .unwrap()
                        .unchecked_into::<web_sys::Element>()
                        .get_attribute("style")
                        .unwrap();
                    style
                        .trim_start_matches("width:")
                        .trim_end_matches('%')
                        .parse()
                        .unwrap()
                })
                .collect()
        })
        .unwrap();
    assert!(
        widths.iter().any(|&w| (w - 100.0).abs() < 0.01),
        "{widths:?}"
    );
    assert!(widths.iter().all(|&w| (0.0..=100.0).contains(&w)));
}

#[wasm_bindgen_test]
async fn the_base_group_expands_to_its_rows() {
    let estimate = seed_estimate(SEED);
    let n_base = estimate
        .final_rows()
        .filter(|row| row.origin == RowOrigin::Base)
        .count();
    assert!(n_base > 1, "the seed's base image has several rows");
    let root = mount::<LayerTable>(table_props(estimate)).await;
    assert!(all(&root, "base-layer-row").is_empty());
    let toggle = select(&all(&root, "layer-row")[0], ".group-toggle");
    toggle.unchecked_ref::<web_sys::HtmlElement>().click();
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "base-layer-row").len(), n_base);
    let after = select(&all(&root, "layer-row")[0], ".group-toggle");
    assert_eq!(
        after.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(
        after.is_same_node(Some(&toggle)),
        "the button (and its focus) stays"
    );
}

#[wasm_bindgen_test]
async fn hover_focus_and_click_report_the_instruction() {
    let estimate = seed_estimate(SEED);
    let (on_hover, hovered) = recorder::<Option<Span>>();
    let (on_select_span, selected) = recorder::<Span>();
    let mut props = table_props(estimate.clone());
    props.on_hover = on_hover;
    props.on_select_span = on_select_span;
    let root = mount::<LayerTable>(props).await;
    let run_row = all(&root, "layer-row")
        .into_iter()
        .find(|row| row.text_content().unwrap().contains("go build"))
        .unwrap();
    let run_span = Span::new(
        SEED.find("RUN").unwrap() as u32,
        SEED.find("\nCMD").unwrap() as u32,
    );
    mouse(&run_row, "mouseenter");
    mouse(&run_row, "mouseleave");
    focus_event(&run_row, "focusin");
    assert_eq!(
        hovered.borrow().as_slice(),
        &[Some(run_span), None, Some(run_span)]
    );
    run_row.click();
    assert_eq!(selected.borrow().as_slice(), &[run_span]);
    // The basis is in the row, shown on hover/focus by CSS.
    assert!(!select(&run_row, ".basis")
        .text_content()
        .unwrap()
        .trim()
        .is_empty());
}

#[wasm_bindgen_test]
async fn the_caret_marks_its_row() {
    let estimate = seed_estimate(SEED);
    let mut props = table_props(estimate);
    props.caret = Some(SEED.find("COPY").unwrap() as u32 + 2);
    let root = mount::<LayerTable>(props).await;
    let active = select(&root, "tr.active");
    assert!(
        active.text_content().unwrap().contains("COPY"),
        "{:?}",
        active.text_content()
    );
}
