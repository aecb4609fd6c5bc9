//! The rewrite's predicted size for each runtime choice, side by side.

use std::fmt::Write as _;

use layerlens::estimate::human_size;
use layerlens::rewrite::{RuntimeChoice, RuntimeOption};

use crate::components::bar_width;
use crate::embed::view::escape;

fn label(choice: RuntimeChoice) -> &'static str {
    match choice {
        RuntimeChoice::Auto => "auto (smallest that runs it)",
        RuntimeChoice::Scratch => "scratch",
        RuntimeChoice::Distroless => "distroless",
        RuntimeChoice::Alpine => "alpine",
        RuntimeChoice::Slim => "slim",
    }
}

/// The table for `options` (the core's `compare_runtimes`), from the
/// single-stage size `before`.
pub fn runtime_table(options: &[RuntimeOption], before: u64) -> String {
    let largest = options.iter().map(|o| o.after).max().unwrap_or(1).max(1);
    let mut out = format!(
        "<table class=\"runtime-table\"><caption>Final image after the multi-stage rewrite (single stage: {})</caption>\
<thead><tr><th scope=\"col\">Runtime</th><th scope=\"col\">Base image</th><th scope=\"col\" class=\"num\">Predicted size</th>\
<th scope=\"col\"><span class=\"visually-hidden\">Share</span></th><th scope=\"col\">Note</th></tr></thead><tbody>",
        human_size(before)
    );
    for option in options.iter().filter(|o| o.choice != RuntimeChoice::Auto) {
        let name = label(option.choice);
        let _ = write!(
            out,
            "<tr data-testid=\"runtime-option\" data-runtime=\"{name}\"><th scope=\"row\">{name}</th>\
<td><code>{}</code></td><td class=\"num\" data-testid=\"runtime-size\">{}</td>\
<td class=\"bar-col\" aria-hidden=\"true\"><span class=\"bar\" style=\"{}\"></span></td><td class=\"note\">{}</td></tr>",
            escape(option.image.as_deref().unwrap_or("—")),
            human_size(option.after),
            bar_width(option.after, largest),
            escape(option.note.as_deref().unwrap_or_default()),
        );
    }
    out.push_str("</tbody></table>");
    out
}
