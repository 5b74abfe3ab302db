//! Our spec folder (merged by the generator's loader) to facts, with errors sent back
//! to the file that defines the path or schema.

use super::document::{Envelope, ErrorSource, extract};
use super::facts::Facts;
use super::finish::finish;
use super::node::Node;
use crate::error::{Error, SpecError};
use crate::load::{LoadedApi, load_api};
use serde_json::Value;
use std::path::Path;

/// The facts of one API folder and its response envelope, if it declares one.
pub fn spec_facts(dir: &Path) -> Result<(Facts, Option<Envelope>), Error> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("api");
    let api = load_api(name, dir)?;
    let doc = serde_json::to_value(&api.doc).map_err(|e| SpecError {
        file: api.sources.root().to_path_buf(),
        location: "#".into(),
        message: format!("cannot read the merged document: {e}"),
    })?;
    let envelope = envelope(&api, &doc)?;
    let root = Node::root(&doc, api.sources.root());
    let extracted = extract(&root, ErrorSource::Extension, envelope.as_ref()).map_err(|e| attribute(&api, e))?;
    Ok((finish(extracted, envelope.as_ref()), envelope))
}

/// The root's `x-response-envelope`: `{schema, code, message, data}`.
fn envelope(api: &LoadedApi, doc: &Value) -> Result<Option<Envelope>, SpecError> {
    let root = Node::root(doc, api.sources.root());
    let Some(node) = root.get("x-response-envelope") else { return Ok(None) };
    let field = |key: &str| -> Result<String, SpecError> {
        node.str(key)?.map(str::to_string).ok_or_else(|| node.error(format!("x-response-envelope needs `{key}`")))
    };
    Ok(Some(Envelope {
        schema: field("schema")?,
        code: field("code")?,
        message: field("message")?,
        data: field("data")?,
    }))
}

/// Point an error in the merged document at the file that defines its path or schema.
fn attribute(api: &LoadedApi, mut error: SpecError) -> SpecError {
    let parts: Vec<String> =
        error.location.trim_start_matches("#/").split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
    error.file = match parts.as_slice() {
        [paths, path, ..] if paths == "paths" => api.sources.path_file(path).to_path_buf(),
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            api.sources.schema_file(name).to_path_buf()
        }
        _ => error.file,
    };
    error
}
