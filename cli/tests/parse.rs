//! `layerlens parse`: dump formats and exit codes, run as a real process.

use std::process::Command;

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlens"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run layerlens");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn buildkit_format_and_success() {
    let (code, out, err) = run(
        &["parse", "-"],
        "FROM golang:alpine AS build\nRUN --mount=type=cache,target=/root/.cache go build -o /hello .\nONBUILD COPY . /src\n",
    );
    assert_eq!(code, 0, "stderr: {err}");
    assert_eq!(
        out,
        "(from \"golang:alpine\" \"AS\" \"build\")\n(run [\"--mount=type=cache,target=/root/.cache\"] \"go build -o /hello .\")\n(onbuild (copy \".\" \"/src\"))\n"
    );
}

#[test]
fn rejected_file_exits_nonzero_with_location() {
    let (code, _, err) = run(&["parse", "-"], "FROM busybox\n\nENV PATH\n");
    assert_eq!(code, 1);
    assert_eq!(err.trim(), "-:3:1: ENV must have two arguments");
}

#[test]
fn json_format_has_spans() {
    let (code, out, _) = run(&["parse", "-", "--format", "json"], "FROM a\n");
    assert_eq!(code, 0);
    assert!(out.contains("\"span\": [0, 6]"), "{out}");
    assert!(
        out.contains("{\"value\": \"a\", \"span\": [5, 6]}"),
        "{out}"
    );
}

#[test]
fn missing_file_exits_two() {
    let (code, _, err) = run(&["parse", "/nonexistent/Dockerfile"], "");
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/Dockerfile"), "{err}");
}
