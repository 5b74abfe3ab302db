//! Paths → operations: parameters, body, success response, error union, category.

use super::Cx;
use super::types::{At, Owner};
use crate::error::Pointer;
use crate::load::extensions::{OperationExtensions, ParameterExtensions, PathItemExtensions, key};
use crate::model::naming::{self, Ident, Scope};
use crate::model::{
    Body, BodyDefault, BodyDelivery, Category, Docs, ErrorType, FieldStep, Method, Operation, ParamLocation, Parameter,
    Reader, Response, TypeDef, TypeKind, TypeRef,
};
use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use std::collections::BTreeMap;

const JSON: &str = "application/json";

/// Build every operation, sorted by operationId. `declared` is the category tree of
/// `x-portone-categories`, for operations without a category of their own.
pub fn build_operations(cx: &mut Cx<'_>, types: &[TypeDef], declared: &[Category]) -> Vec<Operation> {
    let mut out: Vec<Operation> = Vec::new();
    // Operations without x-portone-category: (index in `out`, pointer).
    let mut uncategorized = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut fn_names = BTreeMap::new();
    for (path, item) in cx.api.doc.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else { continue };
        let (_, errors) = PathItemExtensions::decode(&item.extensions, &Pointer::root().join("paths").join(path));
        cx.extension_errors(Owner::Path(path), errors);
        for (method_name, op) in item.iter() {
            let pointer = Pointer::root().join("paths").join(path).join(method_name);
            let method = match method_name {
                "get" => Method::Get,
                "post" => Method::Post,
                "put" => Method::Put,
                "patch" => Method::Patch,
                "delete" => Method::Delete,
                other => {
                    cx.path_error(path, &pointer, format!("method {other} is not supported"));
                    continue;
                }
            };
            let Some(id) = op.operation_id.clone() else {
                cx.path_error(path, &pointer, "operationId is missing");
                continue;
            };
            let here = format!("{} {path}", method.as_str());
            if let Some(first) = ids.get(&id) {
                let message = format!("duplicate operationId {id:?}: also used by {first}");
                cx.path_error(path, &pointer.join("operationId"), message);
                continue;
            }
            ids.insert(id.clone(), here.clone());
            let fn_name = naming::snake(&id);
            if let Some(first) = fn_names.insert(fn_name.clone(), id.clone()) {
                let message = format!(
                    "operationIds {id:?} and {first:?} both become the Rust name `{}`; rename one",
                    fn_name.name
                );
                cx.path_error(path, &pointer.join("operationId"), message);
                continue;
            }
            let mut params: Vec<ReferenceOr<openapiv3::Parameter>> = item.parameters.clone();
            params.extend(op.parameters.iter().cloned());
            if let Some(built) = operation(cx, types, path, method, &id, fn_name, op, &params, &pointer) {
                if built.category.is_empty() {
                    uncategorized.push((out.len(), pointer));
                }
                out.push(built);
            }
        }
    }
    if !uncategorized.is_empty() {
        let known = known_categories(declared, &out);
        for (i, pointer) in uncategorized {
            let category = category_from_path(&out[i].path, &known);
            let message = format!(
                "{} is missing: the operation goes to category {category:?}, after its path; set {} to choose",
                key::CATEGORY,
                key::CATEGORY
            );
            let path = out[i].path.clone();
            cx.path_warning(&path, &pointer, message);
            out[i].category = category;
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Category ids an operation's path may name: the declared tree, top level first, then
/// each deeper level, in declaration order; then those operations name that the tree
/// lacks (and their parents), by depth and id.
fn known_categories(declared: &[Category], operations: &[Operation]) -> Vec<String> {
    let mut out = Vec::new();
    let mut level: Vec<&Category> = declared.iter().collect();
    while !level.is_empty() {
        out.extend(level.iter().map(|c| c.id.clone()));
        level = level.iter().flat_map(|c| c.children.iter()).collect();
    }
    let mut used = std::collections::BTreeSet::new();
    for op in operations.iter().filter(|o| !o.category.is_empty()) {
        let mut prefix = String::new();
        for part in op.category.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            used.insert((prefix.matches('.').count(), prefix.clone()));
        }
    }
    out.extend(used.into_iter().map(|(_, id)| id).filter(|id| !out.contains(id)).collect::<Vec<_>>());
    out
}

/// The category of an operation without `x-portone-category`, from its path: the first
/// literal segment after any version prefix (`v1`, `v2`, ...) names the first of `known`
/// whose last part it spells in snake_case, allowing a plural `s` (`/billing-keys/...` →
/// `payment.billingKey`); a segment naming none is a new category, its snake_case
/// (`/payment-gateways` → `payment_gateways`); a path without a usable segment goes to
/// `other`.
pub fn category_from_path(path: &str, known: &[String]) -> String {
    let is_version =
        |s: &str| s.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let segment = path.split('/').filter(|s| !s.is_empty() && !s.starts_with('{')).find(|s| !is_version(s));
    let Some(id) = segment.and_then(naming::category_id) else { return OTHER_CATEGORY.to_string() };
    let spelled = |known: &str| {
        let last = naming::category_id(known.rsplit('.').next().unwrap_or(known));
        last.is_some_and(|k| id == k || id.strip_suffix('s') == Some(k.as_str()))
    };
    known.iter().find(|k| spelled(k)).cloned().unwrap_or(id)
}

/// Category of an operation without one whose path names nothing usable.
const OTHER_CATEGORY: &str = "other";

/// The query parameter that carries the body (`x-portone-query-or-body`): its name, and
/// whether the body is required.
type QueryBody = Option<(String, bool)>;

#[allow(clippy::too_many_arguments)]
fn operation(
    cx: &mut Cx<'_>,
    types: &[TypeDef],
    path: &str,
    method: Method,
    id: &str,
    fn_name: Ident,
    op: &openapiv3::Operation,
    params: &[ReferenceOr<openapiv3::Parameter>],
    pointer: &Pointer,
) -> Option<Operation> {
    let errors_before = cx.errors.len();
    let (ext, errors) = OperationExtensions::decode(&op.extensions, pointer);
    cx.extension_errors(Owner::Path(path), errors);
    // Defaults that fill a parameter or body field of their name (`storeId`); header
    // defaults (`Tier`) are not fields, and every request builder has a setter for them.
    let client_defaults: Vec<String> =
        super::api::client_defaults(&cx.root).into_iter().filter(|d| !d.header).map(|d| d.wire_name).collect();
    let mut scope = input_scope(cx, path);
    let (built_params, query_body) = parameters(cx, path, pointer, params, &mut scope, &client_defaults);
    let path_parts = super::layout::path_parts(cx, path, pointer, &built_params);
    let body = request_body(cx, types, path, pointer, op, &query_body, &client_defaults);
    if body.is_some() {
        scope.claim("body", "(the request body)", &pointer.join("requestBody"), &mut cx.errors);
    }
    let response = success_response(cx, path, op, pointer);
    let error = error_union(cx, types, path, pointer, &ext);
    let category = category(cx, path, pointer, &ext);
    if cx.errors.len() > errors_before {
        return None;
    }
    let mut built = Operation {
        id: id.to_string(),
        fn_name,
        type_name: naming::upper_camel(id),
        method,
        path: path.to_string(),
        path_parts,
        category,
        module: Ident::default(),
        gate: Default::default(),
        docs: Docs { summary: op.summary.clone(), description: op.description.clone() },
        params: built_params,
        body,
        response: response?,
        error,
        error_type: ErrorType::Untyped,
        idempotency_header: None,
        reader: Reader::Json,
        unstable: ext.unstable.unwrap_or(false),
        deprecated: op.deprecated,
        feature: None,
        authenticated: !op.security.as_ref().is_some_and(|s| s.is_empty()),
        pagination: None,
        arguments: Vec::new(),
    };
    if let Some(paging) = &ext.pagination {
        built.pagination = super::pagination::pagination(cx, types, &built, paging);
    }
    Some(built)
}

/// The Rust names an operation's parameters share with the settings every request
/// builder has, and with the header defaults it has a setter for.
fn input_scope<'a>(cx: &Cx<'a>, path: &str) -> Scope<'a> {
    let api: &'a crate::load::LoadedApi = cx.api;
    let mut scope = Scope::new(api.sources.path_file(path), "parameters");
    for reserved in ["timeout", "max_retries", "idempotency_key", "send", "send_with_response"] {
        scope.reserve(reserved, "(a setting every request has)");
    }
    for d in super::api::client_defaults(&cx.root).iter().filter(|d| d.header) {
        scope.reserve(&d.rust_name.name, "(a header every request can set, from x-client-defaults)");
    }
    scope
}

