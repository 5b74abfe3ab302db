//! Example payloads synthesized from the model, for the SDK's generated tests and the
//! test kit's samples: every field filled (required and optional), recursion cut off, so
//! a payload exercises the whole shape of a type and must survive a decode/encode round
//! trip unchanged. Values are valid ones: enum values are known, a case struct that
//! keeps its union's tag holds its own tag, and each field follows the rules the spec
//! documents for it (format, lengths, bounds, list sizes; see [`Rules`]).

use crate::model::{Api, Rules, TextFormat, TypeDef, TypeKind, TypeRef};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// How deep optional fields are filled before the example stops adding them.
const MAX_DEPTH: usize = 6;

/// Builds examples of the types of one API.
pub struct Examples<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// String fields hold markers naming their type and field instead of `"text"`.
    marked: bool,
    /// Case structs that keep their union's tag as a field: (tag property, tag), from
    /// the first union naming them.
    own_tags: BTreeMap<&'a str, (&'a str, &'a str)>,
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
        let mut own_tags = BTreeMap::new();
        for t in &api.types {
            let TypeKind::Union(u) = &t.kind else { continue };
            for v in u.variants.iter().filter(|v| v.keeps_tag) {
                own_tags.entry(v.type_name.as_str()).or_insert((u.tag_property.as_str(), v.tag.as_str()));
            }
        }
        Examples { types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(), marked: false, own_tags }
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
                    let own_tag = self.own_tags.get(name).filter(|(property, _)| *property == f.wire_name);
                    let value = match &f.ty {
                        _ if own_tag.is_some() => own_tag.map(|(_, tag)| json!(tag)),
                        TypeRef::String if self.marked && f.sensitive => {
                            Some(Value::String(sensitive_marker(&def.name, &f.wire_name)))
                        }
                        TypeRef::String if self.marked => Some(Value::String(visible_marker(&def.name, &f.wire_name))),
                        ty => self.ruled(ty, &f.rules, depth + 1, path),
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

    /// An example of one case of a union: the case's struct plus the tag (a union told
    /// apart by fields has none: the case's own fields tell it).
    pub fn union_case(
        &self,
        u: &crate::model::Union,
        v: &crate::model::UnionVariant,
        depth: usize,
        path: &mut Vec<String>,
    ) -> Option<Value> {
        let mut value = self.of_named(&v.type_name, depth, path)?;
        if u.by_field.is_empty() {
            value.as_object_mut()?.insert(u.tag_property.clone(), Value::String(v.tag.clone()));
        }
        Some(value)
    }

    /// An example of any type, or `None` if a required field leads into a cycle.
    pub fn of_type(&self, ty: &TypeRef) -> Option<Value> {
        self.of(ty, 0, &mut Vec::new())
    }

    pub fn of(&self, ty: &TypeRef, depth: usize, path: &mut Vec<String>) -> Option<Value> {
        self.ruled(ty, &Rules::default(), depth, path)
    }

    /// An example of a type that follows `rules`: for a list, its size limits, and the
    /// string and number rules for each innermost item.
    fn ruled(&self, ty: &TypeRef, rules: &Rules, depth: usize, path: &mut Vec<String>) -> Option<Value> {
        Some(match ty {
            TypeRef::Named(n) => return self.of_named(n, depth, path),
            TypeRef::String => json!(text(rules)),
            TypeRef::Int32 => json!(within(7.0, rules) as i32),
            TypeRef::Int64 => json!(within(1_000_000_000_123.0, rules) as i64),
            TypeRef::Float => json!(within(1.5, rules)),
            TypeRef::Boolean => json!(true),
            TypeRef::DateTime => json!("2024-05-06T07:08:09.123Z"),
            TypeRef::UnixTime => json!(1_714_979_289),
            TypeRef::Date => json!("2024-05-06"),
            TypeRef::Json => json!({ "any": [1, "two"] }),
            TypeRef::Array(inner) => {
                let items = Rules { min_items: None, max_items: None, ..rules.clone() };
                let count = rules.min_items.unwrap_or(1).max(1).min(rules.max_items.unwrap_or(usize::MAX));
                let item = self.ruled(inner, &items, depth, path);
                Value::Array(item.into_iter().flat_map(|v| std::iter::repeat_n(v, count)).collect())
            }
            TypeRef::Map(inner) => {
                let mut map = Map::new();
                if let Some(v) = self.ruled(inner, rules, depth, path) {
                    map.insert("key".into(), v);
                }
                Value::Object(map)
            }
        })
    }
}

/// A string of the documented format, padded or cut to the documented lengths (a
/// formatted value is kept whole: cutting it would break the format).
fn text(rules: &Rules) -> String {
    let formatted = match rules.format {
        Some(TextFormat::Email) => "buyer@example.com",
        Some(TextFormat::Uri) => "https://example.com/",
        Some(TextFormat::Uuid) => "123e4567-e89b-42d3-a456-426614174000",
        Some(TextFormat::Ipv4) => "192.0.2.1",
        Some(TextFormat::Ipv6) => "2001:db8::1",
        Some(TextFormat::Hostname) => "example.com",
        None => {
            let min = rules.min_length.unwrap_or(0);
            let max = rules.max_length.unwrap_or(usize::MAX).max(min);
            let len = 4.clamp(min, max);
            return "text".chars().cycle().take(len).collect();
        }
    };
    formatted.to_string()
}

/// `preferred`, or the nearest whole value within the documented bounds.
fn within(preferred: f64, rules: &Rules) -> f64 {
    let mut value = preferred;
    if let Some(min) = rules.minimum {
        let lowest = if min.exclusive { min.value.floor() + 1.0 } else { min.value.ceil() };
        value = value.max(lowest);
    }
    if let Some(max) = rules.maximum {
        let highest = if max.exclusive { max.value.ceil() - 1.0 } else { max.value.floor() };
        value = value.min(highest);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;

    #[test]
    fn strings_follow_format_and_lengths() {
        let rules = |format, min_length, max_length| Rules { format, min_length, max_length, ..Rules::default() };
        assert_eq!(text(&rules(None, None, None)), "text");
        assert_eq!(text(&rules(None, None, Some(2))), "te");
        assert_eq!(text(&rules(None, Some(10), None)), "texttextte");
        assert_eq!(text(&rules(Some(TextFormat::Email), None, None)), "buyer@example.com");
        assert!(text(&rules(Some(TextFormat::Ipv4), None, None)).parse::<std::net::Ipv4Addr>().is_ok());
        assert!(text(&rules(Some(TextFormat::Ipv6), None, None)).parse::<std::net::Ipv6Addr>().is_ok());
        assert!(text(&rules(Some(TextFormat::Uri), None, None)).starts_with("https://"));
        assert_eq!(text(&rules(Some(TextFormat::Uuid), None, None)).len(), 36);
    }

    #[test]
    fn numbers_stay_within_bounds() {
        let bound = |value, exclusive| Some(Bound { value, exclusive });
        let rules = |minimum, maximum| Rules { minimum, maximum, ..Rules::default() };
        assert_eq!(within(1_000_000_000_123.0, &rules(bound(1.0, false), bound(1000.0, false))), 1000.0);
        assert_eq!(within(7.0, &rules(None, bound(5.0, true))), 4.0);
        assert_eq!(within(7.0, &rules(bound(10.0, true), None)), 11.0);
        assert_eq!(within(1.5, &rules(None, None)), 1.5);
    }
}
