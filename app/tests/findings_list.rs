//! The findings list in a real browser.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use common::{all, mount, recorder};
use layerlens::Span;
use layerlens_app::components::findings_list::{FindingView, FindingsList, FindingsListProps};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn finding(rule: &'static str, start: u32, saves: u64, rebuild: u64, has_fix: bool) -> FindingView {
    FindingView {
        rule: rule.into(),
        span: Span::new(start, start + 5),
        line: start / 10 + 1,
        message: format!("{rule} here"),
        saves,
        rebuild,
        not_measured: false,
        explanation: format!("Why {rule} matters.").into(),
        has_fix,
        fix_needs_review: false,
    }
}

fn findings() -> Rc<Vec<FindingView>> {
    Rc::new(vec![
        finding("first-in-text", 0, 0, 0, false),
        finding("small", 10, 600_000, 0, true),
        finding("cache", 20, 0, 40_000_000, true),
        finding("big", 30, 342_000_000, 0, true),
    ])
}

fn props() -> FindingsListProps {
    FindingsListProps {
        findings: findings(),
        on_select_span: Callback::noop(),
        on_apply_fix: Callback::noop(),
        stale: false,
    }
}

#[wasm_bindgen_test]
async fn sorted_by_bytes_saved_with_explanations() {
    let root = mount::<FindingsList>(props()).await;
    let items = all(&root, "finding");
    let order: Vec<String> = items
        .iter()
        .map(|item| {
            item.query_selector(".rule")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(order, ["big", "small", "cache", "first-in-text"]);
    let first = items[0].text_content().unwrap();
    assert!(
        first.contains("saves 342 MB") && first.contains("Why big matters."),
        "{first}"
    );
    assert!(items[2].text_content().unwrap().contains("40 MB rebuilt"));
    assert_eq!(all(&root, "apply-fix").len(), 3);
}

#[wasm_bindgen_test]
async fn clicks_select_the_span_and_apply_the_right_fix() {
    let (on_select_span, selected) = recorder();
    let (on_apply_fix, applied) = recorder();
    let mut list_props = props();
    list_props.on_select_span = on_select_span;
    list_props.on_apply_fix = on_apply_fix;
    let root = mount::<FindingsList>(list_props).await;
    let items = all(&root, "finding");
    items[1]
        .query_selector(".finding-message")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert_eq!(selected.borrow().as_slice(), &[Span::new(10, 15)]);
    all(&root, "apply-fix")[0].click();
    // The first button is the biggest saving: index 3 of the given list.
    assert_eq!(applied.borrow().as_slice(), &[3]);
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn stale_findings_cannot_be_applied() {
    let mut list_props = props();
    list_props.stale = true;
    let root = mount::<FindingsList>(list_props).await;
    assert!(all(&root, "apply-fix")
        .iter()
        .all(|button| button.has_attribute("disabled")));
}

#[wasm_bindgen_test]
async fn unpriced_findings_say_so() {
    let mut unpriced = finding("too-big-to-price", 40, 0, 0, true);
    unpriced.not_measured = true;
    let mut list_props = props();
    list_props.findings = Rc::new(vec![finding("small", 10, 600_000, 0, true), unpriced]);
    let root = mount::<FindingsList>(list_props).await;
    let items = all(&root, "finding");
    let last = items[1].text_content().unwrap();
    assert!(last.contains("not measured (large file)"), "{last}");
}
