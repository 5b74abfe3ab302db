//! The layout pass: where each item is written and when it is compiled, and each
//! operation's call signature. It decides, as fields of the model, each operation's
//! module, Cargo feature and gate, error type, idempotency key, arguments in order and
//! path parts by parameter index; each type's module, features and gate; each
//! category handle's gate; and the gate of every module file. The emitters render
//! these fields and decide none of them.

use super::Cx;
use crate::error::Pointer;
use crate::model::naming;
use crate::model::{
    Api, Argument, Category, ErrorType, Gate, Ident, Method, Module, Operation, ParamLocation, Parameter, PathPart,
    Reader, Response,
};
use std::collections::{BTreeMap, BTreeSet};

/// Module for types reached from more than one top-level category, or from none.
pub const COMMON_MODULE: &str = "common";

/// The top-level category whose operations are always compiled (reference data every
/// feature may need); it has no Cargo feature.
pub const ALWAYS_COMPILED_CATEGORY: &str = "common";

/// The top-level category of a category id (`payment.billingKey` → `payment`).
fn top_level(category: &str) -> &str {
    category.split('.').next().unwrap_or_default()
}

/// Module of the operations of a category, and of the types only it reaches: its
/// top-level category's (`payment.billingKey` → `payment`).
fn category_module(category: &str) -> Ident {
    naming::snake(top_level(category))
}

/// The Cargo feature of a category (`payment.billingKey` → `payment`), if it has one.
pub fn category_feature(category: &str) -> Option<String> {
    let top = top_level(category);
    (top != ALWAYS_COMPILED_CATEGORY).then(|| naming::kebab(top))
}

/// Decide the layout of `api` (after the category tree is complete).
pub fn layout(api: &mut Api) {
    let per_category = api.feature.is_none();
    let feature = |category: &str| category_feature(category).filter(|_| per_category);
    let envelope = api.envelope.is_some();
    let idempotency = api.idempotency_header.clone();
    for op in &mut api.operations {
        op.feature = feature(&op.category);
        op.module = category_module(&op.category);
        op.gate = Gate { features: Vec::new(), unstable: op.unstable };
        op.error_type = match &op.error {
            _ if envelope => ErrorType::Envelope,
            Some(union) => ErrorType::Union(union.clone()),
            None => ErrorType::Untyped,
        };
        op.idempotency_header = idempotency.clone().filter(|_| op.method != Method::Get);
        op.reader = match (&op.response, envelope) {
            (Response::Json(_), true) => Reader::Enveloped,
            (_, true) => Reader::EnvelopedEmpty,
            (Response::Json(_), false) => Reader::Json,
            (Response::Text, false) => Reader::Text,
            (Response::Empty, false) => Reader::Empty,
        };
        op.arguments = arguments(op);
    }
    api.raw_error = if envelope { ErrorType::Envelope } else { ErrorType::Untyped };
    let mut categories = std::mem::take(&mut api.categories);
    gate_categories(api, &mut categories, &feature);
    api.categories = categories;
    place_types(api, &feature);
    api.operation_modules = operation_modules(api);
    api.type_modules = type_modules(api);
}

/// The client method's arguments: the required parameters in spec order, then a
/// required body. `lock::apply` may keep more, in the order of the previous generation.
fn arguments(op: &Operation) -> Vec<Argument> {
    let mut out: Vec<Argument> =
        op.params.iter().enumerate().filter(|(_, p)| p.required).map(|(i, _)| Argument::Param(i)).collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        out.push(Argument::Body);
    }
    out
}

/// Any one of these features compiles the item; an item some always-compiled user
/// needs (`None`) is never gated. Sorted, without repeats.
fn any_of(features: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    let all: Option<BTreeSet<String>> = features.into_iter().collect();
    all.map(|set| set.into_iter().collect()).unwrap_or_default()
}

