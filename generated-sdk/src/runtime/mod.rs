//! Hand-written support for the generated code: sending requests, decoding responses
//! and errors, union and enum serde helpers, path escaping. Nothing in here knows any
//! PortOne operation; the generated modules pass in every name and value.

mod any_error;
#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
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
mod span;
pub(crate) mod tagged;
#[cfg(feature = "testing")]
pub mod testing;
pub(crate) mod time;
mod token;
pub(crate) mod union;
pub(crate) mod union_macros;
pub mod webhook;

pub use any_error::{ErrorKind, PortOneError};
pub use client::ConfigError;
#[doc(hidden)]
pub use client::fuzzing;
pub(crate) use client::{Core, CoreBuilder};
pub use envelope::EnvelopeError;
pub(crate) use envelope::EnvelopeNames;
pub use error::{
    ApiError, AuthError, DecodeError, Error, ErrorCase, InvalidInputError, TransportError, TransportErrorKind,
    UntypedError,
};
pub(crate) use macros::{
    call_methods, call_options, put_optional, put_required, setter_value, setters, string_enum_impls, struct_decoder,
};
pub use raw::RawRequest;
pub(crate) use redact::{Redacted, put_sensitive, put_sensitive_optional};
pub(crate) use request::{CallOptions, ParamValue, Request, path_segment};
pub use response::Response;
pub use retry::RetryPolicy;
pub(crate) use secret::Secret;
pub(crate) use union_macros::{error_status, error_union, field_union, serialize_union_case, tagged_union};
pub(crate) use token::{TokenConfig, TokenExpiry, TokenRefresh};

/// The future an awaited request resolves through.
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'static>>;
