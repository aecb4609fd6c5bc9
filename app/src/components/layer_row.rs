//! One row of the layer table (a layer, a base-image group or one of its rows).

use layerlens::estimate::human_size;
use layerlens::Span;
use yew::prelude::*;

/// What kind of row this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A layer or metadata row of this Dockerfile.
    Layer,
    /// A base image's rows folded under its name.
    BaseGroup {
        /// Whether the group is expanded.
        open: bool,
        /// How many rows it holds.
        n_rows: usize,
    },
    /// One row inside an expanded base group.
    BaseChild,
}

/// What one row shows and reports.
#[derive(Properties, PartialEq)]
pub struct LayerRowProps {
    /// Layer, group or child.
    pub kind: RowKind,
    /// `CREATED BY` (or the image name for a group).
    pub created_by: AttrValue,
    /// Best estimate, bytes.
    pub bytes: u64,
    /// Low and high ends, bytes.
    pub range: (u64, u64),
    /// The largest entry's bytes (the bar's full width).
    pub max: u64,
    /// Where the number comes from.
    pub basis: AttrValue,
    /// The instruction, for editor highlighting.
    pub span: Option<Span>,
    /// 1-based line of the instruction.
    pub line: u32,
    /// The editor's caret is in this row's instruction.
    pub active: bool,
    /// Hovered/focused (`Some(span)`) or left (`None`).
    pub on_hover: Callback<Option<Span>>,
    /// Clicked or Enter: select the instruction (or toggle the group).
    pub on_activate: Callback<Span>,
}

#[component]
pub fn LayerRowView(props: &LayerRowProps) -> Html {
    let span = props.span;
    let enter = props.on_hover.reform(move |()| span);
    let leave = props.on_hover.reform(|()| None);
    let activate = {
        let on_activate = props.on_activate.clone();
        move || on_activate.emit(span.unwrap_or_default())
    };
    let on_click = {
        let activate = activate.clone();
        Callback::from(move |_: MouseEvent| activate())
    };
    let on_keydown = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Enter" || event.key() == " " {
            event.prevent_default();
            activate();
        }
    });
    let width = super::bar_width(props.bytes, props.max);
    let (low, high) = props.range;
    let range = (human_size(low) != human_size(high))
        .then(|| format!("{} – {}", human_size(low), human_size(high)));
    let (testid, label) = match props.kind {
        RowKind::Layer => ("layer-row", props.created_by.to_string()),
        RowKind::BaseGroup { n_rows, .. } => (
            "layer-row",
            format!("{} ({n_rows} base layers)", props.created_by),
        ),
        RowKind::BaseChild => ("base-layer-row", props.created_by.to_string()),
    };
    let code = html! { <code title={props.created_by.clone()}>{ label }</code> };
    // A group folds and unfolds with a real button (a plain table's rows
    // cannot carry `aria-expanded`); it is the row's one tab stop.
    let (tabindex, name) = match props.kind {
        RowKind::BaseGroup { open, .. } => (
            None,
            html! {
                <button type="button" class="group-toggle" aria-expanded={if open { "true" } else { "false" }}>
                    <span class="twisty" aria-hidden="true">{ if open { "▾ " } else { "▸ " } }</span>
                    { code }
                </button>
            },
        ),
        _ => (Some("0"), code),
    };
    let class = classes!(
        "layer",
        matches!(props.kind, RowKind::BaseGroup { .. }).then_some("layer-group"),
        matches!(props.kind, RowKind::BaseChild).then_some("layer-child"),
        props.active.then_some("active"),
        (props.bytes == 0).then_some("layer-empty"),
    );
    html! {
        <tr
            class={class}
            data-testid={testid}
            tabindex={tabindex}
            onmouseenter={enter.reform(|_: MouseEvent| ())}
            onmouseleave={leave.reform(|_: MouseEvent| ())}
            onfocusin={enter.reform(|_: FocusEvent| ())}
            onfocusout={leave.reform(|_: FocusEvent| ())}
            onclick={on_click}
            onkeydown={on_keydown}
        >
            <td class="created-by">
                { name }
                <div class="basis" role="note">
                    if props.line > 0 && !matches!(props.kind, RowKind::BaseChild) {
                        { format!("Line {}. ", props.line) }
                    }
                    { props.basis.clone() }
                    { for range.map(|range| format!(" Range: {range}.")) }
                </div>
            </td>
            <td class="num size">{ human_size(props.bytes) }</td>
            <td class="bar-col" aria-hidden="true">
                <span class="bar" style={width} />
            </td>
        </tr>
    }
}
