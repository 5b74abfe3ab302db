//! PortOne's V1 extensions, as its Swagger 2.0 description writes them, typed for the
//! spec-diff reader. Only `x-portone-enum` carries a fact the comparison uses (the values
//! of a string the description lists nowhere else); the others are prose or per-PG notes
//! our spec does not model, and are checked for their shape so that a changed shape is
//! noticed when the facts are refreshed. Keys this module does not know are ignored.

use super::node::Node;
use crate::error::SpecError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The V1 keys.
pub mod key {
    pub const NAME: &str = "x-portone-name";
    pub const DESCRIPTION: &str = "x-portone-description";
    pub const SUMMARY: &str = "x-portone-summary";
    pub const PER_PG: &str = "x-portone-per-pg";
    pub const SUPPORTED_PGS: &str = "x-portone-supported-pgs";
    /// The same key, spelled with an underscore in a few places.
    pub const SUPPORTED_PGS_UNDERSCORE: &str = "x-portone-supported_pgs";
    pub const UNSUPPORTED_PGS: &str = "x-portone-unsupported-pgs";
    pub const ENUM: &str = "x-portone-enum";
    pub const CATEGORY: &str = "x-portone-category";
    pub const CATEGORIES: &str = "x-portone-categories";
    /// Swagger 2.0's vendor mark for a field that may be null.
    pub const NULLABLE: &str = "x-nullable";
}

/// The V1 extensions of one object (the root, an operation, a parameter, a schema or a
/// property); every other member is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct V1Keys {
    /// A short display name of a field or parameter.
    #[serde(rename = "x-portone-name")]
    pub name: Option<String>,
    #[serde(rename = "x-portone-description")]
    pub description: Option<String>,
    #[serde(rename = "x-portone-summary")]
    pub summary: Option<String>,
    /// Notes per PG (payment gateway) code, some saying the field is required with it.
    #[serde(rename = "x-portone-per-pg")]
    pub per_pg: Option<BTreeMap<String, PerPg>>,
    /// PG codes the operation or field works with; V1 spells the key two ways.
    #[serde(rename = "x-portone-supported-pgs", alias = "x-portone-supported_pgs")]
    pub supported_pgs: Option<Vec<String>>,
    #[serde(rename = "x-portone-unsupported-pgs")]
    pub unsupported_pgs: Option<Vec<String>>,
    /// The values of a string that has no `enum` of its own.
    #[serde(rename = "x-portone-enum")]
    pub enum_values: Option<Vec<String>>,
    #[serde(rename = "x-portone-category")]
    pub category: Option<String>,
    #[serde(rename = "x-portone-categories")]
    pub categories: Option<Vec<Category>>,
}

/// One PG's note: its flags, or (in one place) the note alone as text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PerPg {
    Flags(PerPgFlags),
    Text(String),
}

/// A PG's flags; misspelled keys in the description (`requiqred`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PerPgFlags {
    /// Whether the field is required when paying through this PG.
    pub required: Option<bool>,
    pub description: Option<String>,
}

/// A category of operations, with its children.
#[derive(Debug, Deserialize)]
pub struct Category {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub children: Vec<Category>,
}

