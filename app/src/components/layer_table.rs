//! The layers, `docker history` style: created-by and size, a bar scaled to
//! the largest row, base-image rows grouped under the image name.
//! Hovering or focusing a row highlights its instruction in the editor; the
//! editor's caret marks its row here.

use std::rc::Rc;

use layerlens::estimate::Estimate;
use layerlens::Span;
use yew::prelude::*;

use super::layer_groups::{entries, entry_bytes, Entry};
use super::layer_row::{LayerRowView, RowKind};

/// What the table shows and reports.
#[derive(Properties, PartialEq)]
pub struct LayerTableProps {
    /// The estimate.
    pub estimate: Rc<Estimate>,
    /// The caret's byte offset (its row is marked).
    #[prop_or_default]
    pub caret: Option<u32>,
    /// A row was hovered or focused (its instruction span), or left (`None`).
    #[prop_or_default]
    pub on_hover: Callback<Option<Span>>,
    /// A row was activated: select its instruction.
    #[prop_or_default]
    pub on_select_span: Callback<Span>,
}

#[component]
pub fn LayerTable(props: &LayerTableProps) -> Html {
    let expanded = use_state(Vec::<String>::new);
    let estimate = &props.estimate;
    let caret_row = props.caret.and_then(|offset| estimate.row_at(offset));
    let final_stage = estimate.final_image.stage;

    let render_group = |title: Option<String>, indices: &[usize]| -> Html {
        let list = entries(estimate, indices);
        let max = list.iter().map(entry_bytes).max().unwrap_or(0).max(1);
        let rows = list.into_iter().map(|entry| match entry {
            Entry::Row(index, row) => html! {
                <LayerRowView
                    key={format!("r{index}")}
                    kind={RowKind::Layer}
                    created_by={AttrValue::from(row.created_by.clone())}
                    bytes={row.disk.est}
                    range={(row.disk.low, row.disk.high)}
                    max={max}
                    basis={AttrValue::from(row.basis.clone())}
                    span={Some(row.span)}
                    line={row.line}
                    active={caret_row == Some(index)}
                    on_hover={props.on_hover.clone()}
                    on_activate={props.on_select_span.clone()}
                />
            },
            Entry::Base { image, rows } => {
                let open = expanded.contains(&image);
                let bytes: u64 = rows.iter().map(|(_, row)| row.disk.est).sum();
                let on_toggle = {
                    let (expanded, image) = (expanded.clone(), image.clone());
                    Callback::from(move |_: Span| {
                        let mut next = (*expanded).clone();
                        if let Some(at) = next.iter().position(|i| *i == image) {
                            next.remove(at);
                        } else {
                            next.push(image.clone());
                        }
                        expanded.set(next);
                    })
                };
                let from_span = rows.first().map(|(_, row)| row.span);
                let children = rows.iter().filter(|_| open).map(|(index, row)| html! {
                    <LayerRowView
                        key={format!("r{index}")}
                        kind={RowKind::BaseChild}
                        created_by={AttrValue::from(row.created_by.clone())}
                        bytes={row.disk.est}
                        range={(row.disk.low, row.disk.high)}
                        max={max}
                        basis={AttrValue::from(row.basis.clone())}
                        span={None::<Span>}
                        line={row.line}
                        active={false}
                        on_hover={Callback::noop()}
                        on_activate={Callback::noop()}
                    />
                });
                let basis = rows.first().map(|(_, row)| row.basis.clone()).unwrap_or_default();
                html! {
                    <>
                        <LayerRowView
                            key={format!("g{image}")}
                            kind={RowKind::BaseGroup { open, n_rows: rows.len() }}
                            created_by={AttrValue::from(image.clone())}
                            bytes={bytes}
                            range={rows.iter().fold((0, 0), |(low, high), (_, row)| (low + row.disk.low, high + row.disk.high))}
                            max={max}
                            basis={AttrValue::from(basis)}
                            span={from_span}
                            line={rows.first().map_or(0, |(_, row)| row.line)}
                            active={false}
                            on_hover={props.on_hover.clone()}
                            on_activate={on_toggle}
                        />
                        { for children }
                    </>
                }
            }
        });
        html! {
            <table class="layers">
                if let Some(title) = title {
                    <caption>{ title }</caption>
                }
                <thead>
                    <tr>
                        <th scope="col">{ "Created by" }</th>
                        <th scope="col" class="num">{ "Size" }</th>
                        <th scope="col" class="bar-col"><span class="visually-hidden">{ "Share" }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    };

    let final_rows: Vec<usize> = final_stage
        .and_then(|index| estimate.stages.get(index))
        .map(|stage| stage.rows.clone())
        .unwrap_or_default();
    let builders = estimate
        .stages
        .iter()
        .filter(|stage| stage.needed && Some(stage.index) != final_stage)
        .map(|stage| {
            // Only the builder's own rows: its base is already a group above or below.
            let own: Vec<usize> = stage.rows.iter().copied().filter(|&i| estimate.rows.get(i).is_some_and(|r| r.stage == stage.index)).collect();
            let name = stage.name.clone().unwrap_or_else(|| format!("stage {}", stage.index));
            html! {
                <details class="builder-stage">
                    <summary>{ format!("Builder stage {name} (FROM {}): not shipped", stage.base) }</summary>
                    { render_group(None, &own) }
                </details>
            }
        });

    html! {
        <section class={"panel layer-table"} role="group" aria-label="Layers">
            <h2>{ "Layers" }</h2>
            <p class="hint">{ "Oldest first (docker history lists them newest first). Hover or focus a row to see its instruction and where the number comes from." }</p>
            { render_group(None, &final_rows) }
            { for builders }
        </section>
    }
}
