//! The widget draws the playground's components without Yew (`embed::view`
//! writes their markup as strings). These tests render both for the same
//! data and compare what the stylesheet and the tests rely on (elements,
//! classes, hooks, ARIA, bar widths, text), so the two cannot drift apart.
#![cfg(target_arch = "wasm32")]

mod common;

use std::fmt::Write as _;
use std::rc::Rc;

use common::{mount, root};
use layerlens::estimate::Estimate;
use layerlens_app::components::layer_table::{LayerTable, LayerTableProps};
use layerlens_app::components::rewrite_switch::{RewriteSwitch, RewriteSwitchProps};
use layerlens_app::components::size_summary::{SizeSummary, SizeSummaryProps};
use layerlens_app::derive::{Inputs, Rewrites};
use layerlens_app::embed::view;
use layerlens_app::examples;
use layerlens_app::state::RuntimeChoice;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// Attributes both drawings must agree on (the widget adds `data-span`,
/// `data-hover`, `data-group` and `data-region` for its own handlers).
const COMPARED: [&str; 10] = [
    "data-testid",
    "role",
    "aria-live",
    "aria-expanded",
    "aria-checked",
    "aria-hidden",
    "tabindex",
    "style",
    "title",
    "value",
];

/// One line per element under `element`, in document order: tag, classes,
/// the compared attributes and, for leaves, the text. Elements with
/// `hidden` are skipped (the widget keeps an empty "before" in place).
fn signature(element: &Element, out: &mut Vec<String>) {
    let children = element.children();
    for index in 0..children.length() {
        let Some(child) = children.item(index) else {
            continue;
        };
        if child.has_attribute("hidden") {
            continue;
        }
        let mut line = child.tag_name().to_lowercase();
        let mut classes: Vec<String> = child
            .class_name()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        classes.sort();
        for class in classes {
            line.push('.');
            line.push_str(&class);
        }
        for name in COMPARED {
            if let Some(value) = child.get_attribute(name) {
                let _ = write!(line, "[{name}={value}]");
            }
        }
        if child.children().length() == 0 {
            let _ = write!(line, " {:?}", child.text_content().unwrap_or_default());
        }
        out.push(line);
        signature(&child, out);
    }
}

fn signature_of(element: &Element) -> Vec<String> {
    let mut out = Vec::new();
    signature(element, &mut out);
    out
}

/// `html` parsed into a fresh element.
fn parsed(html: &str) -> Element {
    let element = root();
    element.set_inner_html(html);
    element
}

fn first(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn seed() -> (Inputs, Rc<Estimate>) {
    let inputs = Inputs::from_shared(examples::EXAMPLES[0].to_shared());
    let estimate = Rc::new(layerlens::analyze(&inputs.text, &inputs.core_options()).estimate);
    (inputs, estimate)
}

#[wasm_bindgen_test]
async fn the_layer_table_is_drawn_alike() {
    let (_, estimate) = seed();
    for caret in [None, Some(40)] {
        let yew = mount::<LayerTable>(LayerTableProps {
            estimate: estimate.clone(),
            caret,
            on_hover: Callback::noop(),
            on_select_span: Callback::noop(),
        })
        .await;
        let caret_row = caret.and_then(|offset| estimate.row_at(offset));
        let widget = parsed(&view::layers(&estimate, caret_row, &[]));
        let ours = signature_of(&first(&widget, "table.layers"));
        assert_eq!(ours, signature_of(&first(&yew, "table.layers")));
        assert!(ours.len() > 20, "{ours:#?}");
    }
}

#[wasm_bindgen_test]
async fn the_size_summary_is_drawn_alike() {
    let (_, estimate) = seed();
    for before in [None, Some(400_000_000)] {
        let yew = mount::<SizeSummary>(SizeSummaryProps {
            estimate: estimate.clone(),
            before,
        })
        .await;
        let widget = parsed(&view::summary(&estimate, before));
        assert_eq!(
            signature_of(&widget),
            signature_of(&first(&yew, "section.size-summary")),
        );
    }
}

#[wasm_bindgen_test]
async fn the_switch_is_drawn_alike() {
    let (inputs, _) = seed();
    let rewrites = Rewrites::new(&inputs);
    for (on, runtime) in [(false, RuntimeChoice::Auto), (true, RuntimeChoice::Alpine)] {
        let yew = mount::<RewriteSwitch>(RewriteSwitchProps {
            on,
            runtime,
            previews: rewrites.previews.clone(),
            before: rewrites.before,
            n_changed_lines: 3,
            notes: Rc::new(Vec::new()),
            on_toggle: Callback::noop(),
            on_pick_runtime: Callback::noop(),
        })
        .await;
        let widget = parsed(&view::switch(&view::SwitchView {
            on,
            runtime,
            previews: &rewrites.previews,
            before: rewrites.before,
            n_changed_lines: 3,
        }));
        let yew_section = first(&yew, "section.rewrite-switch");
        // The playground adds a hint under the switch while it is on.
        let mut theirs = signature_of(&yew_section);
        theirs.retain(|line| !line.starts_with("p.hint "));
        assert_eq!(signature_of(&widget), theirs);
        let class = yew_section.class_name();
        assert_eq!(
            view::switch_class(on).replace(" compact", ""),
            class,
            "the section's classes"
        );
    }
}
