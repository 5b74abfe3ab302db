//! The SDK's generated decoding test (`tests/unions.rs` with `tests/unions.json`): for
//! every union of every API, one synthesized payload per case and one with a tag the
//! SDK does not know. The test decodes each, checks the tag it lands on, and checks that
//! encoding it again gives back the same JSON.

use crate::emit::examples::Examples;
use crate::emit::rust::ident;
use crate::model::{Api, TypeKind};
use crate::write::FileSet;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};

/// The tag used for the case no SDK knows.
const UNKNOWN_TAG: &str = "NOT_A_KNOWN_TAG";

pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    let mut data = Map::new();
    let mut entries: Vec<TokenStream> = Vec::new();
    for api in apis {
        data.insert(api.module.clone(), Value::Object(api_unions(api, &mut entries)));
    }
    if entries.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string_pretty(&Value::Object(data)).unwrap_or_default();
    files.insert("tests/unions.json", format!("{json}\n"));
    files.insert("tests/unions.rs", crate::emit::rust::render("tests/unions.rs", test_file(&entries))?);
    Ok(())
}

/// The payloads of one API's unions by name; their checks go to `entries`.
fn api_unions(api: &Api, entries: &mut Vec<TokenStream>) -> Map<String, Value> {
    let examples = Examples::new(api);
    let mut unions = Map::new();
    let module = ident(&api.module);
    for t in &api.types {
        let TypeKind::Union(u) = &t.kind else { continue };
        if !u.by_field.is_empty() {
            // Told apart by fields, not tags: tested by hand (tests/sdk_v1.rs).
            continue;
        }
        let mut cases = Vec::new();
        for v in &u.variants {
            if let Some(json) = examples.union_case(u, v, 0, &mut Vec::new()) {
                cases.push(json!({ "tag": v.tag, "json": json }));
            }
        }
        let mut unknown = Map::new();
        unknown.insert(u.tag_property.clone(), json!(UNKNOWN_TAG));
        unknown.insert("addedLater".into(), json!({ "nested": [1, 2, 3] }));
        cases.push(json!({ "tag": UNKNOWN_TAG, "json": unknown }));
        unions.insert(t.name.clone(), Value::Array(cases));
        let name = &t.name;
        let ty = ident(&t.name);
        let key = format!("{}::{name}", api.module);
        entries.push(quote! {
            (#key, |v| round_trip(
                v,
                portone_sdk::#module::types::#ty::tag,
                |u| matches!(u, portone_sdk::#module::types::#ty::Unrecognized(_)),
            )),
        });
    }
    unions
}

/// The test: each payload decoded both ways, its tag, its case and its JSON checked.
fn test_file(entries: &[TokenStream]) -> TokenStream {
    let unknown_tag = UNKNOWN_TAG;
    quote! {
        //! Every case of every union decodes to its own variant, an unknown tag is kept, and
        //! each decoded value encodes back to the JSON it came from. Payloads are in
        //! `unions.json`, synthesized from the spec with every field filled.
        #![cfg(all(feature = "full", feature = "serde-all"))]

        use serde_json::Value;

        /// What a payload decoded to: its tag, whether it landed in `Unrecognized`, and
        /// its JSON encoded again.
        type Decoded = (Option<String>, bool, Value);

        type Check = fn(&Value) -> Result<Decoded, String>;

        /// Decodes `json` both ways the SDK does: from text (the client's own decoder of
        /// bodies, `from_str` after a UTF-8 check) and from a `serde_json::Value` (the copy
        /// path); the two must agree.
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
            json: &Value,
            tag: fn(&T) -> Option<&str>,
            unrecognized: fn(&T) -> bool,
        ) -> Result<Decoded, String> {
            let text = json.to_string();
            let from_text: T = portone_sdk::__fuzzing::from_json(text.as_bytes()).map_err(|e| format!("decode from text: {e}"))?;
            let from_value: T = serde_json::from_value(json.clone()).map_err(|e| format!("decode from a value: {e}"))?;
            let encoded = serde_json::to_value(&from_text).map_err(|e| format!("encode: {e}"))?;
            let again = serde_json::to_value(&from_value).map_err(|e| format!("encode: {e}"))?;
            if encoded != again || tag(&from_text) != tag(&from_value) || unrecognized(&from_text) != unrecognized(&from_value) {
                return Err(format!("decoding from text and from a value disagree:\n  {encoded}\n  {again}"));
            }
            Ok((tag(&from_text).map(str::to_owned), unrecognized(&from_text), encoded))
        }

        const UNIONS: &[(&str, Check)] = &[ #(#entries)* ];

        #[test]
        fn every_union_case_decodes_and_round_trips() {
            let data: Value = serde_json::from_str(include_str!("unions.json")).expect("unions.json");
            let mut checked = 0;
            let mut failures = Vec::new();
            for (name, check) in UNIONS {
                let (api, union) = name.split_once("::").expect("api::Union");
                let cases = data[api][union].as_array().unwrap_or_else(|| panic!("no payloads for {name}"));
                assert!(cases.len() >= 2, "{name}: expected a known case and an unknown one");
                for case in cases {
                    let json = &case["json"];
                    let tag = case["tag"].as_str();
                    match check(json) {
                        Ok((got, unrecognized, encoded)) => {
                            if got.as_deref() != tag {
                                failures.push(format!("{name}: tag {tag:?} decoded as {got:?}"));
                            }
                            // A known tag lands in its own case, only the unknown one in `Unrecognized`.
                            if unrecognized != (tag == Some(#unknown_tag)) {
                                failures.push(format!("{name}: tag {tag:?} decoded as Unrecognized: {unrecognized}"));
                            }
                            if &encoded != json {
                                failures.push(format!("{name} {tag:?}: re-encoded JSON differs:\n  in:  {json}\n  out: {encoded}"));
                            }
                        }
                        Err(e) => failures.push(format!("{name} {tag:?}: {e}")),
                    }
                    checked += 1;
                }
            }
            assert!(failures.is_empty(), "{} of {checked} payloads failed:\n{}", failures.len(), failures.join("\n"));
            println!("{checked} payloads of {} unions decoded and round-tripped", UNIONS.len());
        }
    }
}
