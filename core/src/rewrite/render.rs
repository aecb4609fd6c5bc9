//! Render: turn a [`Plan`] into edits against the original text, in the
//! file's own style (keyword case, escape character, line endings).

use std::collections::HashMap;

use crate::edit::Edit;
use crate::span::Span;
use crate::syntax::{Dockerfile, Keyword};

use super::plan::{Plan, RuntimeLine};

/// How the file writes things.
struct Style {
    /// Leading whitespace most instructions after FROM carry.
    indent: String,
    lowercase: bool,
    newline: &'static str,
    escape: char,
}

impl Style {
    fn of(dockerfile: &Dockerfile) -> Style {
        let keywords: Vec<&str> = dockerfile
            .instructions
            .iter()
            .filter(|i| i.keyword != Keyword::Unknown)
            .map(|i| i.keyword_text.as_str())
            .collect();
        let lower = keywords
            .iter()
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase()))
            .count();
        let text = dockerfile.text.as_str();
        let mut indents: Vec<&str> = dockerfile
            .instructions
            .iter()
            .filter(|i| i.keyword != Keyword::From)
            .map(|i| {
                let start = line_start(text, i.keyword_span.start);
                text.get(start as usize..i.keyword_span.start as usize)
                    .unwrap_or("")
            })
            .collect();
        let total = indents.len();
        crate::sort::ascending(&mut indents);
        let indent = indents
            .chunk_by(|a, b| a == b)
            .max_by_key(|group| group.len())
            .filter(|group| {
                group.len() * 2 > total && group[0].chars().all(|c| c == ' ' || c == '\t')
            })
            .map_or("", |group| group[0])
            .to_string();
        Style {
            indent,
            lowercase: !keywords.is_empty() && lower * 2 > keywords.len(),
            newline: if dockerfile.text.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            },
            escape: dockerfile.escape,
        }
    }

    /// Append one instruction and a newline. Verbatim instructions are
    /// copied as written (with the comments moved along with them).
    fn push_line(
        &self,
        out: &mut String,
        line: &RuntimeLine,
        text: &str,
        moved: &HashMap<Span, Span>,
    ) {
        let nl = self.newline;
        match line {
            RuntimeLine::Verbatim(span) => {
                let span = if let Some(with_comments) = moved.get(span) {
                    *with_comments
                } else {
                    // Keep the instruction's own indentation.
                    let start = line_start(text, span.start);
                    let prefix = text.get(start as usize..span.start as usize).unwrap_or("");
                    if prefix.chars().all(|c| c == ' ' || c == '\t') {
                        Span::new(start, span.end)
                    } else {
                        *span
                    }
                };
                out.push_str(span.text(text).trim_end_matches(['\r', '\n']));
            }
            RuntimeLine::New(keyword, rest) => {
                if *keyword != Keyword::From {
                    out.push_str(&self.indent);
                }
                out.push_str(&self.keyword(*keyword));
                out.push(' ');
                out.push_str(rest);
            }
            RuntimeLine::Run(commands) => {
                out.push_str(&self.indent);
                out.push_str(&self.keyword(Keyword::Run));
                out.push(' ');
                let one_line = commands.join(" && ");
                if one_line.len() <= 72 {
                    out.push_str(&one_line);
                } else {
                    let separator = format!(" {}{nl}{}    && ", self.escape, self.indent);
                    out.push_str(&commands.join(&separator));
                }
            }
        }
        out.push_str(nl);
    }

    fn keyword(&self, keyword: Keyword) -> String {
        if self.lowercase {
            keyword.as_str().to_ascii_lowercase()
        } else {
            keyword.as_str().to_string()
        }
    }
}

/// Start of the line containing `offset`.
fn line_start(text: &str, offset: u32) -> u32 {
    text.get(..offset as usize)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i as u32 + 1)
}

/// One past the newline ending the line containing `offset` (or the end).
fn line_end(text: &str, offset: u32) -> u32 {
    text.get(offset as usize..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len() as u32, |i| offset + i as u32 + 1)
}

/// The comment lines directly above the line at `start` (no blank line between).
fn attached_comments(text: &str, start: u32) -> u32 {
    let mut begin = start;
    while begin > 0 {
        let previous = line_start(text, begin - 1);
        let line = text
            .get(previous as usize..begin as usize)
            .unwrap_or("")
            .trim();
        if line.starts_with('#') && !line.contains("escape=") && !line.contains("syntax=") {
            begin = previous;
        } else {
            break;
        }
    }
    begin
}

