//! Size and cache findings: what makes the image big, how many bytes a fix
//! saves, and the fix itself as [`Edit`]s.
//!
//! Every rule lives in its own file under `rules/` with a sibling `.md`
//! explanation (used both as the rule's rustdoc and as the app's "explain"
//! text). [`RULES`] is the whole registry; adding a rule is one file pair and
//! one line there.
//!
//! Savings are never guessed: a rule proposes edits (the fix, or for rules
//! without a safe fix a hypothetical fixed text), the context re-runs the
//! analysis on the edited text and the finding reports the difference in the
//! final image's size.

pub mod context;
pub mod rules;

use crate::edit::Edit;
use crate::rewrite::session::Options;
use crate::span::Span;

pub use context::Context;

/// One thing worth changing, found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's kebab-case id (`apt-lists-not-removed`).
    pub rule: &'static str,
    /// Where in the text: usually the instruction or command at fault.
    pub span: Span,
    /// One sentence saying what is wrong here.
    pub message: String,
    /// What fixing it is worth.
    pub savings: Savings,
    /// The fix, when the rule can write one.
    pub fix: Option<Fix>,
}

/// What a finding's fix is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Savings {
    /// The final image gets this many bytes smaller (re-estimated with the
    /// fix applied).
    FinalImage(u64),
    /// Nothing in the image shrinks, but every source change rebuilds layers
    /// of this many bytes (cache busting).
    Rebuild(u64),
    /// Not a size matter (the image would not run, or only the build cache
    /// benefits), or the change cannot be estimated.
    None,
    /// A size matter, but not priced: the file is so large that this run's
    /// re-estimation budget ([`context::MEASURE_BUDGET`]) was spent on the
    /// findings before it. Applying the fix shows its effect.
    NotMeasured,
}

impl Savings {
    /// Bytes saved in the final image (0 for the other kinds).
    pub fn final_bytes(self) -> u64 {
        match self {
            Savings::FinalImage(bytes) => bytes,
            Savings::Rebuild(_) | Savings::None | Savings::NotMeasured => 0,
        }
    }
}

/// A fix: edits against the original text, with a stated safety.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Edits against the analysed text (apply with [`crate::apply_edits`]).
    pub edits: Vec<Edit>,
    /// Whether applying it can change what the image does.
    pub safety: Safety,
}

/// Whether a fix keeps the image's behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Same programs, same behaviour; only bytes or cache use change.
    Safe,
    /// Probably right, but it can change what the image contains at run time;
    /// review before applying.
    Unsafe,
}

/// A lint rule: its id, a one-line summary, the long explanation and the check.
pub struct Rule {
    /// Kebab-case id, stable (used in SARIF and `--max-findings`).
    pub id: &'static str,
    /// One line for lists.
    pub summary: &'static str,
    /// Markdown: what / why in bytes / example / instead / fix safety.
    pub explanation: &'static str,
    /// Appends this rule's findings.
    pub check: fn(&Context, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

macro_rules! rule {
    ($module:ident, $id:literal, $summary:literal) => {
        Rule {
            id: $id,
            summary: $summary,
            explanation: include_str!(concat!("rules/", stringify!($module), ".md")),
            check: rules::$module::check,
        }
    };
}

/// Every rule, in the order findings of equal position are listed.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    rule!(single_stage_toolchain, "single-stage-toolchain", "The build toolchain ships in the final image"),
    rule!(apt_lists_not_removed, "apt-lists-not-removed", "apt package lists left in the layer"),
    rule!(apt_missing_no_install_recommends, "apt-missing-no-install-recommends", "apt installs recommended packages too"),
    rule!(apk_missing_no_cache, "apk-missing-no-cache", "apk index cache left in the layer"),
    rule!(pip_cache_kept, "pip-cache-kept", "pip's download cache left in the layer"),
    rule!(npm_cache_kept, "npm-cache-kept", "npm/yarn cache left in the layer"),
    rule!(dev_dependencies_in_final_image, "dev-dependencies-in-final-image", "Development dependencies installed in the final image"),
    rule!(deleted_in_later_layer, "deleted-in-later-layer", "Files deleted in a later layer still weigh in the earlier one"),
    rule!(chmod_chown_duplicates_layer, "chmod-chown-duplicates-layer", "chmod -R/chown -R copies the files into a new layer"),
    rule!(sources_before_dependencies, "sources-before-dependencies", "Sources copied before the dependency install bust its cache"),
    rule!(copy_all_without_dockerignore, "copy-all-without-dockerignore", "COPY . without a .dockerignore"),
    rule!(add_remote_archive, "add-remote-archive", "ADD of a remote file keeps the download in the layer"),
    rule!(go_caches_in_image, "go-caches-in-image", "Go build and module caches left in the image"),
    rule!(shell_form_without_shell, "shell-form-without-shell", "Shell form on an image without /bin/sh"),
    rule!(cgo_binary_on_static_base, "cgo-binary-on-static-base", "cgo-enabled Go binary on a base without libc"),
    rule!(useradd_without_l, "useradd-without-l", "useradd with a high uid writes a huge sparse lastlog"),
    rule!(whole_stage_copy, "whole-stage-copy", "COPY --from=stage / copies the whole stage"),
    rule!(cache_mount_suggestion, "cache-mount-suggestion", "A package cache is thrown away instead of mounted"),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

/// Run every rule on `text`, findings sorted by position then rule order.
pub fn lint(text: &str, options: &Options) -> Vec<Finding> {
    let context = Context::new(text, options);
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.check)(&context, &mut findings);
    }
    crate::sort::by_key(&mut findings, |finding| {
        let order = RULES.iter().position(|rule| rule.id == finding.rule);
        (finding.span.start, order)
    });
    findings
}
