//! Emit stage: the model of each API as Rust files, plus the hand-written templates,
//! as one in-memory [`FileSet`] for the write stage.
//!
//! Where things are written:
//! - `types/`: structs ([`types::structs`]), string enums, discriminated unions;
//! - [`operations`]: one request builder per operation;
//! - [`client`]: the client, its builder and the category handles;
//! - [`templates`]: the README and the `Cargo.toml` template, placed as they are;
//! - [`manifest`]: the API features in `Cargo.toml`;
//! - [`crate_root`]: the head of `lib.rs` (docs, the runtime crate's re-exports);
//! - [`sdk_tests`]: the SDK's generated tests (unions decode and round-trip; sensitive
//!   values never show in `Debug`; mutated answers never panic).
//! - [`samples`]: the test kit's sample of every response type, and their test.

mod client;
mod crate_root;
mod examples;
mod manifest;
mod operations;
mod pagination;
pub mod rust;
mod samples;
mod sdk_tests;
mod templates;
mod types;

use crate::error::Error;
use crate::model::Api;
use crate::model::Ident;
use crate::model::Module;
use crate::write::FileSet;
use quote::quote;
use rust::{cfg_gate, ident, render};
use std::path::Path;

/// The whole crate: templates first, then each API's module; the runtime is a crate of
/// its own (`runtime/`), which the manifest names.
pub fn emit_crate(apis: &[Api], templates_dir: &Path) -> Result<FileSet, Error> {
    let mut files = FileSet::default();
    templates::place(templates_dir, &mut files)?;
    let mut lib = crate_root::HEAD.to_string();
    let mut jobs = Vec::new();
    for (index, api) in apis.iter().enumerate() {
        jobs.extend(api_jobs(index, api));
        let m = ident(&api.module);
        let doc = format!(" {} (`{}`).", api.title, api.base_url);
        let gate = api.feature.as_ref().map(|f| {
            let note = format!(" Compiled with the `{f}` feature.");
            quote! { #[doc = ""] #[doc = #note] #[cfg(feature = #f)] }
        });
        lib.push_str(&format!("\n{}\n", quote! { #[doc = #doc] #gate pub mod #m; }));
    }
    for (path, text) in render_parallel(apis, jobs)? {
        files.insert(path, text);
    }
    manifest::place_features(&mut files, apis)?;
    samples::emit(apis, &mut files)?;
    sdk_tests::emit(apis, &mut files)?;
    files.insert("src/lib.rs", render_lib(&lib)?);
    Ok(files)
}

/// One generated file: where it goes and what goes in it.
struct Job {
    path: String,
    api: usize,
    kind: JobKind,
}

enum JobKind {
    /// `mod.rs` of the API module.
    ApiRoot,
    Client,
    /// `operations/mod.rs`.
    OperationsIndex,
    Operations(Ident),
    TypesIndex,
    Types(Ident),
}

/// The files of one API's module.
fn api_jobs(index: usize, api: &Api) -> Vec<Job> {
    let base = format!("src/{}", api.module);
    let job = |rel: String, kind| Job { path: format!("{base}/{rel}"), api: index, kind };
    let mut jobs = vec![job("mod.rs".into(), JobKind::ApiRoot), job("client.rs".into(), JobKind::Client)];

    for m in &api.operation_modules {
        jobs.push(job(format!("operations/{}.rs", m.name.name), JobKind::Operations(m.name.clone())));
    }
    jobs.push(job("operations/mod.rs".into(), JobKind::OperationsIndex));
    for m in &api.type_modules {
        jobs.push(job(format!("types/{}.rs", m.name.name), JobKind::Types(m.name.clone())));
    }
    jobs.push(job("types/mod.rs".into(), JobKind::TypesIndex));
    jobs
}

fn run_job(api: &Api, job: &Job) -> Result<String, Error> {
    let tokens = match &job.kind {
        JobKind::ApiRoot => api_root(api),
        JobKind::Client => client::emit_client(api),
        JobKind::OperationsIndex => {
            module_index("Request builders, one per operation, grouped by category.", &api.operation_modules)
        }
        JobKind::Operations(m) => operations::emit_module(api, m),
        JobKind::TypesIndex => module_index(
            "Types of requests and responses, grouped by the category that uses them (`common` when several do).",
            &api.type_modules,
        ),
        JobKind::Types(m) => types::emit_module(api, m),
    };
    render(&job.path, tokens)
}

/// Render jobs on every core (`parallel.rs`). Token streams cannot cross threads, so
/// each job builds its own; results come back in job order.
fn render_parallel(apis: &[Api], mut jobs: Vec<Job>) -> Result<Vec<(String, String)>, Error> {
    // Large files first, so no thread is left with one at the end.
    jobs.sort_by_key(|j| !matches!(j.kind, JobKind::Types(_) | JobKind::Operations(_)));
    let results = crate::parallel::map_in_order(&jobs, |job| run_job(&apis[job.api], job));
    jobs.iter()
        .zip(results)
        .map(|(job, result)| match result {
            Some(text) => text.map(|text| (job.path.clone(), text)),
            None => Err(Error::Emit { file: job.path.clone(), message: "a rendering thread panicked".into() }),
        })
        .collect()
}

/// The API module's `mod.rs`.
fn api_root(api: &Api) -> proc_macro2::TokenStream {
    let mut about = format!("{}, version {}.\n\nDefault base URL: `{}`.", api.title, api.version, api.base_url);
    if let Some(d) = &api.docs.description {
        about = format!("{d}\n\n{about}");
    }
    let about = about.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    let error = api.envelope.as_ref().map(|e| {
        let doc = format!(
            " The error of every call of this API: HTTP errors and envelopes whose `{}` is not 0\n come as [`crate::Error::Api`] with an [`crate::EnvelopeError`].",
            e.code
        );
        let doc: Vec<&str> = doc.lines().collect();
        quote! {
            #(#[doc = #doc])*
            pub type Error = crate::Error<crate::EnvelopeError>;
        }
    });
    let samples = samples::has_samples(api).then(|| {
        let m = ident(&Ident::plain(samples::MODULE));
        quote! { #[cfg(feature = "testing")] mod #m; }
    });
    quote! {
        #( #![doc = #about] )*

        mod client;
        pub mod operations;
        #samples
        pub mod types;

        pub use client::*;
        #error
    }
}

/// `lib.rs` is the template's header followed by the API modules; formatted as a whole.
fn render_lib(text: &str) -> Result<String, Error> {
    let file: syn::File =
        syn::parse_str(text).map_err(|e| Error::Emit { file: "src/lib.rs".into(), message: e.to_string() })?;
    Ok(format!("{}\n{}", rust::GENERATED_HEADER, prettyplease::unparse(&file)))
}

/// `mod a; pub use a::*;` for each module, each behind its gate, with a module doc.
fn module_index(doc: &str, modules: &[Module]) -> proc_macro2::TokenStream {
    let text = format!(" {doc}");
    let items = modules.iter().map(|m| {
        let id = ident(&m.name);
        let cfg = cfg_gate(&m.gate.features, m.gate.unstable);
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
