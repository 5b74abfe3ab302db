//! Discriminated unions: a Rust enum dispatched on the tag property, one variant per
//! tag holding the case's struct, and `Unrecognized(serde_json::Value)` keeping a case
//! this SDK does not know. Error unions also get `Display`, `std::error::Error` and
//! the runtime's `ErrorCase`. Every union gets a method per field its cases share
//! (`Union::shared_fields`).

use crate::emit::rust::{doc_attrs, doc_lines, ident, type_tokens};
use crate::model::naming::UNRECOGNIZED;
use crate::model::{CaseField, SharedField, TypeDef, TypeRef, Union};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit_union(def: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    if !u.by_field.is_empty() {
        return emit_union_by_field(def, u, cfg);
    }
    let name = ident(&def.name);
    let docs = doc_attrs(
        &def.docs,
        &format!("One of the cases of `{}`, told apart by `{}`.", def.schema_name, u.tag_property),
    );
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    let tag_prop = &u.tag_property;
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let variants = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let ty = ident(&v.type_name);
        let docs = doc_attrs(&v.docs, &format!("The `{}` case.", v.tag));
        let tag_doc = format!(" `{} = \"{}\"`.", u.tag_property, v.tag);
        quote! { #docs #[doc = ""] #[doc = #tag_doc] #id(#ty), }
    });
    let tags = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let tag = &v.tag;
        quote! { Self::#id(_) => Some(#tag), }
    });
    let serialize = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let tag = &v.tag;
        if v.keeps_tag {
            quote! { Self::#id(case) => serde::Serialize::serialize(case, serializer), }
        } else {
            quote! { Self::#id(case) => crate::runtime::union::serialize_case(serializer, #tag_prop, #tag, case), }
        }
    });
    let union_name = &def.name;
    let cases = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let ty = ident(&v.type_name);
        let tag = &v.tag;
        quote! { #tag => <#ty as serde::Deserialize>::deserialize(case).map(Self::#id), }
    });
    let unrecognized_doc = format!(
        " A case this version of the SDK does not know, kept as the JSON received; its `{tag_prop}` is in [`Self::tag`]."
    );
    let error_impls = u.is_error.then(|| error_impls(def, u, cfg));
    let accessors = u.shared_fields.iter().map(|f| accessor(u, f));
    let ser_cfg = super::structs::serde_impl_cfg(def.direction.request);
    let de_cfg = super::structs::serde_impl_cfg(def.direction.response);
    quote! {
        #cfg
        #docs
        #deprecated
        // The cases are returned to callers as they are; boxing them would only add a
        // dereference to every match for no gain on values this size.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unrecognized_doc]
            #unrecognized(serde_json::Value),
        }

        #cfg
        impl #name {
            /// The tag of this case (`None` only for an unrecognized case without one).
            #[inline]
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #(#tags)*
                    Self::#unrecognized(value) => crate::runtime::union::tag_of(value, #tag_prop),
                }
            }

            #(#accessors)*
        }

        #cfg
        #ser_cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                    Self::#unrecognized(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #cfg
        #de_cfg
        impl<'de> crate::runtime::tagged::Tagged<'de> for #name {
            const NAME: &'static str = #union_name;
            const TAG: &'static str = #tag_prop;

            fn case<D: serde::Deserializer<'de>>(tag: &str, case: D) -> Option<Result<Self, D::Error>> {
                Some(match tag {
                    #(#cases)*
                    _ => return None,
                })
            }

            fn unrecognized(value: serde_json::Value) -> Self {
                Self::#unrecognized(value)
            }
        }

        #cfg
        #de_cfg
        crate::runtime::tagged::tagged_union!(#name);

        #error_impls
    }
}

