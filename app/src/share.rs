//! The session as a string: what a share link carries in the URL fragment and
//! what autosave keeps in `localStorage`.
//!
//! Layout before compression: a version byte, then fields, each a tag byte,
//! a LEB128 length and that many bytes. Unknown tags are skipped, so older
//! links keep opening after fields are added. The whole record is deflated
//! (raw DEFLATE, `miniz_oxide`) and written as unpadded base64url.
//!
//! Widgets write their "open in playground" links with [`encode_stored`]:
//! the same format, but in DEFLATE's uncompressed "stored" blocks, so the
//! widgets bundle does not carry a compressor (~11 KB of wasm) for links to
//! short texts. [`decode`] reads both.

use crate::state::{DeclaredFile, PageOptions, Platform};

/// Version of the layout above.
const VERSION: u8 = 1;
/// A decoded link may not inflate beyond this (a hostile link cannot exhaust memory).
const MAX_INFLATED: usize = 8 << 20;

/// Everything a link restores: the text, the declared context and the options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shared {
    /// The Dockerfile text, byte for byte.
    pub text: String,
    /// Declared build-context files.
    pub context: Vec<DeclaredFile>,
    /// Platform, "as of" date and build args.
    pub options: PageOptions,
    /// The example this work started from, if any.
    pub example: String,
}

mod tag {
    pub const TEXT: u8 = b't';
    pub const PLATFORM: u8 = b'p';
    pub const AS_OF: u8 = b'd';
    pub const BUILD_ARG: u8 = b'a';
    pub const FILE: u8 = b'f';
    pub const EXAMPLE: u8 = b'e';
}

/// Encode `shared` for a URL fragment (base64url of the deflated record).
pub fn encode(shared: &Shared) -> String {
    let record = to_record(shared);
    let packed = miniz_oxide::deflate::compress_to_vec(&record, 9);
    base64url_encode(&packed)
}

/// Encode `shared` like [`encode`], but as stored (uncompressed) DEFLATE
/// blocks: a longer link for the price of a few lines of code.
pub fn encode_stored(shared: &Shared) -> String {
    base64url_encode(&deflate_stored(&to_record(shared)))
}

/// Raw DEFLATE made of stored blocks (RFC 1951 §3.2.4): per block of at most
/// 65,535 bytes a header byte (`BFINAL` on the last, `BTYPE` 00), `LEN`
/// and its complement `NLEN` (little-endian), then the bytes as they are.
fn deflate_stored(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 5 * (bytes.len() / 65_535 + 1));
    let mut blocks = bytes.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// Decode what [`encode`] or [`encode_stored`] produced; `None` for anything malformed.
pub fn decode(encoded: &str) -> Option<Shared> {
    let packed = base64url_decode(encoded.trim())?;
    let record = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).ok()?;
    from_record(&record)
}

fn to_record(shared: &Shared) -> Vec<u8> {
    let mut out = vec![VERSION];
    put(&mut out, tag::TEXT, shared.text.as_bytes());
    put(
        &mut out,
        tag::PLATFORM,
        shared.options.platform.as_str().as_bytes(),
    );
    put(&mut out, tag::AS_OF, shared.options.as_of.as_bytes());
    for (name, value) in &shared.options.build_args {
        let mut pair = Vec::with_capacity(name.len() + value.len() + 1);
        pair.extend_from_slice(name.as_bytes());
        pair.push(0);
        pair.extend_from_slice(value.as_bytes());
        put(&mut out, tag::BUILD_ARG, &pair);
    }
    for file in &shared.context {
        // path NUL size NUL [content]; a third part present (even empty) means
        // the content was known.
        let mut field = Vec::new();
        field.extend_from_slice(file.path.as_bytes());
        field.push(0);
        field.extend_from_slice(file.size.to_string().as_bytes());
        if let Some(content) = &file.content {
            field.push(0);
            field.extend_from_slice(content.as_bytes());
        }
        put(&mut out, tag::FILE, &field);
    }
    if !shared.example.is_empty() {
        put(&mut out, tag::EXAMPLE, shared.example.as_bytes());
    }
    out
}