/// The path, query and header parameters, in spec order, and the query parameter that
/// carries the body, if one does.
fn parameters(
    cx: &mut Cx<'_>,
    path: &str,
    pointer: &Pointer,
    params: &[ReferenceOr<openapiv3::Parameter>],
    scope: &mut Scope,
    client_defaults: &[String],
) -> (Vec<Parameter>, QueryBody) {
    let mut built = Vec::new();
    let mut query_body = None;
    for (i, p) in params.iter().enumerate() {
        let p_pointer = pointer.join("parameters").join(i);
        let ReferenceOr::Item(p) = p else {
            cx.path_error(path, &p_pointer, "a $ref to a parameter is not supported; write the parameter here");
            continue;
        };
        let data = p.parameter_data_ref();
        let (p_ext, errors) = ParameterExtensions::decode(&data.extensions, &p_pointer);
        cx.extension_errors(Owner::Path(path), errors);
        if let Some(qb) = p_ext.query_or_body.filter(|qb| qb.enabled) {
            query_body = Some((data.name.clone(), qb.required));
            continue;
        }
        let location = match p {
            openapiv3::Parameter::Query { .. } => ParamLocation::Query,
            openapiv3::Parameter::Path { .. } => ParamLocation::Path,
            openapiv3::Parameter::Header { .. } => ParamLocation::Header,
            openapiv3::Parameter::Cookie { .. } => {
                cx.path_error(path, &p_pointer, "cookie parameters are not supported");
                continue;
            }
        };
        let at = At { owner: Owner::Path(path), pointer: p_pointer.join("schema") };
        let (ty, json) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => (cx.type_ref(s, &at), false),
            ParameterSchemaOrContent::Content(c) => (json_schema(cx, c, path, &p_pointer.join("content")), true),
        };
        let Some((ty, _, _)) = ty else { continue };
        let sensitive =
            cx.sensitive(p_ext.sensitive, &ty, &At { owner: Owner::Path(path), pointer: p_pointer.clone() });
        let rust_name = naming::snake(&data.name);
        scope.claim(&rust_name.name, &data.name, &p_pointer.join("name"), &mut cx.errors);
        built.push(Parameter {
            wire_name: data.name.clone(),
            rust_name,
            location,
            required: data.required || location == ParamLocation::Path,
            client_default: location == ParamLocation::Query
                && ty == TypeRef::String
                && client_defaults.contains(&data.name),
            ty,
            docs: Docs { summary: None, description: data.description.clone() },
            json,
            sensitive,
        });
    }
    (built, query_body)
}