impl V1Keys {
    /// Decode the V1 keys of `node`, if it is an object that has any.
    pub fn of(node: &Node<'_>) -> Result<Option<V1Keys>, SpecError> {
        let Some(map) = node.value.as_object() else { return Ok(None) };
        if !map.keys().any(|k| k.starts_with("x-portone-")) {
            return Ok(None);
        }
        let keys = [
            key::NAME,
            key::DESCRIPTION,
            key::SUMMARY,
            key::PER_PG,
            key::SUPPORTED_PGS,
            key::SUPPORTED_PGS_UNDERSCORE,
            key::UNSUPPORTED_PGS,
            key::ENUM,
            key::CATEGORY,
            key::CATEGORIES,
        ];
        let ours: serde_json::Map<String, Value> =
            map.iter().filter(|(k, _)| keys.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        serde_path_to_error::deserialize(Value::Object(ours)).map(Some).map_err(|e| {
            let path = e.path().to_string().replace('.', "/");
            SpecError {
                file: node.file.to_path_buf(),
                location: format!("{}/{path}", node.pointer()),
                message: e.into_inner().to_string(),
            }
        })
    }
}

/// Decode the V1 keys of every object of a Swagger 2.0 document; a key of the wrong
/// shape is an error at its pointer.
pub fn check(node: &Node<'_>) -> Result<(), SpecError> {
    V1Keys::of(node)?;
    match node.value {
        Value::Object(_) => node.members()?.iter().try_for_each(|(_, child)| check(child)),
        Value::Array(_) => node.items()?.iter().try_for_each(check),
        _ => Ok(()),
    }
}

/// The values V1's `x-portone-enum` lists for a schema without `enum`.
pub fn enum_values(node: &Node<'_>) -> Result<Option<Vec<String>>, SpecError> {
    if node.value.get("enum").is_some() || !node.value.get(key::ENUM).is_some_and(Value::is_array) {
        return Ok(None);
    }
    Ok(V1Keys::of(node)?.and_then(|keys| keys.enum_values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn every_shape_decodes_and_unknown_keys_are_ignored() {
        let value = json!({
            "type": "string",
            "x-portone-name": "PG code",
            "x-portone-summary": "<p>x</p>",
            "x-portone-per-pg": {
                "kcp": {"required": true, "description": "needed"},
                "nice": {"requiqred": true},
                "ksnet": "a note"
            },
            "x-portone-supported_pgs": ["kcp"],
            "x-portone-unsupported-pgs": ["nice"],
            "x-portone-enum": ["A", "B"],
            "x-portone-something-new": {"any": "thing"}
        });
        let keys = V1Keys::of(&Node::root(&value, Path::new("v1.json"))).unwrap().unwrap();
        let per_pg = keys.per_pg.unwrap();
        assert!(matches!(&per_pg["kcp"], PerPg::Flags(PerPgFlags { required: Some(true), .. })));
        assert!(matches!(&per_pg["nice"], PerPg::Flags(PerPgFlags { required: None, .. })));
        assert!(matches!(&per_pg["ksnet"], PerPg::Text(_)));
        assert_eq!(keys.supported_pgs.unwrap(), ["kcp"]);
        assert_eq!(keys.enum_values.unwrap(), ["A", "B"]);
        let root = json!({"x-portone-categories": [{"id": "payment", "children": [{"id": "payment.validation"}]}]});
        let keys = V1Keys::of(&Node::root(&root, Path::new("v1.json"))).unwrap().unwrap();
        assert_eq!(keys.categories.unwrap()[0].children[0].id, "payment.validation");
    }

    #[test]
    fn a_wrong_shape_is_an_error_at_its_pointer() {
        let value = json!({"paths": {"/a": {"post": {"x-portone-supported-pgs": "kcp"}}}});
        let err = check(&Node::root(&value, Path::new("v1.json"))).unwrap_err();
        assert_eq!(err.location, "#/paths/~1a/post/x-portone-supported-pgs");
    }

    #[test]
    fn enum_values_only_where_no_enum_is_given() {
        let listed = json!({"type": "string", "x-portone-enum": ["B", "A"]});
        let values = enum_values(&Node::root(&listed, Path::new("v1.json"))).unwrap();
        assert_eq!(values.unwrap(), ["B", "A"]);
        let both = json!({"type": "string", "enum": ["A"], "x-portone-enum": ["A", "B"]});
        assert!(enum_values(&Node::root(&both, Path::new("v1.json"))).unwrap().is_none());
        let v2_shape = json!({"type": "string", "x-portone-enum": {"A": {"title": "a"}}});
        assert!(enum_values(&Node::root(&v2_shape, Path::new("v2.json"))).unwrap().is_none());
    }
}
