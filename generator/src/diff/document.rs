//! One description (Swagger 2.0 or OpenAPI 3) to its facts, before the passes of
//! `finish.rs` that need every schema (allOf, envelopes, body fields, error tags).

use super::facts::{BodyFacts, Facts, FieldFacts, OpFacts, OpKey, ParamFacts, Ty};
use super::node::Node;
use super::schema::{field_facts, ref_name, schema_facts, ty_of};
use crate::error::SpecError;
use crate::load::extensions::key;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// Where an operation's error types are read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorSource {
    /// Our spec: the operation's `x-portone-error` (its responses when it has none).
    Extension,
    /// A published description: the schemas of the non-2xx responses.
    Responses,
}

/// The response envelope of an API (`x-response-envelope` of our root document).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub schema: String,
    pub code: String,
    pub message: String,
    pub data: String,
}

/// Facts of one document, with what the later passes still have to resolve.
#[derive(Debug, Default)]
pub struct Extracted {
    pub facts: Facts,
    /// Schema → the schemas its `allOf` includes.
    pub includes: BTreeMap<String, Vec<String>>,
    /// Operation → the schemas its errors are read from.
    pub error_refs: BTreeMap<OpKey, BTreeSet<String>>,
}

/// Read the facts of a whole document.
pub fn extract(root: &Node<'_>, errors: ErrorSource, envelope: Option<&Envelope>) -> Result<Extracted, SpecError> {
    if !root.value.is_object() {
        return Err(root.error("expected an API description (an object with `paths`)"));
    }
    let swagger2 = root.value.get("swagger").is_some();
    if swagger2 {
        super::v1_dialect::check(root)?;
    }
    let mut out = Extracted::default();
    let schemas =
        if swagger2 { root.get("definitions") } else { root.get("components").and_then(|c| c.get("schemas")) };
    if let Some(schemas) = schemas {
        for (name, schema) in schemas.members()? {
            let (facts, includes) = schema_facts(&schema)?;
            out.facts.schemas.insert(name.to_string(), facts);
            if !includes.is_empty() {
                out.includes.insert(name.to_string(), includes);
            }
        }
    }
    let reader = OpReader { root, swagger2, errors, envelope };
    if let Some(paths) = root.get("paths") {
        for (path, item) in paths.members()? {
            if !item.value.is_object() {
                return Err(item.error("a path item must be an object"));
            }
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    reader.operation(path, method, &item, &op, &mut out)?;
                }
            }
        }
    }
    Ok(out)
}

struct OpReader<'e, 'a> {
    /// The document, for parameters, bodies and responses given by `$ref`.
    root: &'e Node<'a>,
    swagger2: bool,
    errors: ErrorSource,
    envelope: Option<&'e Envelope>,
}

