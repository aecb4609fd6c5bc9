//! The build context: the files the caller declared, filtered by
//! `.dockerignore` the way BuildKit filters what it sends.

use super::glob::{glob_match, has_meta};

/// One file of the build context as the caller declared it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextFile {
    /// Path relative to the context root, slash-separated (`cmd/main.go`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Text of small text files (`go.mod`, `package.json`, `*.go`…) when known.
    pub content: Option<String>,
}

/// One `.dockerignore` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
struct IgnoreRule {
    pattern: String,
    /// A `!pattern` line: re-includes what earlier rules excluded.
    exception: bool,
}

/// `.dockerignore` patterns, matched like moby's patternmatcher: the last
/// matching rule wins, and a rule that matches a parent directory matches
/// everything inside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    rules: Vec<IgnoreRule>,
}

impl DockerIgnore {
    /// Parse `.dockerignore` text: one pattern a line, `#` comments, `!`
    /// exceptions; patterns are cleaned and a leading `/` dropped.
    pub fn parse(text: &str) -> Self {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, pattern) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let pattern = clean_path(pattern);
            if pattern.is_empty() {
                continue;
            }
            rules.push(IgnoreRule { pattern, exception });
        }
        DockerIgnore { rules }
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// True when `path` is excluded from the context.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean_path(path);
        let mut excluded = false;
        for rule in &self.rules {
            if rule.exception != excluded {
                // This rule cannot change the outcome.
                continue;
            }
            if matches_self_or_parent(&rule.pattern, &path) {
                excluded = !rule.exception;
            }
        }
        excluded
    }
}

fn matches_self_or_parent(pattern: &str, path: &str) -> bool {
    if glob_match(pattern, path, true) {
        return true;
    }
    let mut prefix_end = path.len();
    while let Some(slash) = path[..prefix_end].rfind('/') {
        if glob_match(pattern, &path[..slash], true) {
            return true;
        }
        prefix_end = slash;
    }
    false
}

/// `a/./b//c/` → `a/b/c`; `..` pops; a leading `/` is dropped.
pub fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The context after `.dockerignore`, as the size rules see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildContext {
    /// Files that are sent to the builder (ignored ones removed), sorted by path.
    pub files: Vec<ContextFile>,
    /// True when the caller declared any context at all.
    pub declared: bool,
    /// Number of files `.dockerignore` removed.
    pub n_ignored: usize,
    /// Bytes `.dockerignore` removed.
    pub ignored_bytes: u64,
    /// True when a `.dockerignore` file is present.
    pub has_dockerignore: bool,
    /// True when `.dockerignore` is present but its text was not supplied.
    pub dockerignore_unread: bool,
}

impl BuildContext {
    /// Filter the declared files through `.dockerignore` (when present).
    pub fn new(declared: &[ContextFile]) -> Self {
        // A declared size is the caller's word (typed in the page, read from
        // a flag); beyond 1 TiB per file it is clamped, so that sums over
        // files and layers can never overflow.
        const MAX_FILE_SIZE: u64 = 1 << 40;
        let ignore_file = declared
            .iter()
            .find(|file| clean_path(&file.path) == ".dockerignore");
        let ignore = ignore_file
            .and_then(|file| file.content.as_deref())
            .map(DockerIgnore::parse)
            .unwrap_or_default();
        let mut context = BuildContext {
            declared: !declared.is_empty(),
            has_dockerignore: ignore_file.is_some(),
            dockerignore_unread: ignore_file.is_some_and(|file| file.content.is_none()),
            ..BuildContext::default()
        };
        for file in declared {
            let path = clean_path(&file.path);
            if path.is_empty() {
                continue;
            }
            if ignore.excludes(&path) {
                context.n_ignored += 1;
                context.ignored_bytes = context
                    .ignored_bytes
                    .saturating_add(file.size.min(MAX_FILE_SIZE));
                continue;
            }
            context.files.push(ContextFile {
                path,
                size: file.size.min(MAX_FILE_SIZE),
                content: file.content.clone(),
            });
        }
        crate::sort::by(&mut context.files, |a, b| a.path.cmp(&b.path));
        context.files.dedup_by(|a, b| a.path == b.path);
        context
    }

    /// The file at exactly `path`, if declared.
    pub fn file(&self, path: &str) -> Option<&ContextFile> {
        let path = clean_path(path);
        self.files
            .binary_search_by(|file| file.path.as_str().cmp(&path))
            .ok()
            .map(|index| &self.files[index])
    }

