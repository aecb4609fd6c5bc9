//! The session: one reducer owns everything the person changes (text,
//! selection, the rewrite switch, context, options). Analyses are never kept
//! here; components derive them from the text with `use_memo`.

use std::rc::Rc;

use layerlens::Span;
use yew::Reducible;

/// A build-context file the person declared or picked from a folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredFile {
    /// Path relative to the context root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// The text, when it was small and readable (go.mod, package.json, …).
    pub content: Option<String>,
}

/// The target platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Platform {
    /// `linux/amd64`.
    #[default]
    Amd64,
    /// `linux/arm64`.
    Arm64,
}

impl Platform {
    /// Every platform, in menu order.
    pub const ALL: [Platform; 2] = [Platform::Amd64, Platform::Arm64];

    /// The `--platform` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Amd64 => "linux/amd64",
            Platform::Arm64 => "linux/arm64",
        }
    }

    /// Parse a `--platform` value; anything unknown is amd64.
    pub fn parse(text: &str) -> Self {
        if text.contains("arm64") || text.contains("aarch64") {
            Platform::Arm64
        } else {
            Platform::Amd64
        }
    }
}

/// The options that change the estimate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// Target platform.
    pub platform: Platform,
    /// "As of" date `YYYY-MM-DD`; empty means the newest catalog data.
    pub as_of: String,
    /// `--build-arg` pairs in the order given.
    pub build_args: Vec<(String, String)>,
}

/// The multi-stage rewrite's runtime image choice: the core's own type, so
/// the page, the CLI and the embed widget agree on names and order.
pub use layerlens::rewrite::RuntimeChoice;

/// A request for the editor to select (and reveal) a span; the sequence
/// number makes a second click on the same finding select it again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SelectRequest {
    /// The span to select, in bytes.
    pub span: Span,
    /// Increases with every request.
    pub seq: u32,
}

/// A state the app-level undo returns to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The text shown.
    pub text: Rc<str>,
    /// The rewrite switch's saved original, when it was on.
    pub rewrite: Option<RewriteShown>,
    /// What the change was, for the undo button's label.
    pub label: String,
}

/// The rewrite switch is on: the person's own text is kept aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewriteShown {
    /// The person's text, restored byte for byte when the switch goes off.
    pub original: Rc<str>,
}

/// The whole session.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The text in the editor.
    pub text: Rc<str>,
    /// The editor's selection, in bytes.
    pub selection: Span,
    /// Set while the rewrite is shown.
    pub rewrite: Option<RewriteShown>,
    /// The runtime picked for the rewrite.
    pub runtime: RuntimeChoice,
    /// App-level undo for rewrites and fixes (typing uses the browser's own).
    pub undo: Vec<Snapshot>,
    /// True while nothing was typed since the last undoable change, so the
    /// editor's Ctrl+Z may undo that change.
    pub undo_is_fresh: bool,
    /// Declared build context.
    pub context: Rc<Vec<DeclaredFile>>,
    /// Options.
    pub options: PageOptions,
    /// The example the work started from.
    pub example: String,
    /// The layer row (its instruction span) hovered or focused in the table.
    pub hovered: Option<Span>,
    /// The latest selection request for the editor.
    pub select_request: Option<SelectRequest>,
    /// True once the person changed anything (then the URL carries the state).
    pub dirty: bool,
}

/// Everything that changes the session.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The person typed: the textarea's new value and selection (bytes).
    Edit(String, Span),
    /// The caret or selection moved.
    Select(Span),
    /// Show the rewrite: the rewritten text of the current (or kept) original.
    ShowRewrite(String),
    /// Switch the rewrite off, restoring the person's text.
    HideRewrite,
    /// Pick a runtime; with the rewrite shown, its new text comes along.
    SetRuntime(RuntimeChoice, Option<String>),
    /// Apply a fix: the new text and a label for undo.
    ApplyFix { text: String, label: String },
    /// Return to the state before the last rewrite or fix.
    Undo,
    /// Replace everything (an example, a share link, autosave).
    Load(Box<crate::share::Shared>),
    /// Replace the declared context.
    SetContext(Vec<DeclaredFile>),
    /// Replace the options.
    SetOptions(PageOptions),
    /// A layer row was hovered or focused (or left).
    Hover(Option<Span>),
    /// Select a span in the editor and reveal it.
    RequestSelect(Span),
}

/// How many undo steps are kept.
const UNDO_DEPTH: usize = 50;

impl Session {
    /// A session showing `shared`.
    pub fn from_shared(shared: crate::share::Shared) -> Self {
        Session {
            text: Rc::from(shared.text),
            selection: Span::default(),
            rewrite: None,
            runtime: RuntimeChoice::Auto,
            undo: Vec::new(),
            undo_is_fresh: false,
            context: Rc::new(shared.context),
            options: shared.options,
            example: shared.example,
            hovered: None,
            select_request: None,
            dirty: false,
        }
    }

    /// What a share link or autosave keeps. With the rewrite shown it is the
    /// person's own text: the rewrite is derived, never the source of truth.
    pub fn to_shared(&self) -> crate::share::Shared {
        crate::share::Shared {
            text: self.person_text().to_owned(),
            context: (*self.context).clone(),
            options: self.options.clone(),
            example: self.example.clone(),
        }
    }

    /// The person's own text: the original while the rewrite is shown.
    pub fn person_text(&self) -> &str {
        self.rewrite
            .as_ref()
            .map_or(&*self.text, |shown| &*shown.original)
    }

