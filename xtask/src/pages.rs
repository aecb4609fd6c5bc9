//! Pages beyond the playground, built around the widgets bundle Trunk made
//! for `app/widgets.html` (a smaller `.wasm` that mounts widgets and the
//! tutorial but not the playground), so those pages share one `.wasm`.
//!
//! - Every other `*.html` at the workspace root is a page template, copied
//!   into `dist/`. Where it says `<!-- layerlens:bundle -->` the page gets the
//!   bundle's stylesheet and module script; where it says
//!   `<!-- layerlens:bundle inline -->` it gets them inlined (styles, script
//!   and the `.wasm` as base64), so the page also works opened straight from
//!   disk (`file://`), where browsers refuse to fetch modules and wasm. A
//!   page with neither is copied as is. A linked page that says
//!   `<!-- layerlens:single-file NAME -->` also gets its inlined twin NAME,
//!   written from the same template (the tutorial's `file://` variant).
//! - `embed.js` is a small classic script for other people's pages: it loads
//!   the bundle from its own folder, so `<script src=".../embed.js" defer>`
//!   works under any path, and leaves the host page alone if loading fails.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;

use crate::{read_text, Error};

const MARKER: &str = "<!-- layerlens:bundle -->";
const INLINE_MARKER: &str = "<!-- layerlens:bundle inline -->";
/// `<!-- layerlens:single-file NAME -->`: also write NAME, this page inlined.
const SINGLE_FILE: &str = "<!-- layerlens:single-file ";
/// A script only the linked page runs (see [`single_file_twin`]).
const LINKED_ONLY: &str = "<script data-layerlens-linked-only>";

/// The playground's assets, as names relative to `dist/`.
#[derive(Debug, PartialEq)]
pub struct Bundle {
    pub script: String,
    pub wasm: String,
    pub styles: Vec<String>,
}

impl Bundle {
    /// Finds the assets Trunk's `index.html` loads: its module script, the
    /// wasm that script starts, and its stylesheets.
    pub fn from_index(index_html: &str) -> Result<Self, Error> {
        let script = quoted_after(index_html, "import init, * as bindings from '")
            .or_else(|| quoted_after(index_html, "import init from '"))
            .ok_or_else(|| Error::new("dist/index.html has no Trunk module script"))?;
        let wasm = quoted_after(index_html, "module_or_path: '")
            .ok_or_else(|| Error::new("dist/index.html does not name its .wasm"))?;
        let styles = links_with_rel(index_html, "stylesheet");
        Ok(Self {
            script: strip_dot_slash(&script),
            wasm: strip_dot_slash(&wasm),
            styles: styles.iter().map(|href| strip_dot_slash(href)).collect(),
        })
    }

