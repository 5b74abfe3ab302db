//! The facts both sides are reduced to before they are compared: operations and schemas,
//! with only what a client depends on (names, locations, types, required-ness, values,
//! tags, marks), never prose.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Everything compared of one API description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub operations: BTreeMap<OpKey, OpFacts>,
    pub schemas: BTreeMap<String, SchemaFacts>,
}

/// An operation's identity: the method and the path with its parameter names blanked
/// (`/payments/{}`), so `{id}` and `{paymentId}` name the same operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpKey {
    pub method: String,
    pub path: String,
}

impl OpKey {
    pub fn new(method: &str, path: &str) -> Self {
        OpKey { method: method.to_uppercase(), path: blank_path_params(path) }
    }
}

/// `/a/{x}/b/{y}` → `/a/{}/b/{}`.
pub fn blank_path_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' if inside => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// Facts of one operation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpFacts {
    /// The path as written (with its parameter names), for the report.
    pub path: String,
    pub operation_id: Option<String>,
    /// Keyed by location and name; path parameters by position (`{0}`, `{1}`).
    pub params: BTreeMap<(String, String), ParamFacts>,
    pub body: Option<BodyFacts>,
    /// Status code → the body's type (`none` when the response has no body).
    pub responses: BTreeMap<String, Ty>,
    /// Tags of the error types the operation declares.
    pub errors: BTreeSet<String>,
    pub unstable: bool,
    pub deprecated: bool,
}

/// Facts of one parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamFacts {
    pub required: bool,
    pub ty: Ty,
    pub deprecated: bool,
}

/// A request body: the schema it names, if any, and its top-level fields either way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyFacts {
    /// Whether the body itself is required; `None` for form fields, which have no body to require.
    pub required: Option<bool>,
    pub schema: Option<String>,
    pub fields: BTreeMap<String, FieldFacts>,
}

/// Facts of one named schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaFacts {
    /// `object`, `enum`, `union`, or the type of anything else (`array of string`).
    pub shape: String,
    pub fields: BTreeMap<String, FieldFacts>,
    pub enum_values: BTreeSet<String>,
    pub union: Option<UnionFacts>,
    pub deprecated: bool,
    pub unstable: bool,
}

/// A union's discriminator: its property and each tag's case schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnionFacts {
    pub property: Option<String>,
    pub mapping: BTreeMap<String, String>,
}

/// Facts of one field of an object (or of a body).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldFacts {
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
}

/// A type as far as the comparison cares.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// No schema at all (a response without a body, a field without a type).
    None,
    /// `string`, `integer` with an optional format.
    Scalar {
        name: String,
        format: Option<String>,
    },
    /// A scalar listing its values inline.
    Enum {
        name: String,
        values: BTreeSet<String>,
    },
    /// A reference to a named schema.
    Ref(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    /// An object written inline, with its fields.
    Object(BTreeMap<String, FieldFacts>),
    /// An inline union, with its case types.
    OneOf(Vec<Ty>),
    /// The data of a response envelope.
    Envelope(Box<Ty>),
    /// Something that is not a schema (the reference's `"items": "string"`), as written.
    Invalid(String),
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::None => f.write_str("none"),
            Ty::Scalar { name, format: None } => f.write_str(name),
            Ty::Scalar { name, format: Some(format) } => write!(f, "{name} ({format})"),
            Ty::Enum { name, values } => {
                write!(f, "{name} enum [{}]", values.iter().cloned().collect::<Vec<_>>().join(", "))
            }
            Ty::Ref(name) => write!(f, "{name}"),
            Ty::Array(item) => write!(f, "array of {item}"),
            Ty::Map(value) => write!(f, "map of {value}"),
            Ty::Object(fields) => {
                write!(f, "inline object {{{}}}", fields.keys().cloned().collect::<Vec<_>>().join(", "))
            }
            Ty::OneOf(cases) => {
                let cases: Vec<String> = cases.iter().map(ToString::to_string).collect();
                write!(f, "one of [{}]", cases.join(", "))
            }
            Ty::Envelope(data) => write!(f, "envelope of {data}"),
            Ty::Invalid(text) => write!(f, "not a schema: {text}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameter_names_are_blanked() {
        assert_eq!(blank_path_params("/payments/{paymentId}/cancel"), "/payments/{}/cancel");
        assert_eq!(OpKey::new("get", "/a/{x}/{y}"), OpKey::new("GET", "/a/{id}/{other}"));
        assert_ne!(OpKey::new("get", "/a/{x}"), OpKey::new("get", "/a/x"));
    }

    #[test]
    fn types_print_as_facts() {
        let ty = Ty::Array(Box::new(Ty::Scalar { name: "string".into(), format: Some("date-time".into()) }));
        assert_eq!(ty.to_string(), "array of string (date-time)");
        assert_eq!(Ty::Envelope(Box::new(Ty::Ref("A".into()))).to_string(), "envelope of A");
    }
}
