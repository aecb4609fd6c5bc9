//! The tutorial page (`tutorial.html`): the seed story told step by step,
//! each step a live widget. Every number in the prose is computed here from
//! the core at run time ([`SeedFacts`]); the page text never types one.

pub mod page;
pub mod runtime_table;

use layerlens::estimate::RowOrigin;
use layerlens::rewrite::{rewrite_each_analyzed, RuntimeOption};

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::embed::{widget, WidgetConfig};
use crate::examples;
use crate::share::Shared;
use crate::state::RuntimeChoice;

pub use runtime_table::runtime_table;

/// The element the tutorial renders into (the whole body when absent).
pub const MOUNT_ID: &str = "layerlens-tutorial";

/// Render the tutorial into `#layerlens-tutorial` (or the body), then a
/// live widget of the seed into each step.
pub fn mount() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document
        .get_element_by_id(MOUNT_ID)
        .or_else(|| document.body().map(Into::into))
    else {
        return;
    };
    let shared = seed();
    root.set_inner_html(&page::html(&SeedFacts::of(&shared)));
    let Ok(slots) = root.query_selector_all("[data-step-widget]") else {
        return;
    };
    for index in 0..slots.length() {
        let Some(slot) = slots.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let attribute = |name: &str| slot.get_attribute(name).unwrap_or_default();
        let config = WidgetConfig {
            shared: shared.clone(),
            runtime: RuntimeChoice::parse(&attribute("data-step-widget")).unwrap_or_default(),
            ..WidgetConfig::default()
        };
        if let Some(mounted) = widget::mount(&slot, config, "index.html", &attribute("data-label"))
        {
            mounted.keep_for_page();
        }
    }
}

/// The seed example: the single-stage Go hello-world as of its article's date.
pub fn seed() -> Shared {
    examples::EXAMPLES[0].to_shared()
}

/// What the core says about the seed, for the prose around the widgets.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedFacts {
    /// Final image on disk.
    pub total: u64,
    /// Final image to pull (compressed).
    pub compressed: u64,
    /// The biggest layer: its `CREATED BY`, size and base image.
    pub biggest: Option<(String, u64, Option<String>)>,
    /// Size of the program's source in the context.
    pub source_bytes: u64,
    /// The `COPY` layer of the source.
    pub copy_bytes: Option<u64>,
    /// The `RUN go build` layer.
    pub build_bytes: Option<u64>,
    /// The multi-stage rewrite's size for each runtime choice.
    pub runtimes: Vec<RuntimeOption>,
}

impl SeedFacts {
    /// Ask the core about `shared`.
    pub fn of(shared: &Shared) -> Self {
        let options = crate::derive::core_options(&shared.context, &shared.options);
        let analysis = layerlens::analyze(&shared.text, &options);
        // The runtimes reuse this analysis (`compare_runtimes` would redo it).
        let runtimes = RuntimeOption::each(&rewrite_each_analyzed(
            &shared.text,
            &analysis,
            &options,
            &layerlens::rewrite::RuntimeChoice::ALL,
        ));
        let estimate = analysis.estimate;
        let own_layer = |word: &str| {
            estimate
                .rows
                .iter()
                .find(|row| row.origin == RowOrigin::Layer && row.created_by.contains(word))
                .map(|row| row.disk.est)
        };
        SeedFacts {
            total: estimate.final_image.disk.est,
            compressed: estimate.final_image.compressed_bytes,
            biggest: estimate
                .rows
                .iter()
                .max_by_key(|row| row.disk.est)
                .map(|row| (row.created_by.clone(), row.disk.est, row.image.clone())),
            source_bytes: shared.context.iter().map(|file| file.size).sum(),
            copy_bytes: own_layer("COPY"),
            build_bytes: own_layer("go build"),
            runtimes,
        }
    }

    /// The rewrite's size for `choice`.
    pub fn after(&self, choice: layerlens::rewrite::RuntimeChoice) -> Option<u64> {
        self.runtimes
            .iter()
            .find(|option| option.choice == choice)
            .map(|option| option.after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_seed_facts_come_from_the_core() {
        let shared = seed();
        let facts = SeedFacts::of(&shared);
        let options = crate::derive::core_options(&shared.context, &shared.options);
        let direct = layerlens::analyze(&shared.text, &options).estimate;
        assert_eq!(facts.total, direct.final_image.disk.est);
        let (_, biggest, _) = facts.biggest.clone().unwrap();
        assert!(direct.rows.iter().all(|row| row.disk.est <= biggest));
        assert!(facts.copy_bytes.is_some() && facts.build_bytes.is_some());
        let scratch = facts
            .after(layerlens::rewrite::RuntimeChoice::Scratch)
            .unwrap();
        assert!(scratch < facts.total / 10, "multi-stage is far smaller");
    }
}
