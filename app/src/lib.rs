//! The Layerlens pages over the core: the playground (Yew), and the widget
//! and tutorial other pages embed (plain DOM, so they stay small).
//!
//! - [`app`]: the root component; it owns the one session reducer and derives
//!   every analysis from the text with `use_memo`.
//! - [`components`]: the playground's function components, one per file.
//! - [`state`]: the session reducer. [`share`]: the session as a compact
//!   string (links, autosave). [`storage`]: fragment, local storage,
//!   clipboard, theme. [`offsets`]: UTF-16 ↔ byte offsets at the DOM edge.
//!   [`highlight`]: the editor's painted layer. [`textarea`]: the editor's
//!   DOM edge. [`examples`]: the menu.
//! - [`embed`]: the compact widget, written without Yew (`embed::view` draws
//!   the components' markup as strings, `embed::widget` runs it on the same
//!   session reducer and derived data): in host pages (shadow roots), in the
//!   `#embed` frame and in [`tutorial`], the tutorial page's live story.

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub mod app;
pub mod components;
pub mod context_files;
pub mod derive;
pub mod embed;
pub mod examples;
pub mod highlight;
pub mod hooks;
pub mod offsets;
pub mod share;
pub mod state;
pub mod storage;
pub mod textarea;
pub mod tutorial;

pub use app::App;
