//! Headless Chromium driven over the W3C WebDriver protocol.
//!
//! [`Browser::start`] launches its own ChromeDriver on a free loopback port
//! and opens one session with a fresh, throw-away profile, so tests never
//! share cookies, storage or cache. Dropping the browser ends the session,
//! stops the driver and deletes the profile; if the test is panicking it
//! first saves a screenshot and prints the page's console log.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{free_port, http, screenshot_dir, Error};

/// The key WebDriver uses to name an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long finders wait for an element before giving up.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(15);

/// WebDriver's codes for special keys, to mix into [`Element::send_keys`] text.
pub mod keys {
    pub const BACKSPACE: &str = "\u{E003}";
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const CONTROL: &str = "\u{E009}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const END: &str = "\u{E010}";
    pub const HOME: &str = "\u{E011}";
    pub const LEFT: &str = "\u{E012}";
    pub const RIGHT: &str = "\u{E014}";
    pub const DELETE: &str = "\u{E017}";
}

/// How to start a browser session.
#[derive(Clone, Debug)]
pub struct Options {
    /// Names the session in failure screenshots and messages.
    pub name: String,
    /// Viewport size in CSS pixels.
    pub window: (u32, u32),
    /// Start with the network emulated as offline (see [`Browser::set_offline`]).
    pub offline: bool,
    /// `prefers-color-scheme` to emulate, e.g. `"dark"`.
    pub color_scheme: Option<String>,
}

impl Options {
    /// A 1280×900 desktop window, online, system colour scheme.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            window: (1280, 900),
            offline: false,
            color_scheme: None,
        }
    }

    /// A phone-sized window, 390 CSS pixels wide.
    pub fn phone(name: &str) -> Self {
        Self {
            window: (390, 844),
            ..Self::new(name)
        }
    }
}

/// One ChromeDriver process with one open session.
pub struct Browser {
    options: Options,
    driver: Child,
    driver_port: u16,
    session: String,
    profile: PathBuf,
}

