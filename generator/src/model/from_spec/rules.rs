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

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(yaml: &str) -> Rules {
        let schema: Schema = serde_yaml::from_str(yaml).expect("a schema");
        of_property(&ReferenceOr::Item(Box::new(schema)))
    }

    #[test]
    fn formats_lengths_bounds_and_list_sizes_are_read() {
        let r = rules("type: string\nformat: email\nminLength: 3\nmaxLength: 40");
        assert_eq!((r.format, r.min_length, r.max_length), (Some(TextFormat::Email), Some(3), Some(40)));
        let r = rules("type: integer\nminimum: 1\nmaximum: 1000\nexclusiveMaximum: true");
        assert_eq!(r.minimum, Some(Bound { value: 1.0, exclusive: false }));
        assert_eq!(r.maximum, Some(Bound { value: 1000.0, exclusive: true }));
        let r = rules("type: array\nminItems: 2\nitems:\n  type: array\n  items:\n    type: string\n    format: uuid");
        assert_eq!((r.min_items, r.max_items, r.format), (Some(2), None, Some(TextFormat::Uuid)));
        assert_eq!(rules("type: string\nformat: binary"), Rules::default());
    }
}
