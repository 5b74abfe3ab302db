//! The runtime of `portone-sdk`: sending requests, retries, access tokens, decoding
//! responses and errors, union and enum serde helpers, path escaping, webhooks and the
//! test kit. Nothing in here knows any PortOne operation; the generated modules of
//! `portone-sdk` pass in every name and value.
//!
//! Use it through `portone-sdk`, which re-exports its public items and pins it at an
//! exact version. [`__private`] holds what the generated code needs and users should not
//! touch; it is outside the semver promise, which the exact pin makes safe.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod any_error;
#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod client_macros;
pub(crate) mod de;
mod envelope;
mod error;
pub mod hooks;
mod macros;
pub(crate) mod number;
pub(crate) mod paginate;
mod raw;
mod redact;
mod request;
mod response;
mod retry;
mod scrub;
mod secret;
mod send;
mod span;
pub(crate) mod tagged;
pub(crate) mod tape;
#[cfg(feature = "testing")]
pub mod testing;
pub(crate) mod time;
mod token;
pub(crate) mod union;
pub(crate) mod union_macros;
pub mod webhook;

pub use any_error::{ErrorKind, PortOneError};
pub use client::ConfigError;
pub use envelope::EnvelopeError;
#[cfg(feature = "testing")]
pub(crate) use envelope::EnvelopeNames;
pub use error::{
    ApiError, AuthError, DecodeError, Error, ErrorCase, InvalidInputError, TransportError, TransportErrorKind,
    UntypedError,
};
pub use raw::RawRequest;
pub use response::Response;
pub use retry::RetryPolicy;

/// The future an awaited request resolves through.
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'static>>;

/// The stream of a paged list's pages or items (`pages()`, `items()`).
pub type BoxStream<T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + Send + 'static>>;

/// Items for `portone-sdk`'s generated code only: not part of the public API, and
/// changed in any release. `portone-sdk` names them as `crate::runtime::…` (this module
/// under another name) and pins the runtime at an exact version.
#[doc(hidden)]
pub mod __private {
    pub use crate::*;
    pub use crate::client::{Core, CoreBuilder};
    pub use crate::envelope::EnvelopeNames;
    pub use crate::client::fuzzing;
    pub use crate::redact::{Redacted, put_sensitive, put_sensitive_optional};
    pub use crate::union_macros::documented_case;
    pub use crate::request::{CallOptions, ParamValue, Request, path_segment};
    pub use crate::secret::Secret;
    pub use crate::token::{TokenExpiry, TokenRefresh, TokenShape};
    pub use crate::{
        call_methods, call_options, client_builder, default_setting, encode_field, encoded_count, error_status, forward_setters, error_union, field_union, put_optional, put_required, serialize_union_case,
        setter_value, setters, string_enum_impls, struct_decoder, struct_encoder, tagged_union,
    };

    /// Decoding helpers of generated structs.
    pub mod de {
        pub use crate::de::*;
    }
    /// Whole numbers written as JSON numbers.
    pub mod number {
        pub use crate::number::*;
    }
    /// The futures of request builders, by how the API answers.
    pub mod send {
        pub use crate::send::*;
    }
    /// Streams of pages and items of paged operations.
    pub mod paginate {
        pub use crate::paginate::*;
    }
    /// Unions told apart by a tag.
    pub mod tagged {
        pub use crate::tagged::*;
    }
    /// Timestamps, RFC 3339 and Unix.
    pub mod time {
        pub use crate::time::*;
    }
    /// Unions told apart by shape, and serializing union cases.
    pub mod union {
        pub use crate::union::*;
    }
}
