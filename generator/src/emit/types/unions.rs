//! Discriminated unions: a Rust enum dispatched on the tag property (or on which field
//! is present), one variant per case holding the case's struct, and, for a tagged union,
//! `Unrecognized(serde_json::Value)` keeping a case this SDK does not know. The enum and
//! its docs are written here; its impls (`tag()`, serde, and for error unions
//! `ErrorCase`, `Display` and `std::error::Error`) come from one runtime macro given the
//! case list. Every union gets a method per field its cases share
//! (`Union::shared_fields`).

use crate::emit::rust::{doc_attrs, doc_lines, ident, type_tokens};
use crate::model::naming::UNRECOGNIZED;
use crate::model::{CaseField, SharedField, TypeDef, TypeRef, Union, UnionVariant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit_union(def: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &union_fallback_doc(def, u));
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let variants = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let ty = ident(&v.type_name);
        let docs = doc_attrs(&v.docs, &format!("The `{}` case.", v.tag));
        let rule = variant_rule(u, v);
        quote! { #docs #[doc = ""] #[doc = #rule] #id(#ty), }
    });
    let unrecognized = u.has_unrecognized().then(|| {
        let id = format_ident!("{}", UNRECOGNIZED);
        let doc = format!(
            " A case this version of the SDK does not know, kept as the JSON received; its `{}` is in [`Self::tag`].",
            u.tag_property
        );
        quote! { #[doc = #doc] #id(serde_json::Value), }
    });
    let accessors: Vec<TokenStream> = u.shared_fields.iter().map(|f| accessor(u, f)).collect();
    let accessors = (!accessors.is_empty()).then(|| quote! { #cfg impl #name { #(#accessors)* } });
    let impls = if u.has_unrecognized() { tagged_impls(def, u) } else { field_impls(def, u) };
    // The cases are returned to callers as they are; boxing them would only add a
    // dereference to every match for no gain on values this size.
    quote! {
        #cfg
        #docs
        #deprecated
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unrecognized
        }

        #accessors

        #cfg
        #impls
    }
}

/// The union's docs when the spec gives none: what tells its cases apart.
fn union_fallback_doc(def: &TypeDef, u: &Union) -> String {
    if u.has_unrecognized() {
        return format!("One of the cases of `{}`, told apart by `{}`.", def.schema_name, u.tag_property);
    }
    let fields: Vec<String> = u.by_field.iter().map(|(f, _)| format!("`{f}`")).collect();
    format!("One of the cases of `{}`, told apart by which of {} is present.", def.schema_name, fields.join(", "))
}

/// The last doc line of a variant: its tag, or the field that picks it.
fn variant_rule(u: &Union, v: &UnionVariant) -> String {
    if u.has_unrecognized() {
        return format!(" `{} = \"{}\"`.", u.tag_property, v.tag);
    }
    match u.by_field.iter().find(|(_, r)| *r == v.rust_name) {
        Some((field, _)) => format!(" A value with `{field}`."),
        None => " A value without any of the fields that pick the other cases.".to_string(),
    }
}

/// The attributes of the `Serialize` and `Deserialize` impls, as the union macros take
/// them: `serialize[...], deserialize[...]`.
fn directions(def: &TypeDef) -> TokenStream {
    let ser = super::structs::serde_impl_cfg(def.direction.request);
    let de = super::structs::serde_impl_cfg(def.direction.response);
    quote! { serialize[#ser], deserialize[#de] }
}

/// The runtime's `tagged_union!` (or `error_union!`, which adds `ErrorCase`, `Display`,
/// `std::error::Error` and the mock's statuses) with the union's cases: each variant,
/// tag and struct, `keeps_tag` when the struct writes the tag itself, and for an error
/// union the status the test kit's mock answers the case with.
fn tagged_impls(def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let tag_prop = &u.tag_property;
    let directions = directions(def);
    let cases = u.variants.iter().map(|v| {
        let (id, ty, tag) = (ident(&v.rust_name), ident(&v.type_name), &v.tag);
        let keep = v.keeps_tag.then(|| quote! { , keeps_tag });
        let status = v.status.filter(|_| u.is_error).map(|code| {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote! { = #code }
        });
        quote! { #id(#tag, #ty #keep) #status }
    });
    if !u.is_error {
        return quote! { crate::runtime::tagged_union!(#name, #tag_prop, #directions, [#(#cases),*]); };
    }
    // An answer's message, read from its JSON when its other fields do not decode.
    let message = u.shared_fields.iter().find(|f| f.from_unrecognized).map(|f| {
        let wire = &f.wire_name;
        quote! { message = #wire, }
    });
    quote! { crate::runtime::error_union!(#name, #tag_prop, #message #directions, [#(#cases),*]); }
}

/// The runtime's `field_union!` for a union whose cases are told apart by which field is
/// present: the value is read once, the first listed field found picks its case, and a
/// value with none is the default case. Every object is one of the cases, so there is no
/// `Unrecognized`.
fn field_impls(def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let directions = directions(def);
    let cases = u.variants.iter().map(|v| {
        let (id, ty) = (ident(&v.rust_name), ident(&v.type_name));
        quote! { #id(#ty) }
    });
    let picks = u.by_field.iter().map(|(field, rust)| {
        let id = ident(rust);
        quote! { #field => #id }
    });
    let default = ident(u.default_case.as_deref().unwrap_or_default());
    quote! {
        crate::runtime::field_union!(#name, #directions, [#(#cases),*], picks[#(#picks),*], default #default);
    }
}

/// The method returning a shared field from whichever case the union holds. It always
/// returns an `Option`, so that a case PortOne adds without the field (or with another
/// type for it) changes no signature. Strings come as `&str`, lists as slices, numbers,
/// booleans and dates by copy, everything else by reference.
fn accessor(u: &Union, f: &SharedField) -> TokenStream {
    let name = ident(&f.rust_name);
    let value_ty = match &f.ty {
        TypeRef::String => quote! { &str },
        TypeRef::Array(inner) => {
            let inner = type_tokens(inner);
            quote! { &[#inner] }
        }
        ty if is_copy(ty) => type_tokens(ty),
        ty => {
            let ty = type_tokens(ty);
            quote! { &#ty }
        }
    };
    let ret = quote! { Option<#value_ty> };
    let arms = f.cases.iter().map(|c| {
        let variant = ident(&c.variant);
        let read = read_field(&f.ty, &name, c);
        let read = if c.required {
            quote! { Some(#read) }
        } else {
            read
        };
        quote! { Self::#variant(case) => #read, }
    });
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    let wire = &f.wire_name;
    let from_json = (u.has_unrecognized() && f.from_unrecognized)
        .then(|| quote! { Self::#unrecognized(value) => value.get(#wire).and_then(serde_json::Value::as_str), });
    let without: Vec<&str> =
        u.variants.iter().map(|v| v.rust_name.as_str()).filter(|v| !f.cases.iter().any(|c| c.variant == *v)).collect();
    let unrecognized_none = u.has_unrecognized() && !f.from_unrecognized;
    let rest = if !without.is_empty() {
        Some(quote! { _ => None, })
    } else {
        unrecognized_none.then(|| quote! { Self::#unrecognized(_) => None, })
    };
    let docs = accessor_docs(u, f, &without);
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    // `#[inline]`: compiled where it is called, not for every union in the SDK's build.
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self) -> #ret {
            match self {
                #(#arms)*
                #from_json
                #rest
            }
        }
    }
}

/// Types returned by copy.
fn is_copy(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Int32
            | TypeRef::Int64
            | TypeRef::Float
            | TypeRef::Boolean
            | TypeRef::DateTime
            | TypeRef::UnixTime
            | TypeRef::Date
    )
}

/// How one case's field becomes the method's value (before any `Some`).
fn read_field(ty: &TypeRef, name: &proc_macro2::Ident, c: &CaseField) -> TokenStream {
    match (ty, c.required) {
        (ty, _) if is_copy(ty) => quote! { case.#name },
        (TypeRef::String, true) => quote! { case.#name.as_str() },
        (TypeRef::Array(_), true) => quote! { case.#name.as_slice() },
        (TypeRef::String | TypeRef::Array(_), false) => quote! { case.#name.as_deref() },
        (_, true) if c.boxed => quote! { &*case.#name },
        (_, true) => quote! { &case.#name },
        (_, false) if c.boxed => quote! { case.#name.as_deref() },
        (_, false) => quote! { case.#name.as_ref() },
    }
}

/// The field's own docs when the cases agree on them, else a sentence naming it; then
/// when the method gives `None`.
fn accessor_docs(u: &Union, f: &SharedField, without: &[&str]) -> TokenStream {
    let own = doc_attrs(&f.docs, &format!("The `{}` of whichever case this is.", f.wire_name));
    let mut none: Vec<String> = Vec::new();
    if !without.is_empty() {
        let cases: Vec<String> = without.iter().map(|v| format!("`{v}`")).collect();
        let which = if cases.len() == 1 { "the case" } else { "the cases" };
        let lack = if cases.len() == 1 { "lacks" } else { "lack" };
        none.push(format!("for {which} {}, which {lack} it", cases.join(", ")));
    }
    if f.cases.iter().any(|c| !c.required) {
        none.push("when the case leaves it out".to_string());
    }
    if u.has_unrecognized() && !f.from_unrecognized {
        none.push("for an unrecognized case".to_string());
    }
    let mut text = String::new();
    if let Some((last, first)) = none.split_last() {
        let list = if first.is_empty() { last.clone() } else { format!("{}; and {last}", first.join("; ")) };
        text = format!("`None` {list}.");
    }
    if u.has_unrecognized() && f.from_unrecognized {
        let read = format!(
            "An unrecognized case's `{}` is read from its JSON. `ErrorCase::message` returns the same.",
            f.wire_name
        );
        text = if text.is_empty() { read } else { format!("{text} {read}") };
    }
    let extra = (!text.is_empty()).then(|| {
        let lines = doc_lines(&format!("\n{text}"));
        quote! { #lines }
    });
    quote! { #own #extra }
}
