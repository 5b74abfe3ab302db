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
}
