use crate::edit::Edit;
use crate::lint::{Context, Finding, Safety};
use crate::rewrite::plan::json_array;
use crate::syntax::{Command, Keyword};

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let parse = &context.analysis.parse;
    for stage in &context.analysis.model.stages {
        if !context.has_no_shell(stage) {
            continue;
        }
        let copies_shell = stage.steps.iter().any(|s| match &s.kind {
            crate::model::StepKind::Copy(copy) => {
                copy.dest.contains("/bin/sh")
                    || copy.dest.contains("busybox")
                    || copy.dest == "/bin/"
                    || copy.dest == "/bin"
            }
            _ => false,
        });
        if copies_shell {
            continue;
        }
        for step in &stage.steps {
            let Some(instruction) = context.instruction(step.span) else {
                continue;
            };
            if !matches!(
                instruction.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Healthcheck
            ) {
                continue;
            }
            let Some(Command::Shell(word)) = instruction.command() else {
                continue;
            };
            let plain = !word.value.contains([
                '$', '"', '\'', '`', '&', '|', ';', '>', '<', '*', '?', '\\', '(', '~',
            ]);
            let words: Vec<String> = word.value.split_whitespace().map(str::to_string).collect();
            let edits = if plain && !words.is_empty() {
                vec![Edit::replace(word.span, json_array(&words))]
            } else {
                Vec::new()
            };
            let mut finding = context.finding(
                "shell-form-without-shell",
                instruction.span,
                format!(
                    "shell form runs /bin/sh -c, which {} does not have; use the exec form",
                    stage.base_text
                ),
                Vec::new(),
                None,
            );
            if !edits.is_empty() {
                finding.fix = Some(crate::lint::Fix {
                    edits,
                    safety: Safety::Safe,
                });
            }
            findings.push(finding);
        }
    }
    let _ = parse;
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::check;

    #[test]
    fn fires_quiet_and_fixed() {
        let bad = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD /app --port 8080\n";
        let good = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nCMD [\"/app\", \"--port\", \"8080\"]\n";
        check("shell-form-without-shell", bad, good);
    }
}
