//! Passes over the whole model: error unions, tag fields, categories, the layout
//! (`layout.rs`), constructors, boxing of recursive fields and the fields union cases share.

use super::Cx;
use crate::error::Pointer;
use crate::model::naming;
use crate::model::{
    Api, CaseField, Category, Docs, Field, Ident, Response, SharedField, Struct, TypeDef, TypeKind, TypeRef, Union,
};
use std::collections::{BTreeMap, BTreeSet};

pub fn finish(cx: &mut Cx<'_>, api: &mut Api) {
    mark_error_unions(api);
    check_union_members(cx, api);
    strip_tag_fields(api);
    unix_times_are_optional(api);
    complete_categories(api);
    super::layout::layout(api);
    mark_directions(api);
    mark_constructors(api);
    mark_whole_numbers(api);
    box_recursive_fields(api);
    share_fields(api, &BTreeMap::new());
}

fn index(types: &[TypeDef]) -> BTreeMap<String, usize> {
    types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect()
}

fn mark_error_unions(api: &mut Api) {
    let errors: BTreeSet<String> = api.operations.iter().filter_map(|o| o.error.clone()).collect();
    for t in &mut api.types {
        if let TypeKind::Union(u) = &mut t.kind {
            u.is_error = errors.contains(&t.name);
        }
    }
}

fn check_union_members(cx: &mut Cx<'_>, api: &Api) {
    let idx = index(&api.types);
    for t in &api.types {
        let TypeKind::Union(u) = &t.kind else { continue };
        for v in &u.variants {
            let Some(member) = idx.get(&v.type_name).map(|&i| &api.types[i]) else { continue };
            if !matches!(member.kind, TypeKind::Struct(_)) {
                let pointer = Pointer::schema(&t.schema_name).join("discriminator").join("mapping").join(&v.tag);
                cx.schema_error(
                    &t.schema_name,
                    &pointer,
                    format!("case {} is not an object schema", member.schema_name),
                );
            }
        }
    }
}

/// Every named type a type refers to directly (fields, alias targets, union cases).
fn edges(t: &TypeDef) -> Vec<&str> {
    match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| f.ty.named()).collect(),
        TypeKind::Alias(r) => r.named().into_iter().collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| v.type_name.as_str()).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Named types an operation mentions (parameters, body, response, error).
pub(super) fn operation_roots(op: &crate::model::Operation) -> Vec<&str> {
    let mut out: Vec<&str> = op.params.iter().filter_map(|p| p.ty.named()).collect();
    out.extend(op.body.iter().filter_map(|b| b.ty.named()));
    if let Response::Json(t) = &op.response {
        out.extend(t.named());
    }
    out.extend(op.error.as_deref());
    out
}

/// A UNIX-seconds field reads `0` ("not yet") as `None`, so its Rust type is an
/// `Option` even where the spec lists it as required.
fn unix_times_are_optional(api: &mut Api) {
    for t in &mut api.types {
        if let TypeKind::Struct(s) = &mut t.kind {
            for f in s.fields.iter_mut().filter(|f| f.ty == TypeRef::UnixTime) {
                f.required = false;
            }
        }
    }
}

