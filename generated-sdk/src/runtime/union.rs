//! Serde for discriminated unions, which the generated code dispatches by tag: read the
//! value once, look at its tag, decode the case's struct from the same value.

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// A union's JSON object, kept as its text (one copy of its bytes, no tree of values)
/// until the tag or field has chosen the case that decodes it.
#[derive(Debug)]
pub(crate) struct Buffered(Box<RawValue>);

impl Buffered {
    /// Whether the object has the top-level field `name` (for unions told apart by field).
    pub(crate) fn has(&self, name: &str) -> bool {
        top_level(self.0.get(), name).is_ok_and(|scan| scan.found)
    }

    /// The object as a JSON value, for an unrecognized case.
    pub(crate) fn into_value<E: serde::de::Error>(self) -> Result<Value, E> {
        serde_json::from_slice(self.0.get().as_bytes()).map_err(E::custom)
    }
}

/// Read a JSON object and the string value of its tag, wherever the tag stands. A
/// missing or non-string tag is not an error: the caller keeps such an object as an
/// unrecognized case. A value that is not an object is an error naming the union.
pub(crate) fn read_case<'de, D: Deserializer<'de>>(
    deserializer: D,
    union: &str,
    tag: &str,
) -> Result<(Option<String>, Buffered), D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    match top_level(raw.get(), tag) {
        Ok(scan) => Ok((scan.tag, Buffered(raw))),
        Err(kind) => {
            Err(D::Error::custom(format_args!("`{union}`: expected an object with a `{tag}` tag, found {kind}")))
        }
    }
}

/// Read the JSON object of a union told apart by its fields; anything else is an error
/// naming the union.
pub(crate) fn read_object<'de, D: Deserializer<'de>>(deserializer: D, union: &str) -> Result<Buffered, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    match is_object(raw.get()) {
        Ok(()) => Ok(Buffered(raw)),
        Err(kind) => Err(D::Error::custom(format_args!("`{union}`: expected an object, found {kind}"))),
    }
}

/// Decode one case's struct from the object its tag (or field) chose, by the same
/// `serde_json` slice deserializer as everything else (another would compile every type
/// below a union a second time).
///
/// A case that does not decode is an error naming the union and the case before serde's
/// reason (`` `Payment` case `PAID`: missing field `paidAt` ``): the case is known, so
/// the payload is wrong, not new. Nested unions add their own prefix, giving a path.
pub(crate) fn decode_case<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: Buffered,
    union: &str,
    case: &str,
) -> Result<T, E> {
    serde_json::from_slice(value.0.get().as_bytes())
        .map_err(|e| E::custom(format_args!("`{union}` case `{case}`: {}", reason(&e))))
}

/// What a scan of an object's top level found for one field name.
struct Scan {
    /// The field is present.
    found: bool,
    /// Its value, when it is a string.
    tag: Option<String>,
}

/// Scan the top level of the JSON text `json` (valid JSON, as a `RawValue` holds) for
/// `name`, skipping every other value without building it, and stopping at `name`: a
/// tag that comes first costs one key. `Err` names what the text is when it is not an
/// object.
fn top_level(json: &str, name: &str) -> Result<Scan, &'static str> {
    is_object(json)?;
    struct Seed<'a, 'b> {
        name: &'a str,
        found: &'b mut Option<Scan>,
    }
    impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_, '_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_map(self)
        }
    }
    impl<'de> serde::de::Visitor<'de> for Seed<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<super::de::Key<'de>>()? {
                if key.as_str() == self.name {
                    // Found: the rest of the object is not read (the deserializer then
                    // reports the unread rest as an error, which the caller ignores).
                    *self.found = Some(Scan { found: true, tag: map.next_value::<TagText>()?.0 });
                    return Ok(());
                }
                map.next_value::<serde::de::IgnoredAny>()?;
            }
            Ok(())
        }
    }
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(json.as_bytes());
    let outcome = serde::de::DeserializeSeed::deserialize(Seed { name, found: &mut found }, &mut de);
    match (found, outcome) {
        (Some(scan), _) => Ok(scan),
        (None, Ok(())) => Ok(Scan { found: false, tag: None }),
        (None, Err(_)) => Err("a malformed object"),
    }
}

/// A tag's value: the text of a string, nothing for any other JSON value.
struct TagText(Option<String>);

impl<'de> Deserialize<'de> for TagText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TagText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<TagText, E> {
                Ok(TagText(Some(v.to_owned())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TagText, E> {
                Ok(TagText(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TagText, E> {
                Ok(TagText(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TagText, E> {
                Ok(TagText(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TagText, E> {
                Ok(TagText(None))
            }
            fn visit_unit<E>(self) -> Result<TagText, E> {
                Ok(TagText(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TagText, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(TagText(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TagText, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(TagText(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `Ok` when the JSON text (valid, as a `RawValue` holds) is an object; otherwise what
/// it is, from its first character.
fn is_object(json: &str) -> Result<(), &'static str> {
    match json.trim_start().as_bytes().first() {
        Some(b'{') => Ok(()),
        Some(b'[') => Err("an array"),
        Some(b'"') => Err("a string"),
        Some(b't' | b'f') => Err("a boolean"),
        Some(b'n') => Err("null"),
        _ => Err("a number"),
    }
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
        let (_, value) =
            read_case(&mut serde_json::Deserializer::from_str(r#"{"status":"PAID"}"#), "Payment", "status")
                .expect("an object");
        let err = decode_case::<Case, serde_json::Error>(value, "Payment", "PAID").expect_err("missing field");
        assert_eq!(err.to_string(), "`Payment` case `PAID`: missing field `paid_at`");
    }

    /// The tag read from `json` by `read_case`.
    fn tag_of_text(json: &str) -> Option<String> {
        read_case(&mut serde_json::Deserializer::from_str(json), "U", "type").expect("an object").0
    }

    #[test]
    fn the_tag_is_found_first_last_or_nowhere() {
        assert_eq!(tag_of_text(r#"{"type":"A","x":{"type":"inner"}}"#).as_deref(), Some("A"));
        assert_eq!(tag_of_text(r#"{"x":{"type":"inner"},"y":[{"type":"no"}],"type":"B"}"#).as_deref(), Some("B"));
        assert_eq!(tag_of_text(r#"{"x":{"type":"inner"}}"#), None);
        assert_eq!(tag_of_text(r#"{"type":7,"x":1}"#), None);
        assert_eq!(tag_of_text(r#"{"ty\u0070e":"C"}"#).as_deref(), Some("C"));
        let (_, value) = read_case(&mut serde_json::Deserializer::from_str(r#"{"z":1,"type":null}"#), "U", "type")
            .expect("an object");
        assert!(value.has("z") && value.has("type") && !value.has("x"));
        let kept: Value = value.into_value::<serde_json::Error>().expect("JSON");
        assert_eq!(kept, serde_json::json!({"z": 1, "type": null}));
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