impl<'a> OpReader<'_, 'a> {
    fn operation(
        &self,
        path: &str,
        method: &str,
        item: &Node<'_>,
        op: &Node<'_>,
        out: &mut Extracted,
    ) -> Result<(), SpecError> {
        if !op.value.is_object() {
            return Err(op.error("an operation must be an object"));
        }
        let key = OpKey::new(method, path);
        let mut facts = OpFacts {
            path: path.to_string(),
            operation_id: op.str("operationId")?.map(str::to_string),
            unstable: op.flag(key::UNSTABLE)?,
            deprecated: op.flag("deprecated")?,
            ..OpFacts::default()
        };
        let mut form = BTreeMap::new();
        // Path-level parameters first; the operation's own replace those of the same name.
        for holder in [item, op] {
            if let Some(params) = holder.get("parameters") {
                for param in params.items()? {
                    self.parameter(path, &resolve(self.root, param)?, &mut facts, &mut form)?;
                }
            }
        }
        if !form.is_empty() {
            facts.body = Some(BodyFacts { required: None, schema: None, fields: form });
        }
        if !self.swagger2 {
            if let Some(body) = op.get("requestBody") {
                facts.body = Some(request_body(&resolve(self.root, body)?)?);
            }
        }
        let mut error_refs = BTreeSet::new();
        if let Some(responses) = op.get("responses") {
            for (status, response) in responses.members()? {
                let ty = self.response_ty(&resolve(self.root, response)?)?;
                if let (false, Ty::Ref(name)) = (status.starts_with('2'), &ty) {
                    error_refs.insert(name.clone());
                }
                facts.responses.insert(status.to_string(), ty);
            }
        }
        if self.errors == ErrorSource::Extension {
            if let Some(reference) = op.get(key::ERROR).map(|e| e.str("$ref")).transpose()?.flatten() {
                error_refs = BTreeSet::from([ref_name(reference).to_string()]);
            }
        }
        if !error_refs.is_empty() {
            out.error_refs.insert(key.clone(), error_refs);
        }
        if let Some(first) = out.facts.operations.get(&key) {
            let message = format!("{} {path} is the same operation as {} {}", key.method, key.method, first.path);
            return Err(op.error(message));
        }
        out.facts.operations.insert(key, facts);
        Ok(())
    }

    fn parameter(
        &self,
        path: &str,
        param: &Node<'_>,
        facts: &mut OpFacts,
        form: &mut BTreeMap<String, FieldFacts>,
    ) -> Result<(), SpecError> {
        let Some(name) = param.str("name")? else { return Err(param.error("a parameter needs a name")) };
        let Some(location) = param.str("in")? else { return Err(param.error("a parameter needs `in`")) };
        let required = param.flag("required")?;
        // Swagger 2.0 types a non-body parameter in place; OpenAPI 3 (and a Swagger
        // parameter that has only a schema) through `schema`.
        let ty = if self.swagger2 && param.value.get("type").is_some() {
            ty_of(param)?
        } else {
            param.get("schema").map(|s| ty_of(&s)).transpose()?.unwrap_or(Ty::None)
        };
        match location {
            "formData" => {
                let mut field = field_facts(param, required)?;
                field.ty = ty;
                form.insert(name.to_string(), field);
            }
            "body" => {
                let schema = if let Ty::Ref(name) = &ty { Some(name.clone()) } else { None };
                let fields = match (&schema, param.get("schema")) {
                    (None, Some(inline)) => schema_facts(&inline)?.0.fields,
                    _ => BTreeMap::new(),
                };
                facts.body = Some(BodyFacts { required: Some(required), schema, fields });
            }
            _ => {
                let key = if location == "path" { path_slot(path, name) } else { name.to_string() };
                let deprecated = param.flag("deprecated")?;
                facts.params.insert((location.to_string(), key), ParamFacts { required, ty, deprecated });
            }
        }
        Ok(())
    }

    fn response_ty(&self, response: &Node<'_>) -> Result<Ty, SpecError> {
        let schema = if self.swagger2 { response.get("schema") } else { media_schema(response) };
        let Some(schema) = schema else { return Ok(Ty::None) };
        if let Some(envelope) = self.envelope {
            if let Some(data) = inline_envelope(&schema, envelope)? {
                return Ok(Ty::Envelope(Box::new(data)));
            }
        }
        ty_of(&schema)
    }
}

/// Follow a local `$ref` (`#/components/parameters/X`, `#/parameters/X`, ...) to what it
/// names; anything else is returned as it is.
fn resolve<'a>(root: &Node<'a>, mut node: Node<'a>) -> Result<Node<'a>, SpecError> {
    // A chain of references longer than this is a loop.
    for _ in 0..16 {
        let Some(reference) = node.str("$ref")? else { return Ok(node) };
        let Some(pointer) = reference.strip_prefix("#/") else {
            return Err(node.error(format!("{reference}: only references inside the document are supported")));
        };
        let mut target = Some(root.clone());
        for segment in pointer.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            target = target.and_then(|t| t.get(&segment));
        }
        node = target.ok_or_else(|| node.error(format!("{reference} names nothing in the document")))?;
    }
    Err(node.error("references refer to each other in a loop"))
}

