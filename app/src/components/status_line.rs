//! The status line: instruction count, problems, analysis time, data date.

use layerlens::estimate::one_decimal;
use yew::prelude::*;

/// What the status line reports.
#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    /// Instructions parsed.
    pub n_instructions: usize,
    /// Syntax errors.
    pub n_errors: usize,
    /// Lines in the text.
    pub n_lines: usize,
    /// Milliseconds the last analysis took.
    pub analysis_ms: f64,
    /// The "as of" date and the catalog's data date, as one phrase.
    #[prop_or_default]
    pub data_date: AttrValue,
}

#[component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    html! {
        <footer class="status" data-testid="status">
            <span>{ plural(props.n_instructions, "instruction", "instructions") }</span>
            <span class={classes!((props.n_errors > 0).then_some("status-errors"))}>
                { plural(props.n_errors, "error", "errors") }
            </span>
            <span>{ plural(props.n_lines, "line", "lines") }</span>
            <span>{ format!("analysed in {} ms", one_decimal(props.analysis_ms)) }</span>
            if !props.data_date.is_empty() {
                <span>{ props.data_date.clone() }</span>
            }
        </footer>
    }
}
