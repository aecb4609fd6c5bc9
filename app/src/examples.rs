//! The examples menu. The Go hello-world is the seed story (353 MB single
//! stage) and the default on a first visit.

use crate::share::Shared;
use crate::state::{DeclaredFile, PageOptions, Platform};

/// One entry of the examples menu.
pub struct Example {
    /// Stable id (kept in share links and autosave).
    pub id: &'static str,
    /// Menu label.
    pub title: &'static str,
    /// The Dockerfile.
    pub text: &'static str,
    /// Declared context files: path, size, content when small text.
    pub context: &'static [(&'static str, u64, Option<&'static str>)],
    /// "As of" date for the catalog, empty for the newest.
    pub as_of: &'static str,
}

/// The seed program: `hello.go`, exactly 72 bytes.
pub const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello world\")\n}\n";

/// The date the seed's sizes were measured (its `docker history`).
const SEED_DATE: &str = "2022-12-20";

/// Every example, in menu order; the first is the default.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "go-hello",
        title: "Go hello-world (single stage)",
        text: "FROM golang:alpine\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\nCMD [\"./hello\"]\n",
        context: &[("hello.go", HELLO_GO.len() as u64, Some(HELLO_GO))],
        as_of: SEED_DATE,
    },
    Example {
        id: "go-hello-multistage",
        title: "Go hello-world (multi-stage)",
        text: "FROM golang:alpine AS builder\nWORKDIR /build\nCOPY hello.go .\nRUN go build -o hello hello.go\n\nFROM scratch\nCOPY --from=builder /build/hello /hello\nCMD [\"/hello\"]\n",
        context: &[("hello.go", HELLO_GO.len() as u64, Some(HELLO_GO))],
        as_of: SEED_DATE,
    },
    Example {
        id: "node",
        title: "Node.js web app",
        text: "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
        context: &[
            ("package.json", 191, Some("{\n  \"name\": \"shop\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"dependencies\": {\n    \"express\": \"^4.19.2\"\n  },\n  \"devDependencies\": {\n    \"jest\": \"^29.7.0\",\n    \"eslint\": \"^8.57.0\"\n  }\n}\n")),
            ("server.js", 1_830, None),
            ("public/logo.png", 48_211, None),
            ("node_modules/express/index.js", 224, None),
        ],
        as_of: "",
    },
    Example {
        id: "python",
        title: "Python API",
        text: "FROM python:3.12\nWORKDIR /srv\nRUN apt-get update && apt-get install -y build-essential libpq-dev\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
        context: &[
            ("requirements.txt", 46, Some("flask==3.0.3\ngunicorn==22.0.0\npsycopg2==2.9.9\n")),
            ("app.py", 2_410, None),
        ],
        as_of: "",
    },
    Example {
        id: "rust",
        title: "Rust service",
        text: "FROM rust:1.79\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/server\"]\n",
        context: &[
            ("Cargo.toml", 149, Some("[package]\nname = \"server\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naxum = \"0.7\"\ntokio = { version = \"1\", features = [\"full\"] }\nserde = \"1\"\n")),
            ("src/main.rs", 3_052, None),
        ],
        as_of: "",
    },
    Example {
        id: "java",
        title: "Java (Maven)",
        text: "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -q package -DskipTests\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"target/app.jar\"]\n",
        context: &[
            ("pom.xml", 2_980, None),
            ("src/main/java/app/Main.java", 1_204, None),
        ],
        as_of: "",
    },
    Example {
        id: "modern",
        title: "Modern BuildKit (heredocs, cache mounts)",
        text: "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    CGO_ENABLED=0 go build -o /out/api ./cmd/api\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/api /api\nCOPY <<EOF /etc/api/config.yaml\nlisten: \":8080\"\nlog_level: info\nEOF\nUSER nonroot\nENTRYPOINT [\"/api\"]\n",
        context: &[
            ("go.mod", 74, Some("module example.com/api\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n")),
            ("go.sum", 172, None),
            ("cmd/api/main.go", 1_506, None),
        ],
        as_of: "",
    },
];

/// The example with `id`, or the default.
pub fn by_id(id: &str) -> &'static Example {
    EXAMPLES
        .iter()
        .find(|example| example.id == id)
        .unwrap_or(&EXAMPLES[0])
}

impl Example {
    /// The session state this example starts from.
    pub fn to_shared(&self) -> Shared {
        Shared {
            text: self.text.to_owned(),
            context: self
                .context
                .iter()
                .map(|&(path, size, content)| DeclaredFile {
                    path: path.to_owned(),
                    size,
                    content: content.map(str::to_owned),
                })
                .collect(),
            options: PageOptions {
                platform: Platform::Amd64,
                as_of: self.as_of.to_owned(),
                build_args: Vec::new(),
            },
            example: self.id.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn seed_is_the_default_with_its_72_byte_program() {
        assert_eq!(HELLO_GO.len(), 72);
        let seed = by_id("nonexistent");
        assert_eq!(seed.id, "go-hello");
        assert!(seed.text.starts_with("FROM golang:alpine\n"));
        assert_eq!(seed.to_shared().options.as_of, "2022-12-20");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn declared_sizes_match_known_contents() {
        for example in EXAMPLES {
            for &(path, size, content) in example.context {
                if let Some(content) = content {
                    assert_eq!(content.len() as u64, size, "{} {path}", example.id);
                }
            }
        }
    }
}
