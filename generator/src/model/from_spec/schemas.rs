//! Component schemas → named types: structs, string enums, discriminated unions, aliases.

use super::Cx;
use super::types::{At, Owner, Properties, array_items, docs_of, object_properties};
use crate::error::Pointer;
use crate::load::extensions::{LabelExt, PropertyExtensions, SchemaExtensions, key};
use crate::model::naming::{self, Ident, Scope, UNRECOGNIZED};
use crate::model::{Docs, EnumType, EnumValue, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeMap;

/// Schemas that are the API's response envelope or an envelope around one operation's
/// data (`allOf` with the envelope's `$ref`, or an object with the envelope's code and
/// message fields): the SDK unwraps them, so they are not types.
pub fn envelope_schemas(cx: &Cx<'_>) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let Some((names, envelope)) = cx.envelope.clone() else { return out };
    let Some(components) = &cx.api.doc.components else { return out };
    let target = format!("#/components/schemas/{envelope}");
    out.insert(envelope);
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else { continue };
        let is_envelope = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                all_of.iter().any(|m| matches!(m, ReferenceOr::Reference { reference } if *reference == target))
            }
            SchemaKind::Type(Type::Object(o)) => {
                o.properties.contains_key(&names.code) && o.properties.contains_key(&names.message)
            }
            _ => false,
        };
        if is_envelope {
            out.insert(name.clone());
        }
    }
    out
}

/// Build a [`TypeDef`] for every component schema, and one for every inline object in a
/// property (see [`field_type`]), sorted by Rust name.
pub fn build_types(cx: &mut Cx<'_>) -> Vec<TypeDef> {
    let Some(components) = &cx.api.doc.components else { return Vec::new() };
    let mut out = Vec::new();
    let envelopes = envelope_schemas(cx);
    for (name, schema) in &components.schemas {
        let pointer = Pointer::schema(name);
        let ext = match schema {
            ReferenceOr::Item(s) => {
                let (ext, errors) = SchemaExtensions::decode(&s.schema_data.extensions, &pointer);
                cx.extension_errors(Owner::Schema(name), errors);
                ext
            }
            ReferenceOr::Reference { .. } => SchemaExtensions::default(),
        };
        if envelopes.contains(name) {
            continue;
        }
        let Some(rust) = cx.type_names.get(name).cloned() else { continue };
        let schema = match schema {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                // A named alias of another schema.
                let at = At { owner: Owner::Schema(name), pointer: pointer.clone() };
                if let Some(target) = cx.resolve_ref(reference, &at) {
                    out.push(new_type(rust, name, Docs::default(), false, TypeKind::Alias(TypeRef::Named(target))));
                }
                continue;
            }
        };
        if let Some(kind) = type_kind(cx, name, &rust, schema, &ext, &pointer) {
            out.push(new_type(rust, name, docs_of(schema), schema.schema_data.deprecated, kind));
        }
    }
    out.append(&mut std::mem::take(&mut cx.inline_types));
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A type as read from its schema; module, features, gate and direction are set by `finish`.
fn new_type(rust: String, schema_name: &str, docs: Docs, deprecated: bool, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: rust,
        schema_name: schema_name.to_string(),
        module: Ident::default(),
        features: Vec::new(),
        gate: Default::default(),
        direction: Default::default(),
        docs,
        deprecated,
        kind,
    }
}

