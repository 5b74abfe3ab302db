//! Schema → [`TypeRef`] for fields, parameters and bodies, and docs of a schema.

use super::Cx;
use crate::error::Pointer;
use crate::load::extensions::{ExtensionError, Severity, key};
use crate::model::{Docs, TypeRef};
use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// The integer format of UNIX-seconds instants (`TypeRef::UnixTime`).
pub const UNIX_TIME: &str = "unix-time";

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// An inline object where the generator cannot derive a name for it.
const INLINE_OBJECT_HERE: &str = "inline object with properties: give it a name under components/schemas and $ref it \
                                  (only a schema's properties, and their list items, get a name of their own)";

/// Where a schema reference appears, for error messages.
pub struct At<'p> {
    /// Schema or path whose file holds the reference.
    pub owner: Owner<'p>,
    /// JSON pointer of the reference.
    pub pointer: Pointer,
}

/// What defines the place being read: a component schema or a path.
#[derive(Clone, Copy)]
pub enum Owner<'p> {
    Schema(&'p str),
    Path(&'p str),
}

impl Cx<'_> {
    pub fn error_at(&mut self, at: &At<'_>, message: impl Into<String>) {
        match at.owner {
            Owner::Schema(s) => self.schema_error(s, &at.pointer, message),
            Owner::Path(p) => self.path_error(p, &at.pointer, message),
        }
    }

    /// Record, in the file of `owner`, what was decided for the spec.
    pub fn warning_at(&mut self, at: &At<'_>, message: impl Into<String>) {
        let file = match at.owner {
            Owner::Schema(s) => self.schema_file(s),
            Owner::Path(p) => self.api.sources.path_file(p),
        };
        self.warnings.push(crate::error::SpecWarning::at(file, &at.pointer, message));
    }

    /// Record extensions that do not decode or are unknown, in the file of `owner`:
    /// errors, or warnings for unknown keys far from every known one.
    pub fn extension_errors(&mut self, owner: Owner<'_>, errors: Vec<ExtensionError>) {
        for e in errors {
            let at = At { owner, pointer: e.pointer };
            match e.severity {
                Severity::Error => self.error_at(&at, e.message),
                Severity::Warning => self.warning_at(&at, e.message),
            }
        }
    }

    /// The Rust name of the schema a `$ref` points at; records an error if it points nowhere.
    pub fn resolve_ref(&mut self, reference: &str, at: &At<'_>) -> Option<String> {
        let Some(name) = reference.strip_prefix(SCHEMA_REF_PREFIX) else {
            self.error_at(
                at,
                format!("$ref {reference:?} is not supported: only local refs to {SCHEMA_REF_PREFIX}<name>"),
            );
            return None;
        };
        if self.envelopes.contains(name) {
            self.error_at(
                at,
                format!("{name} is a response envelope: only an operation's success response may name it"),
            );
            return None;
        }
        match self.type_names.get(name) {
            Some(rust) => Some(rust.clone()),
            None => {
                self.error_at(at, format!("$ref to unknown schema {name}"));
                None
            }
        }
    }

    /// The schema name a `$ref` points at, if it is a known component.
    pub fn ref_schema_name<'r>(&self, reference: &'r str) -> Option<&'r str> {
        reference.strip_prefix(SCHEMA_REF_PREFIX).filter(|n| self.type_names.contains_key(*n))
    }

    /// The type of a field, parameter or body schema, with the docs written beside it.
    pub fn type_ref<S: AsSchema>(&mut self, schema: &ReferenceOr<S>, at: &At<'_>) -> Option<(TypeRef, Docs, bool)> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.resolve_ref(reference, at).map(|n| (TypeRef::Named(n), Docs::default(), false))
            }
            ReferenceOr::Item(s) => {
                let s = s.as_schema();
                let docs = docs_of(s);
                let deprecated = s.schema_data.deprecated;
                self.inline_type(s, at).map(|t| (t, docs, deprecated))
            }
        }
    }

    /// Whether a property or parameter is marked `x-sensitive: true`, given the decoded
    /// mark and its type. Only strings may be marked: a credential or card number is
    /// text, and the SDK's redaction is written for `String` and `Option<String>`.
    pub fn sensitive(&mut self, marked: Option<bool>, ty: &TypeRef, at: &At<'_>) -> bool {
        let marked = marked.unwrap_or(false);
        if marked && *ty != TypeRef::String {
            let at = At { owner: at.owner, pointer: at.pointer.join(key::SENSITIVE) };
            self.error_at(&at, "only string fields and parameters can be marked sensitive");
            return false;
        }
        marked
    }

    /// The type of a schema written in place (not a `$ref`).
    pub fn inline_type(&mut self, s: &Schema, at: &At<'_>) -> Option<TypeRef> {
        let ty = match &s.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                // `allOf: [$ref]` is how a field that refers to a named type carries its own docs.
                let inner = At { owner: at.owner, pointer: at.pointer.join("allOf").join(0) };
                return self.type_ref(&all_of[0], &inner).map(|(t, _, _)| t);
            }
            SchemaKind::Type(Type::String(st)) => {
                if !st.enumeration.is_empty() {
                    self.error_at(at, "inline enum: give it a name under components/schemas and $ref it");
                    return None;
                }
                match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(it)) => match &it.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::Int32,
                VariantOrUnknownOrEmpty::Unknown(format) if format == UNIX_TIME => TypeRef::UnixTime,
                _ => TypeRef::Int64,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Float,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(_)) => return self.array(s, at),
            SchemaKind::Any(_) if array_items(s).is_some() => return self.array(s, at),
            SchemaKind::Type(Type::Object(o)) => {
                if !o.properties.is_empty() {
                    self.error_at(at, INLINE_OBJECT_HERE);
                    return None;
                }
                match &o.additional_properties {
                    Some(openapiv3::AdditionalProperties::Schema(v)) => {
                        let inner = At { owner: at.owner, pointer: at.pointer.join("additionalProperties") };
                        TypeRef::Map(Box::new(self.type_ref(v.as_ref(), &inner)?.0))
                    }
                    _ => TypeRef::Map(Box::new(TypeRef::Json)),
                }
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } | SchemaKind::Not { .. } => {
                self.error_at(
                    at,
                    "inline composition (oneOf/anyOf/allOf/not): give it a name under components/schemas and $ref it",
                );
                return None;
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() {
                    self.error_at(at, INLINE_OBJECT_HERE);
                    return None;
                }
                TypeRef::Json
            }
        };
        Some(ty)
    }

    /// A list of its items' type (of any JSON value when `items` is missing).
    fn array(&mut self, s: &Schema, at: &At<'_>) -> Option<TypeRef> {
        let inner = At { owner: at.owner, pointer: at.pointer.join("items") };
        match array_items(s).flatten() {
            Some(items) => Some(TypeRef::Array(Box::new(self.type_ref(items, &inner)?.0))),
            None => Some(TypeRef::Array(Box::new(TypeRef::Json))),
        }
    }
}

