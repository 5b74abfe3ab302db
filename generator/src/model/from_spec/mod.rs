//! Build the model from a loaded document: names first, then types, then operations,
//! then the passes that need the whole picture (tag fields, boxing, modules).

mod api;
mod finish;
mod layout;
mod operations;
mod pagination;
mod rules;
mod schemas;
mod types;

pub(crate) use finish::share_fields;

use super::Api;
use crate::error::{Pointer, SpecError, SpecWarning};
use crate::load::LoadedApi;
use crate::load::extensions::{ExtensionError, RootExtensions, Severity, key};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Build the model of one loaded API, or every problem found on the way.
pub fn build(api: &LoadedApi) -> Result<Api, Vec<SpecError>> {
    let (root, root_errors) = RootExtensions::decode(&api.doc.extensions, &Pointer::root());
    let mut cx = Cx {
        api,
        errors: Vec::new(),
        warnings: Vec::new(),
        type_names: BTreeMap::new(),
        rust_names: BTreeMap::new(),
        inline_types: Vec::new(),
        inline_names: BTreeMap::new(),
        envelope: api::envelope(&root),
        root,
        envelopes: Default::default(),
    };
    cx.root_extension_errors(root_errors);
    cx.name_types();
    cx.envelopes = schemas::envelope_schemas(&cx);
    let types = schemas::build_types(&mut cx);
    let header = api::build_header(&mut cx);
    let declared = header.as_ref().map(|(_, categories)| categories.as_slice()).unwrap_or_default();
    let operations = operations::build_operations(&mut cx, &types, declared);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let Some((header, categories)) = header else { return Err(cx.errors) };
    let mut model = Api {
        module: api.name.clone(),
        title: header.title,
        docs: header.docs,
        version: header.version,
        base_url: header.base_url,
        auth: header.auth,
        client_defaults: header.client_defaults,
        categories,
        default_features: Vec::new(),
        idempotency_header: header.idempotency_header,
        retryable_error_types: header.retryable_error_types,
        operations,
        types,
        operation_modules: Vec::new(),
        type_modules: Vec::new(),
        raw_error: super::ErrorType::Untyped,
        feature: header.feature,
        envelope: header.envelope.map(|(e, _)| e),
        warnings: Vec::new(),
    };
    token_operation(&mut cx, &mut model);
    finish::finish(&mut cx, &mut model);
    // Each default feature must be the feature of a top-level category with operations.
    for (id, pointer) in header.default_features {
        match layout::category_feature(&id) {
            Some(f) if model.operations.iter().any(|o| o.feature.as_deref() == Some(f.as_str())) => {
                model.default_features.push(f)
            }
            _ => cx.root_error(&pointer, format!("{id:?} is not a top-level category with operations")),
        }
    }
    cx.warnings.sort();
    model.warnings = cx.warnings;
    if cx.errors.is_empty() { Ok(model) } else { Err(cx.errors) }
}

/// Shared state while building: the document, the errors so far, and the Rust name
/// of every schema.
pub(crate) struct Cx<'a> {
    pub api: &'a LoadedApi,
    pub errors: Vec<SpecError>,
    /// What was decided where the spec was silent.
    pub warnings: Vec<SpecWarning>,
    /// Schema name → Rust type name.
    pub type_names: BTreeMap<String, String>,
    /// Rust type name → schema name (the inverse of `type_names`).
    pub rust_names: BTreeMap<String, String>,
    /// Types made from inline objects so far.
    pub inline_types: Vec<super::TypeDef>,
    /// Rust name of each of those → where its object is (file, pointer).
    pub inline_names: BTreeMap<String, (PathBuf, Pointer)>,
    /// The extensions of the document root.
    pub root: RootExtensions,
    /// The response envelope (`x-response-envelope`) and the name of its schema.
    pub envelope: Option<(super::Envelope, String)>,
    /// Envelope schemas, which only operation responses may name.
    pub envelopes: std::collections::BTreeSet<String>,
}

