//! The smaller bundle for pages that only show widgets: `embed.js` on other
//! people's pages, the tutorial and the embed demo. It mounts the same
//! components as the playground's bundle but never the playground itself,
//! so the playground-only code (findings, context panel, examples, autosave)
//! is not linked in, and it is built for size (see `index.html`'s sibling
//! `widgets.html` and `[profile.wasm-small]`).
use layerlens_app::embed::{self, Mode};

fn main() {
    match Mode::detect() {
        Mode::Tutorial => layerlens_app::tutorial::mount(),
        Mode::Frame => embed::mount_frame(),
        Mode::Widgets | Mode::Playground => embed::mount_all(),
    }
}