fn type_kind(
    cx: &mut Cx<'_>,
    name: &str,
    rust: &str,
    schema: &Schema,
    ext: &SchemaExtensions,
    pointer: &Pointer,
) -> Option<TypeKind> {
    let at = At { owner: Owner::Schema(name), pointer: pointer.clone() };
    let parent = Parent { owner: name, rust, schema_name: name };
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => union(cx, name, schema, ext, one_of, pointer).map(TypeKind::Union),
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
            Some(TypeKind::Enum(string_enum(cx, name, ext, &values, pointer)))
        }
        SchemaKind::Type(Type::Object(o)) => {
            if o.properties.is_empty() {
                if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
                    return cx.type_ref(&ReferenceOr::Item(schema.clone()), &at).map(|(t, _, _)| TypeKind::Alias(t));
                }
            } else if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
                let at = pointer.join("additionalProperties").into_at(name);
                cx.error_at(&at, "properties together with additionalProperties are not supported");
            }
            Some(TypeKind::Struct(structure(cx, &parent, &o.properties, &o.required, pointer)))
        }
        // A list, whatever `properties` stand beside `type: array`.
        SchemaKind::Any(_) if array_items(schema).is_some() => {
            cx.type_ref(&ReferenceOr::Item(schema.clone()), &at).map(|(t, _, _)| TypeKind::Alias(t))
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            Some(TypeKind::Struct(structure(cx, &parent, &any.properties, &any.required, pointer)))
        }
        SchemaKind::Any(any) if !any.one_of.is_empty() => {
            union(cx, name, schema, ext, &any.one_of, pointer).map(TypeKind::Union)
        }
        SchemaKind::Any(_) | SchemaKind::Type(_) | SchemaKind::AllOf { .. } => {
            cx.type_ref(&ReferenceOr::Item(schema.clone()), &at).map(|(t, _, _)| TypeKind::Alias(t))
        }
        SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
            cx.error_at(&at, "anyOf and not are not supported; use oneOf with a discriminator");
            None
        }
    }
}

trait IntoAt {
    fn into_at(self, schema: &str) -> At<'_>;
}

impl IntoAt for Pointer {
    fn into_at(self, schema: &str) -> At<'_> {
        At { owner: Owner::Schema(schema), pointer: self }
    }
}

/// The struct whose fields are being read.
struct Parent<'p> {
    /// The component schema it is, or is written inside of (whose file errors name).
    owner: &'p str,
    /// Its Rust name.
    rust: &'p str,
    /// Its schema name, or where it is written (`Order.shipping`).
    schema_name: &'p str,
}

fn structure(
    cx: &mut Cx<'_>,
    parent: &Parent<'_>,
    properties: &Properties,
    required: &[String],
    pointer: &Pointer,
) -> Struct {
    let name = parent.owner;
    let file = cx.schema_file(name).to_path_buf();
    let mut scope = Scope::new(&file, "fields");
    let mut fields = Vec::new();
    for (wire, prop) in properties {
        let at = pointer.join("properties").join(wire).into_at(name);
        let rust_name = naming::snake(wire);
        scope.claim(&rust_name.name, wire, &at.pointer, &mut cx.errors);
        let Some((ty, docs, deprecated)) = field_type(cx, parent, wire, prop, &at) else { continue };
        let nullable = matches!(prop, ReferenceOr::Item(s) if s.schema_data.nullable);
        let sensitive = match prop {
            ReferenceOr::Item(s) => {
                let (ext, errors) = PropertyExtensions::decode(&s.schema_data.extensions, &at.pointer);
                cx.extension_errors(at.owner, errors);
                cx.sensitive(ext.sensitive, &ty, &at)
            }
            ReferenceOr::Reference { .. } => false,
        };
        fields.push(Field {
            wire_name: wire.clone(),
            rust_name,
            ty,
            required: required.contains(wire) && !nullable,
            boxed: false,
            docs,
            deprecated,
            sensitive,
            whole_numbers: false,
            rules: super::rules::of_property(prop),
        });
    }
    for (i, req) in required.iter().enumerate() {
        if !properties.contains_key(req) {
            let at = pointer.join("required").join(i).into_at(name);
            cx.error_at(&at, format!("required field {req:?} is not among the properties"));
        }
    }
    Struct { fields, constructor: None }
}

/// The type of property `wire` of `parent`: as [`Cx::type_ref`], except that an inline
/// object, as the property's schema or as its list items (lists of lists too), becomes a
/// struct of its own named `<Parent><Field>` ([`naming::inline_type`]).
fn field_type(
    cx: &mut Cx<'_>,
    parent: &Parent<'_>,
    wire: &str,
    prop: &ReferenceOr<Box<Schema>>,
    at: &At<'_>,
) -> Option<(TypeRef, Docs, bool)> {
    let ReferenceOr::Item(schema) = prop else { return cx.type_ref(prop, at) };
    let ty = inline_field(cx, parent, wire, schema, &at.pointer)?;
    Some((ty, docs_of(schema), schema.schema_data.deprecated))
}

