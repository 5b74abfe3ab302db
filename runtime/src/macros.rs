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

/// `Serialize` for a struct: a `serialize_struct` of its fields in order, each under its
/// wire name, as serde's derive would write it. A field is marked `as optional` (an
/// `Option` left out when `None`), `as whole` or `as optional_whole` (numbers written
/// as integers where they are whole, `runtime::number`), or `as unix` (an optional
/// instant written as UNIX seconds, `0` for none, never left out).
///
/// `struct_encoder!(Name, [id = "id", note = "note" as optional]);`
#[doc(hidden)]
#[macro_export]
macro_rules! struct_encoder {
    ($name:ident, [$($field:ident = $wire:literal $(as $how:ident)?),*]) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let len = 0 $(+ $crate::__private::encoded_count!(self.$field $(, $how)?))*;
                let mut state = serializer.serialize_struct(stringify!($name), len)?;
                // One place returns early, as in `struct_decoder!`: a `?` per field made a
                // return, and a drop of `state`, per field.
                let failed = 'fields: {
                    $(if let Err(e) = $crate::__private::encode_field!(state, self.$field, $wire $(, $how)?) {
                        break 'fields Some(e);
                    })*
                    None
                };
                if let Some(e) = failed {
                    return Err(e);
                }
                state.end()
            }
        }
    };
}

/// Whether a field is written, as a count, in `struct_encoder!`.
#[doc(hidden)]
#[macro_export]
macro_rules! encoded_count {
    ($value:expr) => {
        1
    };
    ($value:expr, optional) => {
        usize::from($value.is_some())
    };
    ($value:expr, optional_whole) => {
        usize::from($value.is_some())
    };
    ($value:expr, whole) => {
        1
    };
    ($value:expr, unix) => {
        1
    };
}

/// Write one field, in `struct_encoder!`: its `Result`, which the caller checks.
#[doc(hidden)]
#[macro_export]
macro_rules! encode_field {
    ($state:ident, $value:expr, $wire:literal) => {
        $state.serialize_field($wire, &$value)
    };
    ($state:ident, $value:expr, $wire:literal, optional) => {
        if $value.is_some() { $state.serialize_field($wire, &$value) } else { $state.skip_field($wire) }
    };
    ($state:ident, $value:expr, $wire:literal, whole) => {
        $state.serialize_field($wire, &$crate::__private::number::Whole(&$value))
    };
    ($state:ident, $value:expr, $wire:literal, optional_whole) => {
        if $value.is_some() {
            $state.serialize_field($wire, &$crate::__private::number::Whole(&$value))
        } else {
            $state.skip_field($wire)
        }
    };
    ($state:ident, $value:expr, $wire:literal, unix) => {
        $state.serialize_field($wire, &$crate::__private::time::Unix(&$value))
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


#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    /// Every way `struct_encoder!` writes a field.
    struct Sent {
        id: String,
        note: Option<String>,
        ratio: f64,
        share: Option<f64>,
        paid_at: Option<DateTime<Utc>>,
    }

    crate::struct_encoder!(Sent, [
        id = "id", note = "note" as optional, ratio = "ratio" as whole,
        share = "shareRate" as optional_whole, paid_at = "paid_at" as unix
    ]);

    /// Counts the fields a struct says it writes and the ones it writes or skips.
    struct Counting {
        said: usize,
        written: Vec<&'static str>,
        skipped: Vec<&'static str>,
    }

    impl serde::ser::SerializeStruct for &mut Counting {
        type Ok = ();
        type Error = serde_json::Error;
        fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, _: &T) -> Result<(), Self::Error> {
            self.written.push(key);
            Ok(())
        }
        fn skip_field(&mut self, key: &'static str) -> Result<(), Self::Error> {
            self.skipped.push(key);
            Ok(())
        }
        fn end(self) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    impl<'a> serde::Serializer for &'a mut Counting {
        type Ok = ();
        type Error = serde_json::Error;
        type SerializeStruct = &'a mut Counting;
        type SerializeSeq = serde::ser::Impossible<(), serde_json::Error>;
        type SerializeTuple = serde::ser::Impossible<(), serde_json::Error>;
        type SerializeTupleStruct = serde::ser::Impossible<(), serde_json::Error>;
        type SerializeTupleVariant = serde::ser::Impossible<(), serde_json::Error>;
        type SerializeMap = serde::ser::Impossible<(), serde_json::Error>;
        type SerializeStructVariant = serde::ser::Impossible<(), serde_json::Error>;

        fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct, Self::Error> {
            self.said = len;
            Ok(self)
        }

        fn serialize_bool(self, _: bool) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_i8(self, _: i8) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_i16(self, _: i16) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_i32(self, _: i32) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_i64(self, _: i64) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_u8(self, _: u8) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_u16(self, _: u16) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_u32(self, _: u32) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_u64(self, _: u64) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_f32(self, _: f32) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_f64(self, _: f64) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_char(self, _: char) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_str(self, _: &str) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_bytes(self, _: &[u8]) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_none(self) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_some<T: serde::Serialize + ?Sized>(self, _: &T) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_unit(self) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), Self::Error> { unreachable!() }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> { unreachable!() }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> { unreachable!() }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Self::Error> { unreachable!() }
        fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, Self::Error> { unreachable!() }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> { unreachable!() }
        fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, Self::Error> { unreachable!() }
    }

    /// A value that never serializes.
    struct Refuses;

    impl serde::Serialize for Refuses {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("refused"))
        }
    }

    struct Halted {
        before: u8,
        refuses: Refuses,
        after: u8,
    }

    crate::struct_encoder!(Halted, [before = "before", refuses = "refuses", after = "after"]);

    #[test]
    fn the_first_field_that_fails_ends_the_write_with_its_error() {
        let halted = Halted { before: 1, refuses: Refuses, after: 2 };
        let mut out = Vec::new();
        let err = serde::Serialize::serialize(&halted, &mut serde_json::Serializer::new(&mut out)).unwrap_err();
        assert_eq!(err.to_string(), "refused");
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"before":1,"refuses":"#);
    }

    #[test]
    fn fields_are_written_in_order_with_wire_names_and_empty_options_left_out() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("valid date");
        let full = Sent { id: "a".into(), note: Some("n".into()), ratio: 2.0, share: Some(0.5), paid_at: Some(at) };
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            r#"{"id":"a","note":"n","ratio":2,"shareRate":0.5,"paid_at":1767323045}"#
        );
        let empty = Sent { id: "b".into(), note: None, ratio: 1.5, share: None, paid_at: None };
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"id":"b","ratio":1.5,"paid_at":0}"#);
        let mut counting = Counting { said: 0, written: vec![], skipped: vec![] };
        serde::Serialize::serialize(&empty, &mut counting).unwrap();
        assert_eq!((counting.said, counting.written.len()), (3, 3));
        assert_eq!(counting.skipped, ["note", "shareRate"]);
    }
}
