//! The layer table: the final image's rows, base-image rows folded under
//! the image name, a bar per row.

use std::fmt::Write as _;

use layerlens::estimate::{human_size, Estimate, LayerRow};
use layerlens::Span;

use super::escape;
use crate::components::bar_width;
use crate::components::layer_groups::{entries, entry_bytes, Entry};
use crate::highlight::escape_into;

/// The final image's layers, base-image rows folded under the image name
/// (expanded when the name is in `expanded`); the caret's row is marked.
pub fn layers(estimate: &Estimate, caret_row: Option<usize>, expanded: &[String]) -> String {
    let indices: Vec<usize> = estimate
        .final_image
        .stage
        .and_then(|index| estimate.stages.get(index))
        .map(|stage| stage.rows.clone())
        .unwrap_or_default();
    let list = entries(estimate, &indices);
    let max = list.iter().map(entry_bytes).max().unwrap_or(0).max(1);
    let mut out = String::from(
        "<h2>Layers</h2><table class=\"layers\"><thead><tr><th scope=\"col\">Created by</th>\
<th scope=\"col\" class=\"num\">Size</th><th scope=\"col\" class=\"bar-col\">\
<span class=\"visually-hidden\">Share</span></th></tr></thead><tbody>",
    );
    for entry in list {
        match entry {
            Entry::Row(index, row) => {
                let kind = RowKind::Layer {
                    active: caret_row == Some(index),
                };
                row_html(&mut out, kind, &Shown::of(row), max);
            }
            Entry::Base { image, rows } => {
                let open = expanded.contains(&image);
                let group = Shown {
                    created_by: &image,
                    bytes: rows.iter().map(|(_, row)| row.disk.est).sum(),
                    range: rows.iter().fold((0, 0), |(low, high), (_, row)| {
                        (low + row.disk.low, high + row.disk.high)
                    }),
                    basis: rows.first().map_or("", |(_, row)| row.basis.as_str()),
                    span: rows.first().map(|(_, row)| row.span),
                    line: rows.first().map_or(0, |(_, row)| row.line),
                };
                let kind = RowKind::Group {
                    open,
                    n_rows: rows.len(),
                };
                row_html(&mut out, kind, &group, max);
                for (_, row) in rows.iter().filter(|_| open) {
                    row_html(&mut out, RowKind::Child, &Shown::of(row), max);
                }
            }
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// What kind of table row.
#[derive(Clone, Copy)]
enum RowKind {
    /// A row of this Dockerfile; `active` when the caret is in it.
    Layer { active: bool },
    /// A base image's rows under its name.
    Group { open: bool, n_rows: usize },
    /// One row of an expanded group.
    Child,
}

/// What one table row shows.
struct Shown<'a> {
    created_by: &'a str,
    bytes: u64,
    range: (u64, u64),
    basis: &'a str,
    span: Option<Span>,
    line: u32,
}

impl<'a> Shown<'a> {
    fn of(row: &'a LayerRow) -> Self {
        Shown {
            created_by: &row.created_by,
            bytes: row.disk.est,
            range: (row.disk.low, row.disk.high),
            basis: &row.basis,
            span: Some(row.span),
            line: row.line,
        }
    }
}

/// One `<tr>`: as the playground's `LayerRowView` draws it, with the
/// instruction's span (`data-span`) or group (`data-group`) for the
/// widget's event handlers.
fn row_html(out: &mut String, kind: RowKind, shown: &Shown, max: u64) {
    let mut class = String::from("layer");
    let (testid, label) = match kind {
        RowKind::Layer { active } => {
            if active {
                class.push_str(" active");
            }
            ("layer-row", escape(shown.created_by))
        }
        RowKind::Group { n_rows, .. } => {
            class.push_str(" layer-group");
            (
                "layer-row",
                escape(&format!("{} ({n_rows} base layers)", shown.created_by)),
            )
        }
        RowKind::Child => {
            class.push_str(" layer-child");
            ("base-layer-row", escape(shown.created_by))
        }
    };
    if shown.bytes == 0 {
        class.push_str(" layer-empty");
    }
    let _ = write!(out, "<tr class=\"{class}\" data-testid=\"{testid}\"");
    if !matches!(kind, RowKind::Group { .. }) {
        out.push_str(" tabindex=\"0\"");
    }
    match (kind, shown.span) {
        (RowKind::Group { .. }, _) => {
            let _ = write!(out, " data-group=\"{}\"", escape(shown.created_by));
            if let Some(span) = shown.span {
                let _ = write!(out, " data-hover=\"{}:{}\"", span.start, span.end);
            }
        }
        (RowKind::Layer { .. }, Some(span)) => {
            let _ = write!(
                out,
                " data-span=\"{0}:{1}\" data-hover=\"{0}:{1}\"",
                span.start, span.end
            );
        }
        _ => {}
    }
    out.push_str("><td class=\"created-by\">");
    // The group's button, as in the playground: the row's one tab stop,
    // carrying `aria-expanded` (a plain table's rows cannot).
    if let RowKind::Group { open, .. } = kind {
        let twisty = if open { "▾ " } else { "▸ " };
        let _ = write!(
            out,
            "<button type=\"button\" class=\"group-toggle\" aria-expanded=\"{open}\">\
<span class=\"twisty\" aria-hidden=\"true\">{twisty}</span>"
        );
    }
    let _ = write!(
        out,
        "<code title=\"{}\">{label}</code>",
        escape(shown.created_by)
    );
    if matches!(kind, RowKind::Group { .. }) {
        out.push_str("</button>");
    }
    out.push_str("<div class=\"basis\" role=\"note\">");
    if shown.line > 0 && !matches!(kind, RowKind::Child) {
        let _ = write!(out, "Line {}. ", shown.line);
    }
    escape_into(out, shown.basis);
    let (low, high) = (human_size(shown.range.0), human_size(shown.range.1));
    if low != high {
        let _ = write!(out, " Range: {low} – {high}.");
    }
    let _ = write!(
        out,
        "</div></td><td class=\"num size\">{}</td><td class=\"bar-col\" aria-hidden=\"true\"><span class=\"bar\" style=\"{}\"></span></td></tr>",
        human_size(shown.bytes),
        bar_width(shown.bytes, max)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::{Derived, Inputs};
    use std::rc::Rc;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_seed_shows_the_core_numbers_and_folds_its_base_image() {
        let inputs = crate::derive::tests::seed_inputs();
        let derived = Derived::new(&inputs, || 0.0);
        let estimate = &derived.estimate;
        let total = human_size(estimate.final_image.disk.est);
        let summary = super::super::summary(estimate, None);
        assert!(summary.contains(&format!("data-testid=\"total-size\">{total}<")));
        assert!(
            summary.contains("class=\"headline\" aria-live=\"polite\""),
            "the total is read out when it changes"
        );
        let table = layers(estimate, None, &[]);
        let n_rows = table.matches("data-testid=\"layer-row\"").count();
        assert_eq!(
            n_rows, 5,
            "a base group and four rows of the Dockerfile\n{table}"
        );
        assert!(table.contains("aria-expanded=\"false\""));
        assert!(!table.contains("base-layer-row"), "the group starts folded");
        let image = estimate.rows[0].image.clone().unwrap();
        let open = layers(estimate, None, &[image]);
        assert!(open.contains("base-layer-row") && open.contains("aria-expanded=\"true\""));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn person_text_is_escaped_everywhere() {
        let inputs = Inputs {
            text: Rc::from("FROM alpine\nRUN echo '<b>&</b>' > /x\n"),
            ..crate::derive::tests::seed_inputs()
        };
        let derived = Derived::new(&inputs, || 0.0);
        let table = layers(&derived.estimate, None, &[]);
        assert!(!table.contains("<b>"), "{table}");
        assert!(table.contains("&lt;b&gt;&amp;"));
        assert!(!super::super::highlight(&derived.marks).contains("<b>"));
    }
}
