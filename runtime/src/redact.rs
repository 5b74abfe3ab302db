//! Keeping secrets out of what the SDK shows. `Debug` for fields and parameters that
//! carry credentials or card data (the spec's `x-sensitive`): the generated `Debug`
//! impls print them through [`Redacted`], which shows that a value is there but never
//! the value. And [`mask_json_fields`], for bodies the SDK keeps or records.

use std::fmt;

/// What a hidden value reads as.
pub(crate) const REDACTED: &str = "<redacted>";

/// The JSON `body` with the value of every field named in `fields`, at any depth,
/// replaced by `"<redacted>"`; `None` when the body is not JSON or has none of them, so
/// the caller keeps it byte for byte.
pub(crate) fn mask_json_fields(body: &[u8], fields: &[&str]) -> Option<Vec<u8>> {
    fn mask(value: &mut serde_json::Value, fields: &[&str]) -> bool {
        match value {
            serde_json::Value::Object(map) => map.iter_mut().fold(false, |found, (key, value)| {
                if fields.contains(&key.as_str()) {
                    *value = serde_json::Value::String(REDACTED.into());
                    true
                } else {
                    mask(value, fields) | found
                }
            }),
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |found, v| mask(v, fields) | found),
            _ => false,
        }
    }
    if fields.is_empty() {
        return None;
    }
    let mut value = serde_json::from_slice::<serde_json::Value>(body).ok()?;
    if !mask(&mut value, fields) {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

/// Borrows a sensitive value to print `<redacted>` in its place; an `Option` shows
/// whether it is set (`Some(<redacted>)` or `None`).
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Redacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(<redacted>)"),
            None => f.write_str("None"),
        }
    }
}

/// A sensitive string field's value (`x-sensitive`), decoded so that an error never
/// quotes it: serde's own message for a number in its place would show the number
/// (`invalid type: integer `4242…`, expected a string`); this one names the kind only.
pub(crate) struct SensitiveString(pub(crate) String);

impl<'de> serde::Deserialize<'de> for SensitiveString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any`: asked for a string, serde_json writes the error itself.
        deserializer.deserialize_any(SensitiveVisitor)
    }
}

struct SensitiveVisitor;

impl SensitiveVisitor {
    fn refuse<E: serde::de::Error>(kind: &'static str) -> E {
        E::invalid_type(serde::de::Unexpected::Other(kind), &SensitiveVisitor)
    }
}

impl<'de> serde::de::Visitor<'de> for SensitiveVisitor {
    type Value = SensitiveString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (the value of a sensitive field is not shown)")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SensitiveString, E> {
        Ok(SensitiveString(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<SensitiveString, E> {
        Ok(SensitiveString(v))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SensitiveString, E> {
        Err(Self::refuse("a boolean"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SensitiveString, E> {
        Err(Self::refuse("an integer"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SensitiveString, E> {
        Err(Self::refuse("an integer"))
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<SensitiveString, E> {
        Err(Self::refuse("an integer"))
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<SensitiveString, E> {
        Err(Self::refuse("an integer"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SensitiveString, E> {
        Err(Self::refuse("a number"))
    }

    fn visit_char<E: serde::de::Error>(self, v: char) -> Result<SensitiveString, E> {
        Ok(SensitiveString(v.to_string()))
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<SensitiveString, E> {
        Err(Self::refuse("bytes"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<SensitiveString, E> {
        Err(Self::refuse("null"))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<SensitiveString, E> {
        Err(Self::refuse("null"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<SensitiveString, A::Error> {
        Err(Self::refuse("an array"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<SensitiveString, A::Error> {
        Err(Self::refuse("an object"))
    }
}

/// Read a required sensitive field's value into its local, in `struct_decoder!`.
pub fn put_sensitive<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<String>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value::<SensitiveString>()?.0);
    Ok(())
}

/// Read an optional sensitive field's value (`null` is `None`), in `struct_decoder!`.
pub fn put_sensitive_optional<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<String>,
) -> Result<(), A::Error> {
    *slot = map.next_value::<Option<SensitiveString>>()?.map(|s| s.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_fields_are_masked_at_any_depth_and_other_bodies_kept() {
        let masked = mask_json_fields(
            br#"{"imp_key":"k","nested":[{"imp_secret":"s"}],"amount":1}"#,
            &["imp_key", "imp_secret"],
        )
        .expect("masked");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&masked).unwrap(),
            serde_json::json!({"imp_key": "<redacted>", "nested": [{"imp_secret": "<redacted>"}], "amount": 1})
        );
        assert_eq!(mask_json_fields(br#"{"amount":1}"#, &["imp_key"]), None, "nothing to mask");
        assert_eq!(mask_json_fields(b"<html>", &["imp_key"]), None, "not JSON");
        assert_eq!(mask_json_fields(br#"{"imp_key":"k"}"#, &[]), None, "no fields");
    }

    struct Card {
        number: String,
        cvc: Option<String>,
        pin: Option<String>,
        holder: String,
    }

    impl fmt::Debug for Card {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Card")
                .field("number", &Redacted(&self.number))
                .field("cvc", &Redacted(&self.cvc))
                .field("pin", &Redacted(&self.pin))
                .field("holder", &self.holder)
                .finish()
        }
    }

    #[test]
    fn values_are_hidden_and_presence_shows() {
        let card = Card { number: "4111111111111111".into(), cvc: Some("123".into()), pin: None, holder: "Kim".into() };
        assert_eq!(
            format!("{card:?}"),
            r#"Card { number: <redacted>, cvc: Some(<redacted>), pin: None, holder: "Kim" }"#
        );
        let pretty = format!("{card:#?}");
        assert!(!pretty.contains("4111") && !pretty.contains("123"), "{pretty}");
        assert!(pretty.contains("cvc: Some(<redacted>),"), "{pretty}");
    }

    #[test]
    fn a_sensitive_field_of_the_wrong_type_is_not_quoted() {
        for json in
            ["4242424242424242", "4242424242.4242", "true", "[\"4242424242424242\"]", "{\"n\":4242424242424242}"]
        {
            let err = serde_json::from_str::<SensitiveString>(json).err().expect("not a string");
            let text = format!("{err} {err:?}");
            assert!(!text.contains("4242") && !text.contains("true"), "{json}: {text}");
            assert!(text.contains("sensitive"), "{text}");
        }
        assert_eq!(serde_json::from_str::<SensitiveString>("\"4242\"").unwrap().0, "4242");
        let value = serde_json::json!(4242424242424242u64);
        let err = serde::Deserialize::deserialize(value).map(|s: SensitiveString| s.0).unwrap_err();
        assert!(!err.to_string().contains("4242"), "{err}");
    }
}
