//! The SDK's generated redaction test (`tests/sensitive.rs` with `tests/sensitive.json`):
//! for every struct with a field the spec marks `x-sensitive`, a synthesized value whose
//! string fields say what they are (a sensitive one `SENSITIVE-<Type>-<field>-4111...`,
//! any other `VISIBLE-<Type>-<field>`); and for every request builder that takes such a
//! struct in its body or a sensitive parameter, the builder made from synthesized inputs.
//! The test decodes or builds each and checks that `{:?}` and `{:#?}` show every visible
//! value and no sensitive one.

use crate::emit::examples::{Examples, sensitive_marker, visible_marker};
use crate::emit::rust::ident;
use crate::model::{Api, Argument, Auth, Category, Operation, TypeKind, TypeRef};
use crate::write::FileSet;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

/// The checks and the data of each kind (structs, requests), by `api::Name`.
#[derive(Default)]
struct Cases {
    structs: Vec<TokenStream>,
    structs_data: Map<String, Value>,
    requests: Vec<TokenStream>,
    requests_data: Map<String, Value>,
}

pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    let mut cases = Cases::default();
    for api in apis {
        api_cases(api, &mut cases);
    }
    let Cases { structs, structs_data, requests, requests_data } = cases;
    if structs.is_empty() {
        return Ok(());
    }
    let mut data = Map::new();
    data.insert("structs".into(), Value::Object(structs_data));
    data.insert("requests".into(), Value::Object(requests_data));
    let json = serde_json::to_string_pretty(&Value::Object(data)).unwrap_or_default();
    files.insert("tests/sensitive.json", format!("{json}\n"));
    files
        .insert("tests/sensitive.rs", crate::emit::rust::render("tests/sensitive.rs", test_file(&structs, &requests))?);
    Ok(())
}

/// One API's structs with a sensitive field, and its requests holding a sensitive value.
fn api_cases(api: &Api, cases: &mut Cases) {
    let Cases { structs, structs_data, requests, requests_data } = cases;
    let examples = Examples::marked(api);
    let module = ident(&api.module);
    for t in &api.types {
        let TypeKind::Struct(s) = &t.kind else { continue };
        if !s.has_sensitive() {
            continue;
        }
        let Some(json) = examples.of_named(&t.name, 0, &mut Vec::new()) else { continue };
        let key = format!("{}::{}", api.module, t.name);
        let ty = ident(&t.name);
        structs.push(quote! {
            (#key, |json| {
                let value: portone_sdk::#module::types::#ty =
                    serde_json::from_value(json.clone()).map_err(|e| e.to_string())?;
                Ok([format!("{value:?}"), format!("{value:#?}")])
            }),
        });
        structs_data.insert(key, json);
    }
    for op in &api.operations {
        if let Some((data, build, reads_inputs)) = request_case(api, &examples, op) {
            let key = format!("{}::{}", api.module, op.id);
            // Inputs that are all string literals leave the data unread.
            let inputs = if reads_inputs {
                quote! { inputs }
            } else {
                quote! { _ }
            };
            requests.push(quote! {
                (#key, |#inputs| {
                    let request = #build;
                    Ok([format!("{request:?}"), format!("{request:#?}")])
                }),
            });
            requests_data.insert(key, data);
        }
    }
}

