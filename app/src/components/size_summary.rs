//! The headline: the final image's disk size, its pull size, the range and
//! per-stage totals, with what builder stages throw away shown apart.

use std::rc::Rc;

use layerlens::estimate::{human_size, Estimate};
use yew::prelude::*;

/// What the summary shows.
#[derive(Properties, PartialEq)]
pub struct SizeSummaryProps {
    /// The estimate of the text shown.
    pub estimate: Rc<Estimate>,
    /// The final size before the rewrite, while the rewrite is shown.
    #[prop_or_default]
    pub before: Option<u64>,
}

/// A low–high range in words, or `None` when both ends print the same.
fn range_text(low: u64, high: u64) -> Option<String> {
    let (low, high) = (human_size(low), human_size(high));
    (low != high).then(|| format!("likely {low} – {high}"))
}

#[component]
pub fn SizeSummary(props: &SizeSummaryProps) -> Html {
    let estimate = &props.estimate;
    let image = &estimate.final_image;
    let total = human_size(image.disk.est);
    let range = range_text(image.disk.low, image.disk.high);
    let before = props
        .before
        .filter(|&before| before != image.disk.est)
        .map(|before| {
            html! { <span class="before"><s>{ human_size(before) }</s>{ " → " }</span> }
        });
    let stages = estimate.stages.iter().filter(|stage| stage.needed).map(|stage| {
        let name = stage.name.clone().unwrap_or_else(|| format!("stage {}", stage.index));
        let role = if Some(stage.index) == image.stage {
            "final image"
        } else if stage.in_final {
            "partly shipped"
        } else {
            "builder, discarded"
        };
        html! {
            <li class={classes!("stage", (!stage.in_final).then_some("stage-discarded"))}>
                <span class="stage-name">{ name }<small>{ format!(" FROM {}", stage.base) }</small></span>
                <span class="stage-role">{ role }</span>
                <span class="num">{ human_size(stage.disk.est) }</span>
            </li>
        }
    });
    let n_stages = estimate.stages.iter().filter(|stage| stage.needed).count();

    html! {
        <section class={"panel size-summary"} role="group" aria-label="Image size">
            <h2>{ "Final image" }</h2>
            // Read out when it changes (a screen reader hears the new
            // total as the person types or flips the switch).
            <p class="headline" aria-live="polite" aria-atomic="true">
                { for before }
                <strong class="total" data-testid="total-size">{ total }</strong>
                <span class="unit-note">{ " on disk" }</span>
            </p>
            <p class="subline">
                <span data-testid="compressed-size">{ human_size(image.compressed_bytes) }</span>{ " to pull (compressed)" }
                { for range.map(|range| html! { <>{ " · " }<span class="range">{ range }</span></> }) }
                { format!(" · {} {}", image.n_layers, if image.n_layers == 1 { "layer" } else { "layers" }) }
            </p>
            if n_stages > 1 {
                <ul class="stages" aria-label="Stages">{ for stages }</ul>
            }
            if !estimate.discarded.is_zero() {
                <p class="discarded">
                    { "Built and thrown away by builder stages: " }
                    <strong data-testid="discarded-size">{ human_size(estimate.discarded.est) }</strong>
                    { " (costs build time and cache, not image size)" }
                </p>
            }
        </section>
    }
}
