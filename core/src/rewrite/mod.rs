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
use session::{analyze, Options};

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
/// compare them (each is a full plan → render → re-estimate).
pub fn compare_runtimes(text: &str, analysis: &Options) -> Vec<RuntimeOption> {
    RuntimeChoice::ALL
        .into_iter()
        .map(|choice| {
            let result = rewrite(
                text,
                &RewriteOptions {
                    runtime: choice,
                    analysis: analysis.clone(),
                },
            );
            let note = result
                .notes
                .iter()
                .find(|n| n.contains("cannot run this program"))
                .cloned();
            RuntimeOption {
                choice,
                image: result.runtime_image,
                after: result.after,
                note,
            }
        })
        .collect()
}

/// The final image size the analysis predicts for `text`.
pub fn final_size(text: &str, options: &Options) -> u64 {
    analyze(text, options).estimate.final_image.disk.est
}

/// Rewrite `text` into a builder stage and a small runtime stage.
pub fn rewrite(text: &str, options: &RewriteOptions) -> Rewrite {
    let analysis = analyze(text, &options.analysis);
    let before = analysis.estimate.final_image.disk.est;
    if analysis.parse.is_rejected() {
        return Rewrite::unchanged(
            text,
            before,
            "the file has syntax errors; fix them first".into(),
        );
    }
    let releases = runtime::Releases::at(options.analysis.as_of);
    let plan = match plan::plan(&analysis.parse, &analysis.model, options.runtime, &releases) {
        Ok(plan) => plan,
        Err(why) => return Rewrite::unchanged(text, before, why),
    };
    let edits = render::render(&plan, &analysis.parse.dockerfile);
    let output = apply_edits(text, &edits);
    let after_analysis = analyze(&output, &options.analysis);
    let after = after_analysis.estimate.final_image.disk.est;
    if after_analysis.parse.errors.len() > analysis.parse.errors.len() {
        return Rewrite::unchanged(text, before, "the rewrite would not parse cleanly".into());
    }
    if after >= before {
        return Rewrite::unchanged(
            text,
            before,
            format!(
                "a multi-stage build would not be smaller ({} → {})",
                crate::estimate::docker_size(before),
                crate::estimate::docker_size(after)
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
