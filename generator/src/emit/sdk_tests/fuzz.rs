//! The SDK's generated mutation-fuzz test of answer handling (`tests/fuzz.rs` with
//! `tests/fuzz.json`): every union (its payloads are those of `tests/unions.json`, plus
//! one per case of the unions told apart by field) and the success type of every
//! operation (one synthesized payload each, inside the envelope for an enveloped API) get
//! a target, and the hand-written engine of `portone-fuzz` (the workspace's `fuzz/` crate) mutates the
//! payloads. Each target hands a mutant, under a status drawn from it, to the client's own
//! answer handling (`portone_sdk::__fuzzing`: status check, error or success decoding,
//! envelope, masking of kept bodies, the retry verdict) and checks its promises.

use crate::emit::examples::Examples;
use crate::emit::rust::{ident, type_tokens};
use crate::model::{Api, Operation, Response, TypeKind, TypeRef};
use crate::write::FileSet;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// What the targets of every API add up to.
#[derive(Default)]
struct Collected {
    /// Seed payloads by API module, then target name.
    payloads: Map<String, Value>,
    /// One module of targets per API.
    modules: Vec<TokenStream>,
    /// Each module's `TARGETS`.
    tables: Vec<TokenStream>,
    tag_properties: BTreeSet<String>,
    tags: BTreeSet<String>,
    /// Fields masked in the bodies errors keep (the token operations' credentials and tokens).
    secret_fields: BTreeSet<String>,
}

/// One API's targets while they are gathered.
struct ApiTargets<'a> {
    api: &'a Api,
    examples: Examples<'a>,
    payloads: Map<String, Value>,
    keys: BTreeSet<String>,
    entries: Vec<TokenStream>,
}

