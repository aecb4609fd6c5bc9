//! The tutorial page (`tutorial.html`): the seed story told step by step,
//! each step a live widget. Every number in the prose is computed here from
//! the core at run time ([`SeedFacts`]); the page text never types one.

pub mod page;
pub mod runtime_table;

use layerlens::estimate::RowOrigin;
use layerlens::rewrite::{compare_runtimes, RuntimeOption};

use crate::examples;
use crate::share::Shared;

pub use page::TutorialPage;
pub use runtime_table::RuntimeTable;

/// The element the tutorial renders into (the whole body when absent).
pub const MOUNT_ID: &str = "layerlens-tutorial";

/// Render the tutorial into `#layerlens-tutorial` (or the body).
pub fn mount() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    match document.get_element_by_id(MOUNT_ID) {
        Some(root) => yew::Renderer::<TutorialPage>::with_root(root).render(),
        None => yew::Renderer::<TutorialPage>::new().render(),
    };
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
        let estimate = layerlens::analyze(&shared.text, &options).estimate;
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
            runtimes: compare_runtimes(&shared.text, &options),
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
