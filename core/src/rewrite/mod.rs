//! The single-stage → multi-stage rewrite: plan → render → edits.
//!
//! [`plan`] reads the stage model and decides which steps are build-time
//! (toolchains, compilers, package caches, sources) and what the program
//! needs at run time; [`render`] writes a builder stage (the person's own
//! stage, named and lightly edited) and a runtime stage in the file's own
//! style, as [`Edit`]s against the original text. The result is re-analysed:
//! a rewrite that would not make the final image smaller is not offered.
//!
//! Architecture invariant: the rewrite is idempotent. Its output is
//! multi-stage with a final stage that builds nothing on a runtime base, so
//! rewriting it again finds nothing to do.

pub mod facts;
pub mod packages;
pub mod plan;
pub mod render;
pub mod runtime;
pub mod session;

use crate::edit::{apply_edits, Edit};
use session::{analyze, Analysis, Options};

pub use runtime::RuntimeChoice;

/// The language a stage builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Go (`go build`, `golang` images).
    Go,
    /// Rust (`cargo`).
    Rust,
    /// Node.js (`npm`, `yarn`, `pnpm`).
    Node,
    /// Python (`pip`, `uv`).
    Python,
    /// Java with Maven or Gradle.
    Java,
    /// .NET (`dotnet publish`).
    DotNet,
    /// Ruby (`bundle`).
    Ruby,
    /// PHP.
    Php,
    /// Haskell (`cabal`, `stack`).
    Haskell,
    /// C, C++ and other programs built with a compiler and `make`.
    Native,
}

impl Language {
    /// A lower-case name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Node => "node",
            Language::Python => "python",
            Language::Java => "java",
            Language::DotNet => "dotnet",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::Haskell => "haskell",
            Language::Native => "native",
        }
    }
}

/// What to rewrite for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RewriteOptions {
    /// The runtime base to aim for.
    pub runtime: RuntimeChoice,
    /// Options for the size estimates before and after.
    pub analysis: Options,
}

/// The outcome of [`rewrite`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// Edits against the input (empty when there is nothing to do).
    pub edits: Vec<Edit>,
    /// The rewritten text (the input unchanged when there is nothing to do).
    pub output: String,
    /// Predicted final image size before, in bytes.
    pub before: u64,
    /// Predicted final image size after, in bytes (equal to `before` when
    /// nothing is done).
    pub after: u64,
    /// The language detected, when a plan was made.
    pub language: Option<Language>,
    /// The runtime image chosen.
    pub runtime_image: Option<String>,
    /// Why nothing was done, when nothing was.
    pub refusal: Option<String>,
    /// Things to check in the result.
    pub notes: Vec<String>,
}

impl Rewrite {
    /// True when the rewrite changes the text.
    pub fn changed(&self) -> bool {
        self.refusal.is_none() && !self.edits.is_empty()
    }

    fn unchanged(text: &str, before: u64, why: String) -> Rewrite {
        Rewrite {
            edits: Vec::new(),
            output: text.to_string(),
            before,
            after: before,
            language: None,
            runtime_image: None,
            refusal: Some(why),
            notes: Vec::new(),
        }
    }
}

/// One runtime choice and what it gives, for "compare the sizes" lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeOption {
    /// The choice.
    pub choice: RuntimeChoice,
    /// The image the choice resolved to (`None` when nothing is done).
    pub image: Option<String>,
    /// Predicted final image size with that runtime.
    pub after: u64,
    /// Why the choice falls back to another base, if it does.
    pub note: Option<String>,
}

/// The rewrite's predicted size for every runtime choice, so a person can
/// compare them (one [`rewrite_each`] over all the choices).
pub fn compare_runtimes(text: &str, analysis: &Options) -> Vec<RuntimeOption> {
    RuntimeOption::each(&rewrite_each(text, analysis, &RuntimeChoice::ALL))
}

impl RuntimeOption {
    /// One option per result of a [`rewrite_each`] over
    /// [`RuntimeChoice::ALL`], in that order.
    pub fn each(results: &[Rewrite]) -> Vec<RuntimeOption> {
        RuntimeChoice::ALL
            .into_iter()
            .zip(results)
            .map(|(choice, result)| RuntimeOption::of(choice, result))
            .collect()
    }

    /// What `result`, the rewrite for `choice`, gives.
    pub fn of(choice: RuntimeChoice, result: &Rewrite) -> Self {
        let note = result
            .notes
            .iter()
            .find(|n| n.contains("cannot run this program"))
            .cloned();
        RuntimeOption {
            choice,
            image: result.runtime_image.clone(),
            after: result.after,
            note,
        }
    }
}

/// The final image size the analysis predicts for `text`.
pub fn final_size(text: &str, options: &Options) -> u64 {
    analyze(text, options).estimate.final_image.disk.est
}

/// Rewrite `text` into a builder stage and a small runtime stage.
pub fn rewrite(text: &str, options: &RewriteOptions) -> Rewrite {
    let mut results = rewrite_each(text, &options.analysis, &[options.runtime]);
    results
        .pop()
        .unwrap_or_else(|| Rewrite::unchanged(text, 0, String::new()))
}

/// [`rewrite`] for several runtime choices at once, in the given order. The
/// input is analysed once, and a rewritten text two choices share (auto and
/// scratch often agree) is estimated once: what the page's runtime picker
/// and [`compare_runtimes`] pay after every pause in typing.
pub fn rewrite_each(text: &str, options: &Options, runtimes: &[RuntimeChoice]) -> Vec<Rewrite> {
    rewrite_each_analyzed(text, &analyze(text, options), options, runtimes)
}

