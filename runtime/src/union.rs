//! Serde for discriminated unions other than the tagged decode (`tagged.rs`): unions told
//! apart by which field is present, writing a case with its tag, and the tag of a kept
//! unrecognized case.
//!
//! A union told apart by field captures its object's text (borrowed from the input when
//! it is in memory), finds the fields that pick a case with a byte scan of the top level,
//! then decodes the case's struct from that text.

use super::de::Text;
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;

/// A union's JSON object, kept as its text until the field has chosen the case that
/// decodes it.
#[derive(Debug)]
pub struct Buffered<'de>(Cow<'de, str>);

impl Buffered<'_> {
    /// Whether the object has the top-level field `name`.
    pub fn has(&self, name: &str) -> bool {
        top_level(&self.0, name).is_ok_and(|value| value.is_some())
    }
}

/// Read the JSON object of a union told apart by its fields; anything else is an error
/// naming the union.
pub fn read_object<'de, D: Deserializer<'de>>(deserializer: D, union: &str) -> Result<Buffered<'de>, D::Error> {
    let Text(text) = Text::deserialize(deserializer)?;
    match is_object(&text) {
        Ok(()) => Ok(Buffered(text)),
        Err(kind) => Err(D::Error::custom(format_args!("`{union}`: expected an object, found {kind}"))),
    }
}

/// Decode one case's struct from the object its field chose, by the same `serde_json`
/// text deserializer as everything else (`de::from_json`; another would compile every
/// type below a union a second time).
///
/// A case that does not decode is an error naming the union and the case before serde's
/// reason (`` `Key` case `Card`: missing field `number` ``): the case is known, so the
/// payload is wrong, not new. Nested unions add their own prefix, giving a path.
pub fn decode_case<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: Buffered<'_>,
    union: &str,
    case: &str,
) -> Result<T, E> {
    serde_json::from_str(&value.0).map_err(|e| {
        E::custom(format_args!("`{union}` case `{case}`: {}", super::tagged::without_position(&e.to_string())))
    })
}

/// Find the field `name` at the top level of the JSON object text `json` and return the
/// text of its value. The text is valid JSON (serde_json captured it), so a byte scan
/// that only tracks strings and nesting is exact; it never builds a value and stops at
/// `name`. Keys with escapes are unescaped before comparing. `Err` names what the text
/// is when it is not an object (or, defensively, when the scan runs off its end).
fn top_level<'a>(json: &'a str, name: &str) -> Result<Option<&'a str>, &'static str> {
    is_object(json)?;
    let bytes = json.as_bytes();
    let malformed = "a malformed object";
    let mut at = skip_space(bytes, json.len() - json.trim_start().len() + 1);
    if bytes.get(at) == Some(&b'}') {
        return Ok(None);
    }
    loop {
        let key_end = string_end(bytes, at).ok_or(malformed)?;
        let key = json.get(at..key_end).ok_or(malformed)?;
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return Err(malformed);
        }
        let start = skip_space(bytes, at + 1);
        let end = value_end(bytes, start).ok_or(malformed)?;
        if key_is(key, name) {
            return json.get(start..end).map(Some).ok_or(malformed);
        }
        at = skip_space(bytes, end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => return Ok(None),
            _ => return Err(malformed),
        }
    }
}

/// Whether the quoted key text `key` (`"..."`) names `name`.
fn key_is(key: &str, name: &str) -> bool {
    string_text(key).is_some_and(|k| k == name)
}

/// The text of a JSON string value (`"..."`), or `None` for any other value. Borrowed
/// unless it has escapes.
fn string_text(value: &str) -> Option<Cow<'_, str>> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(value).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// The first index at or after `at` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// The index just past the string that opens at `at`, or `None` if none does.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The index just past the JSON value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while !matches!(bytes.get(i), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                i += 1;
            }
            Some(i)
        }
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

/// Write a case: the tag first, then its struct's fields, in one pass.
pub fn serialize_case<S: Serializer, T: Serialize>(
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
pub fn tag_of<'a>(value: &'a Value, tag: &str) -> Option<&'a str> {
    value.get(tag).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Case {
        #[allow(dead_code)]
        paid_at: String,
    }

    fn object(json: &str) -> Buffered<'_> {
        read_object(&mut serde_json::Deserializer::from_str(json), "U").expect("an object")
    }

    #[test]
    fn a_case_that_does_not_decode_names_union_case_and_reason() {
        let err = decode_case::<Case, serde_json::Error>(object(r#"{"status":"PAID"}"#), "Payment", "PAID")
            .expect_err("missing field");
        assert_eq!(err.to_string(), "`Payment` case `PAID`: missing field `paid_at`");
    }

    #[test]
    fn fields_are_found_at_the_top_level_only_wherever_they_stand() {
        let value = object(r#"{"x":{"type":"inner"},"y":[{"z":1}],"type":"B"}"#);
        assert!(value.has("x") && value.has("y") && value.has("type") && !value.has("z"));
        let value = object(r#" { "a\"" : "}" , "b" : [ "]" , { "c" : 1 } ] , "d\u0021" : -1.5e3 , "e" : null } "#);
        assert!(value.has("a\"") && value.has("b") && value.has("d!") && value.has("e") && !value.has("c"));
        assert!(!object("{}").has("a"));
    }

    #[test]
    fn a_value_that_is_not_an_object_names_the_union() {
        let err = read_object(&mut serde_json::Deserializer::from_str("\"x\""), "Key").expect_err("string");
        assert!(err.to_string().starts_with("`Key`: expected an object, found a string"), "{err}");
        let err = read_object(&mut serde_json::Deserializer::from_str("[1]"), "Key").expect_err("array");
        assert!(err.to_string().starts_with("`Key`: expected an object, found an array"), "{err}");
    }
}
