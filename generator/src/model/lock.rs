//! The generator's memory of the public API it wrote last (`spec/<api>.lock.yaml`).
//!
//! The generator sees only the current spec, but some of the Rust API must not follow
//! every change of it: a required input that PortOne makes optional would drop a
//! constructor parameter or a client method's argument, and a union case added with
//! another type for a shared field would drop the union's method. The lock records,
//! after each generation, what callers compile against: each constructor's parameters,
//! each client method's arguments (both in order) and each union's field methods with
//! their types. The next generation keeps them: a kept parameter whose field became
//! optional is wrapped in `Some`, a kept method answers `None` for cases that hold the
//! field with another type. Whatever the spec removes is dropped (that is a breaking
//! change for the semver gate to report). `cargo xtask codegen` rewrites the lock;
//! `--check` fails when it is stale. Deleting it (at a breaking release) lets the
//! Rust API follow the spec again.

use crate::model::{Api, Argument, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// The name a body takes in [`Lock::arguments`] and [`crate::model::Operation::arguments`].
pub const BODY: &str = "body";

/// What the previous generation promised; the file's format. Keys are sorted, so the
/// file is the same for the same API.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Per request-side struct (Rust name): the constructor's parameters, as wire names.
    #[serde(default)]
    pub constructors: BTreeMap<String, Vec<String>>,
    /// Per operation (operationId): the client method's arguments, as parameter wire
    /// names and `body`.
    #[serde(default)]
    pub arguments: BTreeMap<String, Vec<String>>,
    /// Per union (Rust name): its field methods, wire name → type ([`type_text`]).
    #[serde(default)]
    pub accessors: BTreeMap<String, BTreeMap<String, String>>,
}

/// The first lines of every lock file.
const HEADER: &str = "\
# Written by `cargo xtask codegen`: the public API the last generation promised
# (constructor parameters, client method arguments, union field methods), which the
# next one keeps. Commit it with generated-sdk/. See spec/README.md.
";

impl Lock {
    /// Read a lock file's text.
    pub fn parse(text: &str) -> Result<Lock, String> {
        if text.trim().is_empty() {
            return Ok(Lock::default());
        }
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let body = serde_yaml::to_string(self).unwrap_or_default();
        format!("{HEADER}{body}")
    }
}

/// A type as the lock writes it: `string`, `int32`, `int64`, `float`, `boolean`,
/// `date-time`, `date`, `unix-time`, `json`, a named type's Rust name, `[T]` for a list
/// and `{T}` for a map.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "string".into(),
        TypeRef::Int32 => "int32".into(),
        TypeRef::Int64 => "int64".into(),
        TypeRef::Float => "float".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::DateTime => "date-time".into(),
        TypeRef::Date => "date".into(),
        TypeRef::UnixTime => "unix-time".into(),
        TypeRef::Json => "json".into(),
        TypeRef::Array(inner) => format!("[{}]", type_text(inner)),
        TypeRef::Map(inner) => format!("{{{}}}", type_text(inner)),
    }
}

/// Keep in `api` what `lock` promised and the spec still has.
pub fn apply(api: &mut Api, lock: &Lock) {
    for t in &mut api.types {
        let (TypeKind::Struct(s), Some(locked)) = (&mut t.kind, lock.constructors.get(&t.name)) else { continue };
        let Some(params) = &s.constructor else { continue };
        let fields: Vec<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
        s.constructor = Some(keep_order(locked, params, |w| fields.contains(&w.as_str())));
    }
    for op in &mut api.operations {
        let Some(locked) = lock.arguments.get(&op.id) else { continue };
        // The locked names that still name an input, as arguments.
        let locked: Vec<Argument> = locked
            .iter()
            .filter_map(|wire| match op.params.iter().position(|p| p.wire_name == *wire) {
                Some(i) => Some(Argument::Param(i)),
                None => (wire == BODY && op.body.is_some()).then_some(Argument::Body),
            })
            .collect();
        op.arguments = keep_order(&locked, &op.arguments, |_| true);
    }
    super::from_spec::share_fields(api, &lock.accessors);
}

/// The locked names that still exist, in their order, then the new ones not among them.
fn keep_order<T: Clone + PartialEq>(locked: &[T], fresh: &[T], exists: impl Fn(&T) -> bool) -> Vec<T> {
    let mut out: Vec<T> = locked.iter().filter(|w| exists(w)).cloned().collect();
    for w in fresh {
        if !out.contains(w) {
            out.push(w.clone());
        }
    }
    out
}

/// What `api`'s generated code promises, for the next generation.
pub fn record(api: &Api) -> Lock {
    let mut lock = Lock::default();
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct(s) => {
                if let Some(params) = &s.constructor {
                    lock.constructors.insert(t.name.clone(), params.clone());
                }
            }
            TypeKind::Union(u) => {
                let methods: BTreeMap<String, String> = u
                    .shared_fields
                    .iter()
                    .filter(|f| !f.from_unrecognized)
                    .map(|f| (f.wire_name.clone(), type_text(&f.ty)))
                    .collect();
                if !methods.is_empty() {
                    lock.accessors.insert(t.name.clone(), methods);
                }
            }
            _ => {}
        }
    }
    for op in &api.operations {
        let arguments = op.arguments.iter().map(|a| op.argument_wire_name(*a).to_string()).collect();
        lock.arguments.insert(op.id.clone(), arguments);
    }
    lock
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_names_come_first_in_their_order() {
        let locked = vec!["b".to_string(), "gone".to_string(), "a".to_string()];
        let fresh = vec!["a".to_string(), "c".to_string()];
        let kept = keep_order(&locked, &fresh, |w| w != "gone");
        assert_eq!(kept, ["b", "a", "c"]);
    }

    #[test]
    fn round_trips_and_names_types() {
        let mut lock = Lock::default();
        lock.constructors.insert("CancelBody".into(), vec!["reason".into()]);
        lock.arguments.insert("cancel".into(), vec!["id".into(), BODY.into()]);
        let ty = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Named("Card".into())))));
        lock.accessors.insert("Payment".into(), [("cards".to_string(), type_text(&ty))].into_iter().collect());
        assert_eq!(type_text(&ty), "{[Card]}");
        let text = lock.to_text();
        assert!(text.starts_with("# Written by"));
        assert_eq!(Lock::parse(&text), Ok(lock));
        assert_eq!(Lock::parse(""), Ok(Lock::default()));
        assert!(Lock::parse("constructor: {}").is_err(), "an unknown key is refused");
    }
}