    /// Every file of the bundle, as names relative to its folder.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        [self.script.as_str(), self.wasm.as_str()]
            .into_iter()
            .chain(self.styles.iter().map(String::as_str))
    }

    /// Stylesheet links and the module script that starts the app.
    fn linked_tags(&self) -> String {
        let mut tags = String::new();
        for style in &self.styles {
            let _ = writeln!(tags, r#"<link rel="stylesheet" href="./{style}">"#);
        }
        let _ = writeln!(
            tags,
            r#"<link rel="modulepreload" href="./{script}">
<link rel="preload" href="./{wasm}" as="fetch" type="application/wasm" crossorigin>
<script type="module">
import init, * as bindings from './{script}';
window.wasmBindings = bindings;
await init({{ module_or_path: './{wasm}' }});
</script>"#,
            script = self.script,
            wasm = self.wasm,
        );
        tags
    }

    /// The same, with every byte inside the page. The glue module is
    /// imported from a `blob:` URL, which file pages may do, and the wasm is
    /// handed over as bytes, so nothing is fetched.
    fn inline_tags(&self, dist: &Path) -> Result<String, Error> {
        let read = |name: &str| {
            std::fs::read(dist.join(name)).map_err(|e| Error::new(format!("dist/{name}: {e}")))
        };
        let mut tags = String::new();
        for style in &self.styles {
            let css = String::from_utf8_lossy(&read(style)?).into_owned();
            let _ = writeln!(
                tags,
                "<style>\n{}\n</style>",
                css.replace("</style", "<\\/style")
            );
        }
        let glue = String::from_utf8_lossy(&read(&self.script)?).into_owned();
        let glue_literal = script_safe_json(&serde_json::Value::String(glue));
        let wasm_base64 = base64::engine::general_purpose::STANDARD.encode(read(&self.wasm)?);
        let _ = writeln!(
            tags,
            r#"<script type="module">
const glue = {glue_literal};
const wasm = Uint8Array.from(atob("{wasm_base64}"), (c) => c.charCodeAt(0));
const url = URL.createObjectURL(new Blob([glue], {{ type: "text/javascript" }}));
const bindings = await import(url);
URL.revokeObjectURL(url);
window.wasmBindings = bindings;
await bindings.default({{ module_or_path: wasm }});
</script>"#
        );
        Ok(tags)
    }

    /// `embed.js`: a classic script that needs no module support from the
    /// host page's own scripts and fails quietly.
    pub fn embed_loader(&self) -> String {
        let styles: Vec<String> = self
            .styles
            .iter()
            .map(|style| format!("'{style}'"))
            .collect();
        format!(
            r"// Layerlens embed loader (written by `cargo xtask dist`).
// Add <script src='.../embed.js' defer></script> and write
// <pre data-layerlens>FROM …</pre>; each becomes a live widget. If anything
// here fails, the <pre> stays as it is and the host page is untouched.
(function () {{
  var me = document.currentScript;
  if (!me || !('noModule' in me)) return;
  var base = new URL('.', me.src);
  var styles = [{styles}].map(function (name) {{ return new URL(name, base).href; }});
  var started = false;
  var added = null;
  // Nothing more is downloaded while the page has no widget: a page without
  // one (embed.js in a site-wide layout) costs this file alone.
  function load() {{
    if (started) return;
    started = true;
    if (added) added.disconnect();
    window.LAYERLENS_ASSETS = {{ base: base.href, styles: styles }};
    // The widgets link these from their shadow roots; fetch them meanwhile.
    styles.forEach(function (href) {{
      var link = document.createElement('link');
      link.rel = 'preload'; link.as = 'style'; link.href = href;
      if (document.head) document.head.appendChild(link);
    }});
    import(new URL('{script}', base).href)
      .then(function (bindings) {{
        return bindings.default({{ module_or_path: new URL('{wasm}', base) }});
      }})
      .catch(function (error) {{
        if (window.console) console.warn('Layerlens widgets unavailable:', error);
      }});
  }}
  function look() {{
    if (!started && document.querySelector('pre[data-layerlens]')) load();
  }}
  function start() {{
    look();
    // Sites that change pages without reloading add their `pre`s later.
    if (started || !('MutationObserver' in window) || !document.body) return;
    added = new MutationObserver(look);
    added.observe(document.body, {{ childList: true, subtree: true }});
  }}
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}})();
",
            styles = styles.join(", "),
            script = self.script,
            wasm = self.wasm,
        )
    }
}

/// Writes every root page template into `dist/` with its bundle, and
/// `embed.js`. Returns the names written.
pub fn write_pages(root: &Path, dist: &Path, bundle: &Bundle) -> Result<Vec<String>, Error> {
    let mut written = Vec::new();
    let entries =
        std::fs::read_dir(root).map_err(|e| Error::new(format!("{}: {e}", root.display())))?;
    let mut templates: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "html")
                && path.file_name().is_some_and(|name| name != "index.html")
        })
        .collect();
    templates.sort();
    for template in templates {
        let name = template
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = read_text(&template)?;
        if let Some((twin_name, twin)) = single_file_twin(&text) {
            write(&dist.join(&twin_name), &render(&twin, bundle, dist)?)?;
            written.push(twin_name);
        }
        write(&dist.join(&name), &render(&text, bundle, dist)?)?;
        written.push(name);
    }
    write(&dist.join("embed.js"), &bundle.embed_loader())?;
    written.push("embed.js".to_owned());
    Ok(written)
}

/// A page template with its bundle marker filled in.
fn render(text: &str, bundle: &Bundle, dist: &Path) -> Result<String, Error> {
    Ok(if text.contains(INLINE_MARKER) {
        text.replacen(INLINE_MARKER, &bundle.inline_tags(dist)?, 1)
    } else if text.contains(MARKER) {
        text.replacen(MARKER, &bundle.linked_tags(), 1)
    } else {
        // A page without a marker brings its own loading (e.g. the
        // embed demo uses embed.js like any host page would).
        text.to_owned()
    })
}

/// The single-file twin a linked page asks for with
/// `<!-- layerlens:single-file NAME -->`: the same page with the bundle
/// inlined, "(single file)" in its title and without its
/// `<script data-layerlens-linked-only>` (the `file://` redirect to the twin,
/// which must not run in the twin itself). Returns (NAME, text).
fn single_file_twin(text: &str) -> Option<(String, String)> {
    let start = text.find(SINGLE_FILE)?;
    let after = &text[start + SINGLE_FILE.len()..];
    let end = after.find("-->")?;
    let name = after[..end].trim().to_owned();
    let mut twin = text.to_owned();
    cut_lines(
        &mut twin,
        start,
        start + SINGLE_FILE.len() + end + "-->".len(),
    );
    while let Some(open) = twin.find(LINKED_ONLY) {
        let close = twin[open..].find("</script>")? + open + "</script>".len();
        cut_lines(&mut twin, open, close);
    }
    let twin =
        twin.replacen(MARKER, INLINE_MARKER, 1)
            .replacen("</title>", " (single file)</title>", 1);
    Some((name, twin))
}