/// A struct that is only ever a case of unions does not repeat the tag as a field:
/// the union writes and reads it. A struct also used on its own keeps it.
fn strip_tag_fields(api: &mut Api) {
    let mut direct: BTreeSet<String> = BTreeSet::new();
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct(s) => direct.extend(s.fields.iter().filter_map(|f| f.ty.named().map(str::to_string))),
            TypeKind::Alias(r) => direct.extend(r.named().map(str::to_string)),
            _ => {}
        }
    }
    for op in &api.operations {
        direct.extend(operation_roots(op).into_iter().filter(|n| Some(*n) != op.error.as_deref()).map(str::to_string));
    }
    let mut strip: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &api.types {
        if let TypeKind::Union(u) = &t.kind {
            for v in &u.variants {
                if !direct.contains(&v.type_name) {
                    strip.entry(v.type_name.clone()).or_default().insert(u.tag_property.clone());
                }
            }
        }
    }
    for t in &mut api.types {
        if let (Some(props), TypeKind::Struct(s)) = (strip.get(&t.name), &mut t.kind) {
            s.fields.retain(|f| !props.contains(&f.wire_name));
        }
    }
    // What remains decides how each union writes its cases.
    let with_field: BTreeSet<(String, String)> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => {
                Some(s.fields.iter().map(|f| (t.name.clone(), f.wire_name.clone())).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect();
    for t in &mut api.types {
        if let TypeKind::Union(u) = &mut t.kind {
            let tag = u.tag_property.clone();
            for v in &mut u.variants {
                v.keeps_tag = with_field.contains(&(v.type_name.clone(), tag.clone()));
            }
        }
    }
}

/// Add categories that operations use but the declared tree lacks, then drop the
/// ones no operation uses.
fn complete_categories(api: &mut Api) {
    let used: BTreeSet<String> = api.operations.iter().map(|o| o.category.clone()).collect();
    for id in &used {
        let mut prefix = String::new();
        let mut level = &mut api.categories;
        for part in id.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            let pos = match level.iter().position(|c| c.id == prefix) {
                Some(p) => p,
                None => {
                    level.push(Category {
                        id: prefix.clone(),
                        accessor: naming::snake(part),
                        type_name: format!("{}Api", naming::upper_camel(&prefix.replace('.', "_"))),
                        docs: Docs::default(),
                        children: Vec::new(),
                        gate: Default::default(),
                    });
                    level.len() - 1
                }
            };
            level = &mut level[pos].children;
        }
    }
    fn prune(list: &mut Vec<Category>, used: &BTreeSet<String>) {
        for c in list.iter_mut() {
            prune(&mut c.children, used);
        }
        list.retain(|c| used.contains(&c.id) || !c.children.is_empty());
    }
    prune(&mut api.categories, &used);
}

/// Names reachable from `roots` through fields, aliases and union cases.
pub(super) fn reachable(api: &Api, roots: Vec<String>) -> BTreeSet<String> {
    let idx = index(&api.types);
    let mut stack = roots;
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(&i) = idx.get(&n) {
            stack.extend(edges(&api.types[i]).into_iter().map(str::to_string));
        }
    }
    seen
}

/// Request-side types implement `Serialize`, response-side ones `Deserialize`; a type
/// no operation reaches gets both.
fn mark_directions(api: &mut Api) {
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in &api.operations {
        request_roots.extend(op.params.iter().filter_map(|p| p.ty.named().map(str::to_string)));
        request_roots.extend(op.body.iter().filter_map(|b| b.ty.named().map(str::to_string)));
        if let Response::Json(t) = &op.response {
            response_roots.extend(t.named().map(str::to_string));
        }
        response_roots.extend(op.error.clone());
    }
    let request = reachable(api, request_roots);
    let response = reachable(api, response_roots);
    for t in &mut api.types {
        let (req, resp) = (request.contains(&t.name), response.contains(&t.name));
        t.direction = if req || resp {
            crate::model::Direction { request: req, response: resp }
        } else {
            crate::model::Direction { request: true, response: true }
        };
    }
}

/// Structs a caller builds (those sent in requests) get a constructor taking their
/// required fields, in spec order. `lock::apply` may keep more, in the order of the
/// previous generation.
fn mark_constructors(api: &mut Api) {
    for t in &mut api.types {
        if let TypeKind::Struct(s) = &mut t.kind {
            s.constructor = t
                .direction
                .request
                .then(|| s.fields.iter().filter(|f| f.required).map(|f| f.wire_name.clone()).collect());
        }
    }
}

/// Fields of request-side structs that hold `f64`s, looking through aliases, are sent
/// with whole values as integers.
fn mark_whole_numbers(api: &mut Api) {
    let aliases: BTreeMap<String, TypeRef> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(target) => Some((t.name.clone(), target.clone())),
            _ => None,
        })
        .collect();
    fn holds_float(ty: &TypeRef, aliases: &BTreeMap<String, TypeRef>, depth: usize) -> bool {
        match ty {
            TypeRef::Float => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => holds_float(inner, aliases, depth),
            // An alias chain is short; the bound only guards against a cycle.
            TypeRef::Named(n) => depth < 8 && aliases.get(n).is_some_and(|t| holds_float(t, aliases, depth + 1)),
            _ => false,
        }
    }
    for t in &mut api.types {
        if let TypeKind::Struct(s) = &mut t.kind {
            for f in &mut s.fields {
                f.whole_numbers = t.direction.request && holds_float(&f.ty, &aliases, 0);
            }
        }
    }
}

