//! What the `Deserialize` impls of structs share. Each struct implements `DecodeStruct`
//! (`struct_decoder!` in `macros.rs`, called by the generated code with the struct's
//! fields): a local per field, a `match` on the key whose arms call `put`, unknown keys
//! skipped. One visitor (`StructVisitor`) serves every struct. Compared with serde's
//! derive there is no field enum, no sequence visitor, no visitor type per struct and no
//! per-field bookkeeping of duplicates, which is most of what the SDK's compile time
//! went to.

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::marker::PhantomData;

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CowStr).map(Key)
    }
}

/// The JSON text of one value, as serde_json's `RawValue` captures it: borrowed from the
/// input when serde_json reads from memory (`from_str`, `from_slice`, as the SDK does),
/// a copy when it reads from `from_reader` or a `serde_json::Value`. Unions keep values
/// this way until their tag or field has chosen the case.
pub struct Text<'de>(pub Cow<'de, str>);

/// The name serde_json gives the newtype struct through which it hands out a value's
/// text (a map of one entry, this name to the text), the way `RawValue` reads it.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text<'de>, A::Error> {
                match map.next_key::<serde::de::IgnoredAny>()? {
                    Some(_) => map.next_value_seed(CowStr).map(Text),
                    None => Err(serde::de::Error::custom("expected the text of a JSON value")),
                }
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text<'de>, D::Error> {
                // A deserializer that does not know the name: serde_json's own type decides.
                let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
                Ok(Text(Cow::Owned(raw.get().to_owned())))
            }
        }
        deserializer.deserialize_newtype_struct(RAW_VALUE, Visitor)
    }
}

/// A string, borrowed when the input allows it.
pub(crate) struct CowStr;

impl<'de> serde::de::DeserializeSeed<'de> for CowStr {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CowStr {
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

/// A string, borrowed when the input allows it (for string enums' `Deserialize`).
pub fn string_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowStr)
}

/// Decode JSON bytes as the SDK decodes every body: UTF-8 is checked once, then the text
/// is read with `serde_json::from_str`, which then takes strings without checking each
/// again. It also keeps one deserializer type (`StrRead`) for every decode, union replays
/// included, so each type's decoder is compiled once.
pub fn from_json<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(e) => Err(serde::de::Error::custom(format_args!("the body is not UTF-8: {e}"))),
    }
}

/// A struct decoded from a JSON object by the generated `struct_decoder!` call.
pub trait DecodeStruct: Sized {
    /// What the decoder expected, for errors (`an object of type `Payment``).
    const EXPECTING: &'static str;

    /// Read the struct's fields from `map`.
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decode a struct (its `Deserialize` impl calls this).
pub fn decode_struct<'de, T: DecodeStruct, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor(PhantomData))
}

