//! The Layerlens playground page.
use yew::prelude::*;

#[component]
fn App() -> Html {
    html! { <main><h1>{ "Layerlens" }</h1></main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
