//! Named types, one file per module (`types/payment.rs`, `types/common.rs`).

mod enums;
mod structs;
mod unions;

use crate::emit::rust::{cfg_gate, doc_attrs, ident, type_tokens};
use crate::model::{Api, Ident, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The tokens of every type of one module, in name order.
pub fn emit_module(api: &Api, module: &Ident) -> TokenStream {
    let items = api.types.iter().filter(|t| t.module == *module).map(|t| {
        let cfg = cfg_gate(&t.gate.features, t.gate.unstable);
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