/// [`rewrite_each`] of a text already analysed with `options` (lint has
/// the analysis at hand and does not pay for a second one).
pub fn rewrite_each_analyzed(
    text: &str,
    analysis: &Analysis,
    options: &Options,
    runtimes: &[RuntimeChoice],
) -> Vec<Rewrite> {
    let before = analysis.estimate.final_image.disk.est;
    if analysis.parse.is_rejected() {
        let why = "the file has syntax errors; fix them first";
        return runtimes
            .iter()
            .map(|_| Rewrite::unchanged(text, before, why.into()))
            .collect();
    }
    let releases = runtime::Releases::at(options.as_of);
    // (output, its size, whether it parses with no more errors than the input)
    let mut estimated: Vec<(String, u64, bool)> = Vec::new();
    let mut results = Vec::with_capacity(runtimes.len());
    for &choice in runtimes {
        let plan = match plan::plan(&analysis.parse, &analysis.model, choice, &releases) {
            Ok(plan) => plan,
            Err(why) => {
                results.push(Rewrite::unchanged(text, before, why));
                continue;
            }
        };
        let edits = render::render(&plan, &analysis.parse.dockerfile);
        let output = apply_edits(text, &edits);
        let known = estimated
            .iter()
            .find(|(seen, _, _)| *seen == output)
            .map(|(_, after, parses)| (*after, *parses));
        let (after, parses) = known.unwrap_or_else(|| {
            let after_analysis = analyze(&output, options);
            let after = after_analysis.estimate.final_image.disk.est;
            let parses = after_analysis.parse.errors.len() <= analysis.parse.errors.len();
            estimated.push((output.clone(), after, parses));
            (after, parses)
        });
        results.push(finish(text, before, plan, edits, output, after, parses));
    }
    results
}

/// The [`Rewrite`] for one planned and estimated choice, or why it is not worth it.
fn finish(
    text: &str,
    before: u64,
    plan: plan::Plan,
    edits: Vec<Edit>,
    output: String,
    after: u64,
    parses: bool,
) -> Rewrite {
    if !parses {
        return Rewrite::unchanged(text, before, "the rewrite would not parse cleanly".into());
    }
    if after >= before {
        return Rewrite::unchanged(
            text,
            before,
            format!(
                "a multi-stage build would not be smaller ({} → {})",
                crate::estimate::human_size(before),
                crate::estimate::human_size(after)
            ),
        );
    }
    Rewrite {
        edits,
        output,
        before,
        after,
        language: Some(plan.language),
        runtime_image: Some(plan.runtime.image.clone()),
        refusal: None,
        notes: plan.notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContextFile;

    #[test]
    fn rewriting_all_choices_at_once_matches_one_at_a_time() {
        let texts = [
            "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n",
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
            "FROM alpine:3.20\nRUN echo hi\n",
            "FROM\n",
        ];
        for text in texts {
            let all = rewrite_each(text, &Options::default(), &RuntimeChoice::ALL);
            for (choice, together) in RuntimeChoice::ALL.into_iter().zip(all) {
                let alone = rewrite(
                    text,
                    &RewriteOptions {
                        runtime: choice,
                        analysis: Options::default(),
                    },
                );
                assert_eq!(together, alone, "{choice:?} on {text:?}");
            }
        }
    }

    #[test]
    fn cargo_run_needs_the_crate_name_from_the_context() {
        let text = "FROM rust:1.80\nWORKDIR /usr/src/bot\nCOPY . .\nRUN cargo build --release\nCMD [\"cargo\", \"run\", \"--release\", \"--\", \"--port\", \"80\"]\n";
        let refused = rewrite(text, &RewriteOptions::default());
        assert!(
            refused
                .refusal
                .as_deref()
                .is_some_and(|why| why.contains("Cargo.toml")),
            "{refused:?}"
        );
        let manifest = "[package]\nname = \"bot\"\nversion = \"0.1.0\"\n";
        let analysis = Options {
            context: vec![ContextFile {
                path: "Cargo.toml".into(),
                size: manifest.len() as u64,
                content: Some(manifest.into()),
            }],
            ..Options::default()
        };
        let result = rewrite(
            text,
            &RewriteOptions {
                analysis,
                ..RewriteOptions::default()
            },
        );
        assert!(result.refusal.is_none(), "{result:?}");
        assert!(
            result
                .output
                .contains("COPY --from=build /usr/src/bot/target/release/bot "),
            "{}",
            result.output
        );
        assert!(
            result.output.contains("CMD [\"--port\", \"80\"]"),
            "{}",
            result.output
        );
    }

    #[test]
    fn every_runtime_choice_is_compared() {
        let seed = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
        let options = compare_runtimes(seed, &Options::default());
        assert_eq!(options.len(), RuntimeChoice::ALL.len());
        let size = |choice| {
            options
                .iter()
                .find(|o| o.choice == choice)
                .map(|o| o.after)
                .unwrap()
        };
        assert!(size(RuntimeChoice::Scratch) < size(RuntimeChoice::Distroless));
        assert!(size(RuntimeChoice::Distroless) < size(RuntimeChoice::Alpine));
        assert!(size(RuntimeChoice::Alpine) < size(RuntimeChoice::Slim));
    }
}
