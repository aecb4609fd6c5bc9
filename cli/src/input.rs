//! Reading input files and printing diagnostics, shared by the subcommands.

use layerlens::{LineIndex, Span};
use std::path::Path;

/// Read `path` (`-` for stdin) as text; invalid UTF-8 is replaced.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| format!("-: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?
    };
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// `file:line:col: message` for a span of `text`.
pub fn diagnostic(path: &Path, text: &str, index: &LineIndex, span: Span, message: &str) -> String {
    let at = index.line_col(text, span.start);
    format!("{}:{}:{}: {message}", path.display(), at.line, at.col)
}
