//! Schema objects (the JSON Schema subset both Swagger 2.0 and OpenAPI 3 use) to facts:
//! the type of a field or parameter, and the facts of a named schema.

use super::facts::{FieldFacts, SchemaFacts, Ty, UnionFacts};
use super::node::Node;
use super::v1_dialect;
use crate::error::SpecError;
use crate::load::extensions::key;
use serde_json::Value;
use std::collections::BTreeSet;

/// The name a local `$ref` points at (`#/components/schemas/X`, `#/definitions/X` → `X`).
pub fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The type of a schema used in place (a field, a parameter, an array item, a body).
pub fn ty_of(node: &Node<'_>) -> Result<Ty, SpecError> {
    if !node.value.is_object() {
        return Ok(Ty::Invalid(node.value.to_string()));
    }
    if let Some(reference) = node.str("$ref")? {
        return Ok(Ty::Ref(ref_name(reference).to_string()));
    }
    if let Some(single) = single_all_of_ref(node.value) {
        return Ok(Ty::Ref(ref_name(single).to_string()));
    }
    if let Some(cases) = node.get("oneOf") {
        return Ok(Ty::OneOf(cases.items()?.iter().map(ty_of).collect::<Result<_, _>>()?));
    }
    let type_name = match node.value.get("type") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => return Ok(Ty::Invalid(format!("type {other}"))),
    };
    if let Some(values) = v1_dialect::enum_values(node)? {
        return Ok(Ty::Enum { name: type_name.unwrap_or("string").to_string(), values: values.into_iter().collect() });
    }
    if node.value.get("enum").is_some() {
        let values: BTreeSet<String> = node.strings("enum")?.into_iter().collect();
        return Ok(Ty::Enum { name: type_name.unwrap_or("string").to_string(), values });
    }
    match type_name {
        Some("array") => Ok(Ty::Array(Box::new(node.get("items").map(|i| ty_of(&i)).transpose()?.unwrap_or(Ty::None)))),
        Some("object") | None if is_object_like(node.value) => match node.get("additionalProperties") {
            Some(value) if value.value.is_object() => Ok(Ty::Map(Box::new(ty_of(&value)?))),
            _ => {
                let mut facts = SchemaFacts::default();
                collect_fields(node, &mut facts, &mut Vec::new())?;
                Ok(Ty::Object(facts.fields))
            }
        },
        Some(name) => Ok(Ty::Scalar { name: name.to_string(), format: node.str("format")?.map(str::to_string) }),
        None => Ok(Ty::None),
    }
}

fn is_object_like(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("object")
        || value.get("properties").is_some()
        || value.get("allOf").is_some()
        || value.get("additionalProperties").is_some()
}

/// `allOf: [{$ref: X}]` (a reference with its own description) is a reference to X.
fn single_all_of_ref(value: &Value) -> Option<&str> {
    match value.get("allOf")?.as_array()?.as_slice() {
        [only] => only.get("$ref")?.as_str(),
        _ => None,
    }
}

/// A named schema's own facts, and the schemas its `allOf` includes (flattened later).
pub fn schema_facts(node: &Node<'_>) -> Result<(SchemaFacts, Vec<String>), SpecError> {
    if !node.value.is_object() {
        return Err(node.error("a schema must be an object"));
    }
    let mut facts = SchemaFacts {
        deprecated: node.flag("deprecated")?,
        unstable: node.flag(key::UNSTABLE)?,
        ..SchemaFacts::default()
    };
    let mut includes = Vec::new();
    collect_fields(node, &mut facts, &mut includes)?;
    facts.enum_values = node.strings("enum")?.into_iter().collect();
    if let Some(values) = v1_dialect::enum_values(node)? {
        facts.enum_values = values.into_iter().collect();
    }
    if let Some(cases) = node.get("oneOf") {
        facts.union = Some(union_facts(node, &cases)?);
    }
    facts.shape = if facts.union.is_some() {
        "union".into()
    } else if !facts.enum_values.is_empty() {
        "enum".into()
    } else {
        match ty_of(node)? {
            Ty::Object(_) => "object".into(),
            other => other.to_string(),
        }
    };
    Ok((facts, includes))
}

