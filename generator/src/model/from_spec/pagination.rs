//! `x-portone-pagination` on a list operation → [`Pagination`]: which fields carry the
//! page request and the page position, and which field holds the items.

use super::Cx;
use crate::error::Pointer;
use crate::model::{Operation, PageStyle, Pagination, Response, Struct, TypeDef, TypeKind, TypeRef};

/// Extension on a list operation: `{style: page | cursor | query-page, items, ...}`.
pub const X_PAGINATION: &str = "x-portone-pagination";

/// Read the extension of operation `op` (already built); errors name the operation's file.
pub fn pagination(cx: &mut Cx<'_>, types: &[TypeDef], op: &Operation, ext: &serde_json::Value) -> Option<Pagination> {
    let pointer =
        Pointer::root().join("paths").join(&op.path).join(op.method.as_str().to_lowercase()).join(X_PAGINATION);
    let fail = |cx: &mut Cx<'_>, message: String| {
        cx.path_error(&op.path, &pointer, message);
        None::<Pagination>
    };
    let text = |k: &str| ext.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let find = |name: &TypeRef| match name {
        TypeRef::Named(n) => types.iter().find(|t| &t.name == n).and_then(|t| match &t.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }),
        _ => None,
    };
    let field = |s: &Struct, wire: &str| s.fields.iter().find(|f| f.wire_name == wire).cloned();
    let Response::Json(response_type) = &op.response else {
        return fail(cx, "a paged operation must return a JSON object".into());
    };
    let Some(response) = find(response_type) else {
        return fail(cx, "a paged operation must return an object schema".into());
    };
    let Some(items_wire) = text("items") else {
        return fail(cx, "expected `items`: the response field of the list".into());
    };
    let items = match field(response, &items_wire) {
        Some(f) => f,
        None => return fail(cx, format!("the response has no field {items_wire:?}")),
    };
    let TypeRef::Array(item_type) = &items.ty else {
        return fail(cx, format!("response field {items_wire:?} is not a list"));
    };
    let body = op.body.as_ref();
    let body_struct = body.and_then(|b| find(&b.ty));
    let body_type = body.and_then(|b| b.ty.named().map(str::to_string));
    let style = match text("style").as_deref() {
        Some("page") => {
            let (Some(input), Some(info)) = (text("page-input"), text("page-info")) else {
                return fail(cx, "style page needs `page-input` (body field) and `page-info` (response field)".into());
            };
            let input_field = body_struct.and_then(|s| field(s, &input));
            let info_field = field(response, &info);
            match (input_field, info_field) {
                (Some(i), Some(o)) if !i.required && o.required => match &i.ty {
                    TypeRef::Named(t) => {
                        PageStyle::Page { input: i.rust_name, input_type: t.clone(), info: o.rust_name }
                    }
                    _ => return fail(cx, format!("body field {input:?} is not a named object")),
                },
                _ => {
                    return fail(
                        cx,
                        format!("expected an optional body field {input:?} and a required response field {info:?}"),
                    );
                }
            }
        }
        Some("cursor") => {
            let (Some(request), Some(item_cursor)) = (text("cursor"), text("item-cursor")) else {
                return fail(
                    cx,
                    "style cursor needs `cursor` (body field) and `item-cursor` (field of each item)".into(),
                );
            };
            let request_field = body_struct.and_then(|s| field(s, &request));
            let item_field = find(item_type).and_then(|s| field(s, &item_cursor));
            match (request_field, item_field) {
                (Some(r), Some(i))
                    if !r.required && i.required && r.ty == TypeRef::String && i.ty == TypeRef::String =>
                {
                    PageStyle::Cursor { request: r.rust_name, item_cursor: i.rust_name }
                }
                _ => {
                    return fail(
                        cx,
                        format!(
                            "expected an optional string body field {request:?} and a required string {item_cursor:?} on each item"
                        ),
                    );
                }
            }
        }
        Some("query-page") => {
            let (Some(param), Some(next)) = (text("param"), text("next")) else {
                return fail(cx, "style query-page needs `param` (query parameter) and `next` (response field)".into());
            };
            let p = op.params.iter().find(|p| p.wire_name == param && !p.required && p.ty == TypeRef::Int64);
            let n = field(response, &next).filter(|f| f.required && f.ty == TypeRef::Int64);
            match (p, n) {
                (Some(p), Some(n)) => PageStyle::QueryPage { param: p.rust_name.clone(), next: n.rust_name },
                _ => {
                    return fail(
                        cx,
                        format!(
                            "expected an optional integer query parameter {param:?} and a required integer response field {next:?}"
                        ),
                    );
                }
            }
        }
        other => return fail(cx, format!("unknown style {other:?}: expected page, cursor or query-page")),
    };
    let body_default = body_struct.is_some_and(Struct::derives_default);
    Some(Pagination {
        style,
        items: items.rust_name,
        items_optional: !items.required,
        item_type: (**item_type).clone(),
        body_type,
        body_optional: body.is_some_and(|b| !b.required),
        body_default,
    })
}
