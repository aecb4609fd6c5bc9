//! The build context: files declared by hand or read from a picked folder.
//! Only names, sizes and small text files are read, all in the browser.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::DeclaredFile;

/// Text files up to this size are read (go.mod, package.json, *.go, …).
const READ_LIMIT: f64 = 64.0 * 1024.0;

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
            next.sort_by(|a, b| a.path.cmp(&b.path));
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
            <p class="hint">{ "What COPY and ADD can see. Pick a project folder (only names, sizes and small text files are read, in your browser; nothing is uploaded) or declare files by hand. A .dockerignore in the list is honoured." }</p>
            <label class="folder-pick">
                <span>{ if *reading { "Reading folder…" } else { "Pick a project folder…" } }</span>
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
                                <td class="num">{ layerlens_size(file.size) }</td>
                                <td><button type="button" class="icon" onclick={on_remove} aria-label={format!("Remove {}", file.path)}>{ "×" }</button></td>
                            </tr>
                        }
                    }) }
                </tbody>
                <tfoot><tr><th scope="row">{ format!("{} {}", props.files.len(), if props.files.len() == 1 { "file" } else { "files" }) }</th><td class="num">{ layerlens_size(total) }</td><td>
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

/// Sizes as people write them: `1234`, `12kB`, `3.5 MB`, `1 GiB`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = (number * factor).round();
    (0.0..1e15).contains(&bytes).then_some(bytes as u64)
}

/// A size as `docker images` prints it.
fn layerlens_size(bytes: u64) -> String {
    layerlens::estimate::format::docker_size(bytes)
}

/// True for files whose text the estimate can use.
fn worth_reading(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        ".dockerignore"
            | "go.mod"
            | "go.sum"
            | "package.json"
            | "package-lock.json"
            | "requirements.txt"
            | "Cargo.toml"
            | "pom.xml"
            | "Gemfile"
            | "pyproject.toml"
            | "yarn.lock"
            | "Dockerfile"
    ) || std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("go"))
}

/// Names, sizes and small text files of a picked folder; paths are relative
/// to the folder itself.
async fn read_folder(picked: Vec<web_sys::File>) -> Vec<DeclaredFile> {
    let mut files = Vec::with_capacity(picked.len());
    for file in picked {
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| file.name());
        // Drop the picked folder's own name: it is the context root.
        let path = relative
            .split_once('/')
            .map_or(relative.as_str(), |(_, rest)| rest)
            .to_owned();
        let size = file.size();
        let content = if size <= READ_LIMIT && worth_reading(&path) {
            JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
        } else {
            None
        };
        files.push(DeclaredFile {
            path,
            size: size as u64,
            content,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn sizes_parse_like_people_write_them() {
        assert_eq!(parse_size("72"), Some(72));
        assert_eq!(parse_size("12kB"), Some(12_000));
        assert_eq!(parse_size(" 3.5 MB "), Some(3_500_000));
        assert_eq!(parse_size("1 GiB"), Some(1 << 30));
        assert!(parse_size("lots").is_none());
        assert!(parse_size("").is_none());
        assert!(parse_size("3 parsecs").is_none());
    }
}
