use crate::edit::Edit;
use crate::lint::{Context, Finding, Safety};
use crate::model::{Base, CopyFrom, StepKind};
use crate::rewrite::runtime::{base_libc, Libc};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = &context.analysis.model;
    for stage in context.final_stages() {
        let static_base = match &stage.base {
            Base::Scratch => true,
            Base::Image(image) => {
                image.contains("distroless/static") || image.contains("chainguard/static")
            }
            _ => false,
        };
        if !static_base {
            continue;
        }
        for step in &stage.steps {
            let StepKind::Copy(copy) = &step.kind else {
                continue;
            };
            let Some(CopyFrom::Stage(builder)) = copy.from else {
                continue;
            };
            let Some(builder_stage) = model.stages.get(builder) else {
                continue;
            };
            let builder_libc = match &builder_stage.base {
                Base::Image(image) => base_libc(image),
                _ => Libc::Glibc,
            };
            let installs_cc = context.runs(std::iter::once(builder_stage)).any(|run| {
                run.run.commands.iter().any(|c| {
                    (c.is("apk", "add") || c.is("apt-get", "install"))
                        && c.words.iter().any(|w| w == "gcc" || w == "build-base")
                })
            });
            if builder_libc == Libc::Musl && !installs_cc {
                continue; // no C compiler: Go turns cgo off by itself
            }
            for run in context.runs(std::iter::once(builder_stage)) {
                let env_off = run.env("CGO_ENABLED") == Some("0");
                for (shell, command) in run.commands() {
                    if !(command.is("go", "build") || command.is("go", "install")) || env_off {
                        continue;
                    }
                    if command.assignments.iter().any(|(k, _)| k == "CGO_ENABLED")
                        || shell
                            .assignments
                            .iter()
                            .any(|a| a.text.starts_with("CGO_ENABLED="))
                    {
                        continue;
                    }
                    let edits = vec![Edit::insert(shell.span.start, "CGO_ENABLED=0 ")];
                    let message = format!("this Go binary links the C library dynamically (cgo is on) but runs on {}, which has none", stage.base_text);
                    let mut finding = context.finding(
                        "cgo-binary-on-static-base",
                        shell.span,
                        message,
                        Vec::new(),
                        None,
                    );
                    finding.fix = Some(crate::lint::Fix {
                        edits,
                        safety: Safety::Safe,
                    });
                    findings.push(finding);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";
        let good = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";
        check("cgo-binary-on-static-base", bad, good);
    }
}
