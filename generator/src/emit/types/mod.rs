//! Named types, one file per module (`types/payment.rs`, `types/common.rs`).

mod enums;
mod structs;
mod unions;

use crate::emit::rust::{cfg_any_feature, doc_attrs, ident, type_tokens};
use crate::model::from_spec::COMMON_MODULE;
use crate::model::{Api, Ident, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The tokens of every type of one module, in name order.
pub fn emit_module(api: &Api, module: &Ident) -> TokenStream {
    // A category's module is gated as a whole; the common module gates each type.
    let items = api.types.iter().filter(|t| t.module == *module).map(|t| {
        let cfg = if module.name == COMMON_MODULE {
            cfg_any_feature(&t.features)
        } else {
            quote! {}
        };
        emit_type(t, &cfg)
    });
    quote! {
        #![allow(deprecated)]
        #[allow(unused_imports)]
        use super::*;

        #(#items)*
    }
}

/// The items of one type, each carrying `cfg`.
fn emit_type(def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structs::emit_struct(def, s, cfg),
        TypeKind::Enum(e) => enums::emit_enum(def, e, cfg),
        TypeKind::Union(u) => unions::emit_union(def, u, cfg),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let docs = doc_attrs(&def.docs, &format!("The `{}` type.", def.schema_name));
            let ty = type_tokens(target);
            quote! { #cfg #docs pub type #name = #ty; }
        }
    }
}

/// Module names in use, sorted.
pub fn modules(api: &Api) -> Vec<Ident> {
    let mut mods: Vec<Ident> = api.types.iter().map(|t| t.module.clone()).collect();
    mods.sort();
    mods.dedup();
    mods
}
