//! A small static file server for the built site (`dist/`), used by
//! `cargo xtask test` and by the e2e tests when no URL is given.
//!
//! It answers `GET`/`HEAD` on loopback only, one thread per connection, with
//! correct MIME types (browsers insist on `application/wasm` for streaming
//! compilation) and `Cache-Control: no-store` so every test sees fresh files.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use crate::Error;

/// A running server; it stops when dropped.
pub struct StaticServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
}

impl StaticServer {
    /// Serves `root` on `127.0.0.1:port` (`0` picks a free port).
    pub fn start(root: &Path, port: u16) -> Result<Self, Error> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::new(format!("cannot serve {}: {e}", root.display())))?;
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| Error::new(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::new(format!("no local address: {e}")))?;
        let stopping = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stopping);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                thread::spawn(move || {
                    // A client that hangs up mid-response is not our problem.
                    let _ = serve_one(&root, stream);
                });
            }
        });
        Ok(Self { address, stopping })
    }

    /// The base URL, ending in `/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
    }
}

fn serve_one(root: &Path, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return respond(stream, 400, "text/plain", b"bad request", true);
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(stream, 405, "text/plain", b"only GET and HEAD", head_only);
    }
    match resolve(root, target) {
        Some(path) => match fs::read(&path) {
            Ok(body) => respond(stream, 200, mime_type(&path), &body, head_only),
            Err(_) => respond(stream, 404, "text/plain", b"not found", head_only),
        },
        None => respond(stream, 404, "text/plain", b"not found", head_only),
    }
}

/// Maps a request target to a file under `root`; `None` for anything that
/// would leave it. Directories answer with their `index.html`.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|part| !matches!(part, Component::Normal(_)))
    {
        return None;
    }
    let mut full = root.join(relative);
    if full.is_dir() {
        full.push("index.html");
    }
    full.is_file().then_some(full)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "webmanifest") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, StaticServer};
    use crate::http;
    use std::time::Duration;

    fn site() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("layerlens-server-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub dir")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>home</p>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("sub dir/page.html"), "<p>page</p>").unwrap();
        dir
    }

    fn get(server: &StaticServer, path: &str) -> http::Response {
        http::request(server.port(), "GET", path, None, Duration::from_secs(5)).unwrap()
    }

    #[test]
    fn serves_files_with_their_types_and_refuses_escapes() {
        let root = site();
        let server = StaticServer::start(&root, 0).unwrap();

        let home = get(&server, "/");
        assert_eq!(home.status, 200);
        assert_eq!(home.body, b"<p>home</p>");
        assert_eq!(
            home.header("content-type"),
            Some("text/html; charset=utf-8")
        );

        let wasm = get(&server, "/app_bg.wasm?v=1");
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));
        assert_eq!(wasm.body, b"\0asm");

        assert_eq!(get(&server, "/sub%20dir/page.html").body, b"<p>page</p>");
        assert_eq!(get(&server, "/missing.js").status, 404);
        assert_eq!(get(&server, "/../Cargo.toml").status, 404);
        assert_eq!(get(&server, "/sub%20dir/..%2f..%2fetc/passwd").status, 404);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn percent_decoding_rejects_broken_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
