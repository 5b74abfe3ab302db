//! Emit stage: the model of each API as Rust files, plus the hand-written templates,
//! as one in-memory [`FileSet`] for the write stage.
//!
//! Where things are written:
//! - `types/`: structs ([`types::structs`]), string enums, discriminated unions;
//! - [`operations`]: one request builder per operation;
//! - [`client`]: the client, its builder and the category handles;
//! - [`templates`]: the runtime, `Cargo.toml`, README and `lib.rs` header.

mod client;
mod operations;
pub mod rust;
mod templates;
mod types;

use crate::error::Error;
use crate::model::Api;
use crate::model::naming;
use crate::write::FileSet;
use quote::quote;
use rust::{ident, render};
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
    put(
        "operations/mod.rs".into(),
        module_index("Request builders, one per operation, grouped by category.", &op_modules),
    )?;
    for m in &op_modules {
        put(format!("operations/{}.rs", m.trim_start_matches("r#")), operations::emit_module(api, m))?;
    }

    let type_modules = types::modules(api);
    put(
        "types/mod.rs".into(),
        module_index(
            "Types of requests and responses, grouped by the category that uses them (`common` when several do).",
            &type_modules,
        ),
    )?;
    for m in &type_modules {
        put(format!("types/{}.rs", m.trim_start_matches("r#")), types::emit_module(api, m))?;
    }
    Ok(())
}

/// `mod a; mod b; pub use a::*; pub use b::*;` with a module doc.
fn module_index(doc: &str, modules: &[String]) -> proc_macro2::TokenStream {
    let text = format!(" {doc}");
    let mods = modules.iter().map(|m| ident(m));
    let uses = modules.iter().map(|m| ident(m));
    quote! {
        #![doc = #text]
        #( mod #mods; )*
        #( pub use #uses::*; )*
    }
}
