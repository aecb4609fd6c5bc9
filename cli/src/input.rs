//! Reading input files and printing diagnostics, shared by the subcommands.

use crate::report::AnalysisArgs;
use layerlens::{LineIndex, Options, Span};
use std::path::Path;
use std::process::ExitCode;

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

/// [`read`] for a subcommand: on failure the message goes to stderr and the
/// error is exit code 2 ("an input cannot be read"), ready to return.
pub fn read_or_report(path: &Path) -> Result<String, ExitCode> {
    read(path).map_err(|e| input_error(&e))
}

/// The file's text and the core's options from the shared analysis flags;
/// on failure (unreadable file or context, bad flag) the message goes to
/// stderr and the error is exit code 2.
pub fn read_with_options(
    path: &Path,
    analysis: &AnalysisArgs,
) -> Result<(String, Options), ExitCode> {
    let text = read_or_report(path)?;
    let options = analysis.options().map_err(|e| input_error(&e))?;
    Ok((text, options))
}

/// Print an input error and give the exit code that goes with it.
fn input_error(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

/// `file:line:col: message` for a span of `text`.
pub fn diagnostic(path: &Path, text: &str, index: &LineIndex, span: Span, message: &str) -> String {
    let at = index.line_col(text, span.start);
    format!("{}:{}:{}: {message}", path.display(), at.line, at.col)
}