fn collect_fields(node: &Node<'_>, facts: &mut SchemaFacts, includes: &mut Vec<String>) -> Result<(), SpecError> {
    let required: BTreeSet<String> = node.strings("required")?.into_iter().collect();
    if let Some(props) = node.get("properties") {
        for (name, prop) in props.members()? {
            facts.fields.insert(name.to_string(), field_facts(&prop, required.contains(name))?);
        }
    }
    if let Some(parts) = node.get("allOf") {
        if single_all_of_ref(node.value).is_none() {
            for part in parts.items()? {
                match part.str("$ref")? {
                    Some(reference) => includes.push(ref_name(reference).to_string()),
                    None => collect_fields(&part, facts, includes)?,
                }
            }
        }
    }
    Ok(())
}

/// Facts of one property (or form parameter) given whether it is required.
pub fn field_facts(node: &Node<'_>, required: bool) -> Result<FieldFacts, SpecError> {
    let marks = node.value.is_object();
    Ok(FieldFacts {
        ty: ty_of(node)?,
        required,
        nullable: marks && (node.flag("nullable")? || node.flag(v1_dialect::key::NULLABLE)?),
        deprecated: marks && node.flag("deprecated")?,
    })
}

fn union_facts(node: &Node<'_>, cases: &Node<'_>) -> Result<UnionFacts, SpecError> {
    let mut union = UnionFacts::default();
    let mut mapped = BTreeSet::new();
    if let Some(discriminator) = node.get("discriminator") {
        union.property = discriminator.str("propertyName")?.map(str::to_string);
        if let Some(mapping) = discriminator.get("mapping") {
            for (tag, target) in mapping.members()? {
                let Some(target) = target.value.as_str() else {
                    return Err(target.error("a mapping target must be a string"));
                };
                mapped.insert(ref_name(target).to_string());
                union.mapping.insert(tag.to_string(), ref_name(target).to_string());
            }
        }
    }
    // Cases the mapping leaves out are tagged with their schema name.
    for case in cases.items()? {
        if let Some(reference) = case.str("$ref")? {
            let name = ref_name(reference);
            if !mapped.contains(name) {
                union.mapping.insert(name.to_string(), name.to_string());
            }
        }
    }
    Ok(union)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn ty(value: serde_json::Value) -> Ty {
        ty_of(&Node::root(&value, Path::new("t"))).unwrap()
    }

    #[test]
    fn types_of_fields() {
        assert_eq!(ty(json!({"$ref": "#/definitions/A"})), Ty::Ref("A".into()));
        assert_eq!(ty(json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "x"})), Ty::Ref("B".into()));
        assert_eq!(ty(json!({"type": "array", "items": "string"})).to_string(), "array of not a schema: \"string\"");
        assert_eq!(
            ty(json!({"type": "object", "additionalProperties": {"type": "integer"}})).to_string(),
            "map of integer"
        );
        assert_eq!(ty(json!({"type": "string", "enum": ["b", "a"]})).to_string(), "string enum [a, b]");
        assert_eq!(ty(json!({"description": "anything"})), Ty::None);
    }

    #[test]
    fn unions_tag_unmapped_cases_by_name() {
        let value = json!({
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "type", "mapping": {"a": "#/components/schemas/A"}}
        });
        let (facts, _) = schema_facts(&Node::root(&value, Path::new("t"))).unwrap();
        let union = facts.union.unwrap();
        assert_eq!(union.property.as_deref(), Some("type"));
        assert_eq!(union.mapping.into_iter().collect::<Vec<_>>(), [("B".into(), "B".into()), ("a".into(), "A".into())]);
    }

    #[test]
    fn all_of_collects_fields_and_includes() {
        let value = json!({
            "allOf": [{"$ref": "#/definitions/Base"}, {"properties": {"x": {"type": "integer"}}, "required": ["x"]}]
        });
        let (facts, includes) = schema_facts(&Node::root(&value, Path::new("t"))).unwrap();
        assert_eq!(includes, ["Base"]);
        assert!(facts.fields["x"].required);
        assert_eq!(facts.shape, "object");
    }
}
