//! Options that change the estimate: platform, "as of" date, build args.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::{PageOptions, Platform};

/// What the panel shows and reports.
#[derive(Properties, PartialEq)]
pub struct OptionsPanelProps {
    /// The options.
    pub options: PageOptions,
    /// The changed options.
    pub on_change: Callback<PageOptions>,
}

/// `KEY=value` lines as build-arg pairs (`KEY` alone means an empty value).
pub fn parse_build_args(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once('=') {
            Some((name, value)) => (name.trim().to_owned(), value.to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect()
}

fn format_build_args(args: &[(String, String)]) -> String {
    let mut text = String::new();
    for (name, value) in args {
        text.push_str(name);
        text.push('=');
        text.push_str(value);
        text.push('\n');
    }
    text
}

#[component]
pub fn OptionsPanel(props: &OptionsPanelProps) -> Html {
    // The build-args box keeps the person's spelling while they type; it is
    // only rewritten when the options change from elsewhere (an example).
    let args_text = use_state(|| format_build_args(&props.options.build_args));
    {
        let args_text = args_text.clone();
        use_effect_with(props.options.build_args.clone(), move |args| {
            if parse_build_args(&args_text) != *args {
                args_text.set(format_build_args(args));
            }
        });
    }
    let emit = |options: &PageOptions,
                on_change: &Callback<PageOptions>,
                edit: &dyn Fn(&mut PageOptions)| {
        let mut next = options.clone();
        edit(&mut next);
        if next != *options {
            on_change.emit(next);
        }
    };
    let on_platform = {
        let (options, on_change) = (props.options.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                emit(&options, &on_change, &|o| {
                    o.platform = Platform::parse(&select.value());
                });
            }
        })
    };
    let on_date = {
        let (options, on_change) = (props.options.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                emit(&options, &on_change, &|o| o.as_of = input.value());
            }
        })
    };
    let on_args = {
        let (options, on_change, args_text) = (
            props.options.clone(),
            props.on_change.clone(),
            args_text.clone(),
        );
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                let value = area.value();
                let args = parse_build_args(&value);
                args_text.set(value);
                emit(&options, &on_change, &|o| o.build_args.clone_from(&args));
            }
        })
    };
    html! {
        <section class="panel options-panel" aria-labelledby="options-title">
            <h2 id="options-title">{ "Options" }</h2>
            <div class="options-grid">
                <label class="field">
                    <span>{ "Platform" }</span>
                    <select data-testid="platform-select" onchange={on_platform}>
                        { for Platform::ALL.iter().map(|p| html! {
                            <option value={p.as_str()} selected={*p == props.options.platform}>{ p.as_str() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Image sizes as of" }</span>
                    <input type="date" data-testid="as-of" value={props.options.as_of.clone()} onchange={on_date} />
                </label>
                <label class="field field-wide">
                    <span>{ "Build args (KEY=value per line)" }</span>
                    <textarea rows="2" spellcheck="false" value={(*args_text).clone()} oninput={on_args} />
                </label>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn build_args_parse_and_format() {
        let args = parse_build_args("GO_VERSION=1.19\n\n# note\nDEBUG\nX= a=b \n");
        assert_eq!(
            args,
            vec![
                ("GO_VERSION".to_owned(), "1.19".to_owned()),
                ("DEBUG".to_owned(), String::new()),
                ("X".to_owned(), " a=b".to_owned()),
            ]
        );
        assert_eq!(parse_build_args(&format_build_args(&args)), args);
    }
}
