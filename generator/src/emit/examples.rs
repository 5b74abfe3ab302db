//! Example payloads synthesized from the model, for the SDK's generated decoding test:
//! every field filled (required and optional), recursion cut off, so a payload exercises
//! the whole shape of a type and must survive a decode/encode round trip unchanged.

use crate::model::{Api, TypeDef, TypeKind, TypeRef};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// How deep optional fields are filled before the example stops adding them.
const MAX_DEPTH: usize = 6;

/// Builds examples of the types of one API.
pub struct Examples<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// String fields hold markers naming their type and field instead of `"text"`.
    marked: bool,
}

/// The value of a sensitive string field in marked examples.
pub fn sensitive_marker(owner: &str, field: &str) -> String {
    format!("{SENSITIVE_PREFIX}{owner}-{field}-4111111111111111")
}

/// The value of any other string field in marked examples.
pub fn visible_marker(owner: &str, field: &str) -> String {
    format!("{VISIBLE_PREFIX}{owner}-{field}")
}

/// How every sensitive marker starts.
pub const SENSITIVE_PREFIX: &str = "SENSITIVE-";
/// How every visible marker starts.
pub const VISIBLE_PREFIX: &str = "VISIBLE-";

impl<'a> Examples<'a> {
    pub fn new(api: &'a Api) -> Self {
        Examples { types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(), marked: false }
    }

    /// Examples whose string fields say what they are: a sensitive field holds
    /// [`sensitive_marker`], any other [`visible_marker`], so a test can check which
    /// values a `Debug` output shows.
    pub fn marked(api: &'a Api) -> Self {
        Examples { marked: true, ..Self::new(api) }
    }

    /// An example of a named type, or `None` if a required field leads into a cycle.
    pub fn of_named(&self, name: &str, depth: usize, path: &mut Vec<String>) -> Option<Value> {
        let def = self.types.get(name)?;
        if path.iter().any(|p| p == name) || depth > MAX_DEPTH * 2 {
            return None;
        }
        path.push(name.to_string());
        let value = match &def.kind {
            TypeKind::Struct(s) => {
                let mut map = Map::new();
                let mut ok = true;
                for f in &s.fields {
                    if !f.required && depth >= MAX_DEPTH {
                        continue;
                    }
                    let value = match &f.ty {
                        TypeRef::String if self.marked && f.sensitive => {
                            Some(Value::String(sensitive_marker(&def.name, &f.wire_name)))
                        }
                        TypeRef::String if self.marked => Some(Value::String(visible_marker(&def.name, &f.wire_name))),
                        ty => self.of(ty, depth + 1, path),
                    };
                    match value {
                        Some(v) => {
                            map.insert(f.wire_name.clone(), v);
                        }
                        None if f.required => ok = false,
                        None => {}
                    }
                }
                ok.then_some(Value::Object(map))
            }
            TypeKind::Enum(e) => e.values.first().map(|v| Value::String(v.wire.clone())),
            TypeKind::Union(u) => u.variants.iter().find_map(|v| self.union_case(u, v, depth + 1, path)),
            TypeKind::Alias(t) => self.of(t, depth + 1, path),
        };
        path.pop();
        value
    }

    /// An example of one case of a union: the case's struct plus the tag.
    pub fn union_case(
        &self,
        u: &crate::model::Union,
        v: &crate::model::UnionVariant,
        depth: usize,
        path: &mut Vec<String>,
    ) -> Option<Value> {
        let mut value = self.of_named(&v.type_name, depth, path)?;
        value.as_object_mut()?.insert(u.tag_property.clone(), Value::String(v.tag.clone()));
        Some(value)
    }

    /// An example of any type, or `None` if a required field leads into a cycle.
    pub fn of_type(&self, ty: &TypeRef) -> Option<Value> {
        self.of(ty, 0, &mut Vec::new())
    }

    pub fn of(&self, ty: &TypeRef, depth: usize, path: &mut Vec<String>) -> Option<Value> {
        Some(match ty {
            TypeRef::Named(n) => return self.of_named(n, depth, path),
            TypeRef::String => json!("text"),
            TypeRef::Int32 => json!(7),
            TypeRef::Int64 => json!(1_000_000_000_123_i64),
            TypeRef::Float => json!(1.5),
            TypeRef::Boolean => json!(true),
            TypeRef::DateTime => json!("2024-05-06T07:08:09.123Z"),
            TypeRef::UnixTime => json!(1_714_979_289),
            TypeRef::Date => json!("2024-05-06"),
            TypeRef::Json => json!({ "any": [1, "two"] }),
            TypeRef::Array(inner) => Value::Array(self.of(inner, depth, path).into_iter().collect()),
            TypeRef::Map(inner) => {
                let mut map = Map::new();
                if let Some(v) = self.of(inner, depth, path) {
                    map.insert("key".into(), v);
                }
                Value::Object(map)
            }
        })
    }
}
