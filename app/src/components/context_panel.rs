//! The build context: files declared by hand or read from a picked folder.
//! Only names, sizes and small text files are read, all in the browser.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use layerlens::estimate::human_size;

use crate::context_files::{parse_size, read_folder};
use crate::state::DeclaredFile;

/// What the panel shows and reports.
#[derive(Properties, PartialEq)]
pub struct ContextPanelProps {
    /// The declared files.
    pub files: Rc<Vec<DeclaredFile>>,
    /// The new list of files.
    pub on_change: Callback<Vec<DeclaredFile>>,
}

#[component]
pub fn ContextPanel(props: &ContextPanelProps) -> Html {
    let path_ref = use_node_ref();
    let size_ref = use_node_ref();
    let reading = use_state(|| false);

    let on_add = {
        let (files, on_change) = (props.files.clone(), props.on_change.clone());
        let (path_ref, size_ref) = (path_ref.clone(), size_ref.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(path_input), Some(size_input)) = (
                path_ref.cast::<HtmlInputElement>(),
                size_ref.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let path = path_input
                .value()
                .trim()
                .trim_start_matches("./")
                .to_owned();
            let Some(size) = parse_size(&size_input.value()) else {
                let _ = size_input.focus();
                return;
            };
            if path.is_empty() {
                return;
            }
            let mut next: Vec<DeclaredFile> =
                files.iter().filter(|f| f.path != path).cloned().collect();
            next.push(DeclaredFile {
                path,
                size,
                content: None,
            });
            layerlens::sort::by(&mut next, |a, b| a.path.cmp(&b.path));
            on_change.emit(next);
            path_input.set_value("");
            size_input.set_value("");
            let _ = path_input.focus();
        })
    };
    let on_pick = {
        let (on_change, reading) = (props.on_change.clone(), reading.clone());
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(list) = input.files() else { return };
            let picked: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            let (on_change, reading) = (on_change.clone(), reading.clone());
            reading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                on_change.emit(read_folder(picked).await);
                reading.set(false);
            });
        })
    };
    let on_clear = props.on_change.reform(|_: MouseEvent| Vec::new());
    let total: u64 = props.files.iter().map(|f| f.size).sum();

    html! {
        <section class="panel context-panel" data-testid="context-panel" aria-labelledby="context-title">
            <h2 id="context-title">{ "Build context" }</h2>
            <p class="hint">{ "What COPY and ADD can see. Pick or drop a project folder (only names, sizes and small text files are read, in your browser; nothing is uploaded) or declare files by hand. A .dockerignore in the list is honoured." }</p>
            <label class="folder-pick">
                <span>{ if *reading { "Reading folder…" } else { "Pick or drop a project folder…" } }</span>
                <input type="file" webkitdirectory=true multiple=true onchange={on_pick} />
            </label>
            <table class="context-files">
                <caption class="visually-hidden">{ "Declared files" }</caption>
                <thead><tr><th scope="col">{ "Path" }</th><th scope="col" class="num">{ "Size" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                    { for props.files.iter().enumerate().map(|(i, file)| {
                        let on_remove = {
                            let (files, on_change) = (props.files.clone(), props.on_change.clone());
                            Callback::from(move |_: MouseEvent| {
                                let mut next = (*files).clone();
                                next.remove(i);
                                on_change.emit(next);
                            })
                        };
                        html! {
                            <tr key={file.path.clone()}>
                                <td class="path">{ &file.path }{ if file.content.is_some() { " (read)" } else { "" } }</td>
                                <td class="num">{ human_size(file.size) }</td>
                                <td><button type="button" class="icon" onclick={on_remove} aria-label={format!("Remove {}", file.path)}>{ "×" }</button></td>
                            </tr>
                        }
                    }) }
                </tbody>
                <tfoot><tr><th scope="row">{ format!("{} {}", props.files.len(), if props.files.len() == 1 { "file" } else { "files" }) }</th><td class="num">{ human_size(total) }</td><td>
                    if !props.files.is_empty() { <button type="button" onclick={on_clear}>{ "Clear" }</button> }
                </td></tr></tfoot>
            </table>
            <form class="context-add" onsubmit={on_add}>
                <label class="field"><span>{ "Path" }</span><input ref={path_ref} type="text" placeholder="e.g. dist/app.jar" /></label>
                <label class="field"><span>{ "Size" }</span><input ref={size_ref} type="text" inputmode="decimal" placeholder="e.g. 12 MB" /></label>
                <button type="submit">{ "Add file" }</button>
            </form>
        </section>
    }
}
