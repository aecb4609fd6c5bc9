//! The textarea at the DOM edge: read its selection as bytes, edit it
//! through the browser's editing commands (so native undo keeps working),
//! select and reveal a span.

use layerlens::{LineIndex, Span};
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement};

use crate::offsets;

/// Spaces one Tab inserts.
pub const INDENT: &str = "    ";

/// What the line under an editable editor says while it has no diagnostic to
/// show: how to leave it from the keyboard, since Tab indents (`handle_key`).
pub const KEY_HINT: &str = "Tab indents; press Esc then Tab to leave the editor.";

/// The textarea's selection in bytes of its current value.
pub fn selection_of(element: &HtmlTextAreaElement) -> Span {
    let value = element.value();
    let start = element.selection_start().ok().flatten().unwrap_or(0);
    let end = element.selection_end().ok().flatten().unwrap_or(start);
    offsets::span_of_dom(&value, start, end)
}

/// Run a browser editing command on the focused textarea, so the browser's
/// undo history records it. Returns false where the command is unsupported.
pub fn exec_command(command: &str, value: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value(command, false, value)
                .ok()
        })
        .unwrap_or(false)
}

/// Replace the selection with `text`, undoably where the browser allows.
pub fn insert_text(element: &HtmlTextAreaElement, text: &str) {
    if exec_command("insertText", text) {
        return;
    }
    let start = element.selection_start().ok().flatten().unwrap_or(0);
    let end = element.selection_end().ok().flatten().unwrap_or(start);
    let _ = element.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
    if let Ok(event) = web_sys::Event::new("input") {
        let _ = element.dispatch_event(&event);
    }
}

/// Remove up to one indent from the start of the caret's line.
pub fn outdent(element: &HtmlTextAreaElement) {
    let value = element.value();
    let caret = element.selection_start().ok().flatten().unwrap_or(0);
    let caret_byte = offsets::byte_of_dom(&value, caret) as usize;
    let line_start = value[..caret_byte].rfind('\n').map_or(0, |i| i + 1);
    let removable = value[line_start..]
        .bytes()
        .take(INDENT.len())
        .take_while(|&b| b == b' ' || b == b'\t')
        .count() as u32;
    if removable == 0 {
        return;
    }
    let start = offsets::dom_of_byte(&value, line_start as u32);
    let _ = element.set_selection_range(start, start + removable);
    insert_text(element, "");
    let caret = caret.saturating_sub(removable).max(start);
    let _ = element.set_selection_range(caret, caret);
}

/// Select `span`, focus the textarea and scroll its line into view.
pub fn reveal(
    element: &HtmlTextAreaElement,
    scroller: Option<HtmlElement>,
    text: &str,
    span: Span,
) {
    let (start, end) = offsets::dom_of_span(text, span);
    let _ = element.focus();
    let _ = element.set_selection_range(start, end);
    if let Some(scroller) = scroller {
        let index = LineIndex::new(text);
        let line = index.line_of(span.start) as i32;
        let line_height = element.scroll_height() / index.line_count().max(1) as i32;
        let target = (line * line_height - scroller.client_height() / 3).max(0);
        scroller.set_scroll_top(target);
    }
}

/// What the editor does with a key press beyond typing. Tab indents and
/// Shift+Tab outdents, unless Escape came just before (`tab_leaves`), so a
/// keyboard user can still leave the editor. Ctrl/Cmd+Z goes to `on_undo`
/// when the app has an undo of its own to offer (a fix, the rewrite);
/// otherwise the browser's native undo runs.
pub fn handle_key(
    event: &web_sys::KeyboardEvent,
    element: &HtmlTextAreaElement,
    tab_leaves: bool,
    readonly: bool,
    on_undo: Option<&dyn Fn()>,
) {
    let key = event.key();
    if key == "Tab" && !tab_leaves && !readonly && !event.alt_key() && !event.ctrl_key() {
        event.prevent_default();
        if event.shift_key() {
            outdent(element);
        } else {
            insert_text(element, INDENT);
        }
    } else if (key == "z" || key == "Z")
        && (event.ctrl_key() || event.meta_key())
        && !event.shift_key()
    {
        if let Some(on_undo) = on_undo {
            event.prevent_default();
            on_undo();
        }
    }
}
