//! Passes over one side's extracted facts that need every schema: flattening `allOf`,
//! unwrapping response envelopes, filling named bodies' fields, and turning error
//! schemas into error tags.

use super::document::{Envelope, Extracted};
use super::facts::{Facts, FieldFacts, SchemaFacts, Ty};
use std::collections::{BTreeMap, BTreeSet};

/// The finished facts of one side.
pub fn finish(extracted: Extracted, envelope: Option<&Envelope>) -> Facts {
    let Extracted { mut facts, includes, error_refs } = extracted;
    let flattened: Vec<(String, BTreeMap<String, FieldFacts>)> = includes
        .keys()
        .map(|name| {
            let mut fields = BTreeMap::new();
            collect_included(name, &facts.schemas, &includes, &mut BTreeSet::new(), &mut fields);
            (name.clone(), fields)
        })
        .collect();
    for (name, fields) in flattened {
        if let Some(schema) = facts.schemas.get_mut(&name) {
            schema.fields = fields;
            schema.shape = "object".into();
        }
    }
    let schemas = &facts.schemas;
    for op in facts.operations.values_mut() {
        if let Some(envelope) = envelope {
            for ty in op.responses.values_mut() {
                if let Some(data) = envelope_data(ty, envelope, schemas, &includes) {
                    *ty = Ty::Envelope(Box::new(data));
                }
            }
        }
        if let Some(body) = &mut op.body {
            if let Some(schema) = body.schema.as_ref().and_then(|name| schemas.get(name)) {
                body.fields = schema.fields.clone();
            }
        }
    }
    for (key, refs) in error_refs {
        let Some(op) = facts.operations.get_mut(&key) else { continue };
        for name in refs {
            match facts.schemas.get(&name).and_then(|s| s.union.as_ref()) {
                Some(union) => op.errors.extend(union.mapping.keys().cloned()),
                None => {
                    op.errors.insert(name);
                }
            }
        }
    }
    facts
}

/// A schema's fields with those of the schemas it includes (its own win).
fn collect_included(
    name: &str,
    schemas: &BTreeMap<String, SchemaFacts>,
    includes: &BTreeMap<String, Vec<String>>,
    seen: &mut BTreeSet<String>,
    out: &mut BTreeMap<String, FieldFacts>,
) {
    if !seen.insert(name.to_string()) {
        return;
    }
    if let Some(schema) = schemas.get(name) {
        for (field, facts) in &schema.fields {
            out.insert(field.clone(), facts.clone());
        }
    }
    for included in includes.get(name).into_iter().flatten() {
        let mut theirs = BTreeMap::new();
        collect_included(included, schemas, includes, seen, &mut theirs);
        for (field, facts) in theirs {
            out.entry(field).or_insert(facts);
        }
    }
}

/// The data type when `ty` names an envelope schema.
fn envelope_data(
    ty: &Ty,
    envelope: &Envelope,
    schemas: &BTreeMap<String, SchemaFacts>,
    includes: &BTreeMap<String, Vec<String>>,
) -> Option<Ty> {
    let Ty::Ref(name) = ty else { return None };
    let schema = schemas.get(name)?;
    let wraps = name == &envelope.schema
        || includes.get(name).is_some_and(|i| i.contains(&envelope.schema))
        || (schema.fields.contains_key(&envelope.code) && schema.fields.contains_key(&envelope.message));
    wraps.then(|| schema.fields.get(&envelope.data).map(|f| f.ty.clone()).unwrap_or(Ty::None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::document::{ErrorSource, extract};
    use crate::diff::node::Node;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn envelopes_unwrap_and_all_of_flattens() {
        let doc = json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/AResponse"}}}}}},
            "definitions": {
                "Envelope": {"properties": {"code": {"type": "integer"}, "message": {"type": "string"}}},
                "AResponse": {"allOf": [
                    {"$ref": "#/definitions/Envelope"},
                    {"properties": {"response": {"$ref": "#/definitions/A"}}}
                ]},
                "A": {"properties": {"x": {"type": "string"}}}
            }
        });
        let envelope = Envelope {
            schema: "Envelope".into(),
            code: "code".into(),
            message: "message".into(),
            data: "response".into(),
        };
        let extracted = extract(&Node::root(&doc, Path::new("d")), ErrorSource::Responses, Some(&envelope)).unwrap();
        let facts = finish(extracted, Some(&envelope));
        let op = facts.operations.values().next().unwrap();
        assert_eq!(op.responses["200"].to_string(), "envelope of A");
        let fields: Vec<&String> = facts.schemas["AResponse"].fields.keys().collect();
        assert_eq!(fields, ["code", "message", "response"]);
    }

    #[test]
    fn error_schemas_become_tags() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {
                "200": {"description": "ok"},
                "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/GetAError"}}}}
            }}}},
            "components": {"schemas": {
                "GetAError": {
                    "oneOf": [{"$ref": "#/components/schemas/NotFound"}],
                    "discriminator": {"propertyName": "type", "mapping": {"NOT_FOUND": "#/components/schemas/NotFound"}}
                },
                "NotFound": {"properties": {"type": {"type": "string"}}}
            }}
        });
        let extracted = extract(&Node::root(&doc, Path::new("d")), ErrorSource::Responses, None).unwrap();
        let facts = finish(extracted, None);
        let op = facts.operations.values().next().unwrap();
        assert_eq!(op.errors.iter().collect::<Vec<_>>(), ["NOT_FOUND"]);
    }
}
