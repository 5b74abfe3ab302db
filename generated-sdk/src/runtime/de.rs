//! What the `Deserialize` impls of structs share. Each struct's impl is one map visitor
//! (`struct_decoder!` in `macros.rs`, called by the generated code with the struct's
//! fields): a local per field, a `match` on the key, unknown keys skipped. Compared with serde's derive it has no field enum, no sequence visitor
//! and no per-field bookkeeping of duplicates, which is most of what the SDK's compile
//! time went to.

use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::union::string_value(deserializer).map(Key)
    }
}

/// A required field's value, or serde's "missing field" error naming it.
pub(crate) fn required<T, E: serde::de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
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

    crate::runtime::struct_decoder!(Pair, "an object of type `Pair`", [id = "id"], [note = "note"]);

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