fn from_record(record: &[u8]) -> Option<Shared> {
    let (&version, mut rest) = record.split_first()?;
    if version != VERSION {
        return None;
    }
    let mut shared = Shared::default();
    while !rest.is_empty() {
        let (&field_tag, after_tag) = rest.split_first()?;
        let (len, after_len) = read_leb128(after_tag)?;
        let len = usize::try_from(len).ok()?;
        if after_len.len() < len {
            return None;
        }
        let (value, after_value) = after_len.split_at(len);
        rest = after_value;
        let text = std::str::from_utf8(value).ok()?;
        match field_tag {
            tag::TEXT => text.clone_into(&mut shared.text),
            tag::PLATFORM => shared.options.platform = Platform::parse(text),
            tag::AS_OF => text.clone_into(&mut shared.options.as_of),
            tag::BUILD_ARG => {
                let (name, value) = text.split_once('\0')?;
                shared
                    .options
                    .build_args
                    .push((name.to_owned(), value.to_owned()));
            }
            tag::FILE => {
                let mut parts = text.splitn(3, '\0');
                let path = parts.next()?.to_owned();
                let size = parts.next()?.parse().ok()?;
                let content = parts.next().map(str::to_owned);
                shared.context.push(DeclaredFile {
                    path,
                    size,
                    content,
                });
            }
            tag::EXAMPLE => text.clone_into(&mut shared.example),
            _ => {}
        }
    }
    Some(shared)
}

fn put(out: &mut Vec<u8>, field_tag: u8, value: &[u8]) {
    out.push(field_tag);
    let mut len = value.len() as u64;
    loop {
        let low = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(low);
            break;
        }
        out.push(low | 0x80);
    }
    out.extend_from_slice(value);
}

fn read_leb128(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5): safe in a fragment without escaping.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Inverse of [`base64url_encode`]; also accepts `+`, `/` and `=` padding.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shared {
        Shared {
            text: "# café 😀\r\nFROM golang:alpine\n\tRUN echo \"\\\"\0odd\"\n".to_owned(),
            context: vec![
                DeclaredFile {
                    path: "hello.go".to_owned(),
                    size: 72,
                    content: Some("package main\n".to_owned()),
                },
                DeclaredFile {
                    path: "assets/big.bin".to_owned(),
                    size: 12_345_678_901,
                    content: None,
                },
                DeclaredFile {
                    path: "empty".to_owned(),
                    size: 0,
                    content: Some(String::new()),
                },
            ],
            options: PageOptions {
                platform: Platform::Arm64,
                as_of: "2022-12-20".to_owned(),
                build_args: vec![("GO_VERSION".to_owned(), "1.19 = x".to_owned())],
            },
            example: "go-hello".to_owned(),
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn round_trips_exactly() {
        let shared = sample();
        let encoded = encode(&shared);
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&encoded), Some(shared));
        assert_eq!(decode(&encode(&Shared::default())), Some(Shared::default()));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn base64url_matches_rfc_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn garbage_is_rejected_not_panicking() {
        for junk in ["", "!!!", "AAAA", "Zm9vYmFy", &encode(&sample())[..10]] {
            assert_eq!(decode(junk), None, "{junk}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn stored_links_decode_to_the_same_session() {
        for text in [
            String::new(),
            "FROM alpine\n".to_owned(),
            "RUN echo ü\n".repeat(20_000),
        ] {
            let shared = Shared { text, ..sample() };
            let encoded = encode_stored(&shared);
            assert_eq!(decode(&encoded), Some(shared.clone()));
            let deflated =
                miniz_oxide::inflate::decompress_to_vec(&base64url_decode(&encoded).unwrap());
            assert_eq!(deflated.ok(), Some(to_record(&shared)), "valid raw DEFLATE");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_long_file_compresses() {
        let text = "RUN apt-get update && apt-get install -y curl\n".repeat(1000);
        let shared = Shared {
            text,
            ..Shared::default()
        };
        let encoded = encode(&shared);
        assert!(encoded.len() < 2_000, "{} chars", encoded.len());
        assert_eq!(decode(&encoded), Some(shared));
    }
}