fn inline_field(
    cx: &mut Cx<'_>,
    parent: &Parent<'_>,
    wire: &str,
    schema: &Schema,
    pointer: &Pointer,
) -> Option<TypeRef> {
    if let Some((properties, required)) = object_properties(schema) {
        return inline_struct(cx, parent, wire, schema, properties, required, pointer).map(TypeRef::Named);
    }
    if let Some(Some(ReferenceOr::Item(items))) = array_items(schema) {
        let inner = inline_field(cx, parent, wire, items, &pointer.join("items"))?;
        return Some(TypeRef::Array(Box::new(inner)));
    }
    cx.inline_type(schema, &pointer.clone().into_at(parent.owner))
}

/// Make the struct for an inline object at `pointer`, named after its parent and the
/// property holding it; `None` (with an error) when that name is already taken.
fn inline_struct(
    cx: &mut Cx<'_>,
    parent: &Parent<'_>,
    wire: &str,
    schema: &Schema,
    properties: &Properties,
    required: &[String],
    pointer: &Pointer,
) -> Option<String> {
    let rust = naming::inline_type(parent.rust, wire);
    let file = cx.schema_file(parent.owner).to_path_buf();
    let at = pointer.clone().into_at(parent.owner);
    let taken = if let Some(schema) = cx.rust_names.get(&rust) {
        Some(format!("schema {schema:?} at {}: {}", cx.schema_file(schema).display(), Pointer::schema(schema)))
    } else {
        cx.inline_names.get(&rust).map(|(f, p)| format!("the inline object at {}: {p}", f.display()))
    };
    if let Some(other) = taken {
        let message = format!(
            "this inline object's type would be `{rust}` (parent and property), the name of {other}; rename one, \
             or name this object under components/schemas and $ref it"
        );
        cx.error_at(&at, message);
        return None;
    }
    cx.inline_names.insert(rust.clone(), (file, pointer.clone()));
    let additional = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.additional_properties.as_ref(),
        SchemaKind::Any(any) => any.additional_properties.as_ref(),
        _ => None,
    };
    if let Some(AdditionalProperties::Schema(_)) = additional {
        let at = pointer.join("additionalProperties").into_at(parent.owner);
        cx.error_at(&at, "properties together with additionalProperties are not supported");
    }
    let schema_name = format!("{}.{wire}", parent.schema_name);
    let me = Parent { owner: parent.owner, rust: &rust, schema_name: &schema_name };
    let kind = TypeKind::Struct(structure(cx, &me, properties, required, pointer));
    cx.inline_types.push(new_type(rust.clone(), &schema_name, docs_of(schema), schema.schema_data.deprecated, kind));
    Some(rust)
}

fn string_enum(cx: &mut Cx<'_>, name: &str, ext: &SchemaExtensions, values: &[String], pointer: &Pointer) -> EnumType {
    let file = cx.schema_file(name).to_path_buf();
    let mut scope = Scope::new(&file, "enum values");
    scope.reserve(UNRECOGNIZED, "(the variant for unknown values)");
    let descriptions = ext.enum_descriptions.as_ref();
    let varnames = ext.enum_varnames.as_ref().map(|names| {
        if names.len() == values.len() {
            names.iter().map(|n| naming::upper_camel(n)).collect()
        } else {
            let at = pointer.join(key::ENUM_VARNAMES).into_at(name);
            cx.error_at(&at, "expected one variant name (a string) per enum value");
            Vec::new()
        }
    });
    let mut out = Vec::new();
    for (i, wire) in values.iter().enumerate() {
        let rust_name = match varnames.as_ref().and_then(|v| v.get(i)) {
            Some(n) => n.clone(),
            None => naming::upper_camel(wire),
        };
        scope.claim(&rust_name, wire, &pointer.join("enum").join(i), &mut cx.errors);
        let docs = match descriptions {
            Some(d) => Docs { summary: None, description: d.get(wire).cloned() },
            None => label_docs(ext.portone_enum.as_ref(), wire),
        };
        out.push(EnumValue { wire: wire.clone(), rust_name, docs });
    }
    if let Some(d) = descriptions {
        for value in d.keys().filter(|k| !values.contains(k)) {
            let at = pointer.join(key::ENUM_DESCRIPTIONS).join(value).into_at(name);
            cx.error_at(&at, format!("describes {value:?}, which is not one of the enum values"));
        }
    }
    // PortOne's texts are documentation only: one for a value that is not there is reported
    // and does not stop generation.
    for value in ext.portone_enum.iter().flat_map(|m| m.keys()).filter(|k| !values.contains(k)) {
        let at = pointer.join(key::PORTONE_ENUM).join(value).into_at(name);
        cx.warning_at(&at, format!("describes {value:?}, which is not one of the enum values; ignored"));
    }
    EnumType { values: out }
}

