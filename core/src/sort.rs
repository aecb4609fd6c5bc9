//! Stable sorting with one compiled copy of the algorithm.
//!
//! The standard library's sorts are generic over the element *and* the
//! comparison closure, so every call site gets its own copy of driftsort and
//! quicksort: 13 call sites cost ~41 KB of wasm before gzip, a tenth of the
//! core's code. Here the algorithm (a bottom-up merge sort) works on indices
//! through a `dyn` comparison and is compiled once; each call site adds only
//! a small permutation. Every sort in the core and the app goes through
//! these functions.
//!
//! The lists sorted here are short (edits, findings, errors, file lists), so
//! the indirect comparisons cost nothing anyone can measure.

use std::cmp::Ordering;

/// Sort ascending, keeping equal elements in their order.
pub fn ascending<T: Ord>(items: &mut [T]) {
    by(items, Ord::cmp);
}

/// Sort by a key, keeping elements with equal keys in their order.
pub fn by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sort with a comparison, keeping equal elements in their order.
pub fn by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items = &*items;
        stable_order(items.len(), &mut |a, b| {
            compare(&items[a], &items[b]) == Ordering::Less
        })
    };
    if let Some(order) = order {
        permute(items, order);
    }
}

/// The indices of `0..len` in sorted order: a bottom-up merge sort that
/// takes from the right run only when it is strictly less (so it is stable).
/// `None` when the items are already in order (the common case for the
/// parser's errors and a file's edits), found in one pass with no allocation.
fn stable_order(len: usize, less: &mut dyn FnMut(usize, usize) -> bool) -> Option<Vec<usize>> {
    if (1..len).all(|i| !less(i, i - 1)) {
        return None;
    }
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = vec![0; len];
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let mid = start.saturating_add(width).min(len);
            let end = start.saturating_add(width.saturating_mul(2)).min(len);
            let (mut left, mut right) = (start, mid);
            for slot in &mut merged[start..end] {
                let take_right = right < end && (left >= mid || less(order[right], order[left]));
                if take_right {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    Some(order)
}

/// Rearrange `items` so that position `i` holds what was at `order[i]`,
/// following each cycle of the permutation with swaps.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // `order[at] == at` marks a settled position.
        while order[at] != start && order[at] != at {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_small_cases() {
        let mut empty: Vec<u8> = Vec::new();
        ascending(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![7];
        ascending(&mut one);
        assert_eq!(one, [7]);
        let mut words = vec!["pear", "apple", "fig", "apple"];
        ascending(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }

    #[test]
    fn leaves_sorted_input_alone() {
        let mut sorted = vec![(1, 'a'), (1, 'b'), (2, 'c')];
        by_key(&mut sorted, |pair| pair.0);
        assert_eq!(sorted, [(1, 'a'), (1, 'b'), (2, 'c')]);
        let mut two = vec![2, 1];
        ascending(&mut two);
        assert_eq!(two, [1, 2]);
    }

    #[test]
    fn keeps_equal_keys_in_order() {
        let mut pairs = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        by_key(&mut pairs, |pair| pair.0);
        assert_eq!(pairs, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(items in proptest::collection::vec((0u8..8, any::<u16>()), 0..300)) {
            let mut ours = items.clone();
            by_key(&mut ours, |item| item.0);
            let mut theirs = items;
            theirs.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn moves_owned_values_without_loss(items in proptest::collection::vec(".{0,6}", 0..100)) {
            let mut ours: Vec<String> = items.clone();
            by(&mut ours, |a, b| b.cmp(a));
            let mut theirs = items;
            theirs.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(ours, theirs);
        }
    }
}
