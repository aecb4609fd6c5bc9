//! The tutorial's text and its four live steps. Sentences are written
//! around numbers the core computes ([`SeedFacts`]); none is typed in.

use layerlens::estimate::human_size;
use layerlens::rewrite::RuntimeChoice as CoreRuntime;
use yew::prelude::*;

use super::{seed, RuntimeTable, SeedFacts};
use crate::components::{rounded_percent, rounded_ratio};
use crate::embed::{Widget, WIDGET_CSS};
use crate::state::RuntimeChoice;

/// A number the core computed, marked so a reader (and a test) can find it.
fn live(bytes: u64, name: &'static str) -> Html {
    html! { <strong class="live-number" data-fact={name}>{ human_size(bytes) }</strong> }
}

/// The first line of a `CREATED BY`, cut to a readable length.
fn short(created_by: &str) -> String {
    let line = created_by.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(70) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

#[component]
pub fn TutorialPage() -> Html {
    let shared = use_memo((), |()| seed());
    let facts = use_memo((), |()| SeedFacts::of(&seed()));
    let playground = AttrValue::Static("index.html");
    let widget = |runtime: RuntimeChoice, label: &'static str| {
        html! {
            <Widget
                initial={(*shared).clone()}
                {runtime}
                playground={playground.clone()}
                label={AttrValue::Static(label)}
                height={Some(AttrValue::Static("9em"))}
            />
        }
    };
    let biggest = facts.biggest.clone().map(|(created_by, bytes, image)| {
        html! {
            <p>
                { "The tallest bar is a single row, " }<code>{ short(&created_by) }</code>
                { ", at " }{ live(bytes, "biggest-layer") }
                { format!(" — {}% of the image. ", rounded_percent(bytes, facts.total)) }
                if let Some(image) = image {
                    { "It is not from our Dockerfile at all: it arrives with the base image " }
                    <code>{ image }</code>
                    { ", which carries the whole Go toolchain (compiler, standard library, build cache support) so that " }
                    <code>{ "go build" }</code>{ " can run inside it." }
                }
            </p>
        }
    });
    let own = match (facts.copy_bytes, facts.build_bytes) {
        (Some(copy), Some(build)) => html! {
            <p>
                { "Our own layers are tiny next to it: copying the source adds " }{ live(copy, "copy-layer") }
                { " and compiling it adds " }{ live(build, "build-layer") }
                { ". Everything else is tooling we needed only while building." }
            </p>
        },
        _ => html! {},
    };
    let after = facts.after(CoreRuntime::Auto).unwrap_or(facts.total);
    let ratio = rounded_ratio(facts.total, after);

    html! {
        <article class="tutorial">
            <style>{ WIDGET_CSS }</style>
            <header>
                <h1>{ "Why is my Go hello-world so big?" }</h1>
                <p class="lede">
                    { "A short walk through one Dockerfile, with every size predicted live in your browser by Layerlens. Edit any example: the numbers follow. Nothing is sent anywhere and nothing is built." }
                </p>
            </header>

            <section class="step" id="step-1" data-step="1">
                <h2>{ "1. The obvious Dockerfile" }</h2>
                <p>
                    { "Start from the official Go image, copy in a " }{ live(facts.source_bytes, "source") }
                    { " program, build it and run it. It is the Dockerfile most of us write first. Sized with the images as they were published in December 2022, it comes to " }
                    { live(facts.total, "total") }{ " on disk (" }{ live(facts.compressed, "compressed") }
                    { " to pull) — for a program that prints one line." }
                </p>
                { widget(RuntimeChoice::Auto, "Step 1 Dockerfile") }
            </section>

            <section class="step" id="step-2" data-step="2">
                <h2>{ "2. Where is the size?" }</h2>
                <p>
                    { "An image is a stack of layers, and " }<code>{ "docker history" }</code>
                    { " lists what each one adds. The table beside the editor is that list, predicted: one row per layer with a bar scaled to its size. Hover a row to see the instruction it comes from and where the number comes from." }
                </p>
                { biggest.unwrap_or_default() }
                { own }
                { widget(RuntimeChoice::Auto, "Step 2 Dockerfile") }
            </section>

            <section class="step" id="step-3" data-step="3">
                <h2>{ "3. Build in one stage, ship from another" }</h2>
                <p>
                    { "A multi-stage build keeps the toolchain where it belongs: the first stage compiles, and a second, almost empty stage receives only the finished binary. Builder stages are thrown away, so the image you ship starts over from a small base. Flip " }
                    <em>{ "Multi-stage build" }</em>
                    { " to let Layerlens rewrite the Dockerfile for you: the prediction drops from " }
                    { live(facts.total, "before") }{ " to " }{ live(after, "after") }
                    { format!(", roughly {ratio} times smaller. Switch it off and your own text comes back exactly as it was.") }
                </p>
                { widget(RuntimeChoice::Auto, "Step 3 Dockerfile") }
            </section>

            <section class="step" id="step-4" data-step="4">
                <h2>{ "4. scratch, alpine or distroless?" }</h2>
                <p>
                    { "The second stage needs a base. " }<code>{ "scratch" }</code>
                    { " is nothing at all: fine for a static Go binary, but there is no shell to debug with and no CA certificates unless you copy them. " }
                    <code>{ "alpine" }</code>{ " adds a small Linux with a shell and a package manager. Distroless images sit in between: certificates and time zones, no shell. Here is what each choice predicts for this program:" }
                </p>
                <RuntimeTable options={facts.runtimes.clone()} before={facts.total} />
                <p>
                    { "Try the picker in the widget below: with the switch on, the rewrite follows the runtime you choose." }
                </p>
                { widget(RuntimeChoice::Alpine, "Step 4 Dockerfile") }
            </section>

            <footer class="tutorial-footer">
                <p>
                    { "Numbers are predictions from Layerlens's catalog of published image layers, not a build; each row says where its number comes from. Open any step in the " }
                    <a href="index.html">{ "playground" }</a>{ " to keep going with your own Dockerfile." }
                </p>
            </footer>
        </article>
    }
}
