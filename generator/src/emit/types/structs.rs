//! Structs: one field per property, serde renames to the wire names, optional fields
//! skipped when empty, unknown fields ignored. Every struct is `#[non_exhaustive]`, so a
//! field PortOne adds is not a breaking change; request-side types get a constructor
//! and a `with_…` setter per optional field, so callers never need a struct literal.
//! `Serialize` and `Deserialize` come from the runtime's `struct_encoder!` and
//! `struct_decoder!`, which name only the fields (see `serialize_impl` and
//! `deserialize_impl`) and compile in a fraction of serde's derives' time.

use crate::emit::rust::{debug_impl, doc_attrs, ident, type_tokens};
use crate::model::{Field, Struct, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_struct(def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &format!("The `{}` object.", def.schema_name));
    // Only for types callers build: a response type gaining a required field would lose it.
    let default = (def.direction.request && s.derives_default()).then(|| quote! { Default, });
    let fields = s.fields.iter().map(field);
    let serialize = serialize_impl(def, s, cfg);
    let deserialize = deserialize_impl(def, s, cfg);
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let constructor = s.constructor.as_ref().map(|params| constructor(def, s, params, cfg));
    // A struct carrying credentials writes its `Debug` by hand, hiding them.
    let (debug_derive, debug_impl) = if s.has_sensitive() {
        let printed = s.fields.iter().map(|f| (&f.rust_name, f.sensitive));
        (quote! {}, Some(debug_impl(&def.name, printed, cfg)))
    } else {
        (quote! { Debug, }, None)
    };
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone, #debug_derive #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
        #serialize
        #deserialize
        #constructor
    }
}

/// `Serialize`, through the runtime's `struct_encoder!`: each field in order with its
/// wire name and how it is written. Compiled where the type is sent (or with
/// `serde-all`).
fn serialize_impl(def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let ser_cfg = serde_impl_cfg(def.direction.request);
    let entries = s.fields.iter().map(|f| {
        let (n, wire) = (ident(&f.rust_name), &f.wire_name);
        // A UNIX time is written as V1 writes it, `0` for none, so it is never left out.
        match (f.ty == TypeRef::UnixTime, f.required, f.whole_numbers) {
            (true, _, _) => quote! { #n = #wire as unix },
            (false, true, false) => quote! { #n = #wire },
            (false, true, true) => quote! { #n = #wire as whole },
            (false, false, false) => quote! { #n = #wire as optional },
            (false, false, true) => quote! { #n = #wire as optional_whole },
        }
    });
    quote! {
        #cfg
        #ser_cfg
        crate::runtime::struct_encoder!(#name, [#(#entries),*]);
    }
}

/// `Deserialize`, through the runtime's `struct_decoder!`: the generated code names only
/// the fields and their wire names, required ones first. Compiled only where the type is
/// received (or with `serde-all`).
fn deserialize_impl(def: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let de_cfg = serde_impl_cfg(def.direction.response);
    let expecting = format!("an object of type `{}`", def.schema_name);
    let entry = |f: &Field| {
        let (n, wire) = (ident(&f.rust_name), &f.wire_name);
        if f.ty == TypeRef::DateTime && !f.boxed {
            quote! { #n = #wire as time }
        } else if f.ty == TypeRef::UnixTime {
            quote! { #n = #wire as unix_time }
        } else if f.sensitive && f.ty == TypeRef::String && !f.boxed {
            quote! { #n = #wire as sensitive }
        } else {
            quote! { #n = #wire }
        }
    };
    let required = s.fields.iter().filter(|f| f.required).map(entry);
    let optional = s.fields.iter().filter(|f| !f.required).map(entry);
    quote! {
        #cfg
        #de_cfg
        crate::runtime::struct_decoder!(#name, #expecting, [#(#required),*], [#(#optional),*]);
    }
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
    let ty = field_type(f);
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// `new(params...)` and a `with_…` setter per optional field. The parameters are the
/// model's (`Struct::constructor`): the required fields, and fields that were required
/// before (kept by the lock) whose value is now wrapped in `Some`; other optional fields
/// start as `None`.
fn constructor(def: &TypeDef, s: &Struct, params: &[String], cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let taken: Vec<&Field> = params.iter().filter_map(|w| s.fields.iter().find(|f| f.wire_name == *w)).collect();
    let args = taken.iter().map(|f| {
        let n = ident(&f.rust_name);
        let ty = value_type(f);
        quote! { #n: #ty }
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        if !taken.iter().any(|t| t.wire_name == f.wire_name) {
            return quote! { #n: None };
        }
        let value = held_value(f, quote! { #n });
        if f.required && !f.boxed && f.ty != TypeRef::String {
            quote! { #n }
        } else if f.required {
            quote! { #n: #value }
        } else {
            quote! { #n: Some(#value) }
        }
    });
    let many = (taken.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let doc = if taken.iter().all(|f| f.required) {
        format!(" A `{}` with the required fields set and every optional field empty.", def.name)
    } else {
        format!(
            " A `{}` with these fields set (some of them optional now, kept as arguments so that code written before still compiles) and every other optional field empty.",
            def.name
        )
    };
    let setters: Vec<TokenStream> = s.fields.iter().filter(|f| !f.required).map(setter).collect();
    let setters = (!setters.is_empty()).then(|| quote! { crate::runtime::setters!(#cfg #name { #(#setters)* }); });
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }

        #setters
    }
}

/// The type a constructor or setter takes for a field: strings as `impl Into<String>`,
/// no `Option` and no `Box`.
fn value_type(f: &Field) -> TokenStream {
    if f.ty == TypeRef::String && !f.boxed {
        quote! { impl Into<String> }
    } else {
        type_tokens(&f.ty)
    }
}

/// The value a field holds (before any `Some`) made from an argument of [`value_type`].
fn held_value(f: &Field, arg: TokenStream) -> TokenStream {
    if f.boxed {
        quote! { Box::new(#arg) }
    } else if f.ty == TypeRef::String {
        quote! { #arg.into() }
    } else {
        arg
    }
}

/// One `with_<field>(value)` line of `runtime::setters!`: the struct with an optional
/// field set, for chaining. The prefix keeps setters apart from `new`, from the fields
/// and from trait methods; the runtime writes the body and the first doc line.
fn setter(f: &Field) -> TokenStream {
    let n = ident(&f.rust_name);
    let method = quote::format_ident!("with_{}", f.rust_name.name);
    let ty = value_type(f);
    let how = if f.boxed {
        quote! { boxed }
    } else if f.ty == TypeRef::String {
        quote! { into }
    } else {
        quote! { set }
    };
    let wire = &f.wire_name;
    let more = f.docs.summary.as_ref().map(|summary| {
        let lines = doc_attrs(&crate::model::Docs { summary: Some(summary.clone()), description: None }, "");
        quote! { #[doc = ""] #lines }
    });
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    quote! { #more #deprecated #method(#n, #wire): #ty => #how; }
}