/// The edits that turn the original text into the planned two stages.
pub fn render(plan: &Plan, dockerfile: &Dockerfile) -> Vec<Edit> {
    let text = dockerfile.text.as_str();
    let style = Style::of(dockerfile);
    let nl = style.newline;
    let mut edits = Vec::new();
    if let Some(offset) = plan.name_at {
        let as_word = if style.lowercase { "as" } else { "AS" };
        edits.push(Edit::insert(
            offset,
            format!(" {as_word} {}", plan.builder_name),
        ));
    }
    for (offset, insert) in &plan.inserts {
        edits.push(Edit::insert(*offset, insert.clone()));
    }
    for (offset, lines) in &plan.builder_lines {
        let at = line_start(text, *offset);
        let mut block = String::new();
        for line in lines {
            style.push_line(&mut block, line, text, &HashMap::new());
        }
        edits.push(Edit::insert(at, block));
    }
    let text_len = text.len() as u32;
    for span in &plan.builder_deletes {
        let start = line_start(text, span.start);
        let end = line_end(text, span.end).min(text_len);
        edits.push(Edit::delete(Span::new(start, end)));
    }
    // Moved instructions leave the builder with their comments.
    let mut moved_text = HashMap::new();
    for span in &plan.moved {
        let start = line_start(text, span.start);
        let with_comments = attached_comments(text, start);
        let end = line_end(text, span.end);
        moved_text.insert(*span, Span::new(with_comments, span.end));
        edits.push(Edit::delete(Span::new(with_comments, end)));
    }

    // The builder's trailing blank lines (and moved instructions after its
    // last kept line) give way to the runtime stage.
    let moved_regions: Vec<Span> = edits
        .iter()
        .filter(|e| e.replacement.is_empty())
        .map(|e| e.span)
        .collect();
    let mut tail = text.len() as u32;
    loop {
        let trimmed = text[..tail as usize]
            .trim_end_matches([' ', '\t', '\r', '\n'])
            .len() as u32;
        match moved_regions
            .iter()
            .find(|r| r.end >= trimmed && r.start < trimmed)
        {
            Some(region) if region.start < tail => tail = region.start,
            _ => {
                tail = trimmed;
                break;
            }
        }
    }
    edits.retain(|e| e.span.start < tail || !e.replacement.is_empty());
    let mut stage = String::new();
    if tail > 0 {
        stage.push_str(nl);
    }
    for line in &plan.builder_append {
        style.push_line(&mut stage, line, text, &moved_text);
    }
    if tail > 0 {
        stage.push_str(nl);
    }
    for line in &plan.runtime_lines {
        style.push_line(&mut stage, line, text, &moved_text);
    }
    edits.push(Edit::replace(Span::new(tail, text.len() as u32), stage));
    edits
}

#[cfg(test)]
mod tests {
    use crate::rewrite::{rewrite, RewriteOptions};

    #[test]
    fn new_lines_follow_the_files_style() {
        let text = "# escape=`\r\nfrom debian:bookworm\r\n  run apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 libncurses6 gcc make libc6-dev `\r\n      && rm -rf /var/lib/apt/lists/*\r\n  copy . /src\r\n  workdir /src\r\n  # the tool\r\n  run make && make install\r\n  entrypoint [\"/usr/local/bin/tool\"]\r\n";
        let result = rewrite(text, &RewriteOptions::default());
        assert!(result.refusal.is_none(), "{result:?}");
        let out = &result.output;
        assert!(
            out.starts_with("# escape=`\r\nfrom debian:bookworm as build\r\n"),
            "{out}"
        );
        assert!(out.contains("\r\n\r\nfrom debian:bookworm-slim\r\n  run apt-get update `\r\n      && apt-get install"), "{out}");
        assert!(
            out.contains("\r\n  copy --from=build /usr/local/bin/tool /usr/local/bin/tool\r\n"),
            "{out}"
        );
        assert!(
            out.contains("  # the tool\r\n  run make && make install\r\n"),
            "comments stay: {out}"
        );
        assert!(!out.contains("\n\n\n"), "{out}");
        assert!(
            out.split("\r\n").all(|line| !line.contains('\n')),
            "only CRLF line ends: {out:?}"
        );
    }
}