/// The request body: sent as JSON, or in the query parameter that carries it; where
/// the client's defaults go in it.
fn request_body(
    cx: &mut Cx<'_>,
    types: &[TypeDef],
    path: &str,
    pointer: &Pointer,
    op: &openapiv3::Operation,
    query_body: &QueryBody,
    client_defaults: &[String],
) -> Option<Body> {
    let rb = match &op.request_body {
        None => {
            if let Some((name, _)) = query_body {
                let message =
                    format!("parameter {name:?} carries the body ({}) but there is no requestBody", key::QUERY_OR_BODY);
                cx.path_error(path, pointer, message);
            }
            return None;
        }
        Some(ReferenceOr::Reference { .. }) => {
            let message = "a $ref to a request body is not supported; write it here";
            cx.path_error(path, &pointer.join("requestBody"), message);
            return None;
        }
        Some(ReferenceOr::Item(rb)) => rb,
    };
    let (ty, _, _) = json_schema(cx, &rb.content, path, &pointer.join("requestBody").join("content"))?;
    let (delivery, required) = match query_body {
        Some((name, required)) => (BodyDelivery::QueryParameter(name.clone()), *required || rb.required),
        None => (BodyDelivery::Json, rb.required),
    };
    let defaults = body_defaults(types, &ty, client_defaults);
    let default_when_absent = !required && !defaults.is_empty() && all_optional(types, &ty);
    Some(Body {
        ty,
        required,
        delivery,
        client_defaults: defaults,
        default_when_absent,
        docs: Docs { summary: None, description: rb.description.clone() },
    })
}

/// The operation's error union (`x-portone-error`), checked to be a union.
fn error_union(
    cx: &mut Cx<'_>,
    types: &[TypeDef],
    path: &str,
    pointer: &Pointer,
    ext: &OperationExtensions,
) -> Option<String> {
    let at = At { owner: Owner::Path(path), pointer: pointer.join(key::ERROR) };
    let error = cx.resolve_ref(&ext.error.as_ref()?.reference, &at)?;
    if !types.iter().any(|t| t.name == error && matches!(t.kind, TypeKind::Union(_))) {
        let message = format!("{error} is not a oneOf with a discriminator, so it cannot be an error union");
        cx.path_error(path, &pointer.join(key::ERROR), message);
    }
    Some(error)
}

