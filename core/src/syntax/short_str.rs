//! [`ShortStr`]: an immutable string stored inline when it is short.
//!
//! Most words of a Dockerfile (keywords, flag names, shell words, image
//! names) are a few bytes long. Giving each its own heap `String` made heap
//! allocation and freeing the largest cost of parsing, so tree strings use
//! this type: up to [`ShortStr::INLINE`] bytes live inside the value, longer
//! ones in one exact-size heap block. It derefs to `str` and compares with
//! `str`, `&str` and `String`, so most code reads it like a `String`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// An immutable UTF-8 string, inline up to [`ShortStr::INLINE`] bytes.
#[derive(Clone)]
pub struct ShortStr(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the string (always valid UTF-8: built from a `str`).
    Inline {
        len: u8,
        bytes: [u8; ShortStr::INLINE],
    },
    /// Longer strings.
    Heap(Box<str>),
}

impl ShortStr {
    /// Longest string kept inline (the value is then as big as a `String`).
    pub const INLINE: usize = 22;

    /// A copy of `text`.
    pub fn new(text: &str) -> ShortStr {
        let source = text.as_bytes();
        if source.len() <= Self::INLINE {
            let mut bytes = [0u8; Self::INLINE];
            bytes[..source.len()].copy_from_slice(source);
            // The length fits: it is at most INLINE.
            let len = u8::try_from(source.len()).unwrap_or(0);
            ShortStr(Repr::Inline { len, bytes })
        } else {
            ShortStr(Repr::Heap(Box::from(text)))
        }
    }

    /// Length in bytes (without reading the text back).
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline { len, .. } => usize::from(*len),
            Repr::Heap(text) => text.len(),
        }
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of the string (cheaper than [`ShortStr::as_str`], which
    /// re-checks inline bytes as UTF-8: use it for byte-level tests).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            Repr::Heap(text) => text.as_bytes(),
        }
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = bytes.get(..usize::from(*len)).unwrap_or(&[]);
                // Always valid: the bytes were copied from a `str` whole.
                std::str::from_utf8(bytes).unwrap_or("")
            }
            Repr::Heap(text) => text,
        }
    }
}

impl Default for ShortStr {
    fn default() -> Self {
        ShortStr::new("")
    }
}

impl Deref for ShortStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ShortStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ShortStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ShortStr {
    fn from(text: &str) -> Self {
        ShortStr::new(text)
    }
}

impl From<String> for ShortStr {
    fn from(text: String) -> Self {
        if text.len() <= Self::INLINE {
            ShortStr::new(&text)
        } else {
            ShortStr(Repr::Heap(text.into_boxed_str()))
        }
    }
}

impl From<&String> for ShortStr {
    fn from(text: &String) -> Self {
        ShortStr::new(text)
    }
}

impl From<ShortStr> for String {
    fn from(text: ShortStr) -> Self {
        match text.0 {
            Repr::Heap(text) => text.into_string(),
            Repr::Inline { .. } => text.as_str().to_string(),
        }
    }
}

impl fmt::Debug for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for ShortStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ShortStr {}

impl PartialOrd for ShortStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ShortStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for ShortStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for ShortStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ShortStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ShortStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<ShortStr> for str {
    fn eq(&self, other: &ShortStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ShortStr> for &str {
    fn eq(&self, other: &ShortStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<ShortStr> for String {
    fn eq(&self, other: &ShortStr) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::ShortStr;

    #[test]
    fn inline_and_heap_read_back() {
        for text in [
            "",
            "a",
            "apt-get",
            "é😀 mixed",
            &"x".repeat(22),
            &"y".repeat(23),
            &"é".repeat(40),
        ] {
            let s = ShortStr::new(text);
            assert_eq!(s.as_str(), text);
            assert_eq!(ShortStr::from(text.to_string()), text);
            assert_eq!(String::from(s.clone()), text);
            assert_eq!(format!("{s}"), text);
            assert_eq!(format!("{s:?}"), format!("{text:?}"));
        }
        assert_eq!(
            std::mem::size_of::<ShortStr>(),
            std::mem::size_of::<String>()
        );
        assert!(ShortStr::new("a") < ShortStr::new("b"));
    }
}
