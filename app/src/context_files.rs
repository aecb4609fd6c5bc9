//! Build-context files from the browser: sizes typed by people and folders
//! picked with a directory input. Only names, sizes and small text files are
//! read, locally; nothing leaves the browser.

use wasm_bindgen_futures::JsFuture;

use crate::state::DeclaredFile;

/// Text files up to this size are read (go.mod, package.json, *.go, …).
const READ_LIMIT: f64 = 64.0 * 1024.0;

/// Sizes as people write them: `1234`, `12kB`, `3.5 MB`, `1 GiB`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = (number * factor).round();
    (0.0..1e15).contains(&bytes).then_some(bytes as u64)
}

/// True for files whose text the estimate can use.
pub fn worth_reading(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        ".dockerignore"
            | "go.mod"
            | "go.sum"
            | "package.json"
            | "package-lock.json"
            | "requirements.txt"
            | "Cargo.toml"
            | "pom.xml"
            | "Gemfile"
            | "pyproject.toml"
            | "yarn.lock"
            | "Dockerfile"
    ) || std::path::Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("go"))
}

/// Names, sizes and small text files of a picked folder; paths are relative
/// to the folder itself.
pub async fn read_folder(picked: Vec<web_sys::File>) -> Vec<DeclaredFile> {
    let mut files = Vec::with_capacity(picked.len());
    for file in picked {
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| file.name());
        // Drop the picked folder's own name: it is the context root.
        let path = relative
            .split_once('/')
            .map_or(relative.as_str(), |(_, rest)| rest)
            .to_owned();
        let size = file.size();
        let content = if size <= READ_LIMIT && worth_reading(&path) {
            JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
        } else {
            None
        };
        files.push(DeclaredFile {
            path,
            size: size as u64,
            content,
        });
    }
    layerlens::sort::by(&mut files, |a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn text_worth_reading() {
        assert!(worth_reading("src/main.go"));
        assert!(worth_reading("MAIN.GO"));
        assert!(worth_reading("web/package.json"));
        assert!(worth_reading(".dockerignore"));
        assert!(!worth_reading("assets/logo.png"));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn sizes_parse_like_people_write_them() {
        assert_eq!(parse_size("72"), Some(72));
        assert_eq!(parse_size("12kB"), Some(12_000));
        assert_eq!(parse_size(" 3.5 MB "), Some(3_500_000));
        assert_eq!(parse_size("1 GiB"), Some(1 << 30));
        assert!(parse_size("lots").is_none());
        assert!(parse_size("").is_none());
        assert!(parse_size("3 parsecs").is_none());
    }
}
