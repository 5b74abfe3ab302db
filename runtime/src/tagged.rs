//! Decoding a union told apart by a tag field, in one pass over its object whatever the
//! tag's position.
//!
//! The object's entries are read in order. Until the tag turns up, each entry is read
//! into a tape of tokens (`tape.rs`: strings borrowed from the input, no tree of values,
//! every byte scanned once). At the tag, `Tagged::case` (written by `tagged_union!`)
//! picks the case's struct, which then decodes from a map that hands out the taped
//! entries and goes on with the rest of the object straight from the input. A tag that
//! comes first costs nothing extra; one that comes last costs the tokens of the entries
//! before it, not a second reading of their text.
//!
//! An unknown tag, a tag that is not a string, or no tag at all keeps the whole object as
//! a `serde_json::Value` (the union's `Unrecognized` case). A known tag whose payload does
//! not decode is an error naming the union and the case before serde's reason.
//!
//! The same path serves every deserializer: from a reader or a `serde_json::Value` the
//! tokens hold copies of the strings instead of borrowing them.

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};

use super::de::Key;
use super::tape::{self, Entries, Record, Token};

/// A union told apart by a tag; implemented by `tagged_union!` for each such union.
pub trait Tagged<'de>: Sized {
    /// The union's name, for errors.
    const NAME: &'static str;
    /// The tag field's wire name.
    const TAG: &'static str;

    /// Decode the case `tag` names from `case`, or `None`, touching nothing, when the tag
    /// names no case this version knows.
    fn case<D: Deserializer<'de>>(tag: &str, case: D) -> Option<Result<Self, D::Error>>;

    /// The case for an object whose tag is unknown, not a string, or missing.
    fn unrecognized(value: Value) -> Self;
}

/// Decode the union `U` from `deserializer` (the `Deserialize` of `tagged_union!` calls this).
pub fn decode<'de, U, D>(deserializer: D) -> Result<U, D::Error>
where
    U: for<'a> Tagged<'a>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_map(UnionVisitor(std::marker::PhantomData))
}

struct UnionVisitor<U>(std::marker::PhantomData<U>);

impl<'de, U> Visitor<'de> for UnionVisitor<U>
where
    U: for<'a> Tagged<'a>,
{
    type Value = U;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: an object with a `{}` tag", U::NAME, U::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        // The tape starts empty and grows. Tried and measured worse (20 decodes of the
        // 1 MB page): tapes pooled per thread, or started at 32 tokens or more. Either way
        // no short-lived small list was freed near the top of the heap, so glibc gave the
        // top back to the system after each page and faulted it in again: 8,000 to 10,000
        // page faults against 1,150.
        let mut kept = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let is_tag = key == <U as Tagged<'de>>::TAG;
            kept.push(Token::Str(key));
            let value = kept.len();
            map.next_value_seed(Record(&mut kept))?;
            if !is_tag {
                continue;
            }
            let Some(Token::Str(tag)) = kept.get(value) else { break };
            let input = CaseInput { kept: Entries::new(&kept), rest: &mut map };
            match U::case(tag, input) {
                Some(decoded) => return decoded.map_err(|e| case_error::<U, A::Error>(tag, &e.to_string())),
                None => break,
            }
        }
        unrecognized(&kept, &mut map)
    }
}

/// The error for a known case `tag` that does not decode: the union and the case, then
/// serde's reason (the outer deserializer adds the position).
fn case_error<'a, U: Tagged<'a>, E: serde::de::Error>(tag: &str, reason: &str) -> E {
    E::custom(format_args!("`{}` case `{tag}`: {}", U::NAME, without_position(reason)))
}

/// The `Unrecognized` case of an object whose tag is unknown, not a string, or missing:
/// `kept` holds what was read (`case` touched nothing when it gave `None`), and the rest
/// of the object is read as values. Out of the hot loop: it is the rare path.
#[cold]
#[inline(never)]
fn unrecognized<'de, U, A>(kept: &[Token<'de>], map: &mut A) -> Result<U, A::Error>
where
    U: for<'a> Tagged<'a>,
    A: MapAccess<'de>,
{
    let mut object = Map::new();
    let mut entries = Entries::<A::Error>::new(kept);
    while let Some((key, value)) = entries.next_entry() {
        object.insert(key.clone().into_owned(), tape::to_value(value));
    }
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        let value: Value = map.next_value()?;
        object.insert(key.into_owned(), value);
    }
    Ok(<U as Tagged<'de>>::unrecognized(Value::Object(object)))
}

/// serde_json's message without its position, which an outer deserializer adds again
/// (for a value decoded from text of its own it would point into that text).
pub fn without_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else { return message };
    let Some((line, column)) = tail.split_once(" column ") else { return message };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(line) && digits(column) { head } else { message }
}

