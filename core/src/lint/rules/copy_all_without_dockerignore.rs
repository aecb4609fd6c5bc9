use crate::lint::{Context, Finding};
use crate::model::StepKind;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let build_context = &context.analysis.model.context;
    if !build_context.declared || build_context.has_dockerignore {
        return;
    }
    for stage in context.final_stages() {
        for step in &stage.steps {
            let StepKind::Copy(copy) = &step.kind else {
                continue;
            };
            if copy.from.is_some()
                || !copy
                    .sources
                    .iter()
                    .any(|s| matches!(s.as_str(), "." | "./"))
            {
                continue;
            }
            let bytes = build_context.total_bytes();
            let message = format!(
                "copies the whole build context ({}) and there is no .dockerignore",
                crate::estimate::human_size(bytes)
            );
            findings.push(context.finding(
                "copy-all-without-dockerignore",
                step.span,
                message,
                Vec::new(),
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::lint;
    use crate::model::ContextFile;
    use crate::rewrite::session::Options;

    fn file(path: &str, size: u64) -> ContextFile {
        ContextFile {
            path: path.into(),
            size,
            content: Some(String::new()),
        }
    }

    #[test]
    fn fires_only_with_a_known_context_and_no_dockerignore() {
        let text = "FROM alpine:3.21\nCOPY . /app\n";
        let mut options = Options {
            context: vec![file("main.go", 100), file(".git/objects/pack", 5_000_000)],
            ..Options::default()
        };
        let fired = lint(text, &options)
            .into_iter()
            .filter(|f| f.rule == "copy-all-without-dockerignore")
            .count();
        assert_eq!(fired, 1);
        options.context.push(file(".dockerignore", 5));
        let quiet = lint(text, &options)
            .into_iter()
            .filter(|f| f.rule == "copy-all-without-dockerignore")
            .count();
        assert_eq!(quiet, 0);
        let unknown = lint(text, &Options::default())
            .into_iter()
            .filter(|f| f.rule == "copy-all-without-dockerignore")
            .count();
        assert_eq!(unknown, 0);
    }
}
