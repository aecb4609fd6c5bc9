//! Properties of the lint fixes, over every Dockerfile of
//! `../shared/conformance/realworld`: for each finding with a fix, applying
//! it gives text that parses with no new errors, in which that finding is
//! gone (the rule fires fewer times), and whose final image is not larger.
//! Linting never panics and every finding's span lies inside the text.

use std::path::PathBuf;

use layerlens::lint::{lint, Safety, RULES};
use layerlens::syntax::parse;
use layerlens::{analyze, apply_edits, Options};

#[path = "support/shared.rs"]
mod shared;

#[test]
fn fixes_converge_on_realworld_files() {
    let Some(root) = shared::dir("LAYERLENS_REALWORLD_DIR", "shared/conformance/realworld") else {
        return;
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("Dockerfile"))
        .filter(|p| p.is_file())
        .collect();
    cases.sort();
    let options = Options::default();
    let (mut checked, mut failures) = (0, Vec::new());
    let mut fired = vec![0usize; RULES.len()];
    for path in cases {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let findings = lint(&text, &options);
        let before_errors = parse(&text).errors.len();
        let before_size = analyze(&text, &options).estimate.final_image.disk.est;
        for finding in &findings {
            if let Some(index) = RULES.iter().position(|r| r.id == finding.rule) {
                fired[index] += 1;
            }
            assert!(
                finding.span.end as usize <= text.len() && finding.span.start <= finding.span.end,
                "{}: span",
                path.display()
            );
            let Some(fix) = &finding.fix else { continue };
            if fix.safety != Safety::Safe {
                continue;
            }
            checked += 1;
            let fixed = apply_edits(&text, &fix.edits);
            let count = |t: &str| {
                lint(t, &options)
                    .iter()
                    .filter(|f| f.rule == finding.rule)
                    .count()
            };
            let problems = [
                (
                    parse(&fixed).errors.len() > before_errors,
                    "new parse errors",
                ),
                (count(&fixed) >= count(&text), "the finding is still there"),
                (
                    analyze(&fixed, &options).estimate.final_image.disk.est > before_size,
                    "the image grew",
                ),
            ];
            for (bad, what) in problems {
                if bad {
                    failures.push(format!(
                        "{} {} at {}: {what}\n{fixed}",
                        path.display(),
                        finding.rule,
                        finding.span.start
                    ));
                }
            }
        }
    }
    eprintln!("{checked} safe fixes checked");
    for (rule, count) in RULES.iter().zip(&fired) {
        eprintln!("{:>5} {}", count, rule.id);
    }
    assert!(checked > 50, "{checked}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

mod never_panics {
    use layerlens::lint::lint;
    use layerlens::rewrite::{rewrite, RewriteOptions, RuntimeChoice};
    use layerlens::Options;
    use proptest::prelude::*;

    /// Lines that exercise the rules and the planner, mixed with noise.
    const LINES: &[&str] = &[
        "FROM golang:alpine",
        "FROM scratch",
        "FROM node:20 AS build",
        "FROM python:3.12",
        "FROM build",
        "WORKDIR /app",
        "WORKDIR",
        "COPY . .",
        "COPY --from=build / /",
        "COPY --from=0 /out/app /app",
        "ADD https://example.com/x.tar.gz /tmp/",
        "RUN go build -o /app .",
        "RUN apt-get update && apt-get install -y gcc",
        "RUN apk add curl",
        "RUN pip install -r requirements.txt",
        "RUN npm ci",
        "RUN rm -rf /var/lib/apt/lists/*",
        "RUN chown -R app /app",
        "RUN useradd -u 100000 app",
        "RUN cd / && make install",
        "RUN cp a b c",
        "CMD [\"./app\"]",
        "CMD app --flag",
        "ENTRYPOINT [\"sh\", \"-c\", \"$HOME/bin/x\"]",
        "ENV GOPATH=/go",
        "USER 1000",
        "EXPOSE 80",
        "HEALTHCHECK CMD curl -f http://localhost/",
        "RUN <<EOF\necho hi\nEOF",
        "# comment",
        "",
        "RUN \\",
        "COPY",
        "FROM",
        "é😀",
        "RUN wget -qO",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn lint_and_rewrite_never_panic(picks in proptest::collection::vec(0..LINES.len(), 0..12), noise in "\\PC{0,20}", choice in 0usize..5) {
            let mut text: String = picks.iter().flat_map(|&i| [LINES[i], "\n"]).collect();
            text.push_str(&noise);
            let findings = lint(&text, &Options::default());
            for finding in &findings {
                prop_assert!(finding.span.end as usize <= text.len());
            }
            let runtime = RuntimeChoice::ALL[choice];
            let result = rewrite(&text, &RewriteOptions { runtime, analysis: Options::default() });
            prop_assert!(result.after <= result.before);
        }
    }
}
