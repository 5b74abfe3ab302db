//! Facts of a published description against facts of our spec: every difference, with
//! where it is and both values.

use super::difference::Difference;
use super::facts::{BodyFacts, Facts, FieldFacts, OpFacts, SchemaFacts, Ty};
use super::impact::{self, Side, Sides};
use std::collections::{BTreeMap, BTreeSet};

/// Every difference between the published facts and ours, in a stable order, each
/// labelled with what following the published side does to the SDK's users.
pub fn compare(published: &Facts, spec: &Facts) -> Vec<Difference> {
    let sides = Sides::of(&[published, spec]);
    let cx = Cx { published, spec, sides, out: Vec::new() };
    cx.run()
}

struct Cx<'a> {
    published: &'a Facts,
    spec: &'a Facts,
    sides: Sides,
    out: Vec<Difference>,
}

impl Cx<'_> {
    fn run(mut self) -> Vec<Difference> {
        let mut form_bodies = BTreeSet::new();
        for (key, theirs) in &self.published.operations {
            let at = format!("{} {}", key.method, theirs.path);
            match self.spec.operations.get(key) {
                None => self.push(Difference::missing("operation", &[("operation", &at)], theirs.operation_id.clone())),
                Some(ours) => {
                    if let (Some(BodyFacts { schema: None, .. }), Some(BodyFacts { schema: Some(name), .. })) =
                        (&theirs.body, &ours.body)
                    {
                        form_bodies.insert(name.clone());
                    }
                    self.operation(&at, theirs, ours);
                }
            }
        }
        for (key, ours) in &self.spec.operations {
            if !self.published.operations.contains_key(key) {
                let at = format!("{} {}", key.method, ours.path);
                self.push(Difference::extra("operation", &[("operation", &at)], ours.operation_id.clone()));
            }
        }
        for (name, theirs) in &self.published.schemas {
            match self.spec.schemas.get(name) {
                None => self.push(Difference::missing("schema", &[("schema", name)], Some(theirs.shape.clone()))),
                Some(ours) => self.schema(name, theirs, ours),
            }
        }
        for (name, ours) in &self.spec.schemas {
            // A body named for converted form parameters is compared at its operation.
            if !self.published.schemas.contains_key(name) && !form_bodies.contains(name) {
                self.push(Difference::extra("schema", &[("schema", name)], Some(ours.shape.clone())));
            }
        }
        self.out.sort();
        self.out
    }

    fn push(&mut self, difference: Difference) {
        self.out.push(difference);
    }

    fn operation(&mut self, at: &str, theirs: &OpFacts, ours: &OpFacts) {
        let loc = [("operation", at)];
        self.values("operation-id", &loc, &theirs.operation_id, &ours.operation_id);
        self.flag("unstable", &loc, theirs.unstable, ours.unstable, Side::REQUEST);
        self.flag("deprecated", &loc, theirs.deprecated, ours.deprecated, Side::REQUEST);
        for ((location, name), p) in &theirs.params {
            let param = format!("{location} {}", param_name(&theirs.path, name));
            let loc = [("operation", at), ("parameter", param.as_str())];
            match ours.params.get(&(location.clone(), name.clone())) {
                None => self.push(
                    Difference::missing("parameter", &loc, Some(p.ty.to_string()))
                        .with_impact(impact::of_addition(p.required, Side::REQUEST)),
                ),
                Some(o) => {
                    self.flag("parameter-required", &loc, p.required, o.required, Side::REQUEST);
                    self.flag("parameter-deprecated", &loc, p.deprecated, o.deprecated, Side::REQUEST);
                    self.ty("parameter-type", &loc, &p.ty, &o.ty);
                }
            }
        }
        for ((location, name), o) in &ours.params {
            if !theirs.params.contains_key(&(location.clone(), name.clone())) {
                let param = format!("{location} {}", param_name(&ours.path, name));
                let loc = [("operation", at), ("parameter", param.as_str())];
                self.push(Difference::extra("parameter", &loc, Some(o.ty.to_string())));
            }
        }
        match (&theirs.body, &ours.body) {
            (None, None) => {}
            (Some(b), None) => {
                let required = b.required.unwrap_or_else(|| b.fields.values().any(|f| f.required));
                let added = Difference::missing("body", &loc, Some(body_text(b)));
                self.push(added.with_impact(impact::of_addition(required, Side::REQUEST)));
            }
            (None, Some(b)) => self.push(Difference::extra("body", &loc, Some(body_text(b)))),
            (Some(t), Some(o)) => self.body(at, t, o),
        }
        let statuses: BTreeSet<&String> = theirs.responses.keys().chain(ours.responses.keys()).collect();
        for status in statuses {
            let loc = [("operation", at), ("status", status.as_str())];
            match (theirs.responses.get(status), ours.responses.get(status)) {
                (Some(t), None) => self.push(Difference::missing("response", &loc, Some(t.to_string()))),
                (None, Some(o)) => self.push(Difference::extra("response", &loc, Some(o.to_string()))),
                (Some(t), Some(o)) => self.ty("response-type", &loc, t, o),
                (None, None) => {}
            }
        }
        for tag in theirs.errors.difference(&ours.errors) {
            self.push(Difference::missing("error", &[("operation", at), ("tag", tag)], None));
        }
        for tag in ours.errors.difference(&theirs.errors) {
            self.push(Difference::extra("error", &[("operation", at), ("tag", tag)], None));
        }
    }

    fn body(&mut self, at: &str, theirs: &BodyFacts, ours: &BodyFacts) {
        let loc = [("operation", at)];
        if let (Some(t), Some(o)) = (theirs.required, ours.required) {
            self.flag("body-required", &loc, t, o, Side::REQUEST);
        }
        if let (Some(t), Some(o)) = (&theirs.schema, &ours.schema) {
            // Both name a schema: the schema comparison covers its fields.
            self.values("body-schema", &loc, &Some(t.clone()), &Some(o.clone()));
            return;
        }
        self.fields(("operation", at), &theirs.fields, &ours.fields, Side::REQUEST);
    }

    fn schema(&mut self, name: &str, theirs: &SchemaFacts, ours: &SchemaFacts) {
        let loc = [("schema", name)];
        let side = self.sides.of_schema(name);
        self.values("schema-shape", &loc, &Some(theirs.shape.clone()), &Some(ours.shape.clone()));
        self.flag("deprecated", &loc, theirs.deprecated, ours.deprecated, side);
        self.flag("unstable", &loc, theirs.unstable, ours.unstable, side);
        self.fields(("schema", name), &theirs.fields, &ours.fields, side);
        for value in theirs.enum_values.difference(&ours.enum_values) {
            self.push(Difference::missing("enum-value", &[("schema", name), ("value", value)], None));
        }
        for value in ours.enum_values.difference(&theirs.enum_values) {
            self.push(Difference::extra("enum-value", &[("schema", name), ("value", value)], None));
        }
        let empty = BTreeMap::new();
        let (t_map, o_map) =
            (theirs.union.as_ref().map_or(&empty, |u| &u.mapping), ours.union.as_ref().map_or(&empty, |u| &u.mapping));
        if let (Some(t), Some(o)) = (&theirs.union, &ours.union) {
            self.values("union-property", &loc, &t.property, &o.property);
        }
        for (tag, target) in t_map {
            let loc = [("schema", name), ("tag", tag.as_str())];
            match o_map.get(tag) {
                None => self.push(Difference::missing("union-tag", &loc, Some(target.clone()))),
                Some(o) => self.values("union-mapping", &loc, &Some(target.clone()), &Some(o.clone())),
            }
        }
        for (tag, target) in o_map {
            if !t_map.contains_key(tag) {
                let loc = [("schema", name), ("tag", tag.as_str())];
                self.push(Difference::extra("union-tag", &loc, Some(target.clone())));
            }
        }
    }

    fn fields(
        &mut self,
        owner: (&str, &str),
        theirs: &BTreeMap<String, FieldFacts>,
        ours: &BTreeMap<String, FieldFacts>,
        side: Side,
    ) {
        for (field, t) in theirs {
            let loc = [owner, ("field", field.as_str())];
            match ours.get(field) {
                None => self.push(
                    Difference::missing("field", &loc, Some(t.ty.to_string()))
                        .with_impact(impact::of_addition(t.required, side)),
                ),
                Some(o) => {
                    self.ty("field-type", &loc, &t.ty, &o.ty);
                    self.flag("field-required", &loc, t.required, o.required, side);
                    self.flag("field-nullable", &loc, t.nullable, o.nullable, side);
                    self.flag("field-deprecated", &loc, t.deprecated, o.deprecated, side);
                }
            }
        }
        for (field, o) in ours {
            if !theirs.contains_key(field) {
                self.push(Difference::extra("field", &[owner, ("field", field.as_str())], Some(o.ty.to_string())));
            }
        }
    }

    /// A mark that differs; `side` is the data it is on, which decides its impact.
    fn flag(&mut self, kind: &str, loc: &[(&str, &str)], theirs: bool, ours: bool, side: Side) {
        if theirs != ours {
            let difference = Difference::differs(kind, loc, theirs.to_string(), ours.to_string());
            self.push(difference.with_impact(impact::of_flag(kind, theirs, side)));
        }
    }

    fn values(&mut self, kind: &str, loc: &[(&str, &str)], theirs: &Option<String>, ours: &Option<String>) {
        if theirs != ours {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
            self.push(Difference::differs(kind, loc, show(theirs), show(ours)));
        }
    }

    fn ty(&mut self, kind: &str, loc: &[(&str, &str)], theirs: &Ty, ours: &Ty) {
        if !self.same_type(theirs, ours) {
            self.push(Difference::differs(kind, loc, theirs.to_string(), ours.to_string()));
        }
    }

    /// Equal types, or an inline enum or object of theirs that our spec names (the
    /// generator needs a name for each), with the same values, or the same fields
    /// (names, types, required-ness, marks).
    fn same_type(&self, theirs: &Ty, ours: &Ty) -> bool {
        match (theirs, ours) {
            (Ty::Array(t), Ty::Array(o)) | (Ty::Map(t), Ty::Map(o)) | (Ty::Envelope(t), Ty::Envelope(o)) => {
                self.same_type(t, o)
            }
            (Ty::Enum { values, .. }, Ty::Ref(name)) => {
                self.spec.schemas.get(name).is_some_and(|s| s.union.is_none() && &s.enum_values == values)
            }
            (Ty::Object(fields), Ty::Ref(name)) if !self.published.schemas.contains_key(name) => {
                self.spec.schemas.get(name).is_some_and(|s| s.shape == "object" && self.same_fields(fields, &s.fields))
            }
            (Ty::Object(t), Ty::Object(o)) => self.same_fields(t, o),
            _ => theirs == ours,
        }
    }
}

