//! The line under the editor: the message of the diagnostic on the caret's
//! line, or how many problems there are, or a keyboard hint. Screen readers
//! hear it change (`aria-live`), and the textarea points at it.

use yew::prelude::*;

use crate::highlight::Diagnostic;

/// What the line says.
#[derive(Properties, PartialEq)]
pub struct EditorDiagnosticProps {
    /// The element id the textarea's `aria-describedby` names.
    pub id: AttrValue,
    /// The diagnostic on the caret's line, if any.
    pub at_caret: Option<Diagnostic>,
    /// How many diagnostics the text has in all.
    pub n_diagnostics: usize,
}

#[component]
pub fn EditorDiagnostic(props: &EditorDiagnosticProps) -> Html {
    let content = match &props.at_caret {
        Some(d) => html! {
            <>
                <span class="diag-marker" aria-hidden="true">{ "●" }</span>
                { format!(" Line {}: {}", d.line + 1, d.message) }
            </>
        },
        None if props.n_diagnostics > 0 => html! {
            format!("{} problem(s); move the caret to a marked line to read it.", props.n_diagnostics)
        },
        None => html! { crate::textarea::KEY_HINT },
    };
    html! {
        <p id={props.id.clone()} class="editor-diagnostic" aria-live="polite">{ content }</p>
    }
}