/// A field whose type holds its own struct inline (not through a Vec or map) would
/// make an infinitely large type; box it.
fn box_recursive_fields(api: &mut Api) {
    let idx = index(&api.types);
    // Edges that store a value inline: struct fields of a named type, union cases, aliases.
    let inline_edges = |t: &TypeDef| -> Vec<String> {
        match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(n)) => vec![n.clone()],
            TypeKind::Union(u) => u.variants.iter().map(|v| v.type_name.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let reaches = |from: &str, target: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == target {
                return true;
            }
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(&i) = idx.get(&n) {
                stack.extend(inline_edges(&api.types[i]));
            }
        }
        false
    };
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in api.types.iter().enumerate() {
        if let TypeKind::Struct(s) = &t.kind {
            for (fi, f) in s.fields.iter().enumerate() {
                if let TypeRef::Named(n) = &f.ty {
                    if reaches(n, &t.name) {
                        to_box.push((ti, fi));
                    }
                }
            }
        }
    }
    for (ti, fi) in to_box {
        if let TypeKind::Struct(s) = &mut api.types[ti].kind {
            s.fields[fi].boxed = true;
        }
    }
}

/// Give each union the fields its cases share (after tag fields are dropped and
/// recursive fields boxed, which decide how a case holds a field). `locked` holds, per
/// union, the methods of the previous generation (wire name → type, `lock::type_text`).
pub(crate) fn share_fields(api: &mut Api, locked: &BTreeMap<String, BTreeMap<String, String>>) {
    let none = BTreeMap::new();
    let structs: BTreeMap<&str, &Struct> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some((t.name.as_str(), s)),
            _ => None,
        })
        .collect();
    let shared: Vec<Vec<SharedField>> = api
        .types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Union(u) => shared_fields(u, &structs, locked.get(&t.name).unwrap_or(&none)),
            _ => Vec::new(),
        })
        .collect();
    for (t, fields) in api.types.iter_mut().zip(shared) {
        if let TypeKind::Union(u) = &mut t.kind {
            u.shared_fields = fields;
        }
    }
}

/// The wire name of the field an error union's `ErrorCase::message` reads.
const ERROR_MESSAGE: &str = "message";

