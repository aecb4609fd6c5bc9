//! libFuzzer entry: the whole core on arbitrary bytes (see the shared check
//! in `core/tests/support/pipeline.rs`). Run with `cargo xtask fuzz`.
#![no_main]

#[path = "../../tests/support/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| pipeline::check(data));