/// The one visitor of every generated struct.
struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeStruct> serde::de::Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// Read a required field's value into its local.
pub fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Read an optional field's value into its local (`null` is `None`).
pub fn put_optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Skip the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// Serde's "missing field" error for the first of `fields` marked missing (a decoder
/// checks all its required fields at once).
#[cold]
pub fn missing<E: serde::de::Error>(fields: &[(bool, &'static str)]) -> E {
    let field = fields.iter().find(|(missing, _)| *missing).map_or("", |(_, name)| *name);
    E::missing_field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct decoded by `struct_decoder!`, as generated structs are.
    #[derive(Debug, PartialEq)]
    struct Pair {
        id: String,
        note: Option<String>,
    }

    crate::struct_decoder!(Pair, "an object of type `Pair`", [id = "id"], [note = "note"]);

    /// Three required fields, one of them a time, and no optional one.
    #[derive(Debug, PartialEq)]
    struct Triple {
        a: u8,
        b: u8,
        at: chrono::DateTime<chrono::Utc>,
    }

    crate::struct_decoder!(Triple, "an object of type `Triple`", [a = "a", b = "b", at = "at" as time], []);

    #[test]
    fn the_first_missing_required_field_is_named_and_a_bad_value_ends_the_decode() {
        let at = "2026-01-02T03:04:05Z";
        let ok: Triple = serde_json::from_str(&format!(r#"{{"b":2,"at":"{at}","a":1}}"#)).unwrap();
        assert_eq!((ok.a, ok.b, ok.at.to_rfc3339()), (1, 2, "2026-01-02T03:04:05+00:00".to_owned()));
        let err = serde_json::from_str::<Triple>(&format!(r#"{{"a":1,"at":"{at}"}}"#)).unwrap_err();
        assert!(err.to_string().starts_with("missing field `b`"), "{err}");
        let err = serde_json::from_str::<Triple>(r#"{"a":1}"#).unwrap_err();
        assert!(err.to_string().starts_with("missing field `b`"), "{err}");
        let err = serde_json::from_str::<Triple>(r#"{"b":1}"#).unwrap_err();
        assert!(err.to_string().starts_with("missing field `a`"), "{err}");
        let err = serde_json::from_str::<Triple>(r#"{"a":"x","b":1}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        let err = serde_json::from_str::<Triple>(r#"{"a":1,"b":2,"at":"yesterday"}"#).unwrap_err();
        assert!(!err.to_string().starts_with("missing field"), "{err}");
    }

    /// The text `Text` captures from `json` read by each kind of serde_json input, and
    /// whether it is borrowed.
    fn texts(json: &str) -> [(bool, String); 3] {
        let seen = |t: Text<'_>| (matches!(t.0, Cow::Borrowed(_)), t.0.into_owned());
        let from_str = Text::deserialize(&mut serde_json::Deserializer::from_str(json)).unwrap();
        let from_reader = Text::deserialize(&mut serde_json::Deserializer::from_reader(json.as_bytes())).unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_value = Text::deserialize(value).unwrap();
        [seen(from_str), seen(from_reader), seen(from_value)]
    }

    #[test]
    fn text_is_borrowed_from_memory_and_copied_from_readers_and_values() {
        let [s, r, v] = texts(r#"{"a": [1, "x"]}"#);
        assert_eq!(s, (true, r#"{"a": [1, "x"]}"#.to_owned()));
        assert_eq!(r, (false, r#"{"a": [1, "x"]}"#.to_owned()));
        assert_eq!(v, (false, r#"{"a":[1,"x"]}"#.to_owned()));
        let [s, _, v] = texts(r#""t\u0021""#);
        assert_eq!((s, v), ((true, r#""t\u0021""#.to_owned()), (false, r#""t!""#.to_owned())));
    }

    #[test]
    fn bodies_that_are_not_utf8_are_an_error() {
        let err = from_json::<String>(b"\"\xff\"").unwrap_err();
        assert!(err.to_string().starts_with("the body is not UTF-8"), "{err}");
        assert_eq!(from_json::<String>(b"\"caf\xc3\xa9\"").unwrap(), "caf\u{e9}");
    }

    #[test]
    fn keys_with_escapes_unknown_keys_nulls_and_missing_fields() {
        let pair: Pair = serde_json::from_str(r#"{"extra":[1,{"x":2}],"i\u0064":"a","note":null}"#).unwrap();
        assert_eq!(pair, Pair { id: "a".into(), note: None });
        let pair: Pair = serde_json::from_str(r#"{"note":"n","id":"b"}"#).unwrap();
        assert_eq!(pair, Pair { id: "b".into(), note: Some("n".into()) });
        let err = serde_json::from_str::<Pair>(r#"{"note":"n"}"#).unwrap_err();
        assert!(err.to_string().starts_with("missing field `id`"), "{err}");
        let err = serde_json::from_str::<Pair>(r#"["a"]"#).unwrap_err();
        assert!(err.to_string().contains("an object of type `Pair`"), "{err}");
    }
}
