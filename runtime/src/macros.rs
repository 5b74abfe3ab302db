//! The trait impls and methods generated code shares, written once: string enums get
//! `Display`, `FromStr`, serde and `ParamValue` from their `as_str` and `From<&str>`;
//! request builders get their per-call options, `send` and `IntoFuture`; structs get
//! `Deserialize` from the list of their fields and wire names.

/// `Display`, `FromStr`, `Serialize`, `Deserialize` and `ParamValue` for a string enum
/// that has `as_str(&self) -> &str` and `From<&str>`.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::__private::de::string_value(deserializer).map(|value| Self::from(value.as_ref()))
            }
        }

        impl $crate::__private::ParamValue for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}


/// What every request builder has besides its parameters and `request`: the per-call
/// options, `send_with_response` (the builder's `request()`, sent as `$send` of the
/// runtime's `send` module says: `json`, `text`, `empty`, `enveloped`, `enveloped_empty`),
/// `send`, and `IntoFuture` (so a builder can be `.await`ed). Builders of APIs that take
/// an idempotency key name its header and get `idempotency_key`.
///
/// `call_methods!(Builder, Output, Error, json);` or `call_methods!(Builder, Output, Error, json, idempotency_key = "Idempotency-Key");`
#[doc(hidden)]
#[macro_export]
macro_rules! call_methods {
    ($name:ident, $ok:ty, $err:ty, $send:ident $(, idempotency_key = $header:literal)?) => {
        impl $name {
            $crate::__private::call_options!();

            $(
                #[doc = concat!(" The `", $header, "` to send instead of a generated one, for a call you may repeat yourself later.")]
                pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
                    self.options.idempotency_key = Some(key.into());
                    self
                }
            )?

            /// Sends the request; the decoded body comes with the HTTP status and headers.
            #[inline]
            pub fn send_with_response(
                self,
            ) -> $crate::BoxFuture<Result<$crate::__private::Response<$ok>, $crate::__private::Error<$err>>> {
                let core = std::sync::Arc::clone(self.client.core());
                $crate::__private::send::$send(core, self.request())
            }

            /// Sends the request and decodes the response.
            #[inline]
            pub fn send(self) -> $crate::BoxFuture<Result<$ok, $crate::__private::Error<$err>>> {
                $crate::__private::send::body(self.send_with_response())
            }
        }

        impl std::future::IntoFuture for $name {
            type Output = Result<$ok, $crate::__private::Error<$err>>;
            type IntoFuture = $crate::BoxFuture<Self::Output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}


/// The per-call options every request has (`timeout`, `attempt_timeout`, `max_retries`,
/// `header`), as methods of an `impl` block whose type has `options: CallOptions`: the
/// generated builders (through `call_methods!`) and `RawRequest`.
#[doc(hidden)]
#[macro_export]
macro_rules! call_options {
    () => {
        /// Total time for this call, retries included, instead of the client's.
        /// `Duration::MAX` means no limit; zero ends the call at once with a timeout
        /// error, nothing sent.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Longest wait for one attempt of this call, instead of the client's.
        /// `Duration::MAX` means no limit but the call's; zero ends the call at once with
        /// a timeout error, nothing sent.
        pub fn attempt_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.attempt_timeout = Some(timeout);
            self
        }

        /// Retries for this call instead of the client's (0: no retry). A call that is not
        /// a GET is repeated only when the API takes an idempotency key.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.options.max_retries = Some(retries);
            self
        }

        /// Send this header too, after the SDK's own and the client's
        /// (`default_header`). Headers the SDK sets itself (`Authorization`,
        /// `Content-Type`, `Accept`, `User-Agent`, the idempotency key) cannot be
        /// given; a name or value HTTP cannot carry makes the call an input error.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options.headers.0.push((name.into(), value.into()));
            self
        }
    };
}


