//! The headline: the final image's size on disk, to pull, its range.

use std::fmt::Write as _;

use layerlens::estimate::{human_size, Estimate};

/// The headline: final size on disk (struck-through "before" while the
/// rewrite is shown), pull size, range and layer count.
pub fn summary(estimate: &Estimate, before: Option<u64>) -> String {
    let image = &estimate.final_image;
    // The "before" is always there (hidden when empty), so the total keeps
    // its place and its node when the rewrite is switched.
    // Read out when it changes, as in the playground.
    let mut out = String::from(
        "<h2>Final image</h2><p class=\"headline\" aria-live=\"polite\" aria-atomic=\"true\">",
    );
    match before.filter(|&before| before != image.disk.est) {
        Some(before) => {
            let _ = write!(
                out,
                "<span class=\"before\"><s>{}</s> → </span>",
                human_size(before)
            );
        }
        None => out.push_str("<span class=\"before\" hidden></span>"),
    }
    let _ = write!(
        out,
        "<strong class=\"total\" data-testid=\"total-size\">{}</strong><span class=\"unit-note\"> on disk</span></p>\
<p class=\"subline\"><span data-testid=\"compressed-size\">{}</span> to pull (compressed)",
        human_size(image.disk.est),
        human_size(image.compressed_bytes)
    );
    let (low, high) = (human_size(image.disk.low), human_size(image.disk.high));
    if low != high {
        let _ = write!(out, " · <span class=\"range\">likely {low} – {high}</span>");
    }
    let noun = if image.n_layers == 1 {
        "layer"
    } else {
        "layers"
    };
    let _ = write!(out, " · {} {noun}</p>", image.n_layers);
    out
}
