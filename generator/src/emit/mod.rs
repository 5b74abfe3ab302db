//! Emit stage: the model of each API as Rust files, plus the hand-written templates,
//! as one in-memory [`FileSet`] for the write stage.
//!
//! Where things are written:
//! - `types/`: structs ([`types::structs`]), string enums, discriminated unions;
//! - [`operations`]: one request builder per operation;
//! - [`client`]: the client, its builder and the category handles;
//! - [`templates`]: the runtime, `Cargo.toml`, README and `lib.rs` header.

mod client;
mod decode_test;
mod examples;
mod operations;
pub mod rust;
mod templates;
mod types;

use crate::error::Error;
use crate::model::Api;
use crate::model::build::{category_feature, COMMON_MODULE};
use crate::model::naming;
use crate::write::FileSet;
use quote::quote;
use rust::{cfg_gate, ident, render};
use std::path::Path;

/// Module of the operations of a category: its top-level category (`payment.billingKey` → `payment`).
pub fn category_module(category: &str) -> String {
    naming::snake(category.split('.').next().unwrap_or_default())
}

/// The whole crate: templates first, then each API's module.
pub fn emit_crate(apis: &[Api], templates_dir: &Path) -> Result<FileSet, Error> {
    let mut files = FileSet::default();
    let lib_header = templates::place(templates_dir, &mut files)?;
    let mut lib = lib_header;
    for api in apis {
        emit_api(api, &mut files)?;
        let m = ident(&api.module);
        let doc = format!(" {} (`{}`).", api.title, api.base_url);
        lib.push_str(&format!("\n{}\n", quote! { #[doc = #doc] pub mod #m; }));
    }
    place_features(&mut files, apis)?;
    decode_test::emit(apis, &mut files)?;
    let lib = render_lib(&lib)?;
    files.insert("src/lib.rs", lib);
    Ok(files)
}

/// `lib.rs` is the template's header followed by the API modules; formatted as a whole.
fn render_lib(text: &str) -> Result<String, Error> {
    let file: syn::File =
        syn::parse_str(text).map_err(|e| Error::Emit { file: "src/lib.rs".into(), message: e.to_string() })?;
    Ok(format!("{}\n{}", rust::GENERATED_HEADER, prettyplease::unparse(&file)))
}

fn emit_api(api: &Api, files: &mut FileSet) -> Result<(), Error> {
    let base = format!("src/{}", api.module.trim_start_matches("r#"));
    let mut put = |rel: String, tokens: proc_macro2::TokenStream| -> Result<(), Error> {
        let path = format!("{base}/{rel}");
        let text = render(&path, tokens)?;
        files.insert(path, text);
        Ok(())
    };

    let mut about = format!("{}, version {}.\n\nDefault base URL: `{}`.", api.title, api.version, api.base_url);
    if let Some(d) = &api.docs.description {
        about = format!("{d}\n\n{about}");
    }
    let about = about.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    put(
        "mod.rs".into(),
        quote! {
            #( #![doc = #about] )*

            mod client;
            pub mod operations;
            pub mod types;

            pub use client::*;
        },
    )?;
    put("client.rs".into(), client::emit_client(api))?;

    let mut op_modules: Vec<String> = api.operations.iter().map(|o| category_module(&o.category)).collect();
    op_modules.sort();
    op_modules.dedup();
    // A module whose operations are all unstable is compiled only with `unstable`.
    let op_index: Vec<(String, bool)> = op_modules
        .iter()
        .map(|m| (m.clone(), api.operations.iter().filter(|o| &category_module(&o.category) == m).all(|o| o.unstable)))
        .collect();
    put("operations/mod.rs".into(), module_index("Request builders, one per operation, grouped by category.", &op_index))?;
    for m in &op_modules {
        put(format!("operations/{}.rs", m.trim_start_matches("r#")), operations::emit_module(api, m))?;
    }

    let type_modules: Vec<(String, bool)> = types::modules(api).into_iter().map(|m| (m, false)).collect();
    put(
        "types/mod.rs".into(),
        module_index(
            "Types of requests and responses, grouped by the category that uses them (`common` when several do).",
            &type_modules,
        ),
    )?;
    for (m, _) in &type_modules {
        put(format!("types/{}.rs", m.trim_start_matches("r#")), types::emit_module(api, m))?;
    }
    Ok(())
}

/// `mod a; pub use a::*;` for each (module, only unstable operations), each behind its
/// category's feature, with a module doc.
fn module_index(doc: &str, modules: &[(String, bool)]) -> proc_macro2::TokenStream {
    let text = format!(" {doc}");
    let items = modules.iter().map(|(m, unstable)| {
        let id = ident(m);
        let cfg = cfg_gate(&module_feature(m).into_iter().collect::<Vec<_>>(), *unstable);
        quote! {
            #cfg
            mod #id;
            #cfg
            pub use #id::*;
        }
    });
    quote! {
        #![doc = #text]
        #(#items)*
    }
}

/// The feature that compiles a module (`identity_verification` → `identity-verification`);
/// the common module has none.
fn module_feature(module: &str) -> Option<String> {
    if module == COMMON_MODULE { None } else { category_feature(module) }
}

/// The Cargo.toml template's marker line that the API features replace.
const FEATURES_MARKER: &str = "# @api-features";

/// Put one feature per top-level category of every API in place of the marker.
fn place_features(files: &mut FileSet, apis: &[Api]) -> Result<(), Error> {
    let mut features: Vec<String> = apis
        .iter()
        .flat_map(|a| a.operations.iter().filter_map(|o| o.feature.clone()))
        .collect();
    features.sort();
    features.dedup();
    let manifest = files.text("Cargo.toml").unwrap_or_default().to_string();
    if !manifest.contains(FEATURES_MARKER) {
        return Err(Error::Emit {
            file: "Cargo.toml".into(),
            message: format!("templates/Cargo.toml.in lacks the line `{FEATURES_MARKER}` where the API features go"),
        });
    }
    let mut defaults: Vec<String> = apis.iter().flat_map(|a| a.default_features.iter().map(|f| format!("{f:?}"))).collect();
    defaults.sort();
    defaults.dedup();
    let mut lines = vec![format!("default = [{}]", defaults.join(", "))];
    lines.extend(features.iter().map(|f| format!("{f} = []")));
    let all: Vec<String> = features.iter().chain(["unstable".to_string()].iter()).map(|f| format!("{f:?}")).collect();
    lines.push("# Both serde traits on every type (by default, types sent in requests only implement".into());
    lines.push("# Serialize and types received in responses only Deserialize).".into());
    lines.push("serde-all = []".into());
    lines.push("# Everything: every category and the unstable operations.".into());
    lines.push(format!("full = [{}]", all.join(", ")));
    files.insert("Cargo.toml", manifest.replace(FEATURES_MARKER, &lines.join("\n")));
    Ok(())
}
