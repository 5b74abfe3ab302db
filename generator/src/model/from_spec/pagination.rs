//! `x-portone-pagination` on a list operation → [`Pagination`]: which fields carry the
//! page request and the page position, and which field holds the items.

use super::Cx;
use crate::error::Pointer;
use crate::load::extensions::{PaginationExt, key};
use crate::model::{Operation, PageStyle, Pagination, Response, Struct, TypeDef, TypeKind, TypeRef};

/// Check the extension of operation `op` (already built) against its request and
/// response types; errors name the operation's file.
pub fn pagination(cx: &mut Cx<'_>, types: &[TypeDef], op: &Operation, ext: &PaginationExt) -> Option<Pagination> {
    let pointer =
        Pointer::root().join("paths").join(&op.path).join(op.method.as_str().to_lowercase()).join(key::PAGINATION);
    let fail = |cx: &mut Cx<'_>, message: String| {
        cx.path_error(&op.path, &pointer, message);
        None::<Pagination>
    };
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
    let items_wire = ext.items();
    let items = match field(response, items_wire) {
        Some(f) => f,
        None => return fail(cx, format!("the response has no field {items_wire:?}")),
    };
    let TypeRef::Array(item_type) = &items.ty else {
        return fail(cx, format!("response field {items_wire:?} is not a list"));
    };
    let body = op.body.as_ref();
    let body_struct = body.and_then(|b| find(&b.ty));
    let body_type = body.and_then(|b| b.ty.named().map(str::to_string));
    let style = match ext {
        PaginationExt::Page { page_input: input, page_info: info, .. } => {
            let input_field = body_struct.and_then(|s| field(s, input));
            let info_field = field(response, info);
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
        PaginationExt::Cursor { cursor: request, item_cursor, .. } => {
            let request_field = body_struct.and_then(|s| field(s, request));
            let item_field = find(item_type).and_then(|s| field(s, item_cursor));
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
        PaginationExt::QueryPage { param, next, .. } => {
            let p = op.params.iter().find(|p| p.wire_name == *param && !p.required && p.ty == TypeRef::Int64);
            let n = field(response, next).filter(|f| f.required && f.ty == TypeRef::Int64);
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