/// The docs `x-portone-enum` or `x-portone-discriminator` gives for a value or tag.
fn label_docs(labels: Option<&indexmap::IndexMap<String, LabelExt>>, value: &str) -> Docs {
    let label = labels.and_then(|l| l.get(value)).cloned().unwrap_or_default();
    Docs { summary: label.title, description: label.description }
}

fn union(
    cx: &mut Cx<'_>,
    name: &str,
    schema: &Schema,
    ext: &SchemaExtensions,
    one_of: &[ReferenceOr<Schema>],
    pointer: &Pointer,
) -> Option<Union> {
    if let Some(by_field) = &ext.case_by_field {
        return union_by_field(cx, name, one_of, by_field, pointer);
    }
    let Some(disc) = &schema.schema_data.discriminator else {
        let at = pointer.join("oneOf").into_at(name);
        cx.error_at(
            &at,
            "oneOf without discriminator: add discriminator.propertyName (and mapping) so each case is chosen by its tag",
        );
        return None;
    };
    // Members by schema name, in oneOf order.
    let mut members: BTreeMap<String, usize> = BTreeMap::new();
    for (i, member) in one_of.iter().enumerate() {
        let at = pointer.join("oneOf").join(i).into_at(name);
        match member {
            ReferenceOr::Reference { reference } => {
                if cx.resolve_ref(reference, &at).is_some() {
                    if let Some(n) = cx.ref_schema_name(reference) {
                        members.insert(n.to_string(), i);
                    }
                }
            }
            ReferenceOr::Item(_) => {
                cx.error_at(&at, "inline oneOf case: give it a name under components/schemas and $ref it")
            }
        }
    }
    // Tag → member: explicit mapping first, then members the mapping leaves out, by their schema name.
    let mut by_tag: BTreeMap<String, String> = BTreeMap::new();
    for (tag, target) in &disc.mapping {
        let at = pointer.join("discriminator").join("mapping").join(tag).into_at(name);
        if cx.resolve_ref(target, &at).is_none() {
            continue;
        }
        let Some(member) = cx.ref_schema_name(target).map(str::to_string) else { continue };
        if !members.contains_key(&member) {
            cx.error_at(&at, format!("maps to {member}, which is not one of the oneOf cases"));
            continue;
        }
        by_tag.insert(tag.clone(), member);
    }
    for member in members.keys() {
        if !by_tag.values().any(|m| m == member) {
            by_tag.insert(member.clone(), member.clone());
        }
    }
    let file = cx.schema_file(name).to_path_buf();
    let mut scope = Scope::new(&file, "union tags");
    scope.reserve(UNRECOGNIZED, "(the variant for unknown tags)");
    let mut variants = Vec::new();
    for (tag, member) in by_tag {
        let rust_name = naming::upper_camel(&tag);
        let tag_pointer = pointer.join("discriminator").join("mapping").join(&tag);
        scope.claim(&rust_name, &tag, &tag_pointer, &mut cx.errors);
        let type_name = cx.type_names[&member].clone();
        let mut docs = member_docs(cx, &member);
        if docs == Docs::default() {
            docs = label_docs(ext.portone_discriminator.as_ref(), &tag);
        }
        let status = member_status(cx, &member);
        variants.push(UnionVariant { tag, rust_name, type_name, docs, status, keeps_tag: false });
    }
    for tag in ext.portone_discriminator.iter().flat_map(|m| m.keys()) {
        if !variants.iter().any(|v| v.tag == *tag) {
            let at = pointer.join(key::PORTONE_DISCRIMINATOR).join(tag).into_at(name);
            cx.warning_at(&at, format!("names {tag:?}, which is not one of the union's tags; ignored"));
        }
    }
    Some(Union {
        tag_property: disc.property_name.clone(),
        variants,
        is_error: false,
        by_field: Vec::new(),
        default_case: None,
        shared_fields: Vec::new(),
    })
}