    fn push_undo(&mut self, label: &str) {
        self.undo.push(Snapshot {
            text: self.text.clone(),
            rewrite: self.rewrite.clone(),
            label: label.to_owned(),
        });
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo_is_fresh = true;
    }
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text, selection) => {
                next.selection = selection;
                if *next.text == *text {
                    return Rc::new(next);
                }
                // Typing over the rewrite adopts it: the edited text becomes
                // the person's text. The original stays one undo away.
                if next.rewrite.is_some() {
                    next.push_undo("edit of the rewrite");
                    next.rewrite = None;
                }
                next.text = Rc::from(text);
                next.undo_is_fresh = false;
                next.dirty = true;
            }
            Action::Select(span) => {
                if next.selection == span {
                    return self;
                }
                next.selection = span;
            }
            Action::ShowRewrite(rewritten) => {
                next.push_undo("multi-stage rewrite");
                if next.rewrite.is_none() {
                    next.rewrite = Some(RewriteShown {
                        original: next.text.clone(),
                    });
                }
                next.text = Rc::from(rewritten);
                next.dirty = true;
            }
            Action::HideRewrite => {
                let Some(shown) = next.rewrite.take() else {
                    return self;
                };
                next.text = shown.original;
                next.undo_is_fresh = false;
            }
            Action::SetRuntime(runtime, rewritten) => {
                next.runtime = runtime;
                if let (Some(_), Some(rewritten)) = (&next.rewrite, rewritten) {
                    next.text = Rc::from(rewritten);
                }
            }
            Action::ApplyFix { text, label } => {
                next.push_undo(&label);
                // A fix applied to the rewrite adopts it, like typing does.
                next.rewrite = None;
                next.text = Rc::from(text);
                next.dirty = true;
            }
            Action::Undo => {
                let Some(snapshot) = next.undo.pop() else {
                    return self;
                };
                next.text = snapshot.text;
                next.rewrite = snapshot.rewrite;
                next.undo_is_fresh = !next.undo.is_empty();
            }
            Action::Load(shared) => {
                let mut loaded = Session::from_shared(*shared);
                loaded.runtime = next.runtime;
                loaded.dirty = true;
                return Rc::new(loaded);
            }
            Action::SetContext(files) => {
                next.context = Rc::new(files);
                next.dirty = true;
            }
            Action::SetOptions(options) => {
                next.options = options;
                next.dirty = true;
            }
            Action::Hover(span) => {
                if next.hovered == span {
                    return self;
                }
                next.hovered = span;
            }
            Action::RequestSelect(span) => {
                let seq = next.select_request.map_or(0, |r| r.seq.wrapping_add(1));
                next.select_request = Some(SelectRequest { span, seq });
                next.selection = span;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::Shared;

    fn session(text: &str) -> Rc<Session> {
        Rc::new(Session::from_shared(Shared {
            text: text.to_owned(),
            ..Shared::default()
        }))
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn switching_off_restores_the_original_byte_for_byte() {
        let original = "FROM golang:alpine\r\n# café 😀\nRUN go build\n";
        let on = session(original).reduce(Action::ShowRewrite("FROM scratch\n".to_owned()));
        assert_eq!(&*on.text, "FROM scratch\n");
        assert_eq!(on.person_text(), original);
        let other = on.reduce(Action::SetRuntime(
            RuntimeChoice::Alpine,
            Some("FROM alpine\n".to_owned()),
        ));
        assert_eq!(&*other.text, "FROM alpine\n");
        let off = other.reduce(Action::HideRewrite);
        assert_eq!(&*off.text, original);
        assert!(off.rewrite.is_none());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn editing_the_rewrite_adopts_it_and_undo_returns() {
        let on = session("mine\n").reduce(Action::ShowRewrite("rewritten\n".to_owned()));
        let edited = on.reduce(Action::Edit(
            "rewritten\nRUN more\n".to_owned(),
            Span::default(),
        ));
        assert!(edited.rewrite.is_none());
        assert_eq!(edited.person_text(), "rewritten\nRUN more\n");
        // Switching "off" now has nothing to restore: the edit is kept.
        let off = edited.clone().reduce(Action::HideRewrite);
        assert_eq!(&*off.text, "rewritten\nRUN more\n");
        // Undo goes back to the rewrite as shown, then to the person's text.
        let back = edited.reduce(Action::Undo);
        assert_eq!(&*back.text, "rewritten\n");
        assert_eq!(back.person_text(), "mine\n");
        let first = back.reduce(Action::Undo);
        assert_eq!(&*first.text, "mine\n");
        assert!(first.rewrite.is_none());
        assert!(first.undo.is_empty());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn fixes_are_undoable_and_shared_text_is_the_persons() {
        let start = session("RUN apk add curl\n");
        let fixed = start.reduce(Action::ApplyFix {
            text: "RUN apk add --no-cache curl\n".to_owned(),
            label: "apk --no-cache".to_owned(),
        });
        assert_eq!(
            fixed.undo.last().map(|s| s.label.as_str()),
            Some("apk --no-cache")
        );
        assert!(fixed.undo_is_fresh);
        let typed = fixed.reduce(Action::Edit(
            "RUN apk add --no-cache curl\n\n".to_owned(),
            Span::default(),
        ));
        assert!(!typed.undo_is_fresh);
        let undone = typed.reduce(Action::Undo);
        assert_eq!(&*undone.text, "RUN apk add curl\n");
        let shown = undone.reduce(Action::ShowRewrite("X".to_owned()));
        assert_eq!(shown.to_shared().text, "RUN apk add curl\n");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn select_requests_repeat() {
        let span = Span::new(1, 3);
        let first = session("abcd").reduce(Action::RequestSelect(span));
        let second = first.clone().reduce(Action::RequestSelect(span));
        assert_ne!(first.select_request, second.select_request);
        assert_eq!(second.selection, span);
    }
}
