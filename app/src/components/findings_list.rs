//! Findings, biggest saving first: what is wrong, what fixing it is worth,
//! the rule's explanation, a click that selects the span, and "Apply fix".

use std::rc::Rc;

use layerlens::estimate::human_size;
use layerlens::Span;
use yew::prelude::*;

/// One finding as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingView {
    /// Rule id (`apt-lists-not-removed`).
    pub rule: AttrValue,
    /// Where.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: u32,
    /// What is wrong here.
    pub message: String,
    /// Bytes the final image loses with the fix.
    pub saves: u64,
    /// Bytes rebuilt on every source change (cache busting), when that is the cost.
    pub rebuild: u64,
    /// A size matter left unpriced: the file is too large to re-estimate
    /// every fix in one go.
    pub not_measured: bool,
    /// The rule's explanation (Markdown source shown as text).
    pub explanation: AttrValue,
    /// A fix exists.
    pub has_fix: bool,
    /// The fix can change behaviour; review before applying.
    pub fix_needs_review: bool,
}

/// What the list shows and reports.
#[derive(Properties, PartialEq)]
pub struct FindingsListProps {
    /// The findings, in any order (the list sorts them).
    pub findings: Rc<Vec<FindingView>>,
    /// Select a finding's span in the editor.
    pub on_select_span: Callback<Span>,
    /// Apply the fix of the finding at this index of `findings`.
    pub on_apply_fix: Callback<usize>,
    /// The text changed since the findings were computed: fixes wait.
    #[prop_or_default]
    pub stale: bool,
}

/// Indices of `findings`, biggest final-image saving first, then rebuild
/// cost, then text order.
pub fn sorted_order(findings: &[FindingView]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    layerlens::sort::by_key(&mut order, |&i| {
        let f = &findings[i];
        (
            std::cmp::Reverse(f.saves),
            std::cmp::Reverse(f.rebuild),
            f.span.start,
        )
    });
    order
}

#[component]
pub fn FindingsList(props: &FindingsListProps) -> Html {
    let items = sorted_order(&props.findings).into_iter().map(|index| {
        let finding = &props.findings[index];
        let span = finding.span;
        let on_show = props.on_select_span.reform(move |_: MouseEvent| span);
        let on_fix = props.on_apply_fix.reform(move |_: MouseEvent| index);
        let worth = if finding.saves > 0 {
            format!("saves {}", human_size(finding.saves))
        } else if finding.rebuild > 0 {
            format!("{} rebuilt on each change", human_size(finding.rebuild))
        } else if finding.not_measured {
            "not measured (large file): apply to see".to_owned()
        } else {
            "no size change".to_owned()
        };
        html! {
            <li class="finding" data-testid="finding" key={format!("{}-{}", finding.rule, span.start)}>
                <div class="finding-head">
                    <span class={classes!("worth", (finding.saves > 0).then_some("worth-bytes"))}>{ worth }</span>
                    <button type="button" class="link finding-message" onclick={on_show} title="Select in the editor">
                        { format!("Line {}: {}", finding.line, finding.message) }
                    </button>
                </div>
                <div class="finding-actions">
                    <code class="rule">{ finding.rule.clone() }</code>
                    if finding.has_fix {
                        <button type="button" data-testid="apply-fix" onclick={on_fix} disabled={props.stale} title={finding.fix_needs_review.then_some("Review the result: this fix can change what the image does")}>
                            { if finding.fix_needs_review { "Apply fix (review)" } else { "Apply fix" } }
                        </button>
                    }
                </div>
                if !finding.explanation.is_empty() {
                    <details class="explanation">
                        <summary>{ "Why" }</summary>
                        <div class="explanation-text">{ finding.explanation.clone() }</div>
                    </details>
                }
            </li>
        }
    });
    html! {
        <section class={classes!("panel", "findings", props.stale.then_some("stale"))} aria-busy={props.stale.then_some("true")} aria-label="Findings">
            <h2>{ format!("Findings ({})", props.findings.len()) }</h2>
            if props.findings.is_empty() {
                <p class="hint">{ "Nothing to improve that the rules know about." }</p>
            } else {
                <ol class="finding-list">{ for items }</ol>
            }
        </section>
    }
}
