//! Serde for discriminated unions, which the generated code dispatches by tag: read the
//! value once, look at its tag, decode the case's struct from the same value.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;

/// Read a JSON object and its tag. A missing or non-string tag is not an error: the
/// caller keeps such an object as an unrecognized case. A value that is not an object is
/// an error naming the union.
pub(crate) fn read_case<'de, D: Deserializer<'de>>(
    deserializer: D,
    union: &str,
    tag: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Object(map) => {
            let found = map.get(tag).and_then(Value::as_str).map(str::to_owned);
            Ok((found, value))
        }
        other => Err(D::Error::custom(format_args!(
            "`{union}`: expected an object with a `{tag}` tag, found {}",
            kind(other)
        ))),
    }
}

/// Read the JSON object of a union told apart by its fields; anything else is an error
/// naming the union.
pub(crate) fn read_object<'de, D: Deserializer<'de>>(deserializer: D, union: &str) -> Result<Value, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(D::Error::custom(format_args!("`{union}`: expected an object, found {}", kind(&value))))
    }
}

/// Decode one case's struct from the value its tag (or field) chose. The value goes back
/// through bytes so the case is decoded by the same `serde_json` deserializer as
/// everything else: decoding it from the `Value` directly would compile every type below
/// a union a second time, for the `Value` deserializer.
///
/// A case that does not decode is an error naming the union and the case before serde's
/// reason (`` `Payment` case `PAID`: missing field `paidAt` ``): the case is known, so
/// the payload is wrong, not new. Nested unions add their own prefix, giving a path.
pub(crate) fn decode_case<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: Value,
    union: &str,
    case: &str,
) -> Result<T, E> {
    let bytes = serde_json::to_vec(&value).map_err(E::custom)?;
    serde_json::from_slice(&bytes).map_err(|e| E::custom(format_args!("`{union}` case `{case}`: {}", reason(&e))))
}

/// serde's message without the position, which would point into the re-encoded case
/// rather than into the response; the outer deserializer adds the real position.
fn reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    let position = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&position) {
        Some(bare) => bare.to_owned(),
        None => text,
    }
}

/// Write a case: the tag first, then its struct's fields, in one pass.
pub(crate) fn serialize_case<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &'static str,
    value: &'static str,
    case: &T,
) -> Result<S::Ok, S::Error> {
    case.serialize(TagFirst { tag, value, inner: serializer })
}

/// A serializer that adds `tag: value` as the first field of the struct (or map) written
/// through it; anything else is an error, since a union case is always an object.
struct TagFirst<S> {
    tag: &'static str,
    value: &'static str,
    inner: S,
}

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(S::Error::custom("a union case must serialize as an object"))
        })*
    };
}

impl<S: Serializer> Serializer for TagFirst<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTuple = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<S::Ok, S::Error>;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = serde::ser::Impossible<S::Ok, S::Error>;

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, Self::Error> {
        use serde::ser::SerializeStruct as _;
        let mut state = self.inner.serialize_struct(name, len + 1)?;
        state.serialize_field(self.tag, self.value)?;
        Ok(state)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        use serde::ser::SerializeMap as _;
        let mut state = self.inner.serialize_map(len.map(|n| n + 1))?;
        state.serialize_entry(self.tag, self.value)?;
        Ok(state)
    }

    not_an_object!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(S::Error::custom("a union case must serialize as an object"))
    }
}

/// The tag of a raw case, if it has a string one.
pub(crate) fn tag_of<'a>(value: &'a Value, tag: &str) -> Option<&'a str> {
    value.get(tag).and_then(Value::as_str)
}

/// A string, borrowed when the input allows it.
pub(crate) fn string_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Visitor)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Case {
        #[allow(dead_code)]
        paid_at: String,
    }

    #[test]
    fn a_case_that_does_not_decode_names_union_case_and_reason() {
        let err = decode_case::<Case, serde_json::Error>(serde_json::json!({ "status": "PAID" }), "Payment", "PAID")
            .expect_err("missing field");
        assert_eq!(err.to_string(), "`Payment` case `PAID`: missing field `paid_at`");
    }

    #[test]
    fn a_value_that_is_not_an_object_names_the_union() {
        let err = read_case(&mut serde_json::Deserializer::from_str("[1]"), "Payment", "status").expect_err("array");
        assert!(
            err.to_string().starts_with("`Payment`: expected an object with a `status` tag, found an array"),
            "{err}"
        );
        let err = read_object(&mut serde_json::Deserializer::from_str("\"x\""), "Key").expect_err("string");
        assert!(err.to_string().starts_with("`Key`: expected an object, found a string"), "{err}");
    }
}
