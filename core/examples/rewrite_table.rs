//! Prints the predicted before → after final-image sizes of the rewrite for
//! every `rewrite_candidate: yes` file of the realworld corpus (or the files
//! given on the command line).
//!
//! `cargo run -p layerlens --example rewrite_table [-- DIR_OR_FILES…]`

use layerlens::estimate::human_size;
use layerlens::rewrite::{rewrite, RewriteOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = std::env::var("LAYERLENS_REALWORLD_DIR")
        .unwrap_or_else(|_| "../shared/conformance/realworld".into());
    let files: Vec<String> = if args.is_empty() {
        let mut cases: Vec<String> = std::fs::read_dir(&root)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.path().display().to_string())
                    .collect()
            })
            .unwrap_or_default();
        cases.sort();
        cases
            .into_iter()
            .filter(|case| {
                std::fs::read_to_string(format!("{case}/meta"))
                    .is_ok_and(|m| m.contains("rewrite_candidate: yes"))
            })
            .map(|case| format!("{case}/Dockerfile"))
            .collect()
    } else {
        args
    };
    let (mut rewritten, mut total_before, mut total_after) = (0, 0u64, 0u64);
    println!("| case | language | runtime | before | after | saved |");
    println!("|---|---|---|---:|---:|---:|");
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let case = file
            .trim_end_matches("/Dockerfile")
            .rsplit('/')
            .next()
            .unwrap_or(file);
        let result = rewrite(&text, &RewriteOptions::default());
        match &result.refusal {
            None => {
                rewritten += 1;
                total_before += result.before;
                total_after += result.after;
                println!(
                    "| {case} | {} | {} | {} | {} | {:.0}% |",
                    result.language.map_or("?", |l| l.as_str()),
                    result.runtime_image.as_deref().unwrap_or("?"),
                    human_size(result.before),
                    human_size(result.after),
                    100.0 * (1.0 - result.after as f64 / result.before.max(1) as f64)
                );
            }
            Some(why) => println!(
                "| {case} | – | not rewritten: {why} | {} | – | – |",
                human_size(result.before)
            ),
        }
    }
    println!(
        "\n{rewritten} of {} rewritten; total {} → {}",
        files.len(),
        human_size(total_before),
        human_size(total_after)
    );
}
