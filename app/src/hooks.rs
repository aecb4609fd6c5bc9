//! Small hooks shared by the page, the embed and the tutorial.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// `value`, once it has stayed the same for `delay_ms`: slow derived work
/// (findings, rewrite previews) follows the settled text, not every keystroke.
/// The first value is returned at once.
#[hook]
pub fn use_settled<T>(value: T, delay_ms: u32) -> T
where
    T: Clone + PartialEq + 'static,
{
    let settled = use_state(|| value.clone());
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let settled = settled.clone();
        use_effect_with(value, move |value| {
            if *value == *settled {
                *timer.borrow_mut() = None;
            } else {
                let value = value.clone();
                *timer.borrow_mut() = Some(Timeout::new(delay_ms, move || settled.set(value)));
            }
        });
    }
    (*settled).clone()
}

/// An element id unique in the page (`{prefix}-{n}`), stable for the
/// component's life, so several widgets can share one document.
#[hook]
pub fn use_unique_id(prefix: &'static str) -> AttrValue {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = use_state(|| {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        AttrValue::from(format!("{prefix}-{n}"))
    });
    (*id).clone()
}
