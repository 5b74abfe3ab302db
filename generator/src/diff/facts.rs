//! The facts both sides are reduced to before they are compared: operations and schemas,
//! with only what a client depends on (names, locations, types, required-ness, values,
//! tags, marks), never prose. They serialize (`stored.rs`) so that the facts of a
//! published description can be kept in the repository instead of the description.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Everything compared of one API description.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Keyed `METHOD /path/{name}` when stored.
    #[serde(with = "keyed::operations")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpFacts {
    /// The path as written (with its parameter names), for the report; stored in the key.
    #[serde(skip)]
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// Keyed by location and name; path parameters by position (`{0}`, `{1}`).
    /// Stored keyed `location name`.
    #[serde(with = "keyed::params", skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<(String, String), ParamFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyFacts>,
    /// Status code → the body's type (`none` when the response has no body).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, Ty>,
    /// Tags of the error types the operation declares.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub errors: BTreeSet<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub unstable: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// Facts of one parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamFacts {
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    pub ty: Ty,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// A request body: the schema it names, if any, and its top-level fields either way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BodyFacts {
    /// Whether the body itself is required; `None` for form fields, which have no body to require.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldFacts>,
}

/// Facts of one named schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchemaFacts {
    /// `object`, `enum`, `union`, or the type of anything else (`array of string`).
    pub shape: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldFacts>,
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub enum_values: BTreeSet<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub union: Option<UnionFacts>,
    #[serde(skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub unstable: bool,
}

/// A union's discriminator: its property and each tag's case schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnionFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    pub mapping: BTreeMap<String, String>,
}

/// Facts of one field of an object (or of a body).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFacts {
    pub ty: Ty,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

/// A type as far as the comparison cares.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Ty {
    /// No schema at all (a response without a body, a field without a type).
    None,
    /// `string`, `integer` with an optional format.
    Scalar {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// Maps whose keys are not strings, stored with string keys.
mod keyed {
    use super::{OpFacts, OpKey, ParamFacts};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub mod operations {
        use super::*;

        pub fn serialize<S: Serializer>(ops: &BTreeMap<OpKey, OpFacts>, s: S) -> Result<S::Ok, S::Error> {
            let keyed: BTreeMap<String, &OpFacts> =
                ops.iter().map(|(key, op)| (format!("{} {}", key.method, op.path), op)).collect();
            keyed.serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<OpKey, OpFacts>, D::Error> {
            let keyed = BTreeMap::<String, OpFacts>::deserialize(d)?;
            let mut out = BTreeMap::new();
            for (key, mut op) in keyed {
                let Some((method, path)) = key.split_once(' ') else {
                    return Err(D::Error::custom(format!("operation key `{key}` is not `METHOD /path`")));
                };
                op.path = path.to_string();
                if out.insert(OpKey::new(method, path), op).is_some() {
                    return Err(D::Error::custom(format!("operation `{key}` is given twice")));
                }
            }
            Ok(out)
        }
    }

    pub mod params {
        use super::*;

        pub fn serialize<S: Serializer>(
            params: &BTreeMap<(String, String), ParamFacts>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            let keyed: BTreeMap<String, &ParamFacts> =
                params.iter().map(|((location, name), p)| (format!("{location} {name}"), p)).collect();
            keyed.serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<BTreeMap<(String, String), ParamFacts>, D::Error> {
            let keyed = BTreeMap::<String, ParamFacts>::deserialize(d)?;
            let mut out = BTreeMap::new();
            for (key, p) in keyed {
                let Some((location, name)) = key.split_once(' ') else {
                    return Err(D::Error::custom(format!("parameter key `{key}` is not `location name`")));
                };
                out.insert((location.to_string(), name.to_string()), p);
            }
            Ok(out)
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
