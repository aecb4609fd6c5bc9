//! The editor in a real browser: painting, typing, Tab, diagnostics, selection.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use common::{key_down, mount, one, recorder, select};
use layerlens::Span;
use layerlens_app::components::editor::{Editor, EditorProps};
use layerlens_app::highlight::EditorMarks;
use layerlens_app::state::SelectRequest;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlTextAreaElement;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn marks(text: &str) -> Rc<EditorMarks> {
    let parse = layerlens::syntax::parse(text);
    Rc::new(EditorMarks::new(
        text,
        parse
            .dockerfile
            .tokens
            .iter()
            .map(|t| (t.span, t.kind.css_class())),
        parse.errors.iter().map(|e| (e.span, e.message.clone())),
    ))
}

fn props(text: &str, on_edit: Callback<(String, Span)>) -> EditorProps {
    EditorProps {
        text: Rc::from(text),
        marks: marks(text),
        on_edit,
        on_select: Callback::noop(),
        on_undo: None,
        undo_is_fresh: false,
        highlight: None,
        selection: Span::default(),
        select_request: None,
        readonly: false,
        label: "Dockerfile".into(),
    }
}

fn textarea(root: &web_sys::Element) -> HtmlTextAreaElement {
    one(root, "editor").dyn_into().unwrap()
}

#[wasm_bindgen_test]
async fn shows_the_text_over_its_highlighted_copy() {
    let text = "# café 😀\nFROM golang:alpine\nRUN go build -o hello hello.go\n";
    let root = mount::<Editor>(props(text, Callback::noop())).await;
    assert_eq!(textarea(&root).value(), text);
    let painted = select(&root, ".editor-highlight");
    assert_eq!(painted.text_content().unwrap(), format!("{text}\n"));
    let keywords: Vec<String> = (0..2)
        .map(|i| {
            root.query_selector_all(".t-keyword")
                .unwrap()
                .get(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(keywords, ["FROM", "RUN"]);
    let gutter = select(&root, ".editor-gutter").text_content().unwrap();
    assert!(gutter.starts_with("1\n2\n3\n4"), "{gutter:?}");
}

#[wasm_bindgen_test]
async fn typing_reports_text_and_byte_selection() {
    let (on_edit, seen) = recorder();
    let root = mount::<Editor>(props("# café\n", on_edit)).await;
    let area = textarea(&root);
    area.set_value("# café 😀\nRUN x");
    // Caret after the emoji: 9 UTF-16 units, 12 bytes.
    area.set_selection_range(9, 9).unwrap();
    common::fire(&area, "input");
    let seen = seen.borrow();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "# café 😀\nRUN x");
    assert_eq!(seen[0].1, Span::new(12, 12));
}

#[wasm_bindgen_test]
async fn tab_indents_and_shift_tab_outdents() {
    let (on_edit, seen) = recorder();
    let root = mount::<Editor>(props("RUN a \\\nb\n", on_edit)).await;
    let area = textarea(&root);
    area.focus().unwrap();
    // Caret at the start of line 2.
    area.set_selection_range(8, 8).unwrap();
    let not_cancelled = key_down(&area, "Tab", false);
    assert!(!not_cancelled, "Tab must not move focus");
    assert_eq!(area.value(), "RUN a \\\n    b\n");
    assert_eq!(
        seen.borrow()
            .last()
            .map(|(text, _)| text.clone())
            .as_deref(),
        Some("RUN a \\\n    b\n")
    );
    key_down(&area, "Tab", true);
    assert_eq!(area.value(), "RUN a \\\nb\n");
    // After Escape, Tab is left to the browser (focus moves on).
    key_down(&area, "Escape", false);
    assert!(key_down(&area, "Tab", false));
}

#[wasm_bindgen_test]
async fn diagnostics_are_marked_and_explained_at_the_caret() {
    let text = "FROM alpine\nFROBNICATE x\n";
    let mut editor_props = props(text, Callback::noop());
    editor_props.selection = Span::new(14, 14);
    let root = mount::<Editor>(editor_props).await;
    let marker = select(&root, ".ln-error");
    assert_eq!(marker.text_content().as_deref(), Some("2"));
    assert!(!marker.title().is_empty());
    assert!(root
        .query_selector(".editor-highlight .diag")
        .unwrap()
        .is_some());
    let message = select(&root, ".editor-diagnostic").text_content().unwrap();
    assert!(message.contains("Line 2"), "{message}");
    assert_eq!(
        textarea(&root).get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_select_request_selects_the_span_in_utf16() {
    let text = "# café 😀\nRUN go build\n";
    let mut editor_props = props(text, Callback::noop());
    let run = text.find("RUN").unwrap() as u32;
    editor_props.select_request = Some(SelectRequest {
        span: Span::new(run, run + 3),
        seq: 1,
    });
    let root = mount::<Editor>(editor_props).await;
    let area = textarea(&root);
    assert_eq!(area.selection_start().unwrap(), Some(10));
    assert_eq!(area.selection_end().unwrap(), Some(13));
}

#[wasm_bindgen_test]
async fn two_thousand_lines_paint_and_size_the_textarea() {
    let text = "RUN echo hello && apt-get install -y curl\n".repeat(2000);
    let started = js_sys::Date::now();
    let root = mount::<Editor>(props(&text, Callback::noop())).await;
    let elapsed = js_sys::Date::now() - started;
    let area = textarea(&root);
    assert_eq!(area.value().len(), text.len());
    // The textarea grows to its content: one scroller moves all layers.
    assert!(
        area.scroll_height() >= 2000 * 15,
        "{}",
        area.scroll_height()
    );
    assert!(area.client_height() + 2 >= area.scroll_height());
    web_sys::console::log_1(&format!("2,000-line editor mounted in {elapsed:.0} ms").into());
}