/// A reference to an element in the current page.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium session.
    pub fn start(options: Options) -> Result<Self, Error> {
        static SESSIONS: AtomicU32 = AtomicU32::new(0);
        let driver_path = chromedriver_path()?;
        let driver_port = free_port()?;
        let driver = Command::new(&driver_path)
            .arg(format!("--port={driver_port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::new(format!("cannot start {}: {e}", driver_path.display())))?;

        let profile = std::env::temp_dir().join(format!(
            "layerlens-e2e-profile-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);

        let mut browser = Self {
            options,
            driver,
            driver_port,
            session: String::new(),
            profile,
        };
        browser.wait_for_driver()?;
        browser.open_session()?;
        let (width, height) = browser.options.window;
        browser.set_viewport_size(width, height)?;
        if browser.options.offline {
            browser.set_offline(true)?;
        }
        if let Some(scheme) = browser.options.color_scheme.clone() {
            browser.cdp(
                "Emulation.setEmulatedMedia",
                &json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )?;
        }
        Ok(browser)
    }

    fn wait_for_driver(&mut self) -> Result<(), Error> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = self.call("GET", "/status", None) {
                if status["ready"].as_bool() == Some(true) {
                    return Ok(());
                }
            }
            if let Ok(Some(exit)) = self.driver.try_wait() {
                return Err(Error::new(format!("chromedriver exited at start: {exit}")));
            }
            if Instant::now() > deadline {
                return Err(Error::new("chromedriver did not become ready in 20 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open_session(&mut self) -> Result<(), Error> {
        let (width, height) = self.options.window;
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-extensions".to_owned(),
            "--disable-default-apps".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--force-device-scale-factor=1".to_owned(),
            // Names outside loopback do not resolve, so a page that quietly
            // depends on a CDN or a font host fails here instead of passing.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
                .to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", self.profile.display()),
        ];
        args.extend(extra_chrome_args());
        let mut chrome_options = json!({ "args": args });
        if let Some(binary) = chrome_binary() {
            chrome_options["binary"] = json!(binary.display().to_string());
        }
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": chrome_options,
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "timeouts": { "script": 30_000, "pageLoad": 60_000 },
                }
            }
        });
        let value = self.call("POST", "/session", Some(&capabilities))?;
        value["sessionId"]
            .as_str()
            .ok_or_else(|| Error::new(format!("no sessionId in {value}")))?
            .clone_into(&mut self.session);
        Ok(())
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Error> {
        let text = body.map(Value::to_string);
        let response = http::request(
            self.driver_port,
            method,
            path,
            text.as_deref(),
            Duration::from_mins(2),
        )?;
        let parsed: Value = serde_json::from_slice(&response.body).map_err(|e| {
            Error::new(format!(
                "{method} {path}: answer is not JSON ({e}): {}",
                String::from_utf8_lossy(&response.body)
            ))
        })?;
        let value = parsed.get("value").cloned().unwrap_or(Value::Null);
        if response.status >= 400 {
            return Err(Error::new(format!(
                "[{}] {method} {path}: {}: {}",
                self.options.name,
                value["error"].as_str().unwrap_or("error"),
                value["message"].as_str().unwrap_or(""),
            )));
        }
        Ok(value)
    }

    fn session_call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Error> {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Loads `url` (http, file or data) and waits for the load event.
    pub fn goto(&self, url: &str) -> Result<(), Error> {
        self.session_call("POST", "/url", Some(&json!({ "url": url })))
            .map(drop)
    }

    /// Reloads the current page.
    pub fn reload(&self) -> Result<(), Error> {
        self.session_call("POST", "/refresh", Some(&json!({})))
            .map(drop)
    }

    pub fn current_url(&self) -> Result<String, Error> {
        let value = self.session_call("GET", "/url", None)?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `script` as a function body with `arguments`, returning its value.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value, Error> {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Runs a Chrome DevTools Protocol command in the current tab.
    pub fn cdp(&self, command: &str, params: &Value) -> Result<Value, Error> {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(&json!({ "cmd": command, "params": params })),
        )
    }

    /// Emulates the network as offline (or back online) for this tab; this
    /// includes loopback, so load the page first if it must be reachable.
    pub fn set_offline(&self, offline: bool) -> Result<(), Error> {
        self.cdp("Network.enable", &json!({}))?;
        self.cdp(
            "Network.emulateNetworkConditions",
            &json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .map(drop)
    }

    /// Sets the viewport to `width`×`height` CSS pixels. Headless Chromium
    /// will not make a window narrower than 500 px, so the size is emulated
    /// through DevTools; it lasts across navigations.
    pub fn set_viewport_size(&self, width: u32, height: u32) -> Result<(), Error> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            &json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .map(drop)
    }

    /// The first element matching a CSS selector, if there is one now.
    pub fn try_find_css(&self, selector: &str) -> Result<Option<Element<'_>>, Error> {
        Ok(self.find_all_css(selector)?.into_iter().next())
    }

    /// Every element matching a CSS selector now, in document order.
    pub fn find_all_css(&self, selector: &str) -> Result<Vec<Element<'_>>, Error> {
        let value = self.session_call(
            "POST",
            "/elements",
            Some(&json!({ "using": "css selector", "value": selector })),
        )?;
        Ok(value
            .as_array()
            .map(|items| items.iter().filter_map(|item| self.element(item)).collect())
            .unwrap_or_default())
    }

    /// Waits up to [`DEFAULT_WAIT`] for an element matching `selector`.
    pub fn find_css(&self, selector: &str) -> Result<Element<'_>, Error> {
        self.wait_until(
            &format!("an element matching `{selector}`"),
            DEFAULT_WAIT,
            || self.try_find_css(selector),
        )
    }

    /// Waits for the element with `data-testid="<test_id>"`.
    pub fn find(&self, test_id: &str) -> Result<Element<'_>, Error> {
        self.find_css(&test_id_selector(test_id))
    }

    /// Every element with `data-testid="<test_id>"` now.
    pub fn find_all(&self, test_id: &str) -> Result<Vec<Element<'_>>, Error> {
        self.find_all_css(&test_id_selector(test_id))
    }

    fn element(&self, value: &Value) -> Option<Element<'_>> {
        value[ELEMENT_KEY].as_str().map(|id| Element {
            browser: self,
            id: id.to_owned(),
        })
    }

    /// Polls `check` every 50 ms until it yields `Some`, or fails after `timeout`
    /// with a message naming `what` was awaited.
    pub fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut() -> Result<Option<T>, Error>,
    ) -> Result<T, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = check()? {
                return Ok(found);
            }
            if Instant::now() > deadline {
                let url = self.current_url().unwrap_or_default();
                return Err(Error::new(format!(
                    "[{}] waited {timeout:?} for {what} on {url}",
                    self.options.name
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Milliseconds from typing `key` at UTF-16 offset `caret` of the
    /// textarea `editor` to the first change inside `watched`, timed in the
    /// page: a capture-phase `keydown` listener notes the start and a
    /// mutation observer the end, in `window.__ll` (`{ start, end }`), which
    /// stays for later reads.
    pub fn keystroke_to_change_ms(
        &self,
        editor: &Element<'_>,
        caret: usize,
        key: &str,
        watched: &Element<'_>,
    ) -> Result<f64, Error> {
        self.execute(
            "const [watched, editor, caret] = arguments;
             window.__ll = { start: 0, end: 0 };
             document.addEventListener('keydown', () => { window.__ll.start = performance.now(); window.__ll.end = 0; }, true);
             new MutationObserver(() => { if (window.__ll.start && !window.__ll.end) window.__ll.end = performance.now(); })
               .observe(watched, { childList: true, characterData: true, subtree: true });
             editor.focus();
             editor.setSelectionRange(caret, caret);",
            &[watched.as_arg(), editor.as_arg(), json!(caret)],
        )?;
        editor.send_keys(key)?;
        self.wait_until("a change after the keystroke", DEFAULT_WAIT, || {
            let value = self.execute(
                "return window.__ll.end ? window.__ll.end - window.__ll.start : null;",
                &[],
            )?;
            Ok(value.as_f64())
        })
    }

    /// Saves a PNG of the viewport as `target/screenshots/<name>.png`.
    pub fn screenshot(&self, name: &str) -> Result<PathBuf, Error> {
        use base64::Engine as _;
        let value = self.session_call("GET", "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().unwrap_or_default())
            .map_err(|e| Error::new(format!("screenshot is not base64: {e}")))?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)
            .map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }

    /// Console messages logged since the last call: `LEVEL message` lines.
    pub fn console_log(&self) -> Result<Vec<String>, Error> {
        let value = self.session_call("POST", "/se/log", Some(&json!({ "type": "browser" })))?;
        Ok(value
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|entry| {
                        format!(
                            "{} {}",
                            entry["level"].as_str().unwrap_or("?"),
                            entry["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.session.is_empty() {
            let name = format!("failed-{}", self.options.name);
            match self.screenshot(&name) {
                Ok(path) => eprintln!("[{}] screenshot: {}", self.options.name, path.display()),
                Err(e) => eprintln!("[{}] no screenshot: {e}", self.options.name),
            }
            if let Ok(lines) = self.console_log() {
                for line in lines {
                    eprintln!("[{}] console: {line}", self.options.name);
                }
            }
        }
        if !self.session.is_empty() {
            let _ = self.session_call("DELETE", "", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Element<'_> {
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Error> {
        self.browser
            .session_call(method, &format!("/element/{}{path}", self.id), body)
    }

    /// The rendered text, as a person would read it.
    pub fn text(&self) -> Result<String, Error> {
        Ok(self
            .call("GET", "/text", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// A DOM property such as `value` or `checked`, as JSON.
    pub fn property(&self, name: &str) -> Result<Value, Error> {
        self.call("GET", &format!("/property/{name}"), None)
    }

    /// An HTML attribute, if present.
    pub fn attribute(&self, name: &str) -> Result<Option<String>, Error> {
        Ok(self
            .call("GET", &format!("/attribute/{name}"), None)?
            .as_str()
            .map(str::to_owned))
    }

    /// The `value` of a form control.
    pub fn value(&self) -> Result<String, Error> {
        Ok(self
            .property("value")?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Focuses the element and types `text` (see [`keys`] for special keys).
    pub fn send_keys(&self, text: &str) -> Result<(), Error> {
        self.call("POST", "/value", Some(&json!({ "text": text })))
            .map(drop)
    }

    pub fn click(&self) -> Result<(), Error> {
        self.call("POST", "/click", Some(&json!({}))).map(drop)
    }

    /// Empties a form control.
    pub fn clear(&self) -> Result<(), Error> {
        self.call("POST", "/clear", Some(&json!({}))).map(drop)
    }

    pub fn is_displayed(&self) -> Result<bool, Error> {
        Ok(self.call("GET", "/displayed", None)?.as_bool() == Some(true))
    }

    /// This element as a script argument for [`Browser::execute`].
    pub fn as_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

fn test_id_selector(test_id: &str) -> String {
    format!("[data-testid=\"{test_id}\"]")
}

/// `CHROMEDRIVER`, else `chromedriver` on `PATH`.
fn chromedriver_path() -> Result<PathBuf, Error> {
    find_chromedriver().ok_or_else(|| {
        Error::new(
            "chromedriver not found: run `cargo xtask test` (it installs Debian's chromium and \
             chromium-driver), or install ChromeDriver and set CHROMEDRIVER",
        )
    })
}

/// `CHROMEDRIVER`, else `chromedriver` on `PATH`.
pub fn find_chromedriver() -> Option<PathBuf> {
    std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find_on_path("chromedriver"))
}

/// `CHROME`, else Debian's real binary behind its `/usr/bin/chromium`
/// wrapper script (same browser, without the script's shell noise), else a
/// Chromium or Chrome on `PATH`. `None` lets ChromeDriver look for itself.
pub fn chrome_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME") {
        return Some(PathBuf::from(path));
    }
    let debian = PathBuf::from("/usr/lib/chromium/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| find_on_path(name))
}

/// Whitespace-separated extra Chromium flags from `LAYERLENS_CHROME_ARGS`.
fn extra_chrome_args() -> Vec<String> {
    std::env::var("LAYERLENS_CHROME_ARGS")
        .map(|args| args.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
