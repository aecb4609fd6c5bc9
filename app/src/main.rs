//! Mounts the playground.
fn main() {
    yew::Renderer::<layerlens_app::App>::new().render();
}
