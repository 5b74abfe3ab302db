//! A JSON value read once into a flat list of tokens, to be handed out again as a
//! deserializer. A tagged union reads the entries before its tag this way (`tagged.rs`):
//! each byte of the input is scanned once, strings stay borrowed from the input, and the
//! case the tag picks decodes from the tokens without scanning them again.
//!
//! Containers carry the number of tokens inside them, so a value is skipped in one step.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// One token of a value read into a tape.
#[derive(Debug, PartialEq)]
pub enum Token<'de> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    /// A number with a fraction or an exponent.
    F64(f64),
    /// A number as its text (serde_json with `arbitrary_precision` hands numbers out so).
    Number(Cow<'de, str>),
    /// A string, or an object's key; borrowed from the input when it has no escapes.
    Str(Cow<'de, str>),
    /// An object: `inside` tokens follow, a key token before each value's tokens.
    Map { inside: usize },
    /// An array: `inside` tokens follow, the values' tokens in order.
    Seq { inside: usize },
}

/// The name serde_json gives a number it hands out as text (`arbitrary_precision`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The name serde_json gives the newtype through which a value's raw text is asked for.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The value starting at `tokens[0]` (its token and what it contains), and the tokens
/// after it. Inlined: called out of line, it cost a tenth of a page's decode.
#[inline]
fn split_value<'t, 'de>(tokens: &'t [Token<'de>]) -> (&'t [Token<'de>], &'t [Token<'de>]) {
    let width = match tokens.first() {
        Some(Token::Map { inside } | Token::Seq { inside }) => 1 + inside,
        Some(_) => 1,
        None => 0,
    };
    tokens.split_at(width.min(tokens.len()))
}

// ---------------------------------------------------------------------------------------
// Reading a value into a tape.

/// Reads one value into the tape it holds (`map.next_value_seed(Record(&mut tape))`).
pub struct Record<'t, 'de>(pub &'t mut Vec<Token<'de>>);

impl<'de> DeserializeSeed<'de> for Record<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Record<'_, '_> {
    /// Close the container opened at `at`: it holds everything pushed since.
    fn close(&mut self, at: usize) {
        let inside = self.0.len() - at - 1;
        if let Some(Token::Map { inside: n } | Token::Seq { inside: n }) = self.0.get_mut(at) {
            *n = inside;
        }
    }
}

impl<'de> Visitor<'de> for Record<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push(Token::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.push(if v < 0 { Token::I64(v) } else { Token::U64(v as u64) });
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.push(Token::U64(v));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.push(Token::F64(v));
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.0.push(Token::Str(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push(Token::Str(Cow::Owned(v.to_owned())));
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.0.push(Token::Str(Cow::Owned(v)));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push(Token::Null);
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.push(Token::Null);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Token::Seq { inside: 0 });
        while seq.next_element_seed(Record(self.0))?.is_some() {}
        self.close(at);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Token::Map { inside: 0 });
        while let Some(super::de::Key(key)) = map.next_key()? {
            if at + 1 == self.0.len() && key == NUMBER_TOKEN {
                // A number serde_json hands out as its text: one token, not an object.
                let text = map.next_value_seed(super::de::CowStr)?;
                self.0[at] = Token::Number(text);
                return Ok(());
            }
            self.0.push(Token::Str(key));
            map.next_value_seed(Record(self.0))?;
        }
        self.close(at);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Handing a value out again.

/// A deserializer over the tokens of one value (`tokens[0]` and what it contains). Its
/// errors are `E`, the error type of the deserializer the tokens were read from.
pub struct Replay<'t, 'de, E> {
    tokens: &'t [Token<'de>],
    error: PhantomData<E>,
}

impl<'t, 'de, E> Replay<'t, 'de, E> {
    /// The value that starts at `tokens[0]`.
    pub fn new(tokens: &'t [Token<'de>]) -> Self {
        Self { tokens: split_value(tokens).0, error: PhantomData }
    }
}