/// Find the operations `x-token-auth` names: each must be a POST whose body has the
/// fields the client sends (the credentials, or the refresh token). They are sent
/// without credentials whether or not the spec says `security: []`: PortOne's published
/// descriptions leave it out, and a token operation cannot need the token it issues.
fn token_operation(cx: &mut Cx<'_>, api: &mut Api) {
    let Some(token) = api.auth.tokens() else { return };
    let ids: Vec<String> =
        std::iter::once(token.operation.clone()).chain(token.refresh.as_ref().map(|r| r.operation.clone())).collect();
    for op in api.operations.iter_mut().filter(|o| ids.contains(&o.id)) {
        op.authenticated = false;
    }
    let Some(token) = api.auth.tokens() else { return };
    let at = Pointer::root().join(key::TOKEN_AUTH);
    let credentials: Vec<&str> = token.credentials.iter().map(|(wire, _)| wire.as_str()).collect();
    let path = token_endpoint(cx, api, &token.operation, &credentials, &at.join("operation"), &at.join("credentials"));
    let refresh = token.refresh.as_ref().map(|r| {
        let here = at.join("refresh");
        token_endpoint(cx, api, &r.operation, &[r.field.as_str()], &here.join("operation"), &here.join("token"))
    });
    let Some(token) = api.auth.tokens_mut() else { return };
    token.path = path.unwrap_or_default();
    if let (Some(r), Some(path)) = (token.refresh.as_mut(), refresh.flatten()) {
        r.path = path;
    }
}

/// The path of token operation `id`, checked to be a POST whose body has `fields`.
fn token_endpoint(
    cx: &mut Cx<'_>,
    api: &Api,
    id: &str,
    fields: &[&str],
    op_pointer: &Pointer,
    fields_pointer: &Pointer,
) -> Option<String> {
    let Some(op) = api.operations.iter().find(|o| o.id == id) else {
        cx.root_error(op_pointer, format!("no operation {id:?}"));
        return None;
    };
    if op.method != super::Method::Post {
        cx.root_error(op_pointer, format!("{} must be a POST", op.id));
    }
    let body_fields: Vec<&str> = match op.body.as_ref().map(|b| &b.ty) {
        Some(super::TypeRef::Named(n)) => match api.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
            Some(super::TypeKind::Struct(s)) => s.fields.iter().map(|f| f.wire_name.as_str()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for wire in fields {
        if !body_fields.contains(wire) {
            cx.root_error(fields_pointer, format!("{wire:?} is not a body field of {}", op.id));
        }
    }
    Some(op.path.clone())
}

impl Cx<'_> {
    /// Record a problem in the file that defines schema `schema`.
    pub fn schema_error(&mut self, schema: &str, pointer: &Pointer, message: impl Into<String>) {
        let file = self.api.sources.schema_file(schema).to_path_buf();
        self.errors.push(SpecError::at(&file, pointer, message));
    }

    /// Record a problem in the file that defines path `path`.
    pub fn path_error(&mut self, path: &str, pointer: &Pointer, message: impl Into<String>) {
        let file = self.api.sources.path_file(path).to_path_buf();
        self.errors.push(SpecError::at(&file, pointer, message));
    }

    /// Record, in the file that defines path `path`, what was decided for the spec.
    pub fn path_warning(&mut self, path: &str, pointer: &Pointer, message: impl Into<String>) {
        let file = self.api.sources.path_file(path).to_path_buf();
        self.warnings.push(SpecWarning::at(&file, pointer, message));
    }

    /// Record a problem in the root file.
    pub fn root_error(&mut self, pointer: &Pointer, message: impl Into<String>) {
        let file = self.api.sources.root().to_path_buf();
        self.errors.push(SpecError::at(&file, pointer, message));
    }

    /// Record extensions of the root file that do not decode or are unknown: errors, or
    /// warnings for unknown keys far from every known one.
    pub fn root_extension_errors(&mut self, errors: Vec<ExtensionError>) {
        for e in errors {
            match e.severity {
                Severity::Error => self.root_error(&e.pointer, e.message),
                Severity::Warning => {
                    let file = self.api.sources.root().to_path_buf();
                    self.warnings.push(SpecWarning::at(&file, &e.pointer, e.message));
                }
            }
        }
    }

    /// The file a schema lives in.
    pub fn schema_file(&self, schema: &str) -> &Path {
        self.api.sources.schema_file(schema)
    }

    fn name_types(&mut self) {
        let Some(components) = &self.api.doc.components else { return };
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        for name in components.schemas.keys() {
            let rust = super::naming::upper_camel(name);
            if let Some(first) = taken.get(&rust) {
                let message = format!("schemas {name:?} and {first:?} both become the Rust type `{rust}`; rename one");
                self.schema_error(name, &Pointer::schema(name), message);
                continue;
            }
            taken.insert(rust.clone(), name.clone());
            self.type_names.insert(name.clone(), rust);
        }
        self.rust_names = taken;
    }
}
