//! The public entry point: text + options → parse, stage model and size estimate.

use crate::estimate::catalog::Date;
use crate::estimate::{self, Estimate};
use crate::model::{self, BuildContext, Model, ModelOptions};
use crate::syntax::{self, Parse};

pub use crate::model::ContextFile;

/// Everything besides the text that decides the result, as `docker build`
/// would see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Files of the build context (path, size, text of small files).
    pub context: Vec<ContextFile>,
    /// `--build-arg KEY=VALUE`, in order (a later one wins).
    pub build_args: Vec<(String, String)>,
    /// `--target STAGE`: the stage to build (default: the last).
    pub target: Option<String>,
    /// `--platform`, e.g. `linux/amd64` (default) or `linux/arm64`.
    pub platform: Option<String>,
    /// Which version floating tags (`golang:alpine`) meant: the catalog
    /// snapshot current on this date (default: the newest).
    pub as_of: Option<Date>,
}

/// Everything the core derives from one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The syntax tree and syntax errors.
    pub parse: Parse,
    /// Stages, scopes, references and the build context.
    pub model: Model,
    /// Predicted `docker history` rows and totals.
    pub estimate: Estimate,
}

/// Analyse a Dockerfile: a pure function of `(text, options)`.
pub fn analyze(text: &str, options: &Options) -> Analysis {
    let parse = syntax::parse(text);
    let context = BuildContext::new(&options.context);
    let model_options = ModelOptions {
        build_args: &options.build_args,
        target: options.target.as_deref(),
        platform: options.platform.as_deref(),
        as_of: options.as_of,
    };
    let model = model::build(&parse.dockerfile, context, &model_options);
    let estimate = estimate::estimate(&model, options.platform.as_deref(), options.as_of);
    Analysis {
        parse,
        model,
        estimate,
    }
}
