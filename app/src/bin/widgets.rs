//! The smaller bundle for pages that only show widgets: `embed.js` on other
//! people's pages, the tutorial and the embed demo. It mounts the same
//! components as the playground's bundle but never the playground itself,
//! so the playground-only code (findings, context panel, examples, autosave)
//! is not linked in, and it is built for size (see `index.html`'s sibling
//! `widgets.html` and `[profile.wasm-small]`).
use layerlens_app::embed::{self, Mode};

fn main() {
    // `#embed` frames load the playground's `index.html` and bundle, so
    // every page of this bundle but the tutorial is a host page, whatever
    // its URL's fragment says.
    match Mode::detect() {
        Mode::Tutorial => layerlens_app::tutorial::mount(),
        Mode::Frame | Mode::Widgets | Mode::Playground => embed::mount_all(),
    }
}