/// The fields of a union's cases worth a method on the union.
///
/// A method the previous generation had (`locked`: wire name → type) stays while any
/// case still holds that field with that type; cases holding it with another type give
/// `None`. Otherwise: a wire name held by at least two cases (or by every case) with the
/// same type in each, other than the tag property, whose Rust name is not a method the
/// union has or should not have (`naming::reserved_union_method`) nor a kept one. Two
/// new fields landing on one Rust name are both left out. An error union always gets
/// `message`, from the cases where it is a string, with an unrecognized case's JSON read
/// too: it is `ErrorCase::message`'s answer. Sorted by Rust name.
fn shared_fields(u: &Union, structs: &BTreeMap<&str, &Struct>, locked: &BTreeMap<String, String>) -> Vec<SharedField> {
    let mut by_wire: BTreeMap<&str, Vec<(&str, &Field)>> = BTreeMap::new();
    if u.is_error {
        by_wire.insert(ERROR_MESSAGE, Vec::new());
    }
    for v in &u.variants {
        let Some(s) = structs.get(v.type_name.as_str()) else { continue };
        for f in s.fields.iter().filter(|f| f.wire_name != u.tag_property) {
            by_wire.entry(&f.wire_name).or_default().push((&v.rust_name, f));
        }
    }
    let mut out: Vec<SharedField> = Vec::new();
    for (wire, mut holders) in by_wire {
        let error_message = u.is_error && wire == ERROR_MESSAGE;
        let kept = locked.get(wire).filter(|_| !error_message);
        if error_message {
            holders.retain(|(_, f)| f.ty == TypeRef::String);
        } else if let Some(ty) = kept {
            holders.retain(|(_, f)| crate::model::lock::type_text(&f.ty) == *ty);
            if holders.is_empty() {
                continue;
            }
        } else if holders.len() < 2 && (holders.is_empty() || holders.len() < u.variants.len()) {
            continue;
        }
        let ty = holders.first().map_or(TypeRef::String, |(_, f)| f.ty.clone());
        let rust_name = holders.first().map_or_else(|| naming::snake(wire), |(_, f)| f.rust_name.clone());
        let fresh = !error_message && kept.is_none();
        if fresh && (holders.iter().any(|(_, f)| f.ty != ty) || naming::reserved_union_method(&rust_name.name)) {
            continue;
        }
        let docs = match holders.first() {
            Some((_, first)) if holders.iter().all(|(_, f)| f.docs == first.docs) => first.docs.clone(),
            _ => Docs::default(),
        };
        out.push(SharedField {
            rust_name,
            wire_name: wire.to_string(),
            ty,
            docs,
            deprecated: !holders.is_empty() && holders.iter().all(|(_, f)| f.deprecated),
            cases: holders
                .iter()
                .map(|(variant, f)| CaseField { variant: variant.to_string(), required: f.required, boxed: f.boxed })
                .collect(),
            from_unrecognized: error_message,
        });
    }
    // A name taken twice: kept methods and `message` stay, new ones on that name go.
    let mut names: BTreeMap<Ident, usize> = BTreeMap::new();
    for f in &out {
        *names.entry(f.rust_name.clone()).or_default() += 1;
    }
    let stays = |f: &SharedField| f.from_unrecognized || locked.contains_key(&f.wire_name);
    let taken: BTreeSet<Ident> = out.iter().filter(|f| stays(f)).map(|f| f.rust_name.clone()).collect();
    out.retain(|f| stays(f) || (names[&f.rust_name] == 1 && !taken.contains(&f.rust_name)));
    out.sort_by(|a, b| a.rust_name.name.cmp(&b.rust_name.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnionVariant;

    fn field(wire: &str, ty: TypeRef, required: bool, summary: &str) -> Field {
        Field {
            wire_name: wire.to_string(),
            rust_name: naming::snake(wire),
            ty,
            required,
            boxed: false,
            docs: Docs { summary: Some(summary.to_string()), description: None },
            deprecated: false,
            sensitive: false,
            whole_numbers: false,
            rules: Default::default(),
        }
    }

    fn union(cases: &[&str], is_error: bool) -> Union {
        Union {
            tag_property: "status".to_string(),
            variants: cases
                .iter()
                .map(|c| UnionVariant {
                    tag: c.to_uppercase(),
                    rust_name: c.to_string(),
                    type_name: format!("{c}Case"),
                    docs: Docs::default(),
                    status: None,
                    keeps_tag: false,
                })
                .collect(),
            is_error,
            by_field: Vec::new(),
            default_case: None,
            shared_fields: Vec::new(),
        }
    }

    fn strukt(fields: Vec<Field>) -> Struct {
        Struct { fields, constructor: None }
    }

    #[test]
    fn shared_by_name_and_type() {
        let paid = strukt(vec![
            field("status", TypeRef::String, true, "tag"),
            field("id", TypeRef::String, true, "The id."),
            field("amount", TypeRef::Int64, true, "Paid amount."),
            field("paidAt", TypeRef::DateTime, true, "When."),
            field("note", TypeRef::String, false, "A note."),
            field("type", TypeRef::Named("Kind".into()), false, "Kind."),
            field("clone", TypeRef::String, true, "Reserved."),
        ]);
        let failed = strukt(vec![
            field("id", TypeRef::String, true, "The id."),
            field("amount", TypeRef::Float, true, "Paid amount."),
            field("note", TypeRef::String, true, "Why it failed."),
            field("type", TypeRef::Named("Kind".into()), true, "Kind."),
            field("clone", TypeRef::String, true, "Reserved."),
        ]);
        let ready = strukt(vec![
            field("id", TypeRef::String, true, "The id."),
            field("note", TypeRef::String, false, "A note."),
            field("type", TypeRef::Named("Kind".into()), false, "Kind."),
        ]);
        let mut boxed_ready = ready.clone();
        boxed_ready.fields[2].boxed = true;
        let structs: BTreeMap<&str, &Struct> =
            [("PaidCase", &paid), ("FailedCase", &failed), ("ReadyCase", &boxed_ready)].into_iter().collect();
        let shared = shared_fields(&union(&["Failed", "Paid", "Ready"], false), &structs, &BTreeMap::new());
        let names: Vec<&str> = shared.iter().map(|f| f.rust_name.name.as_str()).collect();
        // `amount` differs in type, `paidAt` is in one case, `clone` is reserved, `status` is the tag.
        assert_eq!(names, ["id", "note", "type"]);
        assert!(shared.iter().all(|f| f.rust_name.raw == (f.rust_name.name == "type")), "only `type` is raw");
        let (id, note, kind) = (&shared[0], &shared[1], &shared[2]);
        assert_eq!(id.docs.summary.as_deref(), Some("The id."));
        assert_eq!(note.docs, Docs::default(), "the cases disagree on the docs");
        assert_eq!(kind.ty, TypeRef::Named("Kind".into()));
        assert_eq!(
            kind.cases,
            [
                CaseField { variant: "Failed".into(), required: true, boxed: false },
                CaseField { variant: "Paid".into(), required: false, boxed: false },
                CaseField { variant: "Ready".into(), required: false, boxed: true },
            ]
        );
        assert!(shared.iter().all(|f| !f.from_unrecognized));

        // A field in the only case is shared by every case.
        let one: BTreeMap<&str, &Struct> = [("PaidCase", &paid)].into_iter().collect();
        let names: Vec<String> = shared_fields(&union(&["Paid"], false), &one, &BTreeMap::new())
            .into_iter()
            .map(|f| f.rust_name.name)
            .collect();
        assert_eq!(names, ["amount", "id", "note", "paid_at", "type"]);
    }

    #[test]
    fn error_message_always_shared() {
        let not_found = strukt(vec![field("message", TypeRef::String, true, "What.")]);
        let odd = strukt(vec![field("message", TypeRef::Json, true, "Details.")]);
        let bare = strukt(vec![]);
        let structs: BTreeMap<&str, &Struct> =
            [("NotFoundCase", &not_found), ("OddCase", &odd), ("BareCase", &bare)].into_iter().collect();
        let shared = shared_fields(&union(&["Bare", "NotFound", "Odd"], true), &structs, &BTreeMap::new());
        assert_eq!(shared.len(), 1);
        let message = &shared[0];
        assert_eq!((message.rust_name.name.as_str(), &message.ty), ("message", &TypeRef::String));
        assert!(message.from_unrecognized);
        let cases: Vec<&str> = message.cases.iter().map(|c| c.variant.as_str()).collect();
        assert_eq!(cases, ["NotFound"], "only the case whose message is a string");

        // With no case holding one, the method still exists, for the unrecognized case.
        let only_bare: BTreeMap<&str, &Struct> = [("BareCase", &bare)].into_iter().collect();
        let shared = shared_fields(&union(&["Bare"], true), &only_bare, &BTreeMap::new());
        assert_eq!(shared.len(), 1);
        assert!(shared[0].cases.is_empty() && shared[0].from_unrecognized);

        // Not an error union: `message` follows the ordinary rule.
        let shared = shared_fields(&union(&["Bare", "NotFound", "Odd"], false), &structs, &BTreeMap::new());
        assert!(shared.is_empty());
    }

    #[test]
    fn locked_methods_survive_a_case_of_another_type() {
        let paid =
            strukt(vec![field("amount", TypeRef::Int64, true, "Amount."), field("id", TypeRef::String, true, "Id.")]);
        let failed = strukt(vec![field("amount", TypeRef::Int64, false, "Amount.")]);
        let odd =
            strukt(vec![field("amount", TypeRef::Float, true, "Amount."), field("id", TypeRef::Int64, true, "Id.")]);
        let structs: BTreeMap<&str, &Struct> =
            [("PaidCase", &paid), ("FailedCase", &failed), ("OddCase", &odd)].into_iter().collect();
        let u = union(&["Failed", "Odd", "Paid"], false);
        // Without memory, `amount` differs in type and is left out.
        assert!(shared_fields(&u, &structs, &BTreeMap::new()).is_empty());
        // Remembered, it stays for the cases of its type; `id`, held once with each
        // type, stays too while one case still has it as remembered.
        let locked: BTreeMap<String, String> =
            [("amount".to_string(), "int64".to_string()), ("id".to_string(), "string".to_string())]
                .into_iter()
                .collect();
        let shared = shared_fields(&u, &structs, &locked);
        let got: Vec<(&str, Vec<&str>)> = shared
            .iter()
            .map(|f| (f.rust_name.name.as_str(), f.cases.iter().map(|c| c.variant.as_str()).collect()))
            .collect();
        assert_eq!(got, [("amount", vec!["Failed", "Paid"]), ("id", vec!["Paid"])]);
        assert_eq!(shared[0].ty, TypeRef::Int64);
        // A remembered field no case holds with its type any more is gone (a removal).
        let gone: BTreeMap<String, String> = [("amount".to_string(), "boolean".to_string())].into_iter().collect();
        assert!(shared_fields(&u, &structs, &gone).is_empty());
    }
}
