//! Offsets at the DOM edge: the textarea counts UTF-16 code units, the core
//! counts UTF-8 bytes. Every conversion between the two happens here and
//! nowhere else, so the rest of the app only ever sees byte offsets.

use layerlens::{LineIndex, Span};

/// The byte offset of the DOM's `selectionStart`-style UTF-16 offset in `text`
/// (clamped to the text, snapped to a char boundary).
pub fn byte_of_dom(text: &str, utf16: u32) -> u32 {
    LineIndex::offset_of_utf16(text, utf16)
}

/// The DOM (UTF-16) offset of byte `offset` in `text` (clamped, snapped back to
/// the start of the char it falls in).
pub fn dom_of_byte(text: &str, offset: u32) -> u32 {
    LineIndex::utf16_of_offset(text, offset)
}

/// A DOM selection (`selectionStart`, `selectionEnd`) as a byte span.
pub fn span_of_dom(text: &str, start: u32, end: u32) -> Span {
    let (start, end) = (start.min(end), start.max(end));
    Span::new(byte_of_dom(text, start), byte_of_dom(text, end))
}

/// A byte span as the DOM's (`selectionStart`, `selectionEnd`).
pub fn dom_of_span(text: &str, span: Span) -> (u32, u32) {
    (dom_of_byte(text, span.start), dom_of_byte(text, span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# café 😀\nRUN echo é\n";

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn non_ascii_offsets_round_trip() {
        // "# caf" is 5 units either way; "é" is 2 bytes but 1 unit; "😀" is
        // 4 bytes but 2 units.
        let newline_byte = TEXT.find('\n').unwrap() as u32;
        assert_eq!(newline_byte, 12);
        assert_eq!(dom_of_byte(TEXT, newline_byte), 9);
        assert_eq!(byte_of_dom(TEXT, 9), 12);
        let run_byte = TEXT.find("RUN").unwrap() as u32;
        assert_eq!(dom_of_byte(TEXT, run_byte), 10);
        for (byte, _) in TEXT.char_indices() {
            let byte = byte as u32;
            assert_eq!(byte_of_dom(TEXT, dom_of_byte(TEXT, byte)), byte);
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn odd_dom_offsets_snap_and_clamp() {
        // Half of the emoji's surrogate pair lands after the emoji.
        let emoji_start = TEXT.find('😀').unwrap() as u32;
        let after = byte_of_dom(TEXT, dom_of_byte(TEXT, emoji_start) + 1);
        assert_eq!(after, emoji_start + 4);
        // A byte offset inside "é" snaps back to its start.
        let e_acute = TEXT.find('é').unwrap() as u32;
        assert_eq!(dom_of_byte(TEXT, e_acute + 1), dom_of_byte(TEXT, e_acute));
        assert_eq!(byte_of_dom(TEXT, 10_000), TEXT.len() as u32);
        let span = span_of_dom(TEXT, 12, 10);
        assert_eq!(span.text(TEXT), "RU");
        assert_eq!(dom_of_span(TEXT, span), (10, 12));
    }
}
