//! The test kit's samples (feature `testing`): for every API, `src/<api>/samples.json`
//! holds a valid value of each type received in responses (synthesized by
//! [`Examples`], one line per type), and `src/<api>/samples.rs` says which types have
//! one (`impl Sample` through the runtime's `samples!`, one call per set of features
//! its types need). The API's `mod.rs` compiles that module only with `testing`, so a build
//! without it holds neither. `tests/samples.rs` decodes every sample and checks that it
//! encodes back to the same JSON.

use super::examples::Examples;
use crate::emit::rust::{cfg_any_feature, ident, render};
use crate::model::{Api, TypeDef, TypeKind};
use crate::write::FileSet;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::collections::BTreeMap;

/// The module of an API's samples, declared by its `mod.rs` when [`has_samples`].
pub const MODULE: &str = "samples";

/// The types that get a sample: those received in responses, but no alias (the name
/// of another type, whose own impl would clash).
fn candidates(api: &Api) -> impl Iterator<Item = &TypeDef> {
    api.types.iter().filter(|t| t.direction.response && !matches!(t.kind, TypeKind::Alias(_)))
}

/// Whether the API has a samples module.
pub fn has_samples(api: &Api) -> bool {
    candidates(api).next().is_some()
}

/// Each sampled type with its sample, in name order; a type whose required fields
/// lead into a cycle has none.
fn samples(api: &Api) -> Vec<(&TypeDef, Value)> {
    let examples = Examples::new(api);
    candidates(api).filter_map(|t| Some((t, examples.of_named(&t.name, 0, &mut Vec::new())?))).collect()
}

pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    let mut checks: Vec<TokenStream> = Vec::new();
    for api in apis.iter().filter(|a| has_samples(a)) {
        let samples = samples(api);
        let lines: Vec<String> =
            samples.iter().map(|(t, json)| format!("{}: {json}", Value::String(t.name.clone()))).collect();
        files.insert(format!("src/{}/samples.json", api.module), format!("{{\n{}\n}}\n", lines.join(",\n")));

        // One `samples!` per set of features, so that each list needs one `cfg`.
        let mut by_features: BTreeMap<&[String], Vec<proc_macro2::Ident>> = BTreeMap::new();
        for (t, _) in &samples {
            by_features.entry(&t.features).or_default().push(ident(&t.name));
        }
        let impls = by_features.iter().map(|(features, names)| {
            let cfg = cfg_any_feature(features);
            quote! { #cfg crate::runtime::testing::samples!(BOOK: #(#names),*); }
        });
        let path = format!("src/{}/{MODULE}.rs", api.module);
        let tokens = quote! {
            //! Samples of this API's response types for the test kit (feature `testing`),
            //! from `samples.json`: see [`crate::testing::sample`].

            #[allow(unused_imports)]
            use super::types::*;

            /// Every sample of this API, by type name.
            static BOOK: crate::runtime::testing::SampleBook =
                crate::runtime::testing::SampleBook::new(include_str!("samples.json"));

            #(#impls)*
        };
        files.insert(path.clone(), render(&path, tokens)?);

        let module = ident(&api.module);
        for (t, _) in &samples {
            let key = format!("{}::{}", api.module, t.name);
            let ty = ident(&t.name);
            checks.push(quote! { (#key, round_trip::<portone_sdk::#module::types::#ty>), });
        }
    }
    if checks.is_empty() {
        return Ok(());
    }
    let tokens = quote! {
        //! The test kit's sample of every response type decodes, through
        //! `portone_sdk::testing::sample` too, and encodes back to the JSON the generator
        //! wrote (`src/<api>/samples.json`).
        #![cfg(all(feature = "full", feature = "testing"))]

        use portone_sdk::testing::Sample;
        use serde_json::Value;

        fn round_trip<T: Sample + serde::Serialize>() -> Result<(), String> {
            let json: Value = serde_json::from_str(T::sample_json()).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: T = serde_json::from_value(json.clone()).map_err(|e| format!("decode: {e}"))?;
            let encoded = serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))?;
            if encoded != json {
                return Err(format!("re-encoded JSON differs:\n  in:  {json}\n  out: {encoded}"));
            }
            let through_api = serde_json::to_value(portone_sdk::testing::sample::<T>()).map_err(|e| format!("encode: {e}"))?;
            if through_api != json {
                return Err(format!("testing::sample gives another value: {through_api}"));
            }
            Ok(())
        }

        /// Decodes, re-encodes and compares one type's sample.
        type Check = fn() -> Result<(), String>;

        const SAMPLES: &[(&str, Check)] = &[ #(#checks)* ];

        #[test]
        fn every_sample_decodes_and_round_trips() {
            let failures: Vec<String> =
                SAMPLES.iter().filter_map(|(name, check)| check().err().map(|e| format!("{name}: {e}"))).collect();
            assert!(failures.is_empty(), "{} of {} samples failed:\n{}", failures.len(), SAMPLES.len(), failures.join("\n"));
            println!("{} samples decoded and round-tripped", SAMPLES.len());
        }
    };
    files.insert("tests/samples.rs", render("tests/samples.rs", tokens)?);
    Ok(())
}
