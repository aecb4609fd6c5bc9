//! Mounts what the page asks for: the playground, the tutorial, one widget
//! per `pre[data-layerlens]` on a host page, or the `#embed` frame.
use layerlens_app::embed::{self, Mode};

fn main() {
    match Mode::detect() {
        Mode::Widgets => embed::mount_all(),
        Mode::Tutorial => layerlens_app::tutorial::mount(),
        Mode::Frame => embed::mount_frame(),
        Mode::Playground => {
            yew::Renderer::<layerlens_app::App>::new().render();
        }
    }
}