/// The entries of an object on a tape: a key token, then its value's tokens, in turn.
pub struct Entries<'t, 'de, E> {
    tokens: &'t [Token<'de>],
    /// The tokens of the value whose key was handed out last.
    value: &'t [Token<'de>],
    error: PhantomData<E>,
}

impl<'t, 'de, E> Entries<'t, 'de, E> {
    /// The entries in `tokens` (the tokens inside an object, its own token left out).
    pub fn new(tokens: &'t [Token<'de>]) -> Self {
        Self { tokens, value: &[], error: PhantomData }
    }

    /// Whether every entry has been handed out.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether the value of the key handed out last is still to be handed out.
    pub fn has_value(&self) -> bool {
        !self.value.is_empty()
    }

    /// The next entry's key and its value's tokens, if any entry is left.
    pub fn next_entry(&mut self) -> Option<(&'t Cow<'de, str>, &'t [Token<'de>])> {
        let (Token::Str(key), rest) = self.tokens.split_first()? else { return None };
        let (value, rest) = split_value(rest);
        self.tokens = rest;
        Some((key, value))
    }
}

impl<'de, E: serde::de::Error> MapAccess<'de> for Entries<'_, 'de, E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        let Some((key, value)) = self.next_entry() else { return Ok(None) };
        self.value = value;
        str_seed(seed, key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        seed.deserialize(Replay::<E>::new(std::mem::take(&mut self.value)))
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

/// Hand a string token to `seed`, borrowed when it is.
fn str_seed<'de, S: DeserializeSeed<'de>, E: serde::de::Error>(seed: S, text: &Cow<'de, str>) -> Result<S::Value, E> {
    match text {
        Cow::Borrowed(text) => seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(text)),
        Cow::Owned(text) => seed.deserialize(serde::de::value::StrDeserializer::new(text)),
    }
}

/// The values of an array on a tape.
struct Elements<'t, 'de, E> {
    tokens: &'t [Token<'de>],
    error: PhantomData<E>,
}

impl<'de, E: serde::de::Error> SeqAccess<'de> for Elements<'_, 'de, E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, E> {
        if self.tokens.is_empty() {
            return Ok(None);
        }
        let (value, rest) = split_value(self.tokens);
        self.tokens = rest;
        seed.deserialize(Replay::<E>::new(value)).map(Some)
    }
}

