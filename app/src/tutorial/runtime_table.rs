//! The rewrite's predicted size for each runtime choice, side by side.

use layerlens::estimate::human_size;
use layerlens::rewrite::{RuntimeChoice, RuntimeOption};
use yew::prelude::*;

use crate::components::bar_width;

/// The choices to compare and the size they start from.
#[derive(Properties, PartialEq)]
pub struct RuntimeTableProps {
    /// One entry per runtime choice (the core's `compare_runtimes`).
    pub options: Vec<RuntimeOption>,
    /// The single-stage size.
    pub before: u64,
}

fn label(choice: RuntimeChoice) -> &'static str {
    match choice {
        RuntimeChoice::Auto => "auto (smallest that runs it)",
        RuntimeChoice::Scratch => "scratch",
        RuntimeChoice::Distroless => "distroless",
        RuntimeChoice::Alpine => "alpine",
        RuntimeChoice::Slim => "slim",
    }
}

#[component]
pub fn RuntimeTable(props: &RuntimeTableProps) -> Html {
    let largest = props
        .options
        .iter()
        .map(|o| o.after)
        .max()
        .unwrap_or(1)
        .max(1);
    let rows = props
        .options
        .iter()
        .filter(|option| option.choice != RuntimeChoice::Auto)
        .map(|option| {
            let width = bar_width(option.after, largest);
            html! {
                <tr data-testid="runtime-option" data-runtime={label(option.choice)}>
                    <th scope="row">{ label(option.choice) }</th>
                    <td><code>{ option.image.clone().unwrap_or_else(|| "—".to_owned()) }</code></td>
                    <td class="num" data-testid="runtime-size">{ human_size(option.after) }</td>
                    <td class="bar-col" aria-hidden="true"><span class="bar" style={width} /></td>
                    <td class="note">{ option.note.clone().unwrap_or_default() }</td>
                </tr>
            }
        });
    html! {
        <table class="runtime-table">
            <caption>{ format!("Final image after the multi-stage rewrite (single stage: {})", human_size(props.before)) }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Runtime" }</th>
                    <th scope="col">{ "Base image" }</th>
                    <th scope="col" class="num">{ "Predicted size" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Share" }</span></th>
                    <th scope="col">{ "Note" }</th>
                </tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}
