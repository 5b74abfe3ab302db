//! Which differences break programs built on the SDK when our spec follows the published
//! description: whether a schema is written by callers (request data), read by them
//! (response data), or both, decides what a changed mark does.

use super::difference::Impact;
use super::facts::{Facts, Ty};
use std::collections::BTreeSet;

/// The schemas reachable from requests and from responses, over both sides compared.
#[derive(Debug, Default)]
pub struct Sides {
    inputs: BTreeSet<String>,
    outputs: BTreeSet<String>,
}

/// Which data a field or parameter belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// Callers write it (a parameter, a request body, a schema reachable from one).
    pub input: bool,
    /// Callers read it (a schema reachable from a response or an error).
    pub output: bool,
}

impl Side {
    /// A parameter or a field of a body written in place.
    pub const REQUEST: Side = Side { input: true, output: false };
}

impl Sides {
    /// Walk from every operation's parameters and body (inputs) and responses and error
    /// tags (outputs) through fields, items and union cases.
    pub fn of(sides: &[&Facts]) -> Self {
        let (mut inputs, mut outputs) = (Vec::new(), Vec::new());
        for facts in sides {
            for op in facts.operations.values() {
                op.params.values().for_each(|p| refs(&p.ty, &mut inputs));
                if let Some(body) = &op.body {
                    inputs.extend(body.schema.iter().cloned());
                    body.fields.values().for_each(|f| refs(&f.ty, &mut inputs));
                }
                op.responses.values().for_each(|ty| refs(ty, &mut outputs));
                for tag in &op.errors {
                    outputs.push(tag.clone());
                    // An error tag names its case schema through the error unions' mappings.
                    for schema in facts.schemas.values() {
                        outputs.extend(schema.union.iter().filter_map(|u| u.mapping.get(tag)).cloned());
                    }
                }
            }
        }
        Sides { inputs: reach(inputs, sides), outputs: reach(outputs, sides) }
    }

    /// The side of a named schema; one no operation reaches counts as both.
    pub fn of_schema(&self, name: &str) -> Side {
        let (input, output) = (self.inputs.contains(name), self.outputs.contains(name));
        if !input && !output { Side { input: true, output: true } } else { Side { input, output } }
    }
}

/// Every schema reachable from `start`.
fn reach(mut todo: Vec<String>, sides: &[&Facts]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for schema in sides.iter().filter_map(|f| f.schemas.get(&name)) {
            schema.fields.values().for_each(|f| refs(&f.ty, &mut todo));
            todo.extend(schema.union.iter().flat_map(|u| u.mapping.values().cloned()));
        }
    }
    seen
}

/// The schemas a type names.
fn refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Ref(name) => out.push(name.clone()),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Envelope(inner) => refs(inner, out),
        Ty::Object(fields) => fields.values().for_each(|f| refs(&f.ty, out)),
        Ty::OneOf(cases) => cases.iter().for_each(|c| refs(c, out)),
        Ty::None | Ty::Scalar { .. } | Ty::Enum { .. } | Ty::Invalid(_) => {}
    }
}

/// The impact of a mark that differs, `published` being the value our spec takes on.
pub fn of_flag(kind: &str, published: bool, side: Side) -> Impact {
    match kind {
        // Documentation and warnings only.
        "deprecated" | "field-deprecated" | "parameter-deprecated" => Impact::Additive,
        // A caller must now give it; giving it no longer needed is a relaxation.
        "parameter-required" | "body-required" => breaking_if(published),
        // Required → optional relaxes a request and changes the type a response is read as.
        "field-required" => breaking_if(published || side.output),
        // Null allowed in requests relaxes them; anything else changes a type.
        "field-nullable" => breaking_if(!published || side.output),
        // Behind the unstable gate, callers without it lose it.
        "unstable" => breaking_if(published),
        _ => Impact::Breaking,
    }
}

/// The impact of adding a field (or parameter) that is `required` on `side`.
pub fn of_addition(required: bool, side: Side) -> Impact {
    breaking_if(required && side.input)
}

fn breaking_if(breaking: bool) -> Impact {
    if breaking { Impact::Breaking } else { Impact::Additive }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::facts::{BodyFacts, FieldFacts, OpFacts, OpKey, SchemaFacts};
    use std::collections::BTreeMap;

    fn field(ty: Ty) -> FieldFacts {
        FieldFacts { ty, required: true, nullable: false, deprecated: false }
    }

    fn object(fields: &[(&str, Ty)]) -> SchemaFacts {
        let fields = fields.iter().map(|(n, t)| (n.to_string(), field(t.clone()))).collect();
        SchemaFacts { shape: "object".into(), fields, ..SchemaFacts::default() }
    }

    #[test]
    fn schemas_are_requests_responses_or_both() {
        let mut facts = Facts::default();
        let op = OpFacts {
            path: "/a".into(),
            body: Some(BodyFacts { required: Some(true), schema: Some("Body".into()), fields: BTreeMap::new() }),
            responses: BTreeMap::from([("200".to_string(), Ty::Envelope(Box::new(Ty::Ref("Out".into()))))]),
            ..OpFacts::default()
        };
        facts.operations.insert(OpKey::new("post", "/a"), op);
        facts.schemas.insert("Body".into(), object(&[("shared", Ty::Ref("Shared".into()))]));
        let items = Ty::Array(Box::new(Ty::Ref("Shared".into())));
        facts.schemas.insert("Out".into(), object(&[("items", items)]));
        facts.schemas.insert("Shared".into(), object(&[]));
        facts.schemas.insert("Loose".into(), object(&[]));
        let sides = Sides::of(&[&facts]);
        assert_eq!(sides.of_schema("Body"), Side { input: true, output: false });
        assert_eq!(sides.of_schema("Out"), Side { input: false, output: true });
        assert_eq!(sides.of_schema("Shared"), Side { input: true, output: true });
        assert_eq!(sides.of_schema("Loose"), Side { input: true, output: true });
    }

    #[test]
    fn relaxing_a_request_is_additive_and_the_rest_breaks() {
        let response = Side { input: false, output: true };
        assert_eq!(of_flag("field-required", false, Side::REQUEST), Impact::Additive);
        assert_eq!(of_flag("field-required", true, Side::REQUEST), Impact::Breaking);
        assert_eq!(of_flag("field-required", false, response), Impact::Breaking);
        assert_eq!(of_flag("parameter-required", false, Side::REQUEST), Impact::Additive);
        assert_eq!(of_flag("field-nullable", true, Side::REQUEST), Impact::Additive);
        assert_eq!(of_flag("field-nullable", true, response), Impact::Breaking);
        assert_eq!(of_flag("field-deprecated", true, response), Impact::Additive);
        assert_eq!(of_flag("unstable", true, response), Impact::Breaking);
        assert_eq!(of_flag("unstable", false, response), Impact::Additive);
        assert_eq!(of_addition(true, Side::REQUEST), Impact::Breaking);
        assert_eq!(of_addition(true, response), Impact::Additive);
        assert_eq!(of_addition(false, Side::REQUEST), Impact::Additive);
    }
}
