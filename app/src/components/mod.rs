//! The playground's Yew components, one function component per file. The
//! widget on other pages draws the same markup without Yew (`embed::view`),
//! and shares the helpers below and `layer_groups`.

pub mod context_panel;
pub mod editor;
pub mod editor_diagnostic;
pub mod findings_list;
pub mod layer_groups;
pub mod layer_row;
pub mod layer_table;
pub mod options_panel;
pub mod rewrite_switch;
pub mod size_summary;
pub mod status_line;
pub mod toolbar;

/// A bar's CSS width for `part` of `whole`, e.g. `width:37.25%`, clamped to
/// 0–100%. Integer arithmetic: float formatting would add its printing code
/// to the wasm for this alone.
pub fn bar_width(part: u64, whole: u64) -> String {
    let hundredths = (u128::from(part) * 10_000 / u128::from(whole.max(1))).min(10_000);
    format!("width:{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// `part` of `whole` in whole percent, rounded half up (0 when `whole` is 0).
pub fn rounded_percent(part: u64, whole: u64) -> u64 {
    rounded_ratio(u128::from(part) * 100, u128::from(whole))
}

/// `numerator / denominator` rounded half up, 0 when the denominator is 0.
pub fn rounded_ratio(numerator: impl Into<u128>, denominator: impl Into<u128>) -> u64 {
    let (numerator, denominator) = (numerator.into(), denominator.into());
    if denominator == 0 {
        return 0;
    }
    u64::try_from((numerator + denominator / 2) / denominator).unwrap_or(u64::MAX)
}

pub use context_panel::ContextPanel;
pub use editor::Editor;
pub use findings_list::FindingsList;
pub use layer_table::LayerTable;
pub use options_panel::OptionsPanel;
pub use rewrite_switch::RewriteSwitch;
pub use size_summary::SizeSummary;
pub use status_line::StatusLine;
pub use toolbar::Toolbar;
