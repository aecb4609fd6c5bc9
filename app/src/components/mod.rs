//! One function component per file. The editor, size summary, layer table
//! and rewrite switch take a `compact` prop for the embed and the tutorial.

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

pub use context_panel::ContextPanel;
pub use editor::Editor;
pub use findings_list::FindingsList;
pub use layer_table::LayerTable;
pub use options_panel::OptionsPanel;
pub use rewrite_switch::RewriteSwitch;
pub use size_summary::SizeSummary;
pub use status_line::StatusLine;
pub use toolbar::Toolbar;