/// A `oneOf` whose cases are told apart by a field only one of them has. Exactly one
/// case is left without a field: the one a value without any of them is.
fn union_by_field(
    cx: &mut Cx<'_>,
    name: &str,
    one_of: &[ReferenceOr<Schema>],
    map: &indexmap::IndexMap<String, String>,
    pointer: &Pointer,
) -> Option<Union> {
    let ext = pointer.join(key::CASE_BY_FIELD);
    let mut members = Vec::new();
    for (i, member) in one_of.iter().enumerate() {
        let at = pointer.join("oneOf").join(i).into_at(name);
        match member {
            ReferenceOr::Reference { reference } => {
                if cx.resolve_ref(reference, &at).is_some() {
                    members.extend(cx.ref_schema_name(reference).map(str::to_string));
                }
            }
            ReferenceOr::Item(_) => {
                cx.error_at(&at, "inline oneOf case: give it a name under components/schemas and $ref it")
            }
        }
    }
    let file = cx.schema_file(name).to_path_buf();
    let mut scope = Scope::new(&file, "union cases");
    let mut variants = Vec::new();
    let mut fields = Vec::new();
    for member in &members {
        let rust_name = naming::upper_camel(member.trim_end_matches("Annotation"));
        scope.claim(&rust_name, member, &pointer.join("oneOf"), &mut cx.errors);
        let docs = member_docs(cx, member);
        variants.push(UnionVariant {
            tag: member.clone(),
            rust_name: rust_name.clone(),
            type_name: cx.type_names[member].clone(),
            docs,
            status: member_status(cx, member),
            keeps_tag: false,
        });
    }
    for (field, case) in map {
        match variants.iter().find(|v| v.tag == *case) {
            Some(v) => fields.push((field.clone(), v.rust_name.clone())),
            None => cx.error_at(&ext.join(field).into_at(name), format!("{case:?} is not one of the oneOf cases")),
        }
    }
    let rest: Vec<&UnionVariant> = variants.iter().filter(|v| !fields.iter().any(|(_, r)| *r == v.rust_name)).collect();
    if rest.len() != 1 {
        cx.error_at(&ext.into_at(name), "exactly one case must be left for values without any of the fields");
        return None;
    }
    let default_case = Some(rest[0].rust_name.clone());
    Some(Union {
        tag_property: String::new(),
        variants,
        is_error: false,
        by_field: fields,
        default_case,
        shared_fields: Vec::new(),
    })
}

/// The case schema's `x-portone-status-code`, when it is a number that can be an HTTP status.
fn member_status(cx: &Cx<'_>, member: &str) -> Option<u16> {
    match cx.api.doc.components.as_ref().and_then(|c| c.schemas.get(member)) {
        // Its errors are reported where the member schema itself is read.
        Some(ReferenceOr::Item(s)) => SchemaExtensions::decode(&s.schema_data.extensions, &Pointer::root())
            .0
            .status_code
            .filter(|code| (100..=599).contains(code)),
        _ => None,
    }
}

fn member_docs(cx: &Cx<'_>, member: &str) -> Docs {
    match cx.api.doc.components.as_ref().and_then(|c| c.schemas.get(member)) {
        Some(ReferenceOr::Item(s)) => docs_of(s),
        _ => Docs::default(),
    }
}
