//! `x-portone-pagination` on a list operation → [`Pagination`]: which fields carry the
//! page request and the page position, and which field holds the items.

use super::Cx;
use crate::error::Pointer;
use crate::load::extensions::{PaginationExt, key};
use crate::model::{Field, Operation, PageStyle, Pagination, Response, Struct, TypeDef, TypeKind, TypeRef};

/// Check the extension of operation `op` (already built) against its request and
/// response types; errors name the operation's file.
pub fn pagination(cx: &mut Cx<'_>, types: &[TypeDef], op: &Operation, ext: &PaginationExt) -> Option<Pagination> {
    let pointer =
        Pointer::root().join("paths").join(&op.path).join(op.method.as_str().to_lowercase()).join(key::PAGINATION);
    let site = Site { path: &op.path, pointer };
    let Response::Json(response_type) = &op.response else {
        return site.fail(cx, "a paged operation must return a JSON object".into());
    };
    let Some(response) = find(types, response_type) else {
        return site.fail(cx, "a paged operation must return an object schema".into());
    };
    let items_wire = ext.items();
    let Some(items) = field(response, items_wire) else {
        return site.fail(cx, format!("the response has no field {items_wire:?}"));
    };
    let TypeRef::Array(item_type) = &items.ty else {
        return site.fail(cx, format!("response field {items_wire:?} is not a list"));
    };
    let body = op.body.as_ref();
    let body_struct = body.and_then(|b| find(types, &b.ty));
    let style = match ext {
        PaginationExt::Page { page_input, page_info, .. } => {
            page_style(cx, &site, types, body_struct, response, page_input, page_info)?
        }
        PaginationExt::Cursor { cursor, item_cursor, .. } => {
            let item_field = find(types, item_type).and_then(|s| field(s, item_cursor));
            match (body_struct.and_then(|s| field(s, cursor)), item_field) {
                (Some(r), Some(i))
                    if !r.required && i.required && r.ty == TypeRef::String && i.ty == TypeRef::String =>
                {
                    PageStyle::Cursor { request: r.rust_name, item_cursor: i.rust_name }
                }
                _ => {
                    let message = format!(
                        "expected an optional string body field {cursor:?} and a required string {item_cursor:?} on each item"
                    );
                    return site.fail(cx, message);
                }
            }
        }
        PaginationExt::QueryPage { param, next, .. } => {
            let p = op.params.iter().find(|p| p.wire_name == *param && !p.required && p.ty == TypeRef::Int64);
            match (p, field(response, next).filter(|f| f.required && f.ty == TypeRef::Int64)) {
                (Some(p), Some(n)) => PageStyle::QueryPage { param: p.rust_name.clone(), next: n.rust_name },
                _ => {
                    let message = format!(
                        "expected an optional integer query parameter {param:?} and a required integer response field {next:?}"
                    );
                    return site.fail(cx, message);
                }
            }
        }
    };
    Some(Pagination {
        style,
        items: items.rust_name,
        items_optional: !items.required,
        item_type: (**item_type).clone(),
        body_type: body.and_then(|b| b.ty.named().map(str::to_string)),
        body_optional: body.is_some_and(|b| !b.required),
        body_default: body_struct.is_some_and(Struct::derives_default),
    })
}

/// Where an operation's `x-portone-pagination` is, for its errors.
struct Site<'a> {
    path: &'a str,
    pointer: Pointer,
}

impl Site<'_> {
    /// An error about the extension as a whole.
    fn fail<T>(&self, cx: &mut Cx<'_>, message: String) -> Option<T> {
        cx.path_error(self.path, &self.pointer, message);
        None
    }

    /// An error about the field one key of the extension names.
    fn fail_at<T>(&self, cx: &mut Cx<'_>, key: &str, message: String) -> Option<T> {
        cx.path_error(self.path, &self.pointer.join(key), message);
        None
    }
}

/// The struct a type reference names, if it names one.
fn find<'a>(types: &'a [TypeDef], ty: &TypeRef) -> Option<&'a Struct> {
    let TypeRef::Named(n) = ty else { return None };
    types.iter().find(|t| &t.name == n).and_then(|t| match &t.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    })
}

/// A struct's field by wire name.
fn field(s: &Struct, wire: &str) -> Option<Field> {
    s.fields.iter().find(|f| f.wire_name == wire).cloned()
}

/// Paging by page number: body field `input` asks for a page, response field `info`
/// says which one came. The stream reads `number`, `size` and `totalCount` of the page
/// info and writes `number` and `size` of the page input, starting from an empty one.
fn page_style(
    cx: &mut Cx<'_>,
    site: &Site<'_>,
    types: &[TypeDef],
    body: Option<&Struct>,
    response: &Struct,
    input: &str,
    info: &str,
) -> Option<PageStyle> {
    let (i, o) = match (body.and_then(|s| field(s, input)), field(response, info)) {
        (Some(i), Some(o)) if !i.required && o.required => (i, o),
        _ => {
            let message = format!("expected an optional body field {input:?} and a required response field {info:?}");
            return site.fail(cx, message);
        }
    };
    let (Some(input_struct), TypeRef::Named(input_type)) = (find(types, &i.ty), &i.ty) else {
        return site.fail_at(cx, "page-input", format!("body field {input:?} is not an object"));
    };
    let Some(info_struct) = find(types, &o.ty) else {
        return site.fail_at(cx, "page-info", format!("response field {info:?} is not an object"));
    };
    let integer = |f: &Field| matches!(f.ty, TypeRef::Int32 | TypeRef::Int64);
    let in_number = field(input_struct, "number").filter(|f| !f.required && integer(f));
    let in_size = field(input_struct, "size").filter(|f| !f.required && integer(f));
    let (Some(in_number), Some(in_size), true) = (in_number, in_size, input_struct.derives_default()) else {
        let message = format!(
            "body field {input:?} ({input_type}) must have optional integer fields `number` and `size`, \
             and no required ones"
        );
        return site.fail_at(cx, "page-input", message);
    };
    let info_number = field(info_struct, "number").filter(|f| f.required && integer(f));
    let info_size = field(info_struct, "size").filter(|f| f.required && integer(f));
    let total = field(info_struct, "totalCount").filter(|f| f.required && integer(f));
    let (Some(info_number), Some(info_size), Some(total)) = (info_number, info_size, total) else {
        let message =
            format!("response field {info:?} must have required integer fields `number`, `size` and `totalCount`");
        return site.fail_at(cx, "page-info", message);
    };
    if in_number.ty != info_number.ty || in_size.ty != info_size.ty {
        let message = format!(
            "`number` and `size` of body field {input:?} and of response field {info:?} must have the same \
             integer formats: the next page is asked for with the numbers the last one came with"
        );
        return site.fail(cx, message);
    }
    Some(PageStyle::Page {
        input: i.rust_name,
        input_type: input_type.clone(),
        info: o.rust_name,
        input_number: in_number.rust_name,
        input_size: in_size.rust_name,
        info_number: info_number.rust_name,
        info_size: info_size.rust_name,
        total_count: total.rust_name,
    })
}