impl Cx<'_> {
    fn same_fields(&self, theirs: &BTreeMap<String, FieldFacts>, ours: &BTreeMap<String, FieldFacts>) -> bool {
        theirs.len() == ours.len()
            && theirs.iter().zip(ours).all(|((tn, t), (on, o))| {
                tn == on
                    && t.required == o.required
                    && t.nullable == o.nullable
                    && t.deprecated == o.deprecated
                    && self.same_type(&t.ty, &o.ty)
            })
    }
}

/// A path parameter's name in `path` for its position key (`{1}`); others as they are.
fn param_name(path: &str, key: &str) -> String {
    let Some(index) = key.strip_prefix('{').and_then(|k| k.strip_suffix('}')).and_then(|k| k.parse::<usize>().ok())
    else {
        return key.to_string();
    };
    path.split('{').skip(1).filter_map(|s| s.split('}').next()).nth(index).unwrap_or(key).to_string()
}

fn body_text(body: &BodyFacts) -> String {
    match &body.schema {
        Some(name) => name.clone(),
        None => format!("fields {{{}}}", body.fields.keys().cloned().collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: Ty) -> FieldFacts {
        FieldFacts { ty, required: false, nullable: false, deprecated: false }
    }

    fn scalar(name: &str) -> Ty {
        Ty::Scalar { name: name.into(), format: None }
    }

    /// Published `Outer.inner` is an inline object; ours names it `Inner`.
    fn named_inline(inner_field: Ty) -> Vec<Difference> {
        let inline = Ty::Object(BTreeMap::from([("id".to_string(), field(scalar("string")))]));
        let published = Facts {
            schemas: BTreeMap::from([(
                "Outer".to_string(),
                SchemaFacts {
                    shape: "object".into(),
                    fields: BTreeMap::from([("inner".to_string(), field(inline))]),
                    ..SchemaFacts::default()
                },
            )]),
            ..Facts::default()
        };
        let mut spec = published.clone();
        spec.schemas.get_mut("Outer").unwrap().fields.insert("inner".into(), field(Ty::Ref("Inner".into())));
        let inner = SchemaFacts {
            shape: "object".into(),
            fields: BTreeMap::from([("id".to_string(), field(inner_field))]),
            ..SchemaFacts::default()
        };
        spec.schemas.insert("Inner".into(), inner);
        compare(&published, &spec)
    }

    #[test]
    fn a_named_inline_object_compares_by_its_fields() {
        let same = named_inline(scalar("string"));
        let texts: Vec<String> = same.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["[breaking] schema: schema Inner (object)"]);
        let other = named_inline(scalar("integer"));
        let kinds: Vec<&str> = other.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["schema", "field-type"]);
        assert_eq!(other[1].published.as_deref(), Some("inline object {id}"));
    }

    #[test]
    fn path_parameters_show_their_names() {
        assert_eq!(param_name("/a/{id}/b/{other}", "{1}"), "other");
        assert_eq!(param_name("/a", "storeId"), "storeId");
    }
}