/// The operation's own category. Empty when missing: `build_operations` derives it
/// from the path once every operation's own category is known.
fn category(cx: &mut Cx<'_>, path: &str, pointer: &Pointer, ext: &OperationExtensions) -> String {
    match ext.category.as_deref() {
        None => String::new(),
        Some("") => {
            cx.path_error(path, &pointer.join(key::CATEGORY), "expected a category id (`payment.billingKey`)");
            String::new()
        }
        Some(c) => c.to_string(),
    }
}

/// Where each of the client's defaults goes in a body: the optional string field of its
/// name nearest the top, reached through struct fields. A container field on the way must
/// be required, or have a type without required fields (so that an absent one can be
/// created empty); lists, maps and unions are not entered. When several fields of the
/// name lie at the same nearest depth, each is filled. A default the body has no such
/// field for is not filled (a required `storeId` is the caller's to give).
fn body_defaults(types: &[TypeDef], ty: &TypeRef, names: &[String]) -> Vec<BodyDefault> {
    let mut out = Vec::new();
    for name in names {
        // Breadth first, one depth at a time, stopping at the first depth with a match.
        // (path so far, struct at its end, the structs on the way, to stop at a cycle)
        let mut level: Vec<(Vec<FieldStep>, String, Vec<String>)> = match ty {
            TypeRef::Named(n) => vec![(Vec::new(), n.clone(), vec![n.clone()])],
            _ => Vec::new(),
        };
        while !level.is_empty() && level.len() <= MAX_DEFAULT_FANOUT {
            let mut found = Vec::new();
            let mut next = Vec::new();
            for (path, type_name, ancestors) in &level {
                let Some(s) = struct_named(types, type_name) else { continue };
                for f in &s.fields {
                    let step = FieldStep {
                        wire_name: f.wire_name.clone(),
                        rust_name: f.rust_name.clone(),
                        optional: !f.required,
                    };
                    let mut path = path.clone();
                    path.push(step);
                    if &f.wire_name == name {
                        if !f.required && f.ty == TypeRef::String {
                            found.push(BodyDefault { name: name.clone(), path });
                        }
                        continue;
                    }
                    let TypeRef::Named(inner) = &f.ty else { continue };
                    if struct_named(types, inner).is_none() || ancestors.contains(inner) {
                        continue;
                    }
                    if !f.required && !all_optional(types, &f.ty) {
                        continue;
                    }
                    let mut ancestors = ancestors.clone();
                    ancestors.push(inner.clone());
                    next.push((path, inner.clone(), ancestors));
                }
            }
            if !found.is_empty() {
                out.extend(found);
                break;
            }
            level = next;
        }
    }
    out
}

/// Bound on the structs searched at one depth for a client default's field.
const MAX_DEFAULT_FANOUT: usize = 256;

/// The struct of this name, if it is one.
fn struct_named<'a>(types: &'a [TypeDef], name: &str) -> Option<&'a crate::model::Struct> {
    match types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => Some(s),
        _ => None,
    }
}

/// The type is a struct without required fields, so an empty one can be made.
fn all_optional(types: &[TypeDef], ty: &TypeRef) -> bool {
    let TypeRef::Named(n) = ty else { return false };
    struct_named(types, n).is_some_and(crate::model::Struct::derives_default)
}

fn json_schema(
    cx: &mut Cx<'_>,
    content: &indexmap::IndexMap<String, MediaType>,
    path: &str,
    pointer: &Pointer,
) -> Option<(TypeRef, Docs, bool)> {
    let Some(media) = content.get(JSON) else {
        cx.path_error(path, pointer, format!("expected {JSON} content"));
        return None;
    };
    let Some(schema) = &media.schema else {
        cx.path_error(path, &pointer.join(JSON), "content has no schema");
        return None;
    };
    let at = At { owner: Owner::Path(path), pointer: pointer.join(JSON).join("schema") };
    cx.type_ref(schema, &at)
}

