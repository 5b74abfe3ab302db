//! One request builder per operation: required values are taken by the client method,
//! optional ones are set by name, and `.send()` (or `.await`) performs the call.

use crate::emit::rust::{cfg_gate, debug_impl, doc_attrs, doc_lines, ident, type_tokens};
use crate::model::{
    Api, Argument, Body, BodyDefault, BodyDelivery, ClientDefault, Docs, ErrorType, Ident, Operation, ParamLocation,
    Parameter, PathPart, Reader, Response, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The tokens of every request builder whose category lies under `module`.
pub fn emit_module(api: &Api, module: &Ident) -> TokenStream {
    let api_mod = ident(&api.module);
    let builders = api.operations.iter().filter(|o| o.module == *module).map(|o| builder(api, o));
    quote! {
        #![allow(deprecated)]
        #[allow(unused_imports)]
        use crate::#api_mod::types::*;
        use crate::#api_mod::Client;

        #(#builders)*
    }
}

/// The docs of an operation: the spec's text, the HTTP request line and a note when unstable.
pub fn operation_docs(op: &Operation) -> TokenStream {
    let mut docs = doc_attrs(&op.docs, &format!("The `{}` operation.", op.id));
    docs.extend(doc_lines(&format!("\n`{} {}` (operation `{}`)", op.method.as_str(), op.path, op.id)));
    if op.unstable {
        docs.extend(doc_lines(
            "\n**Unstable:** PortOne may change or remove this operation without notice; it is compiled\n\
             only with the `unstable` feature.",
        ));
    }
    docs
}

/// How a setter or client method takes a value: strings as `impl Into<String>`.
pub fn argument_type(ty: &TypeRef) -> (TokenStream, bool) {
    if *ty == TypeRef::String { (quote! { impl Into<String> }, true) } else { (type_tokens(ty), false) }
}

/// The client method's inputs in argument order (`Operation::arguments`): name, type,
/// docs, and whether the builder holds it in an `Option` (an input that became optional
/// after the lock made it an argument).
pub fn required_inputs(op: &Operation) -> Vec<(Ident, TypeRef, Docs, bool)> {
    op.arguments
        .iter()
        .filter_map(|argument| match argument {
            Argument::Param(i) => {
                op.param(*i).map(|p| (p.rust_name.clone(), p.ty.clone(), p.docs.clone(), !p.required))
            }
            Argument::Body => {
                op.body.as_ref().map(|b| (Ident::plain("body"), b.ty.clone(), b.docs.clone(), !b.required))
            }
        })
        .collect()
}

/// The call's success type and error type (`Operation::error_type`).
pub fn result_types(op: &Operation) -> (TokenStream, TokenStream) {
    let ok = match &op.response {
        Response::Json(t) => type_tokens(t),
        Response::Text => quote! { String },
        Response::Empty => quote! { () },
    };
    let err = match &op.error_type {
        ErrorType::Envelope => quote! { crate::runtime::EnvelopeError },
        ErrorType::Union(e) => {
            let e = ident(e);
            quote! { #e }
        }
        ErrorType::Untyped => quote! { crate::runtime::UntypedError },
    };
    (ok, err)
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let docs = operation_docs(op);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let header_defaults: Vec<&ClientDefault> = header_defaults(api, op).collect();
    let Parts { fields, printed, new_params, inits } = parts(op, &header_defaults);
    let setters = op.params.iter().filter(|p| !p.required).map(setter);
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(body_setter);
    let header_setters = header_defaults.iter().map(|d| header_setter(d));
    let request = request_fn(api, op);
    let key_arg = op.idempotency_header.as_ref().map(|header| quote! { , idempotency_key = #header });
    let kind = send_kind(op);
    let (ok, err) = result_types(op);
    let paging = op.pagination.as_ref().map(|p| super::pagination::stream_methods(p, &ok, &err));
    let must_use = "a request does nothing until it is sent with `.send()` or `.await`ed";
    let cfg = cfg_gate(&op.gate.features, op.gate.unstable);
    let mock = mock_operation(op, &ok, &err, &cfg);
    // A builder holding a credential writes its `Debug` by hand, hiding it.
    let (debug_derive, debug_impl) = if op.has_sensitive_params() {
        (quote! {}, Some(debug_impl(&op.type_name, printed.iter().map(|(n, s)| (n, *s)), &cfg)))
    } else {
        (quote! { , Debug }, None)
    };
    quote! {
        #cfg
        #docs
        #deprecated
        #[derive(Clone #debug_derive)]
        #[must_use = #must_use]
        pub struct #name {
            client: Client,
            options: crate::runtime::CallOptions,
            #(#fields)*
        }

        #debug_impl

        #cfg
        impl #name {
            pub(crate) fn new(client: Client, #(#new_params),*) -> Self {
                Self { client, options: Default::default(), #(#inits),* }
            }

            #(#setters)*
            #body_setter
            #(#header_setters)*

            #request
            #paging
        }

        #cfg
        crate::runtime::call_methods!(#name, #ok, #err, #kind #key_arg);

        #mock
    }
}

/// The pieces of a request builder that follow its inputs.
struct Parts {
    /// Its fields after `client` and `options`.
    fields: Vec<TokenStream>,
    /// Every field in order, and whether it holds a credential (for a hand-written `Debug`).
    printed: Vec<(Ident, bool)>,
    /// The parameters of `new`: the client method's arguments.
    new_params: Vec<TokenStream>,
    /// The initializers of the fields in `new`.
    inits: Vec<TokenStream>,
}

/// Fields hold the arguments (as they are, or in an `Option` when the lock kept an
/// input that became optional), the optional inputs, and the call's header defaults.
fn parts(op: &Operation, header_defaults: &[&ClientDefault]) -> Parts {
    let required = required_inputs(op);
    let optional_params: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    let optional_body = op.body.as_ref().filter(|b| !b.required);
    let mut fields = Vec::new();
    let mut printed: Vec<(Ident, bool)> = vec![(Ident::plain("client"), false), (Ident::plain("options"), false)];
    let param_sensitive = |name: &Ident| op.params.iter().any(|p| p.rust_name == *name && p.sensitive);
    for (n, ty, _, _) in required.iter().filter(|r| !r.3) {
        printed.push((n.clone(), param_sensitive(n)));
        let (n, ty) = (ident(n), type_tokens(ty));
        fields.push(quote! { #n: #ty, });
    }
    for p in &optional_params {
        printed.push((p.rust_name.clone(), p.sensitive));
        let (n, ty) = (ident(&p.rust_name), type_tokens(&p.ty));
        fields.push(quote! { #n: Option<#ty>, });
    }
    if let Some(b) = optional_body {
        printed.push((Ident::plain("body"), false));
        let ty = type_tokens(&b.ty);
        fields.push(quote! { body: Option<#ty>, });
    }
    let new_params = required
        .iter()
        .map(|(n, ty, _, _)| {
            let (n, ty) = (ident(n), type_tokens(ty));
            quote! { #n: #ty }
        })
        .collect();
    let mut inits: Vec<TokenStream> = required
        .iter()
        .map(|(n, _, _, optional)| {
            let n = ident(n);
            if *optional {
                quote! { #n: Some(#n) }
            } else {
                quote! { #n }
            }
        })
        .collect();
    let is_argument = |n: &Ident| required.iter().any(|r| r.0 == *n);
    inits.extend(optional_params.iter().filter(|p| !is_argument(&p.rust_name)).map(|p| {
        let n = ident(&p.rust_name);
        quote! { #n: None }
    }));
    if optional_body.is_some() && !is_argument(&Ident::plain("body")) {
        inits.push(quote! { body: None });
    }
    // Headers the client sets for every call (V1's `Tier`), overridable here.
    for d in header_defaults {
        printed.push((d.rust_name.clone(), false));
        let n = ident(&d.rust_name);
        fields.push(quote! { #n: Option<String>, });
        inits.push(quote! { #n: None });
    }
    Parts { fields, printed, new_params, inits }
}

/// The setter of an optional body.
fn body_setter(b: &Body) -> TokenStream {
    let ty = type_tokens(&b.ty);
    let docs = doc_attrs(&b.docs, "The request body.");
    quote! {
        #docs
        pub fn body(mut self, body: #ty) -> Self {
            self.body = Some(body);
            self
        }
    }
}

/// The setter of a header the client sets for every call, for this call alone.
fn header_setter(d: &ClientDefault) -> TokenStream {
    let n = ident(&d.rust_name);
    let doc = format!(" The `{}` header for this call instead of the client's.", d.wire_name);
    let more = doc_attrs(&d.docs, "");
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #more
        pub fn #n(mut self, value: impl Into<String>) -> Self {
            self.#n = Some(value.into());
            self
        }
    }
}

/// What the test kit's mock needs to answer this operation with typed values (the
/// `testing` feature): its id, method, path template and result types. How a text or
/// empty success is written is stated only when it is not JSON.
fn mock_operation(op: &Operation, ok: &TokenStream, err: &TokenStream, cfg: &TokenStream) -> TokenStream {
    let name = ident(&op.type_name);
    let (id, method, path) = (&op.id, op.method.as_str(), &op.path);
    let body = match op.response {
        Response::Json(_) => None,
        Response::Text => Some(
            quote! { const SUCCESS_BODY: crate::runtime::testing::SuccessBody = crate::runtime::testing::SuccessBody::Text; },
        ),
        Response::Empty => Some(
            quote! { const SUCCESS_BODY: crate::runtime::testing::SuccessBody = crate::runtime::testing::SuccessBody::Empty; },
        ),
    };
    quote! {
        #cfg
        #[cfg(feature = "testing")]
        impl crate::runtime::testing::MockOperation for #name {
            type Api = Client;
            type Output = #ok;
            type Error = #err;
            const ID: &'static str = #id;
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            #body
        }
    }
}

fn setter(p: &Parameter) -> TokenStream {
    let n = ident(&p.rust_name);
    let docs = doc_attrs(&p.docs, &format!("Sets `{}`.", p.wire_name));
    let (ty, into) = argument_type(&p.ty);
    let value = if into {
        quote! { value.into() }
    } else {
        quote! { value }
    };
    quote! {
        #docs
        pub fn #n(mut self, value: #ty) -> Self {
            self.#n = Some(#value);
            self
        }
    }
}

/// The client's header defaults a call carries (`Tier`); a call sent without credentials
/// (getting a token) carries none.
fn header_defaults<'a>(api: &'a Api, op: &Operation) -> impl Iterator<Item = &'a ClientDefault> {
    let authenticated = op.authenticated;
    api.client_defaults.iter().filter(move |d| d.header && authenticated)
}

/// `request`: the path, each parameter, the body and the header defaults put on a
/// `Request`, which the runtime's `call_methods!` sends.
fn request_fn(api: &Api, op: &Operation) -> TokenStream {
    let op_id = &op.id;
    let method = ident(op.method.as_str());
    let (segments, path) = path(op);
    let mut steps: Vec<TokenStream> =
        op.params.iter().filter(|p| p.location != ParamLocation::Path).map(param_step).collect();
    steps.extend(op.body.as_ref().map(body_step));
    let spec_path = &op.path;
    for d in header_defaults(api, op) {
        let n = ident(&d.rust_name);
        let wire = &d.wire_name;
        steps.push(quote! {
            if let Some(value) = self.#n.as_deref().or_else(|| self.client.core().default_value(#wire)) {
                request.header(#wire, value);
            }
        });
    }
    if !op.authenticated {
        steps.push(quote! { request.authenticated = false; });
    }
    steps.push(quote! { request.options = self.options; });
    quote! {
        /// The request this builder describes, or why it cannot be sent.
        #[inline]
        fn request(self) -> Result<crate::runtime::Request, crate::runtime::InvalidInputError> {
            #(#segments)*
            let mut request = crate::runtime::Request::templated(#op_id, reqwest::Method::#method, #spec_path, #path);
            #(#steps)*
            Ok(request)
        }
    }
}

/// The runtime's `send` function the model chose to read the operation's answer.
fn send_kind(op: &Operation) -> TokenStream {
    match op.reader {
        Reader::Enveloped => quote! { enveloped },
        Reader::EnvelopedEmpty => quote! { enveloped_empty },
        Reader::Json => quote! { json },
        Reader::Text => quote! { text },
        Reader::Empty => quote! { empty },
    }
}

/// The path: each parameter escaped into a local, then one `format!` with them inline.
fn path(op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let op_id = &op.id;
    let mut template = String::new();
    let mut segments = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(i) => {
                // The model makes every path part name a path parameter.
                let Some(p) = op.param(*i) else { continue };
                let local = format!("{}_segment", p.rust_name.name);
                template.push_str(&format!("{{{local}}}"));
                let (local, n, wire) = (ident(&local), ident(&p.rust_name), &p.wire_name);
                let value = param_str(&p.ty, quote! { self.#n }, false);
                segments.push(quote! { let #local = crate::runtime::path_segment(#op_id, #wire, #value)?; });
            }
        }
    }
    let path = if segments.is_empty() {
        quote! { String::from(#template) }
    } else {
        quote! { format!(#template) }
    };
    (segments, path)
}

/// Put a query or header parameter on the request.
fn param_step(p: &Parameter) -> TokenStream {
    let n = ident(&p.rust_name);
    let wire = &p.wire_name;
    let add = |value: TokenStream| match p.location {
        ParamLocation::Query => quote! { request.query(#wire, #value); },
        _ => quote! { request.header(#wire, #value); },
    };
    if let (TypeRef::Array(_), ParamLocation::Query) = (&p.ty, p.location) {
        // A list: one `name=value` pair per item.
        if p.required {
            quote! { request.query_each(#wire, &self.#n); }
        } else {
            quote! {
                if let Some(values) = &self.#n {
                    request.query_each(#wire, values);
                }
            }
        }
    } else if p.json {
        // Declared with `content: application/json`: the value travels as JSON text.
        if p.required {
            quote! { request.json_query(#wire, &self.#n)?; }
        } else {
            quote! {
                if let Some(value) = &self.#n {
                    request.json_query(#wire, value)?;
                }
            }
        }
    } else if p.required {
        add(param_str(&p.ty, quote! { self.#n }, false))
    } else if p.client_default {
        let add = add(quote! { value });
        quote! {
            if let Some(value) = self.#n.as_deref().or_else(|| self.client.core().default_value(#wire)) {
                #add
            }
        }
    } else {
        let add = add(param_str(&p.ty, quote! { value }, true));
        quote! {
            if let Some(value) = &self.#n {
                #add
            }
        }
    }
}

/// Put the body on the request, with the client's defaults filled in.
fn body_step(body: &Body) -> TokenStream {
    let fill: Vec<TokenStream> = body.client_defaults.iter().map(fill_default).collect();
    let attach = match &body.delivery {
        BodyDelivery::Json => quote! { request.json_body(&body)?; },
        BodyDelivery::QueryParameter(name) => quote! { request.json_query(#name, &body)?; },
    };
    let binding = if fill.is_empty() {
        quote! { body }
    } else {
        quote! { mut body }
    };
    if body.required {
        return quote! { let #binding = self.body; #(#fill)* #attach };
    }
    // Without a body, one holding just the defaults is sent when any is set.
    let source = if body.default_when_absent {
        let ty = type_tokens(&body.ty);
        let names = body.client_defaults.iter().map(|d| &d.name);
        let mut any_set = quote! { #(self.client.core().default_value(#names).is_some())||* };
        if body.client_defaults.len() > 1 {
            any_set = quote! { (#any_set) };
        }
        quote! { self.body.or_else(|| #any_set.then(#ty::default)) }
    } else {
        quote! { self.body }
    };
    quote! {
        if let Some(#binding) = #source {
            #(#fill)*
            #attach
        }
    }
}

/// Fill one field of `body` from the client's default when the call left it unset,
/// creating absent optional containers on the way (`body.filter`) only when the default is set.
fn fill_default(d: &BodyDefault) -> TokenStream {
    let name = &d.name;
    let Some((last, containers)) = d.path.split_last() else { return TokenStream::new() };
    let f = ident(&last.rust_name);
    if containers.is_empty() {
        return quote! {
            if body.#f.is_none() {
                body.#f = self.client.core().default_value(#name).map(str::to_owned);
            }
        };
    }
    let mut descend = Vec::new();
    let mut place = quote! { body };
    for step in containers {
        let f = ident(&step.rust_name);
        descend.push(if step.optional {
            quote! { let target = #place.#f.get_or_insert_with(Default::default); }
        } else {
            quote! { let target = &mut #place.#f; }
        });
        place = quote! { target };
    }
    quote! {
        if let Some(value) = self.client.core().default_value(#name) {
            #(#descend)*
            if #place.#f.is_none() {
                #place.#f = Some(value.to_owned());
            }
        }
    }
}

/// A `&str` for a parameter value: strings as they are, anything else through the
/// runtime's `ParamValue`. `value` is a place (`self.x`) or, with `by_ref`, a reference.
fn param_str(ty: &TypeRef, value: TokenStream, by_ref: bool) -> TokenStream {
    let reference = if by_ref {
        value.clone()
    } else {
        quote! { &#value }
    };
    match ty {
        TypeRef::String => quote! { #value.as_str() },
        _ => quote! { &crate::runtime::ParamValue::to_param(#reference) },
    }
}
