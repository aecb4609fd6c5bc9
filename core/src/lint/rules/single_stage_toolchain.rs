use crate::lint::{Context, Finding, Fix, Safety, Savings};
use crate::rewrite::{rewrite_each_analyzed, Rewrite, RuntimeChoice};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let Some(target) = context.analysis.model.target_stage() else {
        return;
    };
    let mut results = rewrite_each_analyzed(
        context.text,
        &context.analysis,
        context.options,
        &[RuntimeChoice::Auto],
    );
    let Some(result): Option<Rewrite> = results.pop() else {
        return;
    };
    if !result.changed() {
        return;
    }
    let language = result.language.map_or("the program", |l| l.as_str());
    let message = format!(
        "the final image carries the {language} build toolchain; a multi-stage build on {} predicts {} instead of {}",
        result.runtime_image.as_deref().unwrap_or("a runtime image"),
        crate::estimate::human_size(result.after),
        crate::estimate::human_size(result.before),
    );
    findings.push(Finding {
        rule: "single-stage-toolchain",
        span: target.from_span,
        message,
        savings: Savings::FinalImage(result.before.saturating_sub(result.after)),
        fix: Some(Fix {
            edits: result.edits,
            safety: Safety::Unsafe,
        }),
    });
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n";
        let good = "FROM golang:alpine AS build\nWORKDIR /build\nCOPY hello.go .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o hello hello.go\n\nFROM scratch\nCOPY --from=build /build/hello /hello\nENTRYPOINT [\"/hello\"]\n";
        let found = check("single-stage-toolchain", bad, good);
        assert!(found[0].savings.final_bytes() > 200_000_000, "{found:?}");
    }
}
