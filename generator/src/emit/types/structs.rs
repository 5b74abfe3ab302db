//! Structs: one field per property, serde renames to the wire names, optional fields
//! skipped when empty, unknown fields ignored; a constructor for request-side types.

use crate::emit::rust::{debug_impl, doc_attrs, ident, serde_camel, type_tokens};
use crate::model::{Field, Struct, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_struct(def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &format!("The `{}` object.", def.schema_name));
    let all_optional = s.fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote! { Default, });
    let serde = serde_derives(def);
    let fields = s.fields.iter().map(field);
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let constructor = s.constructor.then(|| constructor(def, s, cfg));
    // A struct carrying credentials writes its `Debug` by hand, hiding them.
    let (debug_derive, debug_impl) = if s.has_sensitive() {
        let printed = s.fields.iter().map(|f| (f.rust_name.as_str(), f.sensitive));
        (quote! {}, Some(debug_impl(&def.name, printed, cfg)))
    } else {
        (quote! { Debug, }, None)
    };
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone, #debug_derive #default PartialEq)]
        #serde
        #[serde(rename_all = "camelCase")]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
        #constructor
    }
}

/// The serde derives of a type: the traits its direction needs, and the others behind
/// the `serde-all` feature.
pub fn serde_derives(def: &TypeDef) -> TokenStream {
    let d = def.direction;
    let derive = |on: bool, t: TokenStream| {
        if on {
            quote! { #[derive(#t)] }
        } else {
            quote! { #[cfg_attr(feature = "serde-all", derive(#t))] }
        }
    };
    let ser = derive(d.request, quote! { serde::Serialize });
    let de = derive(d.response, quote! { serde::Deserialize });
    quote! { #ser #de }
}

/// The `cfg` of a serde impl written by hand: none when the type's direction needs it,
/// the `serde-all` feature otherwise.
pub fn serde_impl_cfg(needed: bool) -> TokenStream {
    if needed {
        quote! {}
    } else {
        quote! { #[cfg(feature = "serde-all")] }
    }
}

/// The field's full type: boxing and `Option` applied.
fn field_type(f: &Field) -> TokenStream {
    let mut ty = type_tokens(&f.ty);
    if f.boxed {
        ty = quote! { Box<#ty> };
    }
    if f.required {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let docs = doc_attrs(&f.docs, &format!("The `{}` field.", f.wire_name));
    let wire = &f.wire_name;
    let rename = (serde_camel(&f.rust_name) != *wire).then(|| quote! { #[serde(rename = #wire)] });
    let optional = (!f.required).then(|| quote! { #[serde(default, skip_serializing_if = "Option::is_none")] });
    let whole = f.whole_numbers.then(|| quote! { #[serde(serialize_with = "crate::runtime::number::serialize")] });
    let ty = field_type(f);
    quote! {
        #docs
        #rename
        #optional
        #whole
        pub #name: #ty,
    }
}

/// `new(required fields...)`: optional fields start as `None`.
fn constructor(def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let n = ident(&f.rust_name);
        if f.ty == TypeRef::String && !f.boxed {
            quote! { #n: impl Into<String> }
        } else {
            let ty = type_tokens(&f.ty);
            quote! { #n: #ty }
        }
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        match (f.required, f.boxed, f.ty == TypeRef::String) {
            (false, _, _) => quote! { #n: None },
            (true, true, _) => quote! { #n: Box::new(#n) },
            (true, false, true) => quote! { #n: #n.into() },
            (true, false, false) => quote! { #n },
        }
    });
    let many = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let doc = format!(" A `{}` with the required fields set and every optional field empty.", def.name);
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}
