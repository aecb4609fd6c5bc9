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
/// single-stage size `before`. The note column is there only when some
/// runtime has a note.
pub fn runtime_table(options: &[RuntimeOption], before: u64) -> String {
    let options: Vec<&RuntimeOption> = options
        .iter()
        .filter(|o| o.choice != RuntimeChoice::Auto)
        .collect();
    let largest = options.iter().map(|o| o.after).max().unwrap_or(1).max(1);
    let has_notes = options.iter().any(|o| o.note.is_some());
    let mut out = format!(
        "<table class=\"runtime-table\"><caption>Final image after the multi-stage rewrite (single stage: {})</caption>\
<thead><tr><th scope=\"col\">Runtime</th><th scope=\"col\">Base image</th><th scope=\"col\" class=\"num\">Predicted size</th>\
<th scope=\"col\"><span class=\"visually-hidden\">Share</span></th>{}</tr></thead><tbody>",
        human_size(before),
        if has_notes { "<th scope=\"col\">Note</th>" } else { "" },
    );
    for option in options {
        let name = label(option.choice);
        let _ = write!(
            out,
            "<tr data-testid=\"runtime-option\" data-runtime=\"{name}\"><th scope=\"row\">{name}</th>\
<td><code>{}</code></td><td class=\"num\" data-testid=\"runtime-size\">{}</td>\
<td class=\"bar-col\" aria-hidden=\"true\"><span class=\"bar\" style=\"{}\"></span></td>",
            escape(option.image.as_deref().unwrap_or("—")),
            human_size(option.after),
            bar_width(option.after, largest),
        );
        if has_notes {
            let note = escape(option.note.as_deref().unwrap_or_default());
            let _ = write!(out, "<td class=\"note\">{note}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(choice: RuntimeChoice, after: u64, note: Option<&str>) -> RuntimeOption {
        RuntimeOption {
            choice,
            image: Some("img<1>".to_owned()),
            after,
            note: note.map(str::to_owned),
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_note_column_is_there_only_for_notes() {
        let plain = [
            option(RuntimeChoice::Auto, 1, None),
            option(RuntimeChoice::Scratch, 1_000, None),
            option(RuntimeChoice::Alpine, 8_000_000, None),
        ];
        let table = runtime_table(&plain, 9_000_000);
        assert_eq!(
            table.matches("data-testid=\"runtime-option\"").count(),
            2,
            "auto is not a row"
        );
        assert!(
            !table.contains("Note") && !table.contains("class=\"note\""),
            "{table}"
        );
        assert!(table.contains("img&lt;1&gt;"));

        let noted = [
            option(RuntimeChoice::Scratch, 1_000, None),
            option(RuntimeChoice::Distroless, 2_000, Some("falls back to <x>")),
        ];
        let table = runtime_table(&noted, 9_000_000);
        assert!(table.contains(">Note</th>"));
        assert_eq!(
            table.matches("class=\"note\"").count(),
            2,
            "every row has the cell"
        );
        assert!(table.contains("falls back to &lt;x&gt;"));
    }
}