    /// Files selected by a `COPY` source: an exact file, a directory (its
    /// whole subtree), a glob (each match, and subtrees of matching
    /// directories), or `.` for everything. Returned as (path relative to
    /// what the source names, file) so the destination can be built.
    pub fn select(&self, source: &str) -> Vec<(String, &ContextFile)> {
        let source = clean_path(source);
        let mut selected = Vec::new();
        for file in &self.files {
            if source.is_empty() {
                selected.push((file.path.clone(), file));
                continue;
            }
            if file.path == source {
                let name = file.path.rsplit('/').next().unwrap_or(&file.path);
                selected.push((name.to_string(), file));
                continue;
            }
            if let Some(rest) = file
                .path
                .strip_prefix(source.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
            {
                selected.push((rest.to_string(), file));
                continue;
            }
            if has_meta(&source) {
                if let Some(relative) = glob_prefix_match(&source, &file.path) {
                    selected.push((relative, file));
                }
            }
        }
        selected
    }

    /// Total bytes of all files sent to the builder.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|file| file.size).sum()
    }
}

/// When a glob source matches `path` itself, or one of its parent
/// directories, the path relative to what the glob matched (for a file
/// matched directly, its base name).
fn glob_prefix_match(pattern: &str, path: &str) -> Option<String> {
    let n_pattern = pattern.split('/').count();
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() < n_pattern {
        return None;
    }
    let head = segments[..n_pattern].join("/");
    if !glob_match(pattern, &head, false) {
        return None;
    }
    if segments.len() == n_pattern {
        Some(segments[n_pattern - 1].to_string())
    } else {
        Some(segments[n_pattern..].join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64) -> ContextFile {
        ContextFile {
            path: path.into(),
            size,
            content: None,
        }
    }

    #[test]
    fn absurd_declared_sizes_are_clamped_so_sums_cannot_overflow() {
        let context = BuildContext::new(&[file("a", u64::MAX), file("b", u64::MAX / 3)]);
        assert_eq!(context.files[0].size, 1 << 40);
        assert_eq!(context.total_bytes(), 2 << 40);
    }

    #[test]
    fn dockerignore_last_rule_wins_and_parents_match() {
        let ignore = DockerIgnore::parse("# comment\nnode_modules\n*.md\n!README.md\n/build/\n");
        assert!(ignore.excludes("node_modules/a/b.js"));
        assert!(ignore.excludes("CHANGES.md"));
        assert!(!ignore.excludes("README.md"));
        assert!(ignore.excludes("build/out.bin"));
        assert!(!ignore.excludes("docs/guide.md"));
        assert!(!ignore.excludes("main.go"));
        let all_but = DockerIgnore::parse("*\n!src\n");
        assert!(all_but.excludes("Dockerfile"));
        assert!(!all_but.excludes("src/main.rs"));
        let deep = DockerIgnore::parse("**/*.log");
        assert!(deep.excludes("a/b/c.log"));
        assert!(deep.excludes("c.log"));
    }

    #[test]
    fn context_applies_dockerignore() {
        let declared = vec![
            ContextFile {
                path: ".dockerignore".into(),
                size: 13,
                content: Some("node_modules\n".into()),
            },
            file("node_modules/x.js", 5000),
            file("./src/app.js", 100),
            file("package.json", 300),
        ];
        let context = BuildContext::new(&declared);
        assert_eq!(context.n_ignored, 1);
        assert_eq!(context.ignored_bytes, 5000);
        assert_eq!(context.files.len(), 3);
        assert!(context.file("src/app.js").is_some());
        assert_eq!(context.total_bytes(), 413);
    }

    #[test]
    fn copy_sources_select_files_dirs_and_globs() {
        let context = BuildContext::new(&[
            file("hello.go", 72),
            file("go.mod", 30),
            file("cmd/a/main.go", 400),
            file("cmd/b/main.go", 500),
        ]);
        let names = |source: &str| -> Vec<String> {
            context
                .select(source)
                .into_iter()
                .map(|(relative, _)| relative)
                .collect()
        };
        assert_eq!(names("hello.go"), ["hello.go"]);
        assert_eq!(names("./cmd"), ["a/main.go", "b/main.go"]);
        assert_eq!(names("*.go"), ["hello.go"]);
        assert_eq!(names("cmd/*"), ["main.go", "main.go"]);
        assert_eq!(names(".").len(), 4);
        assert!(names("missing.txt").is_empty());
    }

    #[test]
    fn clean_path_normalises() {
        assert_eq!(clean_path("/a/./b//c/"), "a/b/c");
        assert_eq!(clean_path("a/../b"), "b");
        assert_eq!(clean_path("."), "");
    }
}