/// `Deserialize` for a struct, as `runtime::de::DecodeStruct` (one shared visitor) with
/// a local per field and a `match` on the key. Unknown keys are skipped, a `null` or
/// missing optional field is `None`, a missing required one is serde's "missing field"
/// error. The locals' types are inferred from the struct's fields; a field marked
/// `as time` (a `DateTime<Utc>`) is read through `runtime::time`'s fast parser, one
/// marked `as unix_time` (an optional `DateTime<Utc>` sent as UNIX seconds, `0` for
/// none) through `time::put_unix_optional`, and one marked `as sensitive` (an
/// `x-sensitive` string) through `redact::put_sensitive`, whose errors never quote it.
///
/// `struct_decoder!(Name, "a `Name` object", [required = "wire", at = "at" as time, ...], [optional = "wire", ...]);`
#[doc(hidden)]
#[macro_export]
macro_rules! struct_decoder {
    (
        $name:ident,
        $expecting:literal,
        [$($req:ident = $req_wire:literal $(as $req_via:ident)?),*],
        [$($opt:ident = $opt_wire:literal $(as $opt_via:ident)?),*]
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::__private::de::decode_struct(deserializer)
            }
        }

        impl $crate::__private::de::DecodeStruct for $name {
            const EXPECTING: &'static str = $expecting;

            #[allow(unused_mut)]
            fn visit<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $req = None;)*
                $(let mut $opt = None;)*
                // One place returns early with every slot still to drop, not one per `?`:
                // rustc's work on a decoder grows with its drop sites times its slots.
                let failed = loop {
                    let key = match map.next_key::<$crate::__private::de::Key<'de>>() {
                        Ok(Some(key)) => key,
                        Ok(None) => break None,
                        Err(e) => break Some(e),
                    };
                    if let Err(e) = match key.as_str() {
                        $($req_wire => $crate::__private::put_required!(map, $req $(, $req_via)?),)*
                        $($opt_wire => $crate::__private::put_optional!(map, $opt $(, $opt_via)?),)*
                        _ => $crate::__private::de::skip(&mut map),
                    } {
                        break Some(e);
                    }
                };
                if let Some(e) = failed {
                    return Err(e);
                }
                #[allow(unreachable_patterns)]
                match ($($req,)*) {
                    ($(Some($req),)*) => Ok($name { $($req,)* $($opt,)* }),
                    ($($req,)*) => Err($crate::__private::de::missing(&[$(($req.is_none(), $req_wire)),*])),
                }
            }
        }
    };
}

/// Read a required field's value into its local, in `struct_decoder!`.
#[doc(hidden)]
#[macro_export]
macro_rules! put_required {
    ($map:ident, $slot:ident) => {
        $crate::__private::de::put(&mut $map, &mut $slot)
    };
    ($map:ident, $slot:ident, time) => {
        $crate::__private::time::put(&mut $map, &mut $slot)
    };
    ($map:ident, $slot:ident, sensitive) => {
        $crate::__private::put_sensitive(&mut $map, &mut $slot)
    };
}

/// Read an optional field's value (`null` is `None`) into its local, in `struct_decoder!`.
#[doc(hidden)]
#[macro_export]
macro_rules! put_optional {
    ($map:ident, $slot:ident) => {
        $crate::__private::de::put_optional(&mut $map, &mut $slot)
    };
    ($map:ident, $slot:ident, time) => {
        $crate::__private::time::put_optional(&mut $map, &mut $slot)
    };
    ($map:ident, $slot:ident, unix_time) => {
        $crate::__private::time::put_unix_optional(&mut $map, &mut $slot)
    };
    ($map:ident, $slot:ident, sensitive) => {
        $crate::__private::put_sensitive_optional(&mut $map, &mut $slot)
    };
}


/// The `with_…` setters of a struct's optional fields: each takes the value, stores it
/// as `Some` and returns the struct, for chaining. A setter is written
/// `docs with_name(field, "wireName"): ArgType => how;` where `how` is `set` (stored as
/// given), `into` (an `impl Into<String>` turned into the `String`) or `boxed` (a
/// recursive field, stored in a `Box`); the first doc line names the wire field.
///
/// `setters!(Name { #[doc = " More."] with_note(note, "note"): impl Into<String> => into; });`
#[doc(hidden)]
#[macro_export]
macro_rules! setters {
    ($(#[$outer:meta])* $name:ident {
        $( $(#[$meta:meta])* $method:ident($field:ident, $wire:literal): $arg:ty => $how:ident; )*
    }) => {
        $(#[$outer])*
        impl $name {
            $(
                #[doc = concat!(" This value with `", $wire, "` set.")]
                $(#[$meta])*
                #[inline]
                pub fn $method(mut self, value: $arg) -> Self {
                    self.$field = Some($crate::__private::setter_value!($how, value));
                    self
                }
            )*
        }
    };
}


/// The value a `setters!` setter stores, before `Some`.
#[doc(hidden)]
#[macro_export]
macro_rules! setter_value {
    (set, $value:ident) => {
        $value
    };
    (into, $value:ident) => {
        $value.into()
    };
    (boxed, $value:ident) => {
        Box::new($value)
    };
}

