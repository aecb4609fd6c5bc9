//! `ARG`/`ENV` scope of one stage, and `$VAR` expansion against it.

/// Variables visible at one point of a stage: ENV values and declared ARGs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// (name, value) pairs; later entries shadow earlier ones.
    vars: Vec<(String, String)>,
    /// Names declared with `ARG` in this stage (ARG values, not ENV), in order
    /// with their values: BuildKit prefixes RUN's history text with them.
    build_args: Vec<(String, String)>,
    /// Names set by `ENV` (they win over ARGs of the same name).
    env_names: Vec<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Set an ENV value (shadows an ARG of the same name).
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.vars.retain(|(key, _)| key != name);
        self.vars.push((name.to_string(), value.to_string()));
        if !self.env_names.iter().any(|key| key == name) {
            self.env_names.push(name.to_string());
        }
    }

    /// Declare an ARG with its value. An ENV of the same name keeps winning
    /// for expansion, as in BuildKit.
    pub fn declare_arg(&mut self, name: &str, value: Option<&str>) {
        let value = value.unwrap_or("");
        self.build_args.retain(|(key, _)| key != name);
        self.build_args.push((name.to_string(), value.to_string()));
        if !self.env_names.iter().any(|key| key == name) {
            self.vars.retain(|(key, _)| key != name);
            self.vars.push((name.to_string(), value.to_string()));
        }
    }

    /// ARGs declared in the stage so far, with the value each RUN sees.
    pub fn build_args(&self) -> impl Iterator<Item = (&str, &str)> {
        self.build_args.iter().map(|(key, value)| {
            let seen = self.get(key).unwrap_or(value);
            (key.as_str(), seen)
        })
    }

    /// The variables set by `ENV` (what a `FROM <stage>` child inherits).
    pub fn env(&self) -> Vec<(String, String)> {
        self.vars
            .iter()
            .filter(|(key, _)| self.env_names.contains(key))
            .cloned()
            .collect()
    }

    /// Every visible variable.
    pub fn vars(&self) -> &[(String, String)] {
        &self.vars
    }

    /// Expand a Dockerfile word as BuildKit's shell lexer does: quotes are
    /// removed (`'…'` stays literal, `"…"` expands), then variables expand.
    pub fn expand_word(&self, text: &str) -> (String, Vec<String>) {
        if !text.contains(['\'', '"']) {
            return self.expand(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut unknown = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let quote = rest.find(['\'', '"']).unwrap_or(rest.len());
            let (plain, tail) = rest.split_at(quote);
            let (expanded, missing) = self.expand(plain);
            out.push_str(&expanded);
            unknown.extend(missing);
            let Some(mark) = tail.chars().next() else {
                break;
            };
            let body = &tail[1..];
            let close = body.find(mark).unwrap_or(body.len());
            if mark == '\'' {
                out.push_str(&body[..close]);
            } else {
                let (expanded, missing) = self.expand(&body[..close]);
                out.push_str(&expanded);
                unknown.extend(missing);
            }
            rest = body.get(close + 1..).unwrap_or("");
        }
        (out, unknown)
    }

    /// Expand `$VAR`, `${VAR}` and the `${VAR:-default}` / `${VAR:+alt}`
    /// forms (with or without `:`). Unknown variables expand to "" and are
    /// reported in `.1` so callers can say the value is unknown.
    pub fn expand(&self, text: &str) -> (String, Vec<String>) {
        expand_with(text, &|name| self.get(name).map(str::to_string))
    }
}

/// Expansion with an arbitrary lookup (shared by the global `FROM` scope).
pub fn expand_with(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut unknown = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' && bytes.get(i + 1) == Some(&b'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != b'$' {
            let next = text[i..]
                .char_indices()
                .nth(1)
                .map_or(text.len(), |(k, _)| i + k);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'{') {
            let Some(close) = find_close(bytes, i + 2) else {
                out.push_str(&text[i..]);
                break;
            };
            let inner = &text[i + 2..close];
            out.push_str(&braced(inner, lookup, &mut unknown));
            i = close + 1;
            continue;
        }
        let name_end = text[i + 1..]
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .map_or(text.len(), |k| i + 1 + k);
        if name_end == i + 1 {
            out.push('$');
            i += 1;
            continue;
        }
        let name = &text[i + 1..name_end];
        match lookup(name) {
            Some(value) => out.push_str(&value),
            None => unknown.push(name.to_string()),
        }
        i = name_end;
    }
    (out, unknown)
}

fn find_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn braced(
    inner: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    unknown: &mut Vec<String>,
) -> String {
    let name_end = inner
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_end);
    let value = lookup(name);
    let (colon, rest) = match rest.strip_prefix(':') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let set = match &value {
        Some(v) => !(colon && v.is_empty()),
        None => false,
    };
    let word = |text: &str, unknown: &mut Vec<String>| {
        let (expanded, missing) = expand_with(text, lookup);
        unknown.extend(missing);
        expanded
    };
    if let Some(default) = rest.strip_prefix('-') {
        return if set {
            value.unwrap_or_default()
        } else {
            word(default, unknown)
        };
    }
    if let Some(alternative) = rest.strip_prefix('+') {
        return if set {
            word(alternative, unknown)
        } else {
            String::new()
        };
    }
    if value.is_none() {
        unknown.push(name.to_string());
    }
    value.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_shadows_arg_and_expands() {
        let mut scope = Scope::new();
        scope.declare_arg("GO_VERSION", Some("1.19"));
        scope.set_env("APP", "hello");
        assert_eq!(
            scope.expand("golang:${GO_VERSION}-alpine").0,
            "golang:1.19-alpine"
        );
        assert_eq!(scope.expand("/out/$APP.bin").0, "/out/hello.bin");
        assert_eq!(scope.expand("${MISSING:-dflt}").0, "dflt");
        assert_eq!(scope.expand("${APP:+set}").0, "set");
        assert_eq!(scope.expand("${MISSING:+set}").0, "");
        assert_eq!(scope.expand("\\$APP").0, "$APP");
        let (text, unknown) = scope.expand("$NOPE/x");
        assert_eq!((text.as_str(), unknown), ("/x", vec!["NOPE".to_string()]));
        scope.set_env("GO_VERSION", "1.20");
        scope.declare_arg("GO_VERSION", Some("1.21"));
        assert_eq!(scope.get("GO_VERSION"), Some("1.20"), "ENV wins over ARG");
        assert_eq!(scope.build_args().count(), 1);
        assert_eq!(scope.expand_word("\"/srv/$APP\"").0, "/srv/hello");
        assert_eq!(scope.expand_word("'$APP'x").0, "$APPx");
    }

    #[test]
    fn never_panics_on_odd_text() {
        let scope = Scope::new();
        for text in ["$", "${", "${}", "$${", "é$é", "${a:-${b}", "\\"] {
            let _ = scope.expand(text);
        }
    }
}
