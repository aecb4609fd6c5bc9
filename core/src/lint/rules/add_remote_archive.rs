use crate::edit::Edit;
use crate::lint::{Context, Finding};
use crate::model::StepKind;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for stage in &context.analysis.model.stages {
        for step in &stage.steps {
            let StepKind::Copy(copy) = &step.kind else {
                continue;
            };
            let Some(url) = copy
                .sources
                .iter()
                .find(|s| s.starts_with("http://") || s.starts_with("https://"))
            else {
                continue;
            };
            if !copy.add || url.to_ascii_lowercase().ends_with(".git") {
                continue;
            }
            let archive = [".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar", ".zip"]
                .iter()
                .any(|ext| url.ends_with(ext));
            let in_final = context.in_final(stage.index);
            // Hypothetical: the download moves into a RUN that removes the
            // archive; what the image loses is this layer.
            let edits = if in_final {
                vec![Edit::delete(context.line_span(step.span))]
            } else {
                Vec::new()
            };
            let what = if archive {
                "the archive stays in this layer (ADD does not unpack URLs)"
            } else {
                "the download lands in its own layer"
            };
            let message = format!("ADD {url}: {what}; download and unpack in one RUN instead");
            findings.push(context.finding("add-remote-archive", step.span, message, edits, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_and_quiet() {
        let bad = "FROM alpine:3.21\nADD https://example.com/tool-1.2.tar.gz /tmp/\n";
        let good = "FROM alpine:3.21\nRUN wget -qO- https://example.com/tool-1.2.tar.gz | tar -xz -C /opt\n";
        let found = check("add-remote-archive", bad, good);
        assert!(found[0].fix.is_none());
    }
}
