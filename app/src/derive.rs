//! Everything the page derives from the session: computed by `use_memo` from
//! the text and options, shared down as `Rc`, never stored in state.
//!
//! The estimate runs on every keystroke; findings and the rewrite previews
//! (which re-estimate edited copies of the text) run on the settled text.

use std::rc::Rc;

use layerlens::estimate::catalog::{Date, DATA_DATE};
use layerlens::estimate::Estimate;
use layerlens::lint::{Finding, Safety, Savings};
use layerlens::{ContextFile, Edit, LineIndex, Options};

use crate::components::findings_list::FindingView;
use crate::components::rewrite_switch::RuntimePreview;
use crate::highlight::EditorMarks;
use crate::share::Shared;
use crate::state::{DeclaredFile, PageOptions, RuntimeChoice, Session};

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

impl Inputs {
    /// What the session shows: its text (the rewrite, while it is on).
    pub fn shown(session: &Session) -> Self {
        Inputs {
            text: session.text.clone(),
            context: session.context.clone(),
            options: session.options.clone(),
        }
    }

    /// The person's own text (never a shown rewrite), with the session's
    /// context and options.
    pub fn person(session: &Session) -> Self {
        let text = session
            .rewrite
            .as_ref()
            .map_or_else(|| session.text.clone(), |shown| shown.original.clone());
        Inputs {
            text,
            ..Inputs::shown(session)
        }
    }

    /// What a share link carries.
    pub fn from_shared(shared: Shared) -> Self {
        Inputs {
            text: Rc::from(shared.text),
            context: Rc::new(shared.context),
            options: shared.options,
        }
    }

    /// These inputs as a share link or autosave keeps them.
    pub fn to_shared(&self, example: &str) -> Shared {
        Shared {
            text: self.text.to_string(),
            context: (*self.context).clone(),
            options: self.options.clone(),
            example: example.to_owned(),
        }
    }

    /// The core's options for these inputs.
    pub fn core_options(&self) -> Options {
        core_options(&self.context, &self.options)
    }
}

/// The core's options for a declared context and page options.
pub fn core_options(context: &[DeclaredFile], options: &PageOptions) -> Options {
    Options {
        context: context
            .iter()
            .map(|file| ContextFile {
                path: file.path.clone(),
                size: file.size,
                content: file.content.clone(),
            })
            .collect(),
        build_args: options.build_args.clone(),
        target: None,
        platform: Some(options.platform.as_str().to_owned()),
        as_of: Date::parse(&options.as_of),
    }
}

/// The dates shown in the status line: the "as of" date the sizes are for,
/// and how far the catalog's data reaches.
pub fn data_date(options: &PageOptions) -> String {
    match Date::parse(&options.as_of) {
        Some(as_of) => format!("sizes as of {as_of} · catalog data to {DATA_DATE}"),
        None => format!("sizes as of the newest catalog data ({DATA_DATE})"),
    }
}

/// One analysis of the inputs.
#[derive(Debug)]
pub struct Derived {
    /// What the editor paints.
    pub marks: Rc<EditorMarks>,
    /// The size estimate.
    pub estimate: Rc<Estimate>,
    /// Instructions parsed.
    pub n_instructions: usize,
    /// Syntax errors.
    pub n_errors: usize,
    /// Lines.
    pub n_lines: usize,
    /// How long the analysis took, in ms.
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
        let analysis = layerlens::analyze(text, &inputs.core_options());
        let parse = &analysis.parse;
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
        let n_instructions = parse.dockerfile.instructions.len();
        let n_errors = parse.errors.len();
        let elapsed_ms = now() - started;
        Derived {
            n_lines: marks.n_lines,
            marks: Rc::new(marks),
            estimate: Rc::new(analysis.estimate),
            n_instructions,
            n_errors,
            elapsed_ms,
        }
    }
}

/// Findings of one settled text, with their fixes.
#[derive(Debug, Default)]
pub struct Findings {
    /// The text they were found in (fixes apply to exactly this text).
    pub text: Rc<str>,
    /// As the list shows them.
    pub views: Rc<Vec<FindingView>>,
    /// The fix edits of each finding, by index.
    pub fixes: Vec<Option<Vec<Edit>>>,
}

impl PartialEq for Findings {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Findings {
    /// Lint `inputs`.
    pub fn new(inputs: &Inputs) -> Self {
        let text = &*inputs.text;
        let found = layerlens::lint::lint(text, &inputs.core_options());
        let index = LineIndex::new(text);
        let views = found
            .iter()
            .map(|finding| view_of(finding, &index))
            .collect();
        Findings {
            text: inputs.text.clone(),
            views: Rc::new(views),
            fixes: found
                .into_iter()
                .map(|f| f.fix.map(|fix| fix.edits))
                .collect(),
        }
    }

