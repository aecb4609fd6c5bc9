//! The Dockerfile editor: a plain textarea over a highlighted copy of its
//! text, with a line-number gutter. The textarea grows to its content and
//! one scroller moves all three, so they never drift apart.

use std::rc::Rc;

use layerlens::{LineIndex, Span};
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::components::editor_diagnostic::EditorDiagnostic;
use crate::highlight::EditorMarks;
use crate::hooks::use_unique_id;
use crate::state::SelectRequest;
use crate::textarea::{handle_key, reveal, selection_of};

/// What the editor shows and reports.
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The text.
    pub text: Rc<str>,
    /// Highlighting, diagnostics and changed lines for `text`.
    pub marks: Rc<EditorMarks>,
    /// The person typed: the new text and selection (bytes).
    pub on_edit: Callback<(String, Span)>,
    /// The caret or selection moved (bytes).
    #[prop_or_default]
    pub on_select: Callback<Span>,
    /// Ctrl+Z right after an app-level change (a fix, the rewrite).
    #[prop_or_default]
    pub on_undo: Option<Callback<()>>,
    /// True while Ctrl+Z should go to `on_undo` instead of the browser.
    #[prop_or_default]
    pub undo_is_fresh: bool,
    /// A span to highlight (the hovered layer's instruction).
    #[prop_or_default]
    pub highlight: Option<Span>,
    /// The caret position, to show its line's diagnostic.
    #[prop_or_default]
    pub selection: Span,
    /// Select and reveal this span when it changes.
    #[prop_or_default]
    pub select_request: Option<SelectRequest>,
    /// Read-only (an embed can forbid edits).
    #[prop_or_default]
    pub readonly: bool,
    /// Accessible name of the textarea.
    #[prop_or(AttrValue::Static("Dockerfile"))]
    pub label: AttrValue,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let scroller = use_node_ref();
    // After Escape, Tab leaves the editor instead of indenting.
    let tab_leaves = use_mut_ref(|| false);

    // Push outside changes (examples, fixes, the rewrite) into the textarea.
    // Typing needs nothing: the value already matches, and leaving it alone
    // keeps the browser's own undo history.
    {
        let area = area.clone();
        use_effect_with(props.text.clone(), move |text| {
            if let Some(element) = area.cast::<HtmlTextAreaElement>() {
                if element.value() != **text {
                    element.set_value(text);
                }
            }
        });
    }
    {
        let (area, scroller, text) = (area.clone(), scroller.clone(), props.text.clone());
        use_effect_with(props.select_request, move |request| {
            if let (Some(request), Some(element)) = (request, area.cast::<HtmlTextAreaElement>()) {
                reveal(
                    &element,
                    scroller.cast::<HtmlElement>(),
                    &text,
                    request.span,
                );
            }
        });
    }

    let report = |area: &NodeRef, callback: &Callback<Span>| {
        if let Some(element) = area.cast::<HtmlTextAreaElement>() {
            callback.emit(selection_of(&element));
        }
    };
    let on_input = {
        let (area, on_edit) = (area.clone(), props.on_edit.clone());
        Callback::from(move |_: InputEvent| {
            if let Some(element) = area.cast::<HtmlTextAreaElement>() {
                let selection = selection_of(&element);
                on_edit.emit((element.value(), selection));
            }
        })
    };
    let on_caret = {
        let (area, on_select) = (area.clone(), props.on_select.clone());
        Callback::from(move |_: Event| report(&area, &on_select))
    };
    let on_keyup = {
        let (area, on_select) = (area.clone(), props.on_select.clone());
        Callback::from(move |_: KeyboardEvent| report(&area, &on_select))
    };
    let on_keydown = {
        let (area, tab_leaves) = (area.clone(), tab_leaves.clone());
        let on_undo = props.on_undo.clone().filter(|_| props.undo_is_fresh);
        let readonly = props.readonly;
        Callback::from(move |event: KeyboardEvent| {
            let escape = event.key() == "Escape";
            let tab_leaves = std::mem::replace(&mut *tab_leaves.borrow_mut(), escape);
            if let Some(element) = area.cast::<HtmlTextAreaElement>() {
                let undo = on_undo.as_ref().map(|on_undo| move || on_undo.emit(()));
                let undo = undo.as_ref().map(|f| f as &dyn Fn());
                handle_key(&event, &element, tab_leaves, readonly, undo);
            }
        })
    };

    let marks = &props.marks;
    let caret_line = LineIndex::new(&props.text).line_of(props.selection.start);
    let caret_diagnostic = marks.diagnostic_on(caret_line);
    let band = props.highlight.map(|span| {
        let index = LineIndex::new(&props.text);
        let first = index.line_of(span.start);
        let last = index.line_of(span.end.saturating_sub(1).max(span.start));
        html! { <div class="editor-band" style={format!("--first:{first};--count:{}", last - first + 1)} /> }
    });
    let changed = marks.changed_lines.iter().map(|&line| {
        html! { <div class="editor-band editor-changed" style={format!("--first:{line};--count:1")} /> }
    });
    let size = format!("--lines:{};--cols:{}", marks.n_lines, marks.max_columns + 2);
    let diagnostic_id = use_unique_id("editor-diagnostic");

    html! {
        <div class="editor">
            <div class="editor-scroll" ref={scroller}>
                <pre class="editor-gutter" aria-hidden="true">
                    { Html::from_html_unchecked(marks.gutter_html().into()) }
                </pre>
                <div class="editor-code" style={size}>
                    <div class="editor-bands" aria-hidden="true">{ for changed }{ band }</div>
                    <pre class="editor-highlight" aria-hidden="true"><code>
                        { for marks.chunks.iter().enumerate().map(|(i, chunk)| html! {
                            <span key={i} class="editor-chunk">{ Html::from_html_unchecked(chunk.clone()) }</span>
                        }) }
                    </code></pre>
                    <textarea
                        ref={area}
                        data-testid="editor"
                        class="editor-input"
                        aria-label={props.label.clone()}
                        aria-describedby={diagnostic_id.clone()}
                        aria-invalid={(!marks.diagnostics.is_empty()).then_some("true")}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        readonly={props.readonly}
                        oninput={on_input}
                        onkeydown={on_keydown}
                        onkeyup={on_keyup}
                        onclick={on_caret.reform(Event::from)}
                        onselect={on_caret.clone()}
                        onfocus={on_caret.reform(Event::from)}
                    />
                </div>
            </div>
            <EditorDiagnostic
                id={diagnostic_id}
                at_caret={caret_diagnostic.cloned()}
                n_diagnostics={marks.diagnostics.len()}
            />
        </div>
    }
}