impl ApiTargets<'_> {
    /// A target named after `ty` (the first one wins), decoded by `decoder`, with `seeds`
    /// besides those of `unions.json`.
    fn add(&mut self, ty: &TypeRef, seeds: Vec<Value>, decoder: impl FnOnce(&str) -> TokenStream) {
        let name = type_tokens(ty).to_string().replace(' ', "");
        if !self.keys.insert(name.clone()) {
            return;
        }
        if !seeds.is_empty() {
            self.payloads.insert(name.clone(), Value::Array(seeds));
        }
        let key = format!("{}::{name}", self.api.module);
        let decoder = decoder(&key);
        self.entries.push(quote! { (#key, #decoder), });
    }

    fn unions(&mut self, collected: &mut Collected) {
        let api = self.api;
        for t in &api.types {
            let TypeKind::Union(u) = &t.kind else { continue };
            let ty = TypeRef::Named(t.name.clone());
            let tokens = type_tokens(&ty);
            let decoder = |key: &str| match u.is_error {
                true => quote! { |b| super::answer::<serde_json::Value, #tokens>(#key, &[], b) },
                false => quote! { |b| super::answer::<#tokens, portone_sdk::UntypedError>(#key, &[], b) },
            };
            if u.by_field.is_empty() {
                // Payloads in unions.json.
                collected.tag_properties.insert(u.tag_property.clone());
                collected.tags.extend(u.variants.iter().map(|v| v.tag.clone()));
                self.add(&ty, Vec::new(), decoder);
            } else {
                let examples = &self.examples;
                let seeds = u.variants.iter().filter_map(|v| examples.of_type(&TypeRef::Named(v.type_name.clone())));
                let seeds = seeds.collect();
                self.add(&ty, seeds, decoder);
            }
        }
    }

    fn operations(&mut self) {
        let api = self.api;
        for op in &api.operations {
            let Response::Json(ty) = &op.response else { continue };
            let is_union = ty
                .named()
                .is_some_and(|n| api.types.iter().any(|t| t.name == n && matches!(t.kind, TypeKind::Union(_))));
            if is_union {
                continue;
            }
            let seed = self.examples.of_type(ty).map(|example| match &api.envelope {
                Some(e) => json!({ &e.code: 0, &e.message: null, &e.data: example }),
                None => example,
            });
            self.add(ty, seed.into_iter().collect(), |_| operation_decoder(api, op, ty));
        }
    }
}

/// How an operation's answers are handled: by the envelope, or by status and error type.
fn operation_decoder(api: &Api, op: &Operation, ty: &TypeRef) -> TokenStream {
    let tokens = type_tokens(ty);
    let id = &op.id;
    if let Some(e) = &api.envelope {
        let (code, message, data) = (&e.code, &e.message, &e.data);
        return quote! { |b| super::enveloped::<#tokens>(#id, [#code, #message, #data], b) };
    }
    let error = match &op.error {
        Some(name) => type_tokens(&TypeRef::Named(name.clone())),
        None => quote! { portone_sdk::UntypedError },
    };
    let types = &api.retryable_error_types;
    quote! { |b| super::answer::<#tokens, #error>(#id, &[#(#types),*], b) }
}

/// Gather one API's targets into `collected`.
fn collect(api: &Api, collected: &mut Collected) {
    let mut targets = ApiTargets {
        api,
        examples: Examples::new(api),
        payloads: Map::new(),
        keys: BTreeSet::new(),
        entries: Vec::new(),
    };
    targets.unions(collected);
    targets.operations();
    if targets.entries.is_empty() {
        return;
    }
    if let Some(t) = api.auth.tokens() {
        collected.secret_fields.extend(t.secret_fields().into_iter().map(str::to_owned));
    }
    collected.payloads.insert(api.module.clone(), Value::Object(targets.payloads));
    let module = ident(&api.module);
    let entries = targets.entries;
    collected.modules.push(quote! {
        mod #module {
            #[allow(unused_imports)]
            use portone_sdk::chrono;
            #[allow(unused_imports)]
            use portone_sdk::#module::types::*;

            /// Every target of this API, by `api::Type`.
            pub const TARGETS: &[(&str, super::Decode)] = &[ #(#entries)* ];
        }
    });
    collected.tables.push(quote! { #module::TARGETS });
}

pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    let mut collected = Collected::default();
    for api in apis {
        collect(api, &mut collected);
    }
    if collected.modules.is_empty() {
        return Ok(());
    }
    let data = json!({
        "payloads": collected.payloads,
        "vocabulary": {
            "tagProperties": collected.tag_properties,
            "tags": collected.tags,
            "secretFields": collected.secret_fields,
        },
    });
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    files.insert("tests/fuzz.json", format!("{json}\n"));
    let (head, checks, seeds, tests) = (head(&collected), checks(), seeds(&collected.tables), tests());
    let modules = &collected.modules;
    let tokens = quote! { #head #checks #(#modules)* #seeds #tests };
    files.insert("tests/fuzz.rs", crate::emit::rust::render("tests/fuzz.rs", tokens)?);
    Ok(())
}

/// The file's docs, imports and the masked fields.
fn head(collected: &Collected) -> TokenStream {
    let mask = &collected.secret_fields;
    quote! {
        //! Mutation fuzzing of the client's answer handling: every union and every
        //! operation's success type is fed mutants of its example payloads (bytes flipped,
        //! set, inserted or cut out, truncations at every kind of position, fields dropped,
        //! values retyped, union tags changed, secret fields planted, nodes swapped or
        //! nested deeply), each under a status drawn from it, through what the client runs
        //! on an answer: the status check, the error or success decoding, the envelope, the
        //! masking of kept bodies and the retry verdict. Refusals are expected; a panic, or
        //! a broken promise (an error naming another operation, a kept body that is not
        //! the answer, a secret field left unmasked, a success or documented error judged
        //! retryable), fails the test with the input that caused it.
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
        use portone_sdk::reqwest::StatusCode;
        use portone_sdk::{__fuzzing, Error, Response};
        use serde_json::Value;

        /// Fields an error's kept body has masked (the token operations' credentials and tokens).
        const MASK: &[&str] = &[#(#mask),*];
    }
}

/// The targets' entry points into the client, and the promises checked on each outcome.
fn checks() -> TokenStream {
    quote! {
        /// The status an input is answered with, drawn from its length: successes, client
        /// and server errors, and a status that always asks for a retry.
        fn status_of(bytes: &[u8]) -> StatusCode {
            const STATUSES: [u16; 7] = [200, 201, 400, 404, 429, 500, 502];
            StatusCode::from_u16(STATUSES[bytes.len() % STATUSES.len()]).expect("a status")
        }

        /// An answer to a JSON operation, handled as the client does.
        fn answer<T, E>(operation: &'static str, retryable_types: &[&str], bytes: &[u8]) -> bool
        where
            T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
            E: serde::de::DeserializeOwned + portone_sdk::ErrorCase + std::fmt::Debug + std::fmt::Display,
        {
            let status = status_of(bytes);
            let outcome = __fuzzing::decode_json::<T, E>(operation, status, bytes, MASK);
            let retry = __fuzzing::retryable::<E>(None, retryable_types, status, bytes);
            judge(operation, status, bytes, outcome, retry)
        }

        /// An answer to an enveloped operation, handled as the client does.
        fn enveloped<T>(operation: &'static str, names: [&'static str; 3], bytes: &[u8]) -> bool
        where
            T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
        {
            let status = status_of(bytes);
            let outcome = __fuzzing::decode_enveloped::<T>(operation, names, status, bytes, MASK);
            let retry = __fuzzing::retryable::<portone_sdk::EnvelopeError>(Some(names), &[], status, bytes);
            judge(operation, status, bytes, outcome, retry)
        }

        /// The promises of one outcome; `true` when it was a success.
        fn judge<T: serde::Serialize + std::fmt::Debug, E: std::fmt::Debug + std::fmt::Display>(
            operation: &'static str,
            status: StatusCode,
            bytes: &[u8],
            outcome: Result<Response<T>, Error<E>>,
            retry: bool,
        ) -> bool {
            assert!(!(status.is_success() && retry), "HTTP {status} judged retryable");
            assert!(status != StatusCode::TOO_MANY_REQUESTS || retry, "HTTP 429 judged final");
            match outcome {
                Ok(response) => {
                    assert!(status.is_success(), "HTTP {status} handled as a success");
                    let _ = format!("{:?}", response.body());
                    serde_json::to_vec(response.body()).expect("what decoded encodes");
                    true
                }
                Err(error) => {
                    assert_eq!(error.operation(), operation, "the error names another operation: {error}");
                    let kept = error.body().expect("the error of an answer keeps its body");
                    masked_as_promised(bytes, kept);
                    if let Error::Decode(decode) = &error {
                        let documented = decode.tag().is_some() && status.is_server_error();
                        assert!(!(documented && retry), "a documented tag judged retryable: {error}");
                    }
                    let _ = format!("{error}{error:?}");
                    false
                }
            }
        }

        /// A kept body is the answer byte for byte, or, when the answer is JSON holding a
        /// field of `MASK` at any depth, that JSON with every such field `<redacted>`.
        fn masked_as_promised(answer: &[u8], kept: &[u8]) {
            fn mask(value: &mut Value) -> bool {
                match value {
                    Value::Object(map) => map.iter_mut().fold(false, |found, (key, value)| {
                        if MASK.contains(&key.as_str()) {
                            *value = Value::String(__fuzzing::REDACTED.into());
                            true
                        } else {
                            mask(value) | found
                        }
                    }),
                    Value::Array(items) => items.iter_mut().fold(false, |found, v| mask(v) | found),
                    _ => false,
                }
            }
            let parsed = serde_json::from_slice::<Value>(answer).ok();
            match parsed.map(|mut value| (mask(&mut value), value)) {
                Some((true, expected)) => {
                    let kept: Value = serde_json::from_slice(kept).expect("a masked body is JSON");
                    assert_eq!(kept, expected, "the kept body is not the answer with its secret fields masked");
                }
                _ => assert!(kept == answer, "the kept body is not the answer: {:?}", String::from_utf8_lossy(kept)),
            }
        }
    }
}

/// Reading the payloads and the vocabulary.
fn seeds(tables: &[TokenStream]) -> TokenStream {
    quote! {
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
            let vocabulary = Vocabulary {
                tag_properties: words("tagProperties"),
                tags: words("tags"),
                secret_fields: words("secretFields"),
            };
            (seeds, vocabulary)
        }
    }
}

/// The run, and the engine's own test.
fn tests() -> TokenStream {
    quote! {
        #[test]
        fn mutated_answers_never_panic_or_break_a_promise() {
            let inputs = env_number("PORTONE_FUZZ_INPUTS", DEFAULT_INPUTS);
            let run_seed = env_number("PORTONE_FUZZ_SEED", DEFAULT_SEED);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let (seeds, vocabulary) = seeds();
            let report = fuzz_support::run(&seeds, &vocabulary, inputs, run_seed, threads);
            if let Some((_, number, p)) = &report.panicked {
                panic!(
                    "handling {} panicked on input {number} of its seed ({}):\n  panic: {}\n  input: {:?}\n  bytes: {:?}",
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
    }
}
