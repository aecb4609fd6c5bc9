use crate::lint::{Context, Finding};
use crate::model::{CopyFrom, StepKind};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    for stage in context.final_stages() {
        for step in &stage.steps {
            let StepKind::Copy(copy) = &step.kind else {
                continue;
            };
            let Some(CopyFrom::Stage(source)) = copy.from else {
                continue;
            };
            if !copy
                .sources
                .iter()
                .any(|s| matches!(s.as_str(), "/" | "/." | "/*"))
            {
                continue;
            }
            let name = context
                .analysis
                .model
                .stages
                .get(source)
                .map_or_else(|| source.to_string(), crate::model::Stage::label);
            let message = format!("copies the whole root filesystem of `{name}`, base image and build leftovers included; copy the artifacts only");
            // Hypothetical fix: the layer without the copy.
            let edits = vec![crate::edit::Edit::delete(context.line_span(step.span))];
            findings.push(context.finding("whole-stage-copy", step.span, message, edits, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_and_quiet() {
        let bad = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build / /\n";
        let good = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n";
        let found = check("whole-stage-copy", bad, good);
        assert!(found[0].savings.final_bytes() > 100_000_000, "{found:?}");
    }
}
