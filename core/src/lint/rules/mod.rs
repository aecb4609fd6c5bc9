//! One file per rule; each `check` appends findings. Explanations are the
//! sibling `.md` files (see [`super::RULES`]).

#[doc = include_str!("add_remote_archive.md")]
pub mod add_remote_archive;
#[doc = include_str!("apk_missing_no_cache.md")]
pub mod apk_missing_no_cache;
#[doc = include_str!("apt_lists_not_removed.md")]
pub mod apt_lists_not_removed;
#[doc = include_str!("apt_missing_no_install_recommends.md")]
pub mod apt_missing_no_install_recommends;
#[doc = include_str!("cache_mount_suggestion.md")]
pub mod cache_mount_suggestion;
#[doc = include_str!("cgo_binary_on_static_base.md")]
pub mod cgo_binary_on_static_base;
#[doc = include_str!("chmod_chown_duplicates_layer.md")]
pub mod chmod_chown_duplicates_layer;
#[doc = include_str!("copy_all_without_dockerignore.md")]
pub mod copy_all_without_dockerignore;
#[doc = include_str!("deleted_in_later_layer.md")]
pub mod deleted_in_later_layer;
#[doc = include_str!("dev_dependencies_in_final_image.md")]
pub mod dev_dependencies_in_final_image;
#[doc = include_str!("go_caches_in_image.md")]
pub mod go_caches_in_image;
#[doc = include_str!("npm_cache_kept.md")]
pub mod npm_cache_kept;
#[doc = include_str!("pip_cache_kept.md")]
pub mod pip_cache_kept;
#[doc = include_str!("shell_form_without_shell.md")]
pub mod shell_form_without_shell;
#[doc = include_str!("single_stage_toolchain.md")]
pub mod single_stage_toolchain;
#[doc = include_str!("sources_before_dependencies.md")]
pub mod sources_before_dependencies;
#[doc = include_str!("useradd_without_l.md")]
pub mod useradd_without_l;
#[doc = include_str!("whole_stage_copy.md")]
pub mod whole_stage_copy;

#[cfg(test)]
pub(crate) mod test_support {
    use crate::edit::apply_edits;
    use crate::lint::{lint, Finding};
    use crate::rewrite::session::Options;

    /// Findings of one rule on `text`.
    pub fn findings(rule: &str, text: &str) -> Vec<Finding> {
        lint(text, &Options::default())
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }

    /// The rule fires on `bad`, is quiet on `good`, and (when it has a fix)
    /// applying the fix to `bad` silences it.
    pub fn check(rule: &str, bad: &str, good: &str) -> Vec<Finding> {
        let found = findings(rule, bad);
        assert!(!found.is_empty(), "{rule} should fire on:\n{bad}");
        assert!(
            findings(rule, good).is_empty(),
            "{rule} should be quiet on:\n{good}\n{:?}",
            findings(rule, good)
        );
        for finding in &found {
            if let Some(fix) = &finding.fix {
                let fixed = apply_edits(bad, &fix.edits);
                let again = findings(rule, &fixed);
                assert!(
                    again.is_empty(),
                    "{rule}: the fix leaves findings:\n{fixed}\n{again:?}"
                );
                let parse = crate::syntax::parse(&fixed);
                assert!(
                    parse.errors.is_empty(),
                    "{rule}: fixed text does not parse:\n{fixed}"
                );
            }
        }
        found
    }
}