/// Each handle is compiled with its top-level category's feature, and only with
/// `unstable` when every operation under it is unstable.
fn gate_categories(api: &Api, categories: &mut [Category], feature: &dyn Fn(&str) -> Option<String>) {
    for c in categories {
        let prefix = format!("{}.", c.id);
        let under = |o: &&Operation| o.category == c.id || o.category.starts_with(&prefix);
        let only_unstable = api.operations.iter().filter(under).all(|o| o.unstable);
        c.gate = Gate { features: feature(&c.id).into_iter().collect(), unstable: only_unstable };
        gate_categories(api, &mut c.children, feature);
    }
}

/// Types reached from one top-level category go to that category's module; the rest
/// to `common`. A type is compiled when any feature whose operations reach it is on;
/// one reached by an always-compiled operation, or by none, always is. A category's
/// module is gated as a whole, so only the common module's types carry a gate.
fn place_types(api: &mut Api, feature: &dyn Fn(&str) -> Option<String>) {
    let mut reached_by: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for op in &api.operations {
        let roots = super::finish::operation_roots(op).into_iter().map(str::to_string).collect();
        for name in super::finish::reachable(api, roots) {
            reached_by.entry(name).or_default().insert(top_level(&op.category));
        }
    }
    let placed: Vec<(Ident, Vec<String>)> = api
        .types
        .iter()
        .map(|t| match reached_by.get(&t.name) {
            Some(tops) if tops.len() == 1 => {
                let top = tops.iter().next().copied().unwrap_or_default();
                (category_module(top), any_of([feature(top)]))
            }
            Some(tops) => (Ident::plain(COMMON_MODULE), any_of(tops.iter().map(|top| feature(top)))),
            None => (Ident::plain(COMMON_MODULE), Vec::new()),
        })
        .collect();
    for (t, (module, features)) in api.types.iter_mut().zip(placed) {
        let common = module.name == COMMON_MODULE;
        t.gate = Gate { features: if common { features.clone() } else { Vec::new() }, unstable: false };
        t.module = module;
        t.features = features;
    }
}

/// The files of `operations/`: a module's operations share its category's feature,
/// and a module whose operations are all unstable is compiled only with `unstable`.
fn operation_modules(api: &Api) -> Vec<Module> {
    let names: BTreeSet<&Ident> = api.operations.iter().map(|o| &o.module).collect();
    names
        .into_iter()
        .map(|name| {
            let ops = || api.operations.iter().filter(move |o| &o.module == name);
            let features = any_of(ops().map(|o| o.feature.clone()));
            Module { name: name.clone(), gate: Gate { features, unstable: ops().all(|o| o.unstable) } }
        })
        .collect()
}

/// The files of `types/`: a category's module is compiled with its feature; the common
/// module always is (its types carry their own gates).
fn type_modules(api: &Api) -> Vec<Module> {
    let names: BTreeSet<&Ident> = api.types.iter().map(|t| &t.module).collect();
    names
        .into_iter()
        .map(|name| {
            // A category module's types each have that category's one feature, or none
            // when it is always compiled.
            let features = if name.name == COMMON_MODULE {
                Vec::new()
            } else {
                any_of(api.types.iter().filter(|t| &t.module == name).map(|t| t.features.first().cloned()))
            };
            Module { name: name.clone(), gate: Gate { features, unstable: false } }
        })
        .collect()
}

/// Split `/payments/{paymentId}/cancel` into literals and parameters by index, and
/// check that template and path parameters agree: a part naming no path parameter, or
/// a path parameter the template lacks, is an error at the operation.
pub fn path_parts(cx: &mut Cx<'_>, path: &str, pointer: &Pointer, params: &[Parameter]) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    let mut seen = Vec::new();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            cx.path_error(path, pointer, "unclosed { in the path template");
            return parts;
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..open + close];
        match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
            Some(index) => {
                seen.push(index);
                parts.push(PathPart::Param(index));
            }
            None => cx.path_error(
                path,
                pointer,
                format!("path template names {{{name}}} but no path parameter {name:?} is declared"),
            ),
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    for (i, p) in params.iter().enumerate().filter(|(_, p)| p.location == ParamLocation::Path) {
        if !seen.contains(&i) {
            cx.path_error(
                path,
                pointer,
                format!("path parameter {:?} does not appear in the path template", p.wire_name),
            );
        }
    }
    parts
}
