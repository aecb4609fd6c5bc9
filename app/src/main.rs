//! The Layerlens playground page.
use layerlens::LineIndex;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

const SEED: &str = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";

#[component]
fn App() -> Html {
    let text = use_state(|| SEED.to_string());
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            text.set(area.value());
        })
    };
    let lines = LineIndex::new(&text).line_count();
    html! {
        <main>
            <h1>{ "Layerlens" }</h1>
            <textarea data-testid="editor" aria-label="Dockerfile" value={(*text).clone()} oninput={on_input} />
            <p data-testid="status">{ format!("{lines} lines") }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