impl<'de, E: serde::de::Error> Deserializer<'de> for Replay<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.first() {
            None => Err(E::custom("a value was expected")),
            Some(Token::Null) => visitor.visit_unit(),
            Some(Token::Bool(_)) => self.deserialize_bool(visitor),
            Some(Token::U64(_) | Token::I64(_) | Token::F64(_) | Token::Number(_)) => self.deserialize_u64(visitor),
            Some(Token::Str(_)) => self.deserialize_str(visitor),
            Some(Token::Map { .. }) => self.deserialize_map(visitor),
            Some(Token::Seq { .. }) => self.deserialize_seq(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.first() {
            Some(Token::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, E> {
        if name == RAW_VALUE {
            // Asked for the value's text (serde_json's `RawValue`): written out again.
            let text = serde_json::to_string(&to_value(self.tokens)).map_err(E::custom)?;
            return visitor.visit_map(serde::de::value::MapDeserializer::new(std::iter::once((RAW_VALUE, text))));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.tokens.split_first() {
            Some((Token::Str(Cow::Borrowed(v)), _)) => {
                visitor.visit_enum(serde::de::value::BorrowedStrDeserializer::new(v))
            }
            Some((Token::Str(Cow::Owned(v)), _)) => visitor.visit_enum(serde::de::value::StrDeserializer::new(v)),
            Some((Token::Map { .. }, inside)) => {
                visitor.visit_enum(serde::de::value::MapAccessDeserializer::new(Entries::<E>::new(inside)))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    // What a type asks for is handed out only when the token is of that kind; any other
    // token is serde's "invalid type" error, as serde_json gives. Each type's decoder is
    // compiled for this deserializer too, and a method that only knows its own kind keeps
    // that code small (forwarding all to `deserialize_any` made a crate decoding payments
    // build a third slower).

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.split_first() {
            Some((Token::Map { .. }, inside)) => visitor.visit_map(Entries::<E>::new(inside)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.split_first() {
            Some((Token::Seq { .. }, inside)) => visitor.visit_seq(Elements { tokens: inside, error: PhantomData }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.first() {
            Some(Token::Str(Cow::Borrowed(v))) => visitor.visit_borrowed_str(v),
            Some(Token::Str(Cow::Owned(v))) => visitor.visit_str(v),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.first() {
            Some(Token::Bool(v)) => visitor.visit_bool(*v),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.tokens.first() {
            Some(Token::U64(v)) => visitor.visit_u64(*v),
            Some(Token::I64(v)) => visitor.visit_i64(*v),
            Some(Token::F64(v)) => visitor.visit_f64(*v),
            Some(Token::Number(text)) => number(text, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_u64(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u128 f32 char bytes byte_buf
        unit unit_struct tuple tuple_struct identifier
    }
}

impl<E: serde::de::Error> Replay<'_, '_, E> {
    /// Serde's "invalid type" error for this value, against what `visitor` expected.
    #[cold]
    fn invalid<'de, V: Visitor<'de>>(&self, visitor: &V) -> E {
        E::invalid_type(unexpected(self.tokens.first()), visitor)
    }
}

/// How serde names the kind of a token in an "invalid type" error.
fn unexpected<'a>(token: Option<&'a Token<'_>>) -> serde::de::Unexpected<'a> {
    use serde::de::Unexpected;
    match token {
        Some(Token::Null) | None => Unexpected::Unit,
        Some(Token::Bool(v)) => Unexpected::Bool(*v),
        Some(Token::U64(v)) => Unexpected::Unsigned(*v),
        Some(Token::I64(v)) => Unexpected::Signed(*v),
        Some(Token::F64(v)) => Unexpected::Float(*v),
        Some(Token::Number(_)) => Unexpected::Other("number"),
        Some(Token::Str(v)) => Unexpected::Str(v),
        Some(Token::Map { .. }) => Unexpected::Map,
        Some(Token::Seq { .. }) => Unexpected::Seq,
    }
}

/// A number kept as its text, handed out as the narrowest kind that holds it.
fn number<'de, V: Visitor<'de>, E: serde::de::Error>(text: &str, visitor: V) -> Result<V::Value, E> {
    if let Ok(v) = text.parse::<u64>() {
        visitor.visit_u64(v)
    } else if let Ok(v) = text.parse::<i64>() {
        visitor.visit_i64(v)
    } else {
        match text.parse::<f64>() {
            Ok(v) => visitor.visit_f64(v),
            Err(_) => Err(E::custom(format_args!("`{text}` is not a number"))),
        }
    }
}

/// The value starting at `tokens[0]` as a `serde_json::Value`.
pub fn to_value(tokens: &[Token<'_>]) -> Value {
    let Some((first, inside)) = split_value(tokens).0.split_first() else { return Value::Null };
    match first {
        Token::Null => Value::Null,
        Token::Bool(v) => Value::Bool(*v),
        Token::U64(v) => Value::from(*v),
        Token::I64(v) => Value::from(*v),
        Token::F64(v) => serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
        Token::Number(text) => text.parse().map_or(Value::Null, Value::Number),
        Token::Str(v) => Value::String(v.clone().into_owned()),
        Token::Map { .. } => {
            let mut entries = Entries::<serde_json::Error>::new(inside);
            let mut object = Map::new();
            while let Some((key, value)) = entries.next_entry() {
                object.insert(key.clone().into_owned(), to_value(value));
            }
            Value::Object(object)
        }
        Token::Seq { .. } => {
            let mut rest = inside;
            let mut values = Vec::new();
            while !rest.is_empty() {
                let (value, tail) = split_value(rest);
                values.push(to_value(value));
                rest = tail;
            }
            Value::Array(values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn record(json: &str) -> Vec<Token<'_>> {
        let mut tape = Vec::new();
        Record(&mut tape).deserialize(&mut serde_json::Deserializer::from_str(json)).unwrap();
        tape
    }

    #[test]
    fn a_value_read_into_a_tape_comes_back_the_same() {
        let json = r#"{"a":[1,-2,3.5,"x\u0021",null,true,{}],"b":{"c":{"d":[]}},"e":"f","g":18446744073709551615}"#;
        let tape = record(json);
        assert_eq!(to_value(&tape), serde_json::from_str::<Value>(json).unwrap());
        let again = Value::deserialize(Replay::<serde_json::Error>::new(&tape)).unwrap();
        assert_eq!(again, serde_json::from_str::<Value>(json).unwrap());
        assert_eq!(split_value(&tape).0.len(), tape.len());
    }

    #[test]
    fn strings_without_escapes_stay_borrowed() {
        let tape = record(r#"["plain","esc\"aped"]"#);
        assert!(matches!(tape[1], Token::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&tape[2], Token::Str(Cow::Owned(s)) if s == "esc\"aped"));
    }

    #[test]
    fn typed_values_decode_from_a_tape_as_from_the_text() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Inner {
            n: i32,
            f: f64,
            o: Option<String>,
            v: Vec<u8>,
        }
        let json = r#"{"n":-4,"f":2,"o":null,"v":[1,2],"skip":{"x":[1]}}"#;
        let tape = record(json);
        let from_tape = Inner::deserialize(Replay::<serde_json::Error>::new(&tape)).unwrap();
        assert_eq!(from_tape, serde_json::from_str::<Inner>(json).unwrap());
        let err = i32::deserialize(Replay::<serde_json::Error>::new(&record(r#""7""#))).unwrap_err();
        assert_eq!(err.to_string(), r#"invalid type: string "7", expected i32"#);
    }

    #[test]
    fn a_value_of_the_wrong_kind_gives_serde_jsons_message() {
        fn both<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> (String, String) {
            let text = serde_json::from_str::<T>(json).unwrap_err().to_string();
            let tape = T::deserialize(Replay::<serde_json::Error>::new(&record(json))).unwrap_err().to_string();
            (crate::tagged::without_position(&text).to_owned(), tape)
        }
        for json in ["null", "5", "-5", "1.5", "true", "[1]", r#"{"a":1}"#] {
            let (text, tape) = both::<String>(json);
            assert_eq!(tape, text, "{json} as a string");
        }
        for json in ["null", r#""x""#, "1.5", "true", "[1]", r#"{"a":1}"#] {
            let (text, tape) = both::<u32>(json);
            assert_eq!(tape, text, "{json} as a number");
        }
        for json in ["null", r#""x""#, "5", "[1]"] {
            let (text, tape) = both::<std::collections::BTreeMap<String, u8>>(json);
            assert_eq!(tape, text, "{json} as a map");
            let (text, tape) = both::<bool>(json);
            assert_eq!(tape, text, "{json} as a bool");
        }
        let (text, tape) = both::<Vec<u8>>(r#"{"a":1}"#);
        assert_eq!(tape, text, "an object as a list");
    }

    #[test]
    fn raw_text_and_numbers_as_text_are_handed_out() {
        let tape = record(r#"{"a":[1,"b"]}"#);
        let raw = Box::<serde_json::value::RawValue>::deserialize(Replay::<serde_json::Error>::new(&tape)).unwrap();
        assert_eq!(raw.get(), r#"{"a":[1,"b"]}"#);
        // The form serde_json's `arbitrary_precision` gives a number: one token.
        let number = serde_json::json!({ NUMBER_TOKEN: "12345678901234567890123" });
        let mut tape = Vec::new();
        Record(&mut tape).deserialize(&number).unwrap();
        assert_eq!(tape, vec![Token::Number(Cow::Borrowed("12345678901234567890123"))]);
        assert_eq!(u64::deserialize(Replay::<serde_json::Error>::new(&[Token::Number("42".into())])).unwrap(), 42);
    }
}
