//! Path globs as Docker uses them: `COPY` sources (Go's `filepath.Match`,
//! where `*` stays inside one path segment) and `.dockerignore` patterns
//! (the same, plus `**` for any number of directories).

/// True when `path` (slash-separated, no leading `/`) matches `pattern`.
/// With `double_star`, a `**` segment matches zero or more whole segments.
pub fn glob_match(pattern: &str, path: &str, double_star: bool) -> bool {
    let pattern: Vec<&str> = split(pattern);
    let path: Vec<&str> = split(path);
    match_segments(&pattern, &path, double_star)
}

fn split(text: &str) -> Vec<&str> {
    text.split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect()
}

fn match_segments(pattern: &[&str], path: &[&str], double_star: bool) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return path.is_empty();
    };
    if double_star && *first == "**" {
        // Try every split point, including consuming nothing.
        return (0..=path.len()).any(|skip| match_segments(rest, &path[skip..], double_star));
    }
    let Some((segment, path_rest)) = path.split_first() else {
        return false;
    };
    segment_match(first.as_bytes(), segment.as_bytes())
        && match_segments(rest, path_rest, double_star)
}

/// One segment: `*` any run of bytes, `?` one byte, `[...]` a class
/// (`[!...]`/`[^...]` negated, `a-z` ranges), `\` escapes the next byte.
pub fn segment_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // Where to resume after the last `*`: (pattern index after it, text index).
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        let step = match pattern.get(p) {
            Some(b'*') => {
                while pattern.get(p) == Some(&b'*') {
                    p += 1;
                }
                backtrack = Some((p, t));
                continue;
            }
            Some(b'?') => Some(1),
            Some(b'[') => class_match(&pattern[p..], text[t]),
            Some(b'\\') if p + 1 < pattern.len() => (pattern[p + 1] == text[t]).then_some(2),
            Some(&literal) => (literal == text[t]).then_some(1),
            None => None,
        };
        if let Some(width) = step {
            p += width;
            t += 1;
        } else if let Some((star_p, star_t)) = backtrack {
            p = star_p;
            t = star_t + 1;
            backtrack = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&b| b == b'*')
}

/// Matches a `[...]` class at the start of `pattern` against `byte`;
/// returns the class's width in the pattern when it matches.
fn class_match(pattern: &[u8], byte: u8) -> Option<usize> {
    let mut i = 1;
    let negated = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while let Some(&c) = pattern.get(i) {
        if c == b']' && !first {
            return (matched != negated).then_some(i + 1);
        }
        first = false;
        let low = if c == b'\\' {
            i += 1;
            *pattern.get(i)?
        } else {
            c
        };
        if pattern.get(i + 1) == Some(&b'-') && pattern.get(i + 2).is_some_and(|&h| h != b']') {
            let high = pattern[i + 2];
            matched |= (low..=high).contains(&byte);
            i += 3;
        } else {
            matched |= low == byte;
            i += 1;
        }
    }
    // An unterminated class is a malformed pattern: it matches nothing.
    None
}

/// True when the text contains glob metacharacters.
pub fn has_meta(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'*' | b'?' | b'['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_segment_wildcards() {
        assert!(glob_match("*.go", "hello.go", false));
        assert!(!glob_match("*.go", "cmd/hello.go", false));
        assert!(glob_match("cmd/*.go", "cmd/hello.go", false));
        assert!(glob_match("h?llo.go", "hello.go", false));
        assert!(glob_match("[a-h]ello.go", "hello.go", false));
        assert!(!glob_match("[!h]ello.go", "hello.go", false));
        assert!(glob_match("*", "x", false));
        assert!(!glob_match("a[", "a[", false));
    }

    #[test]
    fn double_star_spans_directories() {
        assert!(glob_match("**/*.md", "README.md", true));
        assert!(glob_match("**/*.md", "docs/a/b.md", true));
        assert!(glob_match("node_modules/**", "node_modules/x/y.js", true));
        assert!(glob_match("**", "anything/at/all", true));
        assert!(!glob_match("**/*.md", "docs/a/b.rs", true));
    }

    #[test]
    fn backtracks_over_stars() {
        assert!(segment_match(b"a*b*c", b"axxbyyc"));
        assert!(!segment_match(b"a*b*c", b"axxbyy"));
        assert!(segment_match(b"*", b""));
    }
}