    /// The text with finding `index`'s fix applied, if it has one.
    pub fn fixed_text(&self, index: usize) -> Option<String> {
        let edits = self.fixes.get(index)?.as_ref()?;
        Some(layerlens::apply_edits(&self.text, edits))
    }
}

fn view_of(finding: &Finding, index: &LineIndex) -> FindingView {
    let (saves, rebuild) = match finding.savings {
        Savings::FinalImage(bytes) => (bytes, 0),
        Savings::Rebuild(bytes) => (0, bytes),
        Savings::None | Savings::NotMeasured => (0, 0),
    };
    FindingView {
        rule: finding.rule.into(),
        span: finding.span,
        line: index.line_of(finding.span.start) as u32 + 1,
        message: finding.message.clone(),
        saves,
        rebuild,
        not_measured: finding.savings == Savings::NotMeasured,
        explanation: layerlens::lint::rule(finding.rule)
            .map(|rule| rule.explanation)
            .unwrap_or_default()
            .into(),
        has_fix: finding.fix.is_some(),
        fix_needs_review: finding
            .fix
            .as_ref()
            .is_some_and(|fix| fix.safety == Safety::Unsafe),
    }
}

/// What each runtime choice would make of the person's text.
#[derive(Debug, Default)]
pub struct Rewrites {
    /// The person's text they start from.
    pub text: Rc<str>,
    /// Final size of the person's text.
    pub before: u64,
    /// One preview per choice, in menu order.
    pub previews: Rc<Vec<RuntimePreview>>,
    /// The rewritten text per choice (`None` when nothing changes).
    pub outputs: Vec<Option<String>>,
    /// Notes per choice.
    pub notes: Vec<Rc<Vec<String>>>,
}

impl PartialEq for Rewrites {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Rewrites {
    /// Rewrite `inputs` for every runtime choice.
    pub fn new(inputs: &Inputs) -> Self {
        let options = inputs.core_options();
        let mut previews = Vec::new();
        let mut outputs = Vec::new();
        let mut notes = Vec::new();
        let mut before = 0;
        let results = layerlens::rewrite::rewrite_each(&inputs.text, &options, &RuntimeChoice::ALL);
        for (runtime, result) in RuntimeChoice::ALL.into_iter().zip(results) {
            before = result.before;
            let changed = result.changed();
            previews.push(RuntimePreview {
                choice: runtime,
                after: changed.then_some(result.after),
                image: result.runtime_image.clone(),
                refusal: result.refusal.clone(),
            });
            notes.push(Rc::new(result.notes.clone()));
            outputs.push(changed.then_some(result.output));
        }
        Rewrites {
            text: inputs.text.clone(),
            before,
            previews: Rc::new(previews),
            outputs,
            notes,
        }
    }

    fn position(choice: RuntimeChoice) -> usize {
        RuntimeChoice::ALL
            .iter()
            .position(|c| *c == choice)
            .unwrap_or(0)
    }

    /// The rewrite of `inputs` for `choice`: from these previews when they
    /// were made for the same text, else computed now (the text changed
    /// since the previews settled).
    pub fn output_for(&self, inputs: &Inputs, choice: RuntimeChoice) -> Option<String> {
        if *self.text == *inputs.text {
            return self.output(choice).map(str::to_owned);
        }
        Rewrites::new(inputs).output(choice).map(str::to_owned)
    }

    /// The rewritten text for `choice`, when the rewrite changes anything.
    pub fn output(&self, choice: RuntimeChoice) -> Option<&str> {
        self.outputs.get(Self::position(choice))?.as_deref()
    }

    /// The notes for `choice`.
    pub fn notes(&self, choice: RuntimeChoice) -> Rc<Vec<String>> {
        self.notes
            .get(Self::position(choice))
            .cloned()
            .unwrap_or_default()
    }
}

/// The lines the shown rewrite changed in `session`'s text (none while the
/// person's own text is shown).
pub fn rewrite_changes(session: &Session) -> Vec<usize> {
    session
        .rewrite
        .as_ref()
        .map(|shown| changed_lines(&shown.original, &session.text))
        .unwrap_or_default()
}

/// 0-based lines of `after` that are not lines of `before`: what the
/// rewrite added or changed (a line moved unchanged is not marked).
pub fn changed_lines(before: &str, after: &str) -> Vec<usize> {
    let mut pool: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for line in before.split('\n') {
        *pool.entry(line.trim_end_matches('\r')).or_default() += 1;
    }
    let mut changed = Vec::new();
    for (number, line) in after.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        match pool.get_mut(line) {
            Some(count) if *count > 0 => *count -= 1,
            _ if line.trim().is_empty() => {}
            _ => changed.push(number),
        }
    }
    changed
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::examples;

    /// The seed example's inputs, for the tests here and of the widget's
    /// views.
    pub(crate) fn seed_inputs() -> Inputs {
        Inputs::from_shared(examples::EXAMPLES[0].to_shared())
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn changed_lines_marks_new_lines_only() {
        let before = "FROM a\nRUN b\nCMD c\n";
        let after = "FROM a AS build\nRUN b\n\nFROM scratch\nCMD c\n";
        assert_eq!(changed_lines(before, after), vec![0, 3]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn seed_derives_the_core_estimate() {
        let inputs = seed_inputs();
        let derived = Derived::new(&inputs, || 0.0);
        let direct = layerlens::analyze(&inputs.text, &inputs.core_options());
        assert_eq!(*derived.estimate, direct.estimate);
        assert_eq!(derived.n_instructions, 5);
        assert_eq!(derived.n_errors, 0);
        assert!(derived.marks.html().contains("t-keyword"));
    }
}
