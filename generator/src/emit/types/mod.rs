//! Named types, one file per module (`types/payment.rs`, `types/common.rs`).

mod enums;
mod structs;
mod unions;

use crate::emit::rust::{doc_attrs, ident, type_tokens};
use crate::model::{Api, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The tokens of every type of one module, in name order.
pub fn emit_module(api: &Api, module: &str) -> TokenStream {
    let by_name: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let items = api.types.iter().filter(|t| t.module == module).map(|t| emit_type(t, &by_name));
    quote! {
        #[allow(unused_imports)]
        use super::*;

        #(#items)*
    }
}

fn emit_type(def: &TypeDef, types: &BTreeMap<&str, &TypeDef>) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structs::emit_struct(def, s),
        TypeKind::Enum(e) => enums::emit_enum(def, e),
        TypeKind::Union(u) => unions::emit_union(def, u, types),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let docs = doc_attrs(&def.docs, &format!("The `{}` type.", def.schema_name));
            let ty = type_tokens(target);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// Module names in use, sorted.
pub fn modules(api: &Api) -> Vec<String> {
    let mut mods: Vec<String> = api.types.iter().map(|t| t.module.clone()).collect();
    mods.sort();
    mods.dedup();
    mods
}
