//! Serde for discriminated unions, which the generated code dispatches by tag: read the
//! value once, look at its tag, decode the case's struct from the same value.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;

/// Read a JSON object and its tag. A missing or non-string tag is not an error: the
/// caller keeps such an object as an unrecognized case.
pub(crate) fn read_case<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Object(map) => {
            let found = map.get(tag).and_then(Value::as_str).map(str::to_owned);
            Ok((found, value))
        }
        other => Err(D::Error::custom(format_args!("expected an object with a `{tag}` tag, found {}", kind(other)))),
    }
}

/// Decode one case's struct from the value its tag chose.
pub(crate) fn decode_case<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

/// Write a case: its struct's fields plus the tag.
pub(crate) fn serialize_case<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    case: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(case).map_err(S::Error::custom)?;
    match &mut json {
        Value::Object(map) => {
            map.insert(tag.to_owned(), Value::String(value.to_owned()));
        }
        _ => return Err(S::Error::custom("a union case must serialize to an object")),
    }
    json.serialize(serializer)
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
