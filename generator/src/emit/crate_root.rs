//! The head of the SDK's `src/lib.rs`: the crate's docs and attributes, the runtime under
//! the name the generated code uses (`crate::runtime`), and the runtime's public items
//! re-exported where users have always found them. The API modules follow it.

/// The text of the head, before the API modules.
pub const HEAD: &str = r##"
//! Rust SDK for PortOne, the Korean payment platform.
//!
//! Every operation of the API is a method on a category handle of the client, for
//! example `client.payment().get_payment(id)`; required inputs are arguments, optional
//! ones are set on the returned request, and awaiting the request sends it.
//!
//! Types follow PortOne's compatibility promise: unknown fields are ignored, and an
//! enum value or union case this version does not know is kept in an `Unrecognized`
//! variant instead of failing the call.
#![doc = ""]
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// On docs.rs (built with `--cfg docsrs` on nightly), items gated by a feature are
// labelled with it.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The runtime's items for generated code, which names them `crate::runtime::…`; the
// runtime is pinned at an exact version, so these may change in any release of it.
use portone_runtime::__private as runtime;

pub use portone_runtime::{
    ApiError, AuthError, BoxFuture, BoxStream, ConfigError, DecodeError, EnvelopeError, Error, ErrorCase, ErrorKind,
    InvalidInputError, PortOneError, RawRequest, Response, RetryPolicy, TransportError, TransportErrorKind,
    UntypedError,
};

pub use portone_runtime::hooks;
pub use portone_runtime::webhook;

/// Calls without `.await`, for programs without an async runtime (feature `blocking`).
#[cfg(feature = "blocking")]
pub use portone_runtime::blocking;

/// Not part of the API: the client's answer handling, for the SDK's generated tests.
#[doc(hidden)]
pub use portone_runtime::__private::fuzzing as __fuzzing;

/// A mock PortOne on 127.0.0.1 for testing your code, and webhook signing (feature
/// `testing`).
#[cfg(feature = "testing")]
pub use portone_runtime::testing;

/// The date and time types of the SDK's fields (`chrono::DateTime<Utc>`, `NaiveDate`).
pub use chrono;
/// The HTTP client the SDK sends requests with; pass your own to a client builder.
pub use reqwest;
/// JSON values, as kept by the `Unrecognized` variants.
pub use serde_json;
"##;