/// The case's view of the object: the entries taped before the tag (the tag included),
/// then the rest of the object from the input.
struct CaseInput<'a, 't, 'de, A: MapAccess<'de>> {
    kept: Entries<'t, 'de, A::Error>,
    rest: &'a mut A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for CaseInput<'_, '_, 'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CaseInput<'_, '_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.kept.is_empty() { self.rest.next_key_seed(seed) } else { self.kept.next_key_seed(seed) }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if self.kept.has_value() { self.kept.next_value_seed(seed) } else { self.rest.next_value_seed(seed) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Paid {
        paid_at: String,
        status: Option<String>,
    }

    crate::struct_decoder!(Paid, "a `Paid` object", [paid_at = "paidAt"], [status = "status"]);

    #[derive(Debug, PartialEq)]
    struct Ready {
        id: String,
    }

    crate::struct_decoder!(Ready, "a `Ready` object", [id = "id"], []);

    #[derive(Debug, PartialEq)]
    enum Payment {
        Paid(Paid),
        Ready(Ready),
        Unrecognized(Value),
    }

    impl<'de> Tagged<'de> for Payment {
        const NAME: &'static str = "Payment";
        const TAG: &'static str = "status";

        fn case<D: Deserializer<'de>>(tag: &str, case: D) -> Option<Result<Self, D::Error>> {
            Some(match tag {
                "PAID" => Paid::deserialize(case).map(Self::Paid),
                "READY" => Ready::deserialize(case).map(Self::Ready),
                _ => return None,
            })
        }

        fn unrecognized(value: Value) -> Self {
            Self::Unrecognized(value)
        }
    }

    impl<'de> Deserialize<'de> for Payment {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            decode(deserializer)
        }
    }

    fn paid(at: &str) -> Payment {
        Payment::Paid(Paid { paid_at: at.into(), status: Some("PAID".into()) })
    }

    #[test]
    fn the_tag_first_last_or_in_the_middle_picks_the_case() {
        for json in [
            r#"{"status":"PAID","paidAt":"t","x":{"status":"READY"}}"#,
            r#"{"x":[{"status":"READY"}],"paidAt":"t","status":"PAID"}"#,
            r#" { "paidAt" : "t" , "status" : "PAID" , "y" : 1 } "#,
            r#"{"p\u0061idAt":"t","st\u0061tus":"P\u0041ID"}"#,
        ] {
            assert_eq!(serde_json::from_str::<Payment>(json).unwrap(), paid("t"), "{json}");
        }
        let ready: Payment = serde_json::from_str(r#"{"id":"r","status":"READY"}"#).unwrap();
        assert_eq!(ready, Payment::Ready(Ready { id: "r".into() }));
    }

    #[test]
    fn unknown_missing_or_non_string_tags_keep_the_whole_object() {
        for json in [
            r#"{"a":1,"status":"REFUNDED","b":{"c":[true]}}"#,
            r#"{"a":1,"b":{"c":[true]}}"#,
            r#"{"a":1,"status":7,"b":{"c":[true]}}"#,
            r#"{"status":null,"a":1}"#,
            "{}",
        ] {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::from_str::<Payment>(json).unwrap(), Payment::Unrecognized(value), "{json}");
        }
    }

    #[test]
    fn a_known_case_that_does_not_decode_names_union_case_and_reason() {
        let err = serde_json::from_str::<Payment>(r#"{"x":1,"status":"PAID"}"#).unwrap_err();
        assert_eq!(err.to_string(), "`Payment` case `PAID`: missing field `paidAt` at line 1 column 23");
        // A bad value read before the tag (replayed) and after it (from the input).
        let err = serde_json::from_str::<Payment>(r#"{"paidAt":5,"status":"PAID"}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("`Payment` case `PAID`: invalid type: integer `5`, expected a string at line 1 column"),
            "{err}"
        );
        let err = serde_json::from_str::<Payment>(r#"{"status":"PAID","paidAt":5}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("`Payment` case `PAID`: invalid type: integer `5`, expected a string at line 1 column"),
            "{err}"
        );
    }

    #[test]
    fn readers_and_values_decode_the_same_cases_from_copies() {
        let json = r#"{"x":[{"status":"READY"}],"paidAt":"t","status":"PAID"}"#;
        let value: Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::from_value::<Payment>(value).unwrap(), paid("t"));
        assert_eq!(serde_json::from_reader::<_, Payment>(json.as_bytes()).unwrap(), paid("t"));
        let unknown = r#"{"a":1,"status":"REFUNDED","b":{"c":[true]}}"#;
        let value: Value = serde_json::from_str(unknown).unwrap();
        assert_eq!(serde_json::from_reader::<_, Payment>(unknown.as_bytes()).unwrap(), Payment::Unrecognized(value));
        let err = serde_json::from_reader::<_, Payment>(r#"{"paidAt":5,"status":"PAID"}"#.as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("`Payment` case `PAID`: invalid type: integer `5`"), "{err}");
    }

    #[test]
    fn a_value_that_is_not_an_object_names_the_union() {
        let err = serde_json::from_str::<Payment>("[1]").unwrap_err();
        assert!(err.to_string().contains("`Payment`: an object with a `status` tag"), "{err}");
    }

    #[test]
    fn positions_are_removed_only_when_they_are_serde_jsons() {
        assert_eq!(without_position("bad at line 1 column 5"), "bad");
        assert_eq!(without_position("bad at line x column 5"), "bad at line x column 5");
        assert_eq!(without_position("bad"), "bad");
    }
}
