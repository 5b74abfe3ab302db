//! Home of the project's tests; see the `[[test]]` targets in Cargo.toml. This library
//! exists so the README's example is compiled (and type-checked) as a doc test.
#![doc = include_str!("../README.md")]