/// The `items` of a `type: array` schema (`Some(None)` when it has none), or `None` when
/// the schema is no array. A `properties` block beside `type: array` (PortOne's
/// published V2 description titles each item's fields there) says nothing about the
/// type and is ignored; `openapiv3` reads such a schema as `Any`.
pub fn array_items(s: &Schema) -> Option<Option<&ReferenceOr<Box<Schema>>>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Array(a)) => Some(a.items.as_ref()),
        SchemaKind::Any(any) if any.typ.as_deref() == Some("array") => Some(any.items.as_ref()),
        _ => None,
    }
}

/// An object schema's `properties`, in spec order.
pub type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The `properties` and `required` of an object schema with properties (`type: object`,
/// or no `type` at all), or `None` for any other schema.
pub fn object_properties(s: &Schema) -> Option<(&Properties, &[String])> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Some((&o.properties, &o.required)),
        SchemaKind::Any(any) if !any.properties.is_empty() && matches!(any.typ.as_deref(), None | Some("object")) => {
            Some((&any.properties, &any.required))
        }
        _ => None,
    }
}

/// Docs written on a schema.
pub fn docs_of(s: &Schema) -> Docs {
    Docs { summary: s.schema_data.title.clone(), description: s.schema_data.description.clone() }
}

/// Schemas appear boxed in some places of `openapiv3` and plain in others.
pub trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}
