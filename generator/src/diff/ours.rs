//! Our spec folder (merged by the generator's loader) to facts, with errors sent back
//! to the file that defines the path or schema.

use super::document::{Envelope, ErrorSource, extract};
use super::facts::Facts;
use super::finish::finish;
use super::node::Node;
use crate::error::{Error, Pointer, SpecError};
use crate::load::extensions::{RootExtensions, key};
use crate::load::{LoadedApi, load_api};
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
    let envelope = envelope(&api)?;
    let root = Node::root(&doc, api.sources.root());
    let extracted = extract(&root, ErrorSource::Extension, envelope.as_ref()).map_err(|e| attribute(&api, e))?;
    Ok((finish(extracted, envelope.as_ref()), envelope))
}

/// The root's `x-response-envelope`, decoded as the generator decodes it.
fn envelope(api: &LoadedApi) -> Result<Option<Envelope>, SpecError> {
    let (root, errors) = RootExtensions::decode(&api.doc.extensions, &Pointer::root());
    // Only the envelope matters here; other root extensions are the generator's to check.
    let at = Pointer::root().join(key::RESPONSE_ENVELOPE).to_string();
    let ours = |p: String| p == at || p.starts_with(&format!("{at}/"));
    if let Some(e) = errors.into_iter().find(|e| ours(e.pointer.to_string())) {
        return Err(SpecError::at(api.sources.root(), &e.pointer, e.message));
    }
    Ok(root.response_envelope.map(|e| Envelope { schema: e.schema, code: e.code, message: e.message, data: e.data }))
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