fn request_body(body: &Node<'_>) -> Result<BodyFacts, SpecError> {
    let required = Some(body.flag("required")?);
    let Some(schema) = media_schema(body) else { return Ok(BodyFacts { required, ..BodyFacts::default() }) };
    Ok(match ty_of(&schema)? {
        Ty::Ref(name) => BodyFacts { required, schema: Some(name), fields: BTreeMap::new() },
        _ => BodyFacts { required, schema: None, fields: schema_facts(&schema)?.0.fields },
    })
}

/// The schema of a request body's or response's content: JSON's, else the first one's.
fn media_schema<'a>(node: &Node<'a>) -> Option<Node<'a>> {
    let content = node.get("content")?;
    let map = content.value.as_object()?;
    let media = if map.contains_key("application/json") { "application/json" } else { map.keys().min()? };
    content.get(media)?.get("schema")
}

/// `{path}` parameters are keyed by position, so that a renamed one still matches.
fn path_slot(path: &str, name: &str) -> String {
    let names: Vec<&str> = path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
    match names.iter().position(|n| *n == name) {
        Some(i) => format!("{{{i}}}"),
        None => name.to_string(),
    }
}

/// The data type of an envelope written in place: `allOf` with the envelope schema, or
/// an object with the envelope's code and message fields.
fn inline_envelope(schema: &Node<'_>, envelope: &Envelope) -> Result<Option<Ty>, SpecError> {
    let value = schema.value;
    let includes_envelope = value.get("allOf").and_then(|a| a.as_array()).is_some_and(|parts| {
        parts.iter().any(|p| p.get("$ref").and_then(|r| r.as_str()).map(ref_name) == Some(envelope.schema.as_str()))
    });
    let props = value.get("properties").and_then(|p| p.as_object());
    let has_code_and_message =
        props.is_some_and(|p| p.contains_key(&envelope.code) && p.contains_key(&envelope.message));
    if !includes_envelope && !has_code_and_message {
        return Ok(None);
    }
    let (facts, _) = schema_facts(schema)?;
    Ok(Some(facts.fields.get(&envelope.data).map(|f| f.ty.clone()).unwrap_or(Ty::None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_bodies_and_responses_may_be_references() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"post": {
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "requestBody": {"$ref": "#/components/requestBodies/Body"},
                "responses": {"200": {"$ref": "#/components/responses/Ok"}}
            }}},
            "components": {
                "parameters": {
                    "Limit": {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer"}}
                },
                "requestBodies": {
                    "Body": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}}
                },
                "responses": {
                    "Ok": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}
                }
            }
        });
        let file = std::path::Path::new("d.json");
        let out = extract(&Node::root(&doc, file), ErrorSource::Responses, None).unwrap();
        let op = out.facts.operations.values().next().unwrap();
        assert!(op.params[&("query".to_string(), "limit".to_string())].required);
        assert_eq!(op.body.as_ref().and_then(|b| b.schema.as_deref()), Some("B"));
        assert_eq!(op.responses["200"].to_string(), "string");

        let dangling = serde_json::json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/nowhere"}]}}}});
        let err = extract(&Node::root(&dangling, file), ErrorSource::Responses, None).unwrap_err();
        assert_eq!(err.location, "#/paths/~1a/get/parameters/0");
        let looped =
            serde_json::json!({"x": {"$ref": "#/x"}, "paths": {"/a": {"get": {"parameters": [{"$ref": "#/x"}]}}}});
        assert!(extract(&Node::root(&looped, file), ErrorSource::Responses, None).is_err());
    }

    #[test]
    fn path_parameters_are_keyed_by_position() {
        assert_eq!(path_slot("/a/{x}/b/{y}", "y"), "{1}");
        assert_eq!(path_slot("/a/{x}/b/{y}", "x"), "{0}");
        assert_eq!(path_slot("/a/{x}", "z"), "z");
    }
}
