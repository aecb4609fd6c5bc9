//! Everything the page derives from the session: computed by `use_memo` from
//! the text and options, shared down as `Rc`, never stored in state.

use std::rc::Rc;

use layerlens::LineIndex;

use crate::highlight::EditorMarks;
use crate::state::{DeclaredFile, PageOptions};

/// The inputs of one analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// The text.
    pub text: Rc<str>,
    /// Declared context.
    pub context: Rc<Vec<DeclaredFile>>,
    /// Options.
    pub options: PageOptions,
}

/// One analysis of the inputs.
#[derive(Debug)]
pub struct Derived {
    /// What the editor paints.
    pub marks: Rc<EditorMarks>,
    /// Instructions parsed.
    pub n_instructions: usize,
    /// Syntax errors.
    pub n_errors: usize,
    /// Lines.
    pub n_lines: usize,
    /// How long the analysis took, in ms (0 outside a browser).
    pub elapsed_ms: f64,
}

// Each analysis is a fresh value, so identity is equality; props compare in O(1).
impl PartialEq for Derived {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Derived {
    /// Analyse `inputs`, timing it with `now` (milliseconds).
    pub fn new(inputs: &Inputs, now: impl Fn() -> f64) -> Self {
        let started = now();
        let text = &*inputs.text;
        let n_lines = LineIndex::new(text).line_count();
        let parse = layerlens::syntax::parse(text);
        let marks = EditorMarks::new(
            text,
            parse
                .dockerfile
                .tokens
                .iter()
                .map(|token| (token.span, token.kind.css_class())),
            parse
                .errors
                .iter()
                .map(|error| (error.span, error.message.clone())),
        );
        Derived {
            marks: Rc::new(marks),
            n_instructions: parse.dockerfile.instructions.len(),
            n_errors: parse.errors.len(),
            n_lines,
            elapsed_ms: now() - started,
        }
    }
}