fn success_response(cx: &mut Cx<'_>, path: &str, op: &openapiv3::Operation, pointer: &Pointer) -> Option<Response> {
    let success = op.responses.responses.iter().filter(|(code, _)| match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    });
    let mut success: Vec<_> = success.collect();
    success.sort_by_key(|(code, _)| (*code).clone());
    let Some((code, resp)) = success.first() else {
        cx.path_error(path, &pointer.join("responses"), "no success (2xx) response");
        return None;
    };
    let r_pointer = pointer.join("responses").join(code.to_string());
    let ReferenceOr::Item(resp) = resp else {
        cx.path_error(path, &r_pointer, "a $ref to a response is not supported; write it here");
        return None;
    };
    if resp.content.is_empty() {
        return Some(Response::Empty);
    }
    if resp.content.contains_key(JSON) {
        if cx.envelope.is_some() {
            return enveloped_response(cx, path, &resp.content, &r_pointer.join("content"));
        }
        return json_schema(cx, &resp.content, path, &r_pointer.join("content")).map(|(t, _, _)| Response::Json(t));
    }
    if resp.content.keys().any(|k| k.starts_with("text/")) {
        return Some(Response::Text);
    }
    cx.path_error(path, &r_pointer.join("content"), "expected application/json or a text/* response");
    None
}

/// The data inside an envelope: the response must name an envelope schema (`allOf` with
/// the envelope's `$ref`); the type of its data field is what the call returns, and an
/// envelope without that field returns nothing.
fn enveloped_response(
    cx: &mut Cx<'_>,
    path: &str,
    content: &indexmap::IndexMap<String, MediaType>,
    pointer: &Pointer,
) -> Option<Response> {
    let (envelope, _) = cx.envelope.clone()?;
    let schema_pointer = pointer.join(JSON).join("schema");
    let wrapper = match content.get(JSON).and_then(|m| m.schema.as_ref()) {
        Some(ReferenceOr::Reference { reference }) => reference.strip_prefix("#/components/schemas/"),
        _ => None,
    };
    let Some(wrapper) = wrapper.filter(|w| cx.envelopes.contains(*w)).map(str::to_string) else {
        cx.path_error(
            path,
            &schema_pointer,
            "with x-response-envelope, a success response must $ref an envelope schema",
        );
        return None;
    };
    let schema = match cx.api.doc.components.as_ref().and_then(|c| c.schemas.get(&wrapper)) {
        Some(ReferenceOr::Item(s)) => s.clone(),
        _ => return None,
    };
    // (pointer of the member, the member) for an allOf; the schema itself for an object.
    let members: Vec<(Pointer, &openapiv3::Schema)> = match &schema.schema_kind {
        openapiv3::SchemaKind::AllOf { all_of } => all_of
            .iter()
            .enumerate()
            .filter_map(|(i, m)| match m {
                ReferenceOr::Item(m) => Some((Pointer::schema(&wrapper).join("allOf").join(i), m)),
                ReferenceOr::Reference { .. } => None,
            })
            .collect(),
        _ => vec![(Pointer::schema(&wrapper), &schema)],
    };
    for (pointer, member) in members {
        let props = match &member.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => &o.properties,
            openapiv3::SchemaKind::Any(a) => &a.properties,
            _ => continue,
        };
        if let Some(data) = props.get(&envelope.data) {
            let at = At { owner: Owner::Schema(&wrapper), pointer: pointer.join("properties").join(&envelope.data) };
            return cx.type_ref(data, &at).map(|(t, _, _)| Response::Json(t));
        }
    }
    Some(Response::Empty)
}

#[cfg(test)]
mod tests {
    use super::category_from_path;

    #[test]
    fn category_from_path_rule() {
        let known: Vec<String> = [
            "platform",
            "payment",
            "common",
            "platform.policy",
            "payment.billingKey",
            "b2b.company",
            "platform.company",
        ]
        .map(String::from)
        .to_vec();
        let of = |path: &str| category_from_path(path, &known);
        assert_eq!(of("/platform/setting"), "platform");
        assert_eq!(of("/payments/{paymentId}/cancel"), "payment", "a plural s");
        assert_eq!(of("/v2/billing-keys/{key}"), "payment.billingKey", "past the version, nested");
        assert_eq!(of("/policy"), "platform.policy");
        assert_eq!(of("/company"), "b2b.company", "the first known at the shallowest depth");
        assert_eq!(of("/{storeId}/payment-gateways"), "payment_gateways", "new, after the parameter");
        assert_eq!(of("/v1"), "other", "only a version");
        assert_eq!(of("/"), "other");
        assert_eq!(of("/type/x"), "other", "a keyword is no module name");
        assert_eq!(of("/v2beta/things"), "v2beta", "not a version prefix");
    }
}