/// `ErrorCase` (its `message` is the union's own `message` method, which the model
/// gives every error union), `Display` and `std::error::Error`.
fn error_impls(def: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    // The status the test kit's mock answers each case with (`testing` feature).
    let statuses = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        match v.status {
            Some(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote! { #id = #code }
            }
            None => quote! { #id = crate::runtime::testing::UNDOCUMENTED_ERROR_STATUS },
        }
    });
    let documented_case = documented_case(u);
    quote! {
        #cfg
        #[cfg(feature = "testing")]
        crate::runtime::testing::mock_error!(#name, #(#statuses),*);

        #cfg
        impl crate::runtime::ErrorCase for #name {
            fn tag(&self) -> Option<&str> {
                #name::tag(self)
            }

            fn message(&self) -> Option<&str> {
                #name::message(self)
            }

            fn is_documented(&self) -> bool {
                !matches!(self, Self::#unrecognized(_))
            }

            #documented_case
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::runtime::ErrorCase::fmt_case(self, f)
            }
        }

        #cfg
        impl std::error::Error for #name {}
    }
}

/// `ErrorCase::documented_case`: the answer's tag when it is one of the union's, with
/// the message the union's `message` method reads; nothing else of the answer is read,
/// so a documented error is known as such even when its other fields do not decode.
fn documented_case(u: &Union) -> TokenStream {
    let tag_prop = &u.tag_property;
    let tags: Vec<&str> = u.variants.iter().map(|v| v.tag.as_str()).collect();
    if tags.is_empty() {
        return TokenStream::new();
    }
    let message = match u.shared_fields.iter().find(|f| f.from_unrecognized) {
        Some(f) => {
            let wire = &f.wire_name;
            quote! { answer.get(#wire).and_then(serde_json::Value::as_str) }
        }
        None => quote! { None },
    };
    quote! {
        fn documented_case(answer: &serde_json::Value) -> Option<(&str, Option<&str>)> {
            let tag = crate::runtime::union::tag_of(answer, #tag_prop)?;
            matches!(tag, #(#tags)|*).then(|| (tag, #message))
        }
    }
}

/// A union whose cases are told apart by which field is present: the value is read once,
/// the first listed field found picks its case, and a value with none is the default
/// case. Every object is one of the cases, so there is no `Unrecognized`: a value its
/// case cannot decode, or one that is not an object, is an error naming the union and
/// the case.
fn emit_union_by_field(def: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let union_name = &def.name;
    let fields: Vec<&str> = u.by_field.iter().map(|(f, _)| f.as_str()).collect();
    let fallback = format!(
        "One of the cases of `{}`, told apart by which of {} is present.",
        def.schema_name,
        fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    );
    let docs = doc_attrs(&def.docs, &fallback);
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let variants = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let ty = ident(&v.type_name);
        let docs = doc_attrs(&v.docs, &format!("The `{}` case.", v.tag));
        let rule = match u.by_field.iter().find(|(_, r)| *r == v.rust_name) {
            Some((field, _)) => format!(" A value with `{field}`."),
            None => " A value without any of the fields that pick the other cases.".to_string(),
        };
        quote! { #docs #[doc = ""] #[doc = #rule] #id(#ty), }
    });
    let serialize = u.variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        quote! { Self::#id(case) => serde::Serialize::serialize(case, serializer), }
    });
    let picks = u.by_field.iter().map(|(field, rust)| {
        let id = ident(rust);
        quote! {
            if value.has(#field) {
                return crate::runtime::union::decode_case(value, #union_name, #rust).map(Self::#id);
            }
        }
    });
    let accessors: Vec<TokenStream> = u.shared_fields.iter().map(|f| accessor(u, f)).collect();
    let accessors = (!accessors.is_empty()).then(|| {
        quote! {
            #cfg
            impl #name {
                #(#accessors)*
            }
        }
    });
    let default_name = u.default_case.as_deref().unwrap_or_default();
    let default = ident(default_name);
    let ser_cfg = super::structs::serde_impl_cfg(def.direction.request);
    let de_cfg = super::structs::serde_impl_cfg(def.direction.response);
    quote! {
        #cfg
        #docs
        #deprecated
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #accessors

        #cfg
        #ser_cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        #cfg
        #de_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = crate::runtime::union::read_object(deserializer, #union_name)?;
                #(#picks)*
                crate::runtime::union::decode_case(value, #union_name, #default_name).map(Self::#default)
            }
        }
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