/// The test: every entry's `Debug` hides each sensitive marker and shows every other.
fn test_file(structs: &[TokenStream], requests: &[TokenStream]) -> TokenStream {
    quote! {
        //! Fields and parameters the spec marks `x-sensitive` (credentials, card data) never
        //! show in `Debug`, of their struct or of a request holding them, while every other
        //! value does. Values are in `sensitive.json`, synthesized from the spec: a sensitive
        //! string holds `SENSITIVE-...`, any other `VISIBLE-...`.
        #![cfg(all(feature = "full", feature = "serde-all"))]
        // Deprecated types and operations are checked like the others.
        #![allow(deprecated)]

        use serde_json::Value;

        type Render = fn(&Value) -> Result<[String; 2], String>;

        const STRUCTS: &[(&str, Render)] = &[ #(#structs)* ];

        const REQUESTS: &[(&str, Render)] = &[ #(#requests)* ];

        /// The strings in `value` that start with `prefix`.
        fn markers(value: &Value, prefix: &str, out: &mut Vec<String>) {
            match value {
                Value::String(s) if s.starts_with(prefix) => out.push(s.clone()),
                Value::Array(items) => items.iter().for_each(|v| markers(v, prefix, out)),
                Value::Object(map) => map.values().for_each(|v| markers(v, prefix, out)),
                _ => {}
            }
        }

        /// Renders each entry and lists what went wrong: a sensitive value shown, a visible
        /// one missing, or no `<redacted>` at all.
        fn check(data: &Value, entries: &[(&str, Render)], failures: &mut Vec<String>) -> usize {
            for (name, render) in entries {
                let input = &data[*name];
                let (mut hidden, mut shown) = (Vec::new(), Vec::new());
                markers(input, "SENSITIVE-", &mut hidden);
                markers(input, "VISIBLE-", &mut shown);
                if hidden.is_empty() {
                    failures.push(format!("{name}: no sensitive value to check"));
                }
                match render(input) {
                    Ok(outputs) => {
                        for text in outputs {
                            hidden.iter().filter(|h| text.contains(h.as_str())).for_each(|h| {
                                failures.push(format!("{name} shows {h}:\n{text}"));
                            });
                            shown.iter().filter(|s| !text.contains(s.as_str())).for_each(|s| {
                                failures.push(format!("{name} does not show {s}:\n{text}"));
                            });
                            if !text.contains("<redacted>") {
                                failures.push(format!("{name} shows no <redacted>:\n{text}"));
                            }
                        }
                    }
                    Err(e) => failures.push(format!("{name}: {e}")),
                }
            }
            entries.len()
        }

        #[test]
        fn sensitive_values_never_show_in_debug() {
            let data: Value = serde_json::from_str(include_str!("sensitive.json")).expect("sensitive.json");
            let mut failures = Vec::new();
            let structs = check(&data["structs"], STRUCTS, &mut failures);
            let requests = check(&data["requests"], REQUESTS, &mut failures);
            assert!(structs > 0, "no struct with a sensitive field: the check would be vacuous");
            assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
            println!("{structs} structs and {requests} requests hide their sensitive values");
        }
    }
}

/// The data and the expression that builds `op`'s request, when the request holds a
/// sensitive value: a sensitive parameter, or one in its body's synthesized example.
/// Required inputs are arguments (strings as literals, others decoded from
/// `inputs[i]`, and then the third value is true); sensitive optional parameters and an
/// optional body are set.
fn request_case(api: &Api, examples: &Examples<'_>, op: &Operation) -> Option<(Value, TokenStream, bool)> {
    let body_example = match &op.body {
        Some(b) => Some(examples.of(&b.ty, 0, &mut Vec::new())?),
        None => None,
    };
    let body_marked =
        body_example.as_ref().is_some_and(|v| v.to_string().contains(crate::emit::examples::SENSITIVE_PREFIX));
    if !body_marked && !op.has_sensitive_params() {
        return None;
    }
    let mut inputs = Vec::new();
    let mut args = Vec::new();
    let mut reads_inputs = false;
    let mut decode = |value: Value, inputs: &mut Vec<Value>| {
        reads_inputs = true;
        let i = inputs.len();
        inputs.push(value);
        quote! { serde_json::from_value(inputs[#i].clone()).map_err(|e| e.to_string())? }
    };
    let string_value = |p: &crate::model::Parameter| {
        if p.sensitive { sensitive_marker(&op.id, &p.wire_name) } else { visible_marker(&op.id, &p.wire_name) }
    };
    // The client method's arguments in its order (`Operation::arguments`).
    let mut body_example = body_example.filter(|_| op.body.is_some());
    for argument in &op.arguments {
        match argument {
            Argument::Param(i) => {
                let p = op.param(*i)?;
                if p.ty == TypeRef::String {
                    let text = string_value(p);
                    inputs.push(Value::String(text.clone()));
                    args.push(quote! { #text });
                } else {
                    args.push(decode(examples.of(&p.ty, 0, &mut Vec::new())?, &mut inputs));
                }
            }
            Argument::Body => args.extend(body_example.take().map(|example| decode(example, &mut inputs))),
        }
    }
    let mut setters: Vec<TokenStream> = body_example
        .map(|example| decode(example, &mut inputs))
        .map(|value| quote! { .body(#value) })
        .into_iter()
        .collect();
    let is_argument = |i: usize| op.arguments.contains(&Argument::Param(i));
    for (_, p) in op.params.iter().enumerate().filter(|(i, p)| !p.required && p.sensitive && !is_argument(*i)) {
        let n = ident(&p.rust_name);
        let text = string_value(p);
        inputs.push(Value::String(text.clone()));
        setters.push(quote! { .#n(#text) });
    }
    let credentials: Vec<String> = match &api.auth {
        Auth::Token(t) => (1..=t.credentials.len()).map(|i| format!("credential-{i}")).collect(),
        Auth::HttpScheme { .. } => vec!["credential-1".into()],
    };
    let module = ident(&api.module);
    let handles = category_path(&api.categories, &op.category)?;
    let method = ident(&op.fn_name);
    let build = quote! {
        portone_sdk::#module::Client::new(#(#credentials),*)
            .map_err(|e| e.to_string())?
            #(.#handles())*
            .#method(#(#args),*)
            #(#setters)*
    };
    Some((Value::Array(inputs), build, reads_inputs))
}

/// The accessors from the client to the handle of `category` (`payment.billingKey` →
/// `payment`, `billing_key`).
fn category_path(categories: &[Category], category: &str) -> Option<Vec<proc_macro2::Ident>> {
    let mut out = Vec::new();
    let mut level = categories;
    let mut id = String::new();
    for part in category.split('.') {
        if !id.is_empty() {
            id.push('.');
        }
        id.push_str(part);
        let c = level.iter().find(|c| c.id == id)?;
        out.push(ident(&c.accessor));
        level = &c.children;
    }
    Some(out)
}
