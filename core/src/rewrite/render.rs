//! Render: turn a [`Plan`] into edits against the original text, in the
//! file's own style (keyword case, escape character, line endings).

use std::collections::HashMap;

use crate::edit::Edit;
use crate::span::Span;
use crate::syntax::{Dockerfile, Keyword};

use super::plan::{Plan, RuntimeLine};

/// How the file writes things.
struct Style {
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
        Style {
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
                let span = moved.get(span).copied().unwrap_or(*span);
                out.push_str(span.text(text).trim_end_matches(['\r', '\n']));
            }
            RuntimeLine::New(keyword, rest) => {
                out.push_str(&self.keyword(*keyword));
                out.push(' ');
                out.push_str(rest);
            }
            RuntimeLine::Run(commands) => {
                out.push_str(&self.keyword(Keyword::Run));
                out.push(' ');
                let one_line = commands.join(" && ");
                if one_line.len() <= 72 {
                    out.push_str(&one_line);
                } else {
                    let separator = format!(" {}{nl}    && ", self.escape);
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
