//! String enums: one variant per known value plus `Unrecognized(String)`, which keeps
//! a value this SDK does not know so it can be read and sent back unchanged.

use crate::emit::rust::{doc_attrs, ident};
use crate::model::naming::UNRECOGNIZED;
use crate::model::{EnumType, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit_enum(def: &TypeDef, e: &EnumType, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &format!("Values of `{}`.", def.schema_name));
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let variants = e.values.iter().map(|v| {
        let id = ident(&v.rust_name);
        let fallback = format!("`{}`", v.wire);
        let docs = doc_attrs(&v.docs, &fallback);
        let documented = v.docs.summary.is_some() || v.docs.description.is_some();
        let wire_doc = documented.then(|| format!(" Sent as `{}`.", v.wire));
        let wire_doc = wire_doc.map(|d| quote! { #[doc = ""] #[doc = #d] });
        quote! { #docs #wire_doc #id, }
    });
    let to_wire = e.values.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire;
        quote! { Self::#id => #wire, }
    });
    let from_wire = e.values.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire;
        quote! { #wire => Self::#id, }
    });
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know, kept as received.
            #unrecognized(String),
        }

        #cfg
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#unrecognized(value) => value,
                }
            }
        }

        #cfg
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#unrecognized(other.to_owned()),
                }
            }
        }

        #cfg
        crate::runtime::string_enum_impls!(#name);
    }
}
