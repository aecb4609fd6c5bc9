//! The Dockerfile parser: lossless, error-tolerant, BuildKit-faithful.
//!
//! (Being written: see issue 3.)
