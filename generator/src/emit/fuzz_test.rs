//! The SDK's generated mutation-fuzz test of decoding (`tests/fuzz.rs` with
//! `tests/fuzz.json`): every union (its payloads are those of `tests/unions.json`, plus
//! one per case of the unions told apart by field) and the success type of every
//! operation (one synthesized payload each) get a decoder, and the hand-written engine of
//! `portone-fuzz` (the workspace's `fuzz/` crate) mutates the payloads and checks that no decoder panics.

use super::examples::Examples;
use crate::emit::rust::{ident, type_tokens};
use crate::model::{Api, Response, TypeKind, TypeRef};
use crate::write::FileSet;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    let mut payloads = Map::new();
    let mut modules: Vec<TokenStream> = Vec::new();
    let mut tables: Vec<TokenStream> = Vec::new();
    let mut tag_properties = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for api in apis {
        let examples = Examples::new(api);
        let mut api_payloads = Map::new();
        let mut keys = BTreeSet::new();
        let mut entries: Vec<TokenStream> = Vec::new();
        let mut add = |ty: &TypeRef, seeds: Vec<Value>, api_payloads: &mut Map<String, Value>| {
            let tokens = type_tokens(ty);
            let name = tokens.to_string().replace(' ', "");
            if !keys.insert(name.clone()) {
                return;
            }
            if !seeds.is_empty() {
                api_payloads.insert(name.clone(), Value::Array(seeds));
            }
            let key = format!("{}::{name}", api.module);
            entries.push(quote! { (#key, super::decode::<#tokens>), });
        };
        for t in &api.types {
            let TypeKind::Union(u) = &t.kind else { continue };
            let ty = TypeRef::Named(t.name.clone());
            if u.by_field.is_empty() {
                // Payloads in unions.json.
                tag_properties.insert(u.tag_property.clone());
                tags.extend(u.variants.iter().map(|v| v.tag.clone()));
                add(&ty, Vec::new(), &mut api_payloads);
            } else {
                let seeds = u.variants.iter().filter_map(|v| examples.of_type(&TypeRef::Named(v.type_name.clone())));
                add(&ty, seeds.collect(), &mut api_payloads);
            }
        }
        for op in &api.operations {
            let Response::Json(ty) = &op.response else { continue };
            let is_union = ty
                .named()
                .is_some_and(|n| api.types.iter().any(|t| t.name == n && matches!(t.kind, TypeKind::Union(_))));
            if is_union {
                continue;
            }
            add(ty, examples.of_type(ty).into_iter().collect(), &mut api_payloads);
        }
        if entries.is_empty() {
            continue;
        }
        payloads.insert(api.module.clone(), Value::Object(api_payloads));
        let module = ident(&api.module);
        modules.push(quote! {
            mod #module {
                #[allow(unused_imports)]
                use portone_sdk::chrono;
                #[allow(unused_imports)]
                use portone_sdk::#module::types::*;

                /// Every decoder of this API, by `api::Type`.
                pub const TARGETS: &[(&str, super::Decode)] = &[ #(#entries)* ];
            }
        });
        tables.push(quote! { #module::TARGETS });
    }
    if modules.is_empty() {
        return Ok(());
    }
    let data = json!({
        "payloads": payloads,
        "vocabulary": { "tagProperties": tag_properties, "tags": tags },
    });
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    files.insert("tests/fuzz.json", format!("{json}\n"));
    let tokens = quote! {
        //! Mutation fuzzing of decoding: every union and every operation's success type is
        //! fed mutants of its example payloads (bytes flipped, set, inserted or cut out,
        //! truncations at every kind of position, fields dropped, values retyped, union tags
        //! changed, nodes swapped or nested deeply). Decode errors are expected; a panic
        //! fails the test with the input that caused it. Each decoded value is encoded again.
        //!
        //! `PORTONE_FUZZ_INPUTS` sets the number of inputs (100 000 by default),
        //! `PORTONE_FUZZ_SEED` the run's seed; the same seed gives the same inputs:
        //!
        //! ```sh
        //! PORTONE_FUZZ_INPUTS=5000000 cargo test -p portone-sdk --features full,serde-all --release --test fuzz
        //! ```
        #![cfg(all(feature = "full", feature = "serde-all"))]
        #![allow(deprecated)]

        use portone_fuzz as fuzz_support;

        use fuzz_support::{Decode, Seed, Vocabulary};
        use serde_json::Value;

        /// Decode, and encode again what decoded: neither may panic.
        fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(bytes: &[u8]) -> bool {
            match serde_json::from_slice::<T>(bytes) {
                Ok(value) => serde_json::to_vec(&value).is_ok(),
                Err(_) => false,
            }
        }

        #(#modules)*

        /// Inputs of a plain `cargo test`.
        const DEFAULT_INPUTS: u64 = 100_000;

        /// The seed of a run that names none.
        const DEFAULT_SEED: u64 = 0x5EED_F00D;

        fn env_number(name: &str, default: u64) -> u64 {
            match std::env::var(name) {
                Ok(text) => text.replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
                Err(_) => default,
            }
        }

        /// Every target's payloads, and the words mutations draw on.
        fn seeds() -> (Vec<Seed>, Vocabulary) {
            let unions: Value = serde_json::from_str(include_str!("unions.json")).expect("unions.json");
            let fuzz: Value = serde_json::from_str(include_str!("fuzz.json")).expect("fuzz.json");
            let mut seeds = Vec::new();
            for (key, decode) in [#(#tables),*].into_iter().flatten() {
                let (api, name) = key.split_once("::").expect("api::Type");
                let from_unions = unions[api][name].as_array().into_iter().flatten().map(|case| case["json"].clone());
                let from_fuzz = fuzz["payloads"][api][name].as_array().into_iter().flatten().cloned();
                let before = seeds.len();
                for payload in from_unions.chain(from_fuzz) {
                    seeds.push(Seed { target: (*key).to_owned(), decode: *decode, payload });
                }
                assert!(seeds.len() > before, "no payload for {key}");
            }
            let words = |k: &str| -> Vec<String> {
                fuzz["vocabulary"][k].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
            };
            (seeds, Vocabulary { tag_properties: words("tagProperties"), tags: words("tags") })
        }

        #[test]
        fn mutated_payloads_never_panic_a_decoder() {
            let inputs = env_number("PORTONE_FUZZ_INPUTS", DEFAULT_INPUTS);
            let run_seed = env_number("PORTONE_FUZZ_SEED", DEFAULT_SEED);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let (seeds, vocabulary) = seeds();
            let report = fuzz_support::run(&seeds, &vocabulary, inputs, run_seed, threads);
            if let Some((_, number, p)) = &report.panicked {
                panic!(
                    "decoding {} panicked on input {number} of its seed ({}):\n  panic: {}\n  input: {:?}\n  bytes: {:?}",
                    p.target,
                    p.mutation,
                    p.message,
                    String::from_utf8_lossy(&p.input),
                    p.input,
                );
            }
            assert_eq!(report.inputs, inputs, "every input was tried");
            println!(
                "{} inputs from {} payloads (seed {run_seed:#x}): {} decoded, {} refused, no panic, in {:.1?}",
                report.inputs,
                seeds.len(),
                report.decoded,
                report.inputs - report.decoded,
                report.elapsed,
            );
        }

        /// The engine finds and reports a decoder's panic (and the run goes on quietly).
        #[test]
        fn a_panicking_decoder_is_reported() {
            fn fragile(bytes: &[u8]) -> bool {
                if bytes.len() < 8 && bytes.first() == Some(&b'{') {
                    panic!("fragile decoder met {bytes:?}");
                }
                serde_json::from_slice::<Value>(bytes).is_ok()
            }
            let seed = Seed { target: "fragile".into(), decode: fragile, payload: serde_json::json!({ "a": 1, "b": [true] }) };
            let report = fuzz_support::run(&[seed], &Vocabulary::default(), 1_000, DEFAULT_SEED, 1);
            let (_, _, p) = report.panicked.expect("the panic is found");
            assert!(p.message.contains("fragile decoder"), "{p:?}");
            assert!(p.input.len() < 8 && p.input.first() == Some(&b'{'), "{p:?}");
        }
    };
    files.insert("tests/fuzz.rs", super::rust::render("tests/fuzz.rs", tokens)?);
    Ok(())
}
