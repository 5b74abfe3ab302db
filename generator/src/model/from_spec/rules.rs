//! A property's documented value rules (format, lengths, bounds, list sizes) → [`Rules`].

use super::types::array_items;
use crate::model::{Bound, Rules, TextFormat};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

/// The rules written on a property's schema; none for a `$ref` (a named type carries
/// its own shape). A list's size limits are its own, the rest those of its innermost
/// items.
pub fn of_property(prop: &ReferenceOr<Box<Schema>>) -> Rules {
    let ReferenceOr::Item(schema) = prop else { return Rules::default() };
    let mut rules = Rules::default();
    if array_items(schema).is_some() {
        (rules.min_items, rules.max_items) = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => (a.min_items, a.max_items),
            SchemaKind::Any(any) => (any.min_items, any.max_items),
            _ => (None, None),
        };
    }
    let mut inner: &Schema = schema;
    while let Some(Some(ReferenceOr::Item(items))) = array_items(inner) {
        inner = items;
    }
    scalar(inner, &mut rules);
    rules
}

/// The string and number rules of a schema that is no list.
fn scalar(schema: &Schema, rules: &mut Rules) {
    let bound = |value: Option<f64>, exclusive: bool| value.map(|value| Bound { value, exclusive });
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            if let VariantOrUnknownOrEmpty::Unknown(f) = &s.format {
                rules.format = text_format(f);
            }
            (rules.min_length, rules.max_length) = (s.min_length, s.max_length);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            rules.minimum = bound(i.minimum.map(|v| v as f64), i.exclusive_minimum);
            rules.maximum = bound(i.maximum.map(|v| v as f64), i.exclusive_maximum);
        }
        SchemaKind::Type(Type::Number(n)) => {
            rules.minimum = bound(n.minimum, n.exclusive_minimum);
            rules.maximum = bound(n.maximum, n.exclusive_maximum);
        }
        SchemaKind::Any(any) => {
            rules.format = any.format.as_deref().and_then(text_format);
            (rules.min_length, rules.max_length) = (any.min_length, any.max_length);
            rules.minimum = bound(any.minimum, any.exclusive_minimum.unwrap_or(false));
            rules.maximum = bound(any.maximum, any.exclusive_maximum.unwrap_or(false));
        }
        _ => {}
    }
}

/// The string formats whose shape is known; any other is a plain string.
fn text_format(format: &str) -> Option<TextFormat> {
    Some(match format {
        "email" => TextFormat::Email,
        "uri" | "url" => TextFormat::Uri,
        "uuid" => TextFormat::Uuid,
        "ipv4" => TextFormat::Ipv4,
        "ipv6" => TextFormat::Ipv6,
        "hostname" => TextFormat::Hostname,
        _ => return None,
    })
}
