//! Folding `docker history` rows for the layer table: consecutive rows of
//! one base image become one expandable group.

use layerlens::estimate::{Estimate, LayerRow, RowOrigin};

/// A run of rows to show: one row, or a base image's rows under its name.
pub enum Entry<'a> {
    /// A row of this Dockerfile (index into `Estimate::rows`).
    Row(usize, &'a LayerRow),
    /// Consecutive rows of one base image.
    Base {
        /// The image (`golang:1.19.5-alpine3.17`).
        image: String,
        /// Its rows, oldest first.
        rows: Vec<(usize, &'a LayerRow)>,
    },
}

/// The rows at `indices` (oldest first), base-image runs folded.
pub fn entries<'a>(estimate: &'a Estimate, indices: &[usize]) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    for &index in indices {
        let Some(row) = estimate.rows.get(index) else {
            continue;
        };
        if row.origin == RowOrigin::Base {
            let image = row.image.clone().unwrap_or_else(|| "base image".to_owned());
            if let Some(Entry::Base { image: last, rows }) = out.last_mut() {
                if *last == image {
                    rows.push((index, row));
                    continue;
                }
            }
            out.push(Entry::Base {
                image,
                rows: vec![(index, row)],
            });
        } else {
            out.push(Entry::Row(index, row));
        }
    }
    out
}

/// Bytes of an entry (a group sums its rows).
pub fn entry_bytes(entry: &Entry) -> u64 {
    match entry {
        Entry::Row(_, row) => row.disk.est,
        Entry::Base { rows, .. } => rows.iter().map(|(_, row)| row.disk.est).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlens::estimate::catalog::Date;
    use layerlens::{ContextFile, Options};

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn base_rows_fold_per_image_and_keep_their_bytes() {
        let text = "FROM golang:alpine AS build\nCOPY hello.go .\nRUN go build -o /hello hello.go\n\nFROM alpine\nCOPY --from=build /hello /hello\n";
        let options = Options {
            context: vec![ContextFile {
                path: "hello.go".into(),
                size: 72,
                content: None,
            }],
            as_of: Date::parse("2022-12-20"),
            ..Options::default()
        };
        let estimate = layerlens::analyze(text, &options).estimate;
        for stage in &estimate.stages {
            let folded = entries(&estimate, &stage.rows);
            let n_rows: usize = folded
                .iter()
                .map(|entry| match entry {
                    Entry::Row(..) => 1,
                    Entry::Base { rows, .. } => rows.len(),
                })
                .sum();
            assert_eq!(n_rows, stage.rows.len());
            let bytes: u64 = folded.iter().map(entry_bytes).sum();
            let direct: u64 = stage.rows.iter().map(|&i| estimate.rows[i].disk.est).sum();
            assert_eq!(bytes, direct);
            // No two neighbouring groups of the same image.
            for pair in folded.windows(2) {
                if let [Entry::Base { image: a, .. }, Entry::Base { image: b, .. }] = pair {
                    assert_ne!(a, b);
                }
            }
            assert!(
                matches!(folded.first(), Some(Entry::Base { .. })),
                "a stage starts with its base image"
            );
        }
    }
}