/// Removes `text[start..end]`, and the whole lines it stands on when
/// nothing else does.
fn cut_lines(text: &mut String, start: usize, end: usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let alone = text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
    if alone {
        text.replace_range(line_start..line_end, "");
    } else {
        text.replace_range(start..end, "");
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::new(format!("{}: {e}", path.display())))
}

/// The text between `prefix` and the next `'` or `"`.
fn quoted_after(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let rest = &text[start..];
    Some(rest[..rest.find(['\'', '"'])?].to_owned())
}

/// `href`s of `<link>` tags whose `rel` is `rel`, quoted or not (Trunk
/// minifies HTML in some modes).
fn links_with_rel(html: &str, rel: &str) -> Vec<String> {
    html.split("<link")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let has_rel = [
                format!("rel={rel}"),
                format!("rel=\"{rel}\""),
                format!("rel='{rel}'"),
            ]
            .iter()
            .any(|form| tag.split_whitespace().any(|word| word == form));
            has_rel.then(|| attribute(tag, "href")).flatten()
        })
        .collect()
}

/// An attribute's value in a tag's text, quoted or bare.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &rest[1..];
            &inner[..inner.find(quote)?]
        }
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(value.to_owned())
}

fn strip_dot_slash(name: &str) -> String {
    name.trim_start_matches("./").to_owned()
}

/// JSON text that is also safe inside an HTML `<script>` element.
fn script_safe_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
}

#[cfg(test)]
mod tests {
    use super::{attribute, links_with_rel, script_safe_json, single_file_twin, Bundle};

    const TRUNK_INDEX: &str = r#"<!doctype html><html><head>
<link rel="stylesheet" href="./app-0123456789abcdef.css" integrity="sha384-x"/>
<script type=module>import init, * as bindings from './layerlens-app-fedcba9876543210.js';
const wasm = await init({ module_or_path: './layerlens-app-fedcba9876543210_bg.wasm' });
</script><link crossorigin href=./layerlens-app-fedcba9876543210.js rel=modulepreload></head></html>"#;

    #[test]
    fn reads_the_bundle_trunk_wrote() {
        let bundle = Bundle::from_index(TRUNK_INDEX).unwrap();
        assert_eq!(
            bundle,
            Bundle {
                script: "layerlens-app-fedcba9876543210.js".to_owned(),
                wasm: "layerlens-app-fedcba9876543210_bg.wasm".to_owned(),
                styles: vec!["app-0123456789abcdef.css".to_owned()],
            }
        );
        assert!(Bundle::from_index("<html></html>").is_err());
    }

    #[test]
    fn finds_links_and_attributes_quoted_or_bare() {
        assert_eq!(
            links_with_rel(
                "<link rel=stylesheet href=./a.css><link rel=icon href=x.ico>",
                "stylesheet"
            ),
            ["./a.css"]
        );
        assert_eq!(attribute("a href='b c' d", "href").as_deref(), Some("b c"));
        assert_eq!(attribute("a href=b>", "href").as_deref(), Some("b"));
    }

    #[test]
    fn linked_pages_and_the_loader_use_relative_urls() {
        let bundle = Bundle::from_index(TRUNK_INDEX).unwrap();
        let tags = bundle.linked_tags();
        assert!(tags.contains(r#"href="./app-0123456789abcdef.css""#));
        assert!(tags.contains("from './layerlens-app-fedcba9876543210.js'"));
        let loader = bundle.embed_loader();
        assert!(loader.contains("new URL('layerlens-app-fedcba9876543210_bg.wasm', base)"));
        assert!(loader.contains("['app-0123456789abcdef.css']"));
        assert!(!loader.contains("'/"), "no absolute paths in the loader");
    }

    #[test]
    fn a_linked_page_can_ask_for_its_single_file_twin() {
        let page = "<title>T</title>\n<!-- layerlens:single-file t-offline.html -->\n  <script data-layerlens-linked-only>\n    go();\n  </script>\n  <script>keep();</script>\n<!-- layerlens:bundle -->\n";
        let (name, twin) = single_file_twin(page).unwrap();
        assert_eq!(name, "t-offline.html");
        assert_eq!(
            twin,
            "<title>T (single file)</title>\n  <script>keep();</script>\n<!-- layerlens:bundle inline -->\n"
        );
        assert!(single_file_twin("<!-- layerlens:bundle -->").is_none());
    }

    #[test]
    fn inlined_text_cannot_close_the_script_element() {
        let text = script_safe_json(&serde_json::json!("a</script><!--b"));
        assert!(!text.contains("</"));
        assert!(!text.contains("<!--"));
        assert_eq!(text, r#""a<\/script><\!--b""#);
    }
}
