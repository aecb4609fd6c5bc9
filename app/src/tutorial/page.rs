//! The tutorial's text and its four live steps. Sentences are written
//! around numbers the core computes ([`SeedFacts`]); none is typed in.
//!
//! The page is one HTML string; each step's widget goes into an empty
//! `div[data-step-widget]` that [`super::mount`] fills.

use std::fmt::Write as _;

use layerlens::estimate::human_size;
use layerlens::rewrite::RuntimeChoice;

use super::{runtime_table, SeedFacts};
use crate::components::{rounded_percent, rounded_ratio};
use crate::embed::view::escape;
use crate::embed::WIDGET_CSS;

/// A number the core computed, marked so a reader (and a test) can find it.
fn live(bytes: u64, name: &str) -> String {
    format!(
        "<strong class=\"live-number\" data-fact=\"{name}\">{}</strong>",
        human_size(bytes)
    )
}

/// The first line of a `CREATED BY`, cut to a readable length.
fn short(created_by: &str) -> String {
    let line = created_by.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(70) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// Where a step's widget goes: its runtime choice and the editor's name.
fn widget(runtime: RuntimeChoice, label: &str) -> String {
    format!(
        "<div class=\"tutorial-widget\" data-step-widget=\"{}\" data-label=\"{label}\"></div>",
        runtime.as_str()
    )
}

/// The whole tutorial for the seed's `facts`.
pub fn html(facts: &SeedFacts) -> String {
    let biggest = facts
        .biggest
        .as_ref()
        .map(|(created_by, bytes, image)| {
            let mut out = format!(
                "<p>The tallest bar is a single row, <code>{}</code>, at {} — {}% of the image. ",
                escape(&short(created_by)),
                live(*bytes, "biggest-layer"),
                rounded_percent(*bytes, facts.total)
            );
            if let Some(image) = image {
                let _ = write!(
                    out,
                    "It is not from our Dockerfile at all: it arrives with the base image <code>{}</code>, \
which carries the whole Go toolchain (compiler, standard library, build cache support) so that \
<code>go build</code> can run inside it.",
                    escape(image)
                );
            }
            out.push_str("</p>");
            out
        })
        .unwrap_or_default();
    let own = match (facts.copy_bytes, facts.build_bytes) {
        (Some(copy), Some(build)) => format!(
            "<p>Our own layers are tiny next to it: copying the source adds {} and compiling it adds {}. \
Everything else is tooling we needed only while building.</p>",
            live(copy, "copy-layer"),
            live(build, "build-layer")
        ),
        _ => String::new(),
    };
    let after = facts.after(RuntimeChoice::Auto).unwrap_or(facts.total);
    let ratio = rounded_ratio(facts.total, after);
    format!(
        "<article class=\"tutorial\"><style>{WIDGET_CSS}</style>
<header><h1>Why is my Go hello-world so big?</h1>
<p class=\"lede\">A short walk through one Dockerfile, with every size predicted live in your browser by Layerlens. \
Edit any example: the numbers follow. Nothing is sent anywhere and nothing is built.</p></header>

<section class=\"step\" id=\"step-1\" data-step=\"1\"><h2>1. The obvious Dockerfile</h2>
<p>Start from the official Go image, copy in a {source} program, build it and run it. It is the Dockerfile most of us \
write first. Sized with the images as they were published in December 2022, it comes to {total} on disk \
({compressed} to pull) — for a program that prints one line.</p>
{step1}</section>

<section class=\"step\" id=\"step-2\" data-step=\"2\"><h2>2. Where is the size?</h2>
<p>An image is a stack of layers, and <code>docker history</code> lists what each one adds. The <em>Layers</em> table \
in each example is that list, predicted: one row per layer with a bar scaled to its size. Hover a row to see the instruction \
it comes from and where the number comes from.</p>
{biggest}{own}{step2}</section>

<section class=\"step\" id=\"step-3\" data-step=\"3\"><h2>3. Build in one stage, ship from another</h2>
<p>A multi-stage build keeps the toolchain where it belongs: the first stage compiles, and a second, almost empty \
stage receives only the finished binary. Builder stages are thrown away, so the image you ship starts over from a \
small base. Flip <em>Multi-stage build</em> to let Layerlens rewrite the Dockerfile for you: the prediction drops \
from {before} to {after}, roughly {ratio} times smaller. Switch it off and your own text comes back exactly as it was.</p>
{step3}</section>

<section class=\"step\" id=\"step-4\" data-step=\"4\"><h2>4. scratch, alpine or distroless?</h2>
<p>The second stage needs a base. <code>scratch</code> is nothing at all: fine for a static Go binary, but there is \
no shell to debug with and no CA certificates unless you copy them. <code>alpine</code> adds a small Linux with a \
shell and a package manager. Distroless images sit in between: certificates and time zones, no shell. Here is what \
each choice predicts for this program:</p>
{table}
<p>Try the picker in the widget below: with the switch on, the rewrite follows the runtime you choose.</p>
{step4}</section>

<footer class=\"tutorial-footer\"><p>Numbers are predictions from Layerlens's catalog of published image layers, \
not a build; each row says where its number comes from. Open any step in the <a href=\"index.html\">playground</a> \
to keep going with your own Dockerfile.</p></footer></article>",
        source = live(facts.source_bytes, "source"),
        total = live(facts.total, "total"),
        compressed = live(facts.compressed, "compressed"),
        step1 = widget(RuntimeChoice::Auto, "Step 1 Dockerfile"),
        step2 = widget(RuntimeChoice::Auto, "Step 2 Dockerfile"),
        before = live(facts.total, "before"),
        after = live(after, "after"),
        step3 = widget(RuntimeChoice::Auto, "Step 3 Dockerfile"),
        table = runtime_table(&facts.runtimes, facts.total),
        step4 = widget(RuntimeChoice::Alpine, "Step 4 Dockerfile"),
    )
}
