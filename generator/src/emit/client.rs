//! The client of one API: construction from a secret, its settings, and one handle
//! per category whose methods start the operations. What every client has in common
//! (the builder's settings, `build`) is the runtime's `client_builder!`; this writes
//! what differs: credentials, the token shape, envelope, defaults and handles.

use crate::emit::operations::{argument_type, operation_docs, required_inputs};
use crate::emit::rust::{cfg_gate, doc_attrs, doc_lines, ident, written};
use crate::model::{Api, Auth, Category, Docs, ErrorType, Gate, TokenAuth, TokenExpiry};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_client(api: &Api) -> TokenStream {
    let auth = auth_parts(api);
    let token = api.auth.tokens().map(|t| {
        let shape = token_shape(t);
        quote! {
            /// How this API issues access tokens: read by the client and by the test kit.
            const TOKEN: crate::runtime::TokenShape = #shape;
        }
    });
    let client = client_struct(api, &auth);
    let builder = builder(api, &auth);
    let mut handles = Vec::new();
    collect_handles(api, &api.categories, &mut handles);
    let mock = mock_api(api);
    let module = ident(&api.module);
    quote! {
        #[allow(unused_imports)]
        use crate::#module::operations;
        #[allow(unused_imports)]
        use crate::#module::types::*;
        use crate::runtime::{ConfigError, Core, CoreBuilder};
        use std::sync::Arc;

        #token
        #client
        #builder
        #(#handles)*
        #mock
    }
}

/// The `Client` struct: its constructors, the `raw` escape hatch and the category handles.
fn client_struct(api: &Api, auth: &AuthParts) -> TokenStream {
    let base_url = &api.base_url;
    let client_doc = doc_lines(&format!(
        "Client for {title}.\n\nCheap to clone: clones share one connection pool and configuration. {how}",
        title = api.title,
        how = auth.doc
    ));
    let AuthParts { params, args, init, new_doc, builder_doc, .. } = auth;
    let envelope = api.envelope.as_ref().map(|e| {
        let (code, message, data) = (&e.code, &e.message, &e.data);
        quote! { .envelope(crate::runtime::EnvelopeNames { code: #code, message: #message, data: #data }) }
    });
    let accessors = api.categories.iter().map(|c| accessor(c, quote! { self }));
    let base_doc = format!(" The default base URL, `{base_url}`.");
    let idempotency = api.idempotency_header.as_ref().map(|h| quote! { .idempotency_header(#h) });
    let retryable = (!api.retryable_error_types.is_empty()).then(|| {
        let types = &api.retryable_error_types;
        quote! { .retryable_error_types(&[#(#types),*]) }
    });
    // An API without operations never sends anything through its core.
    let unused = api.operations.is_empty().then(|| quote! { #[allow(dead_code)] });
    let raw_error = match &api.raw_error {
        ErrorType::Envelope => quote! { crate::EnvelopeError },
        ErrorType::Union(e) => {
            let e = ident(e);
            quote! { #e }
        }
        ErrorType::Untyped => quote! { crate::UntypedError },
    };
    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            #unused
            core: Arc<Core>,
        }

        impl Client {
            #[doc = #base_doc]
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            #[doc = #new_doc]
            pub fn new(#params) -> Result<Self, ConfigError> {
                Self::builder(#args).build()
            }

            #[doc = #builder_doc]
            pub fn builder(#params) -> ClientBuilder {
                ClientBuilder { core: #init #envelope #idempotency #retryable }
            }

            #unused
            pub(crate) fn core(&self) -> &Arc<Core> {
                &self.core
            }

            /// A request to any path of the API, for an endpoint PortOne offers before
            /// this SDK describes it: sent with this client's credentials, retries, time
            /// limits and headers. `path` is below the base URL, already escaped.
            pub fn raw(&self, method: reqwest::Method, path: impl Into<String>) -> crate::RawRequest<#raw_error> {
                crate::RawRequest::new(self.core.clone(), method, path.into())
            }

            #(#accessors)*
        }
    }
}

/// The `ClientBuilder`: the runtime's common settings, then this API's own methods (ways
/// to authenticate, default parameter values), if it has any.
fn builder(api: &Api, auth: &AuthParts) -> TokenStream {
    let key_doc = match &api.idempotency_header {
        Some(h) => format!(
            " POST, PUT, PATCH and DELETE calls carry a fresh `{h}` (kept across retries), so they\n are retried as safely as GETs."
        ),
        None => " Only GETs are retried after the server may have seen them; other calls only when\n the connection could not be made.".to_string(),
    };
    let key_doc = key_doc.lines().map(|l| l.to_string()).collect::<Vec<_>>();
    let defaults: Vec<_> = api
        .client_defaults
        .iter()
        .map(|d| {
            let n = ident(&d.rust_name);
            let wire = &d.wire_name;
            let docs = doc_attrs(&d.docs, &format!("Default `{wire}` for calls that do not set one."));
            quote! {
                #docs
                pub fn #n(mut self, value: impl Into<String>) -> Self {
                    self.core = self.core.default_value(#wire, value);
                    self
                }
            }
        })
        .collect();
    let modes = &auth.modes;
    let own = (!defaults.is_empty() || !modes.is_empty()).then(|| {
        quote! {
            impl ClientBuilder {
                #modes
                #(#defaults)*
            }
        }
    });
    quote! {
        crate::runtime::client_builder!(#(#[doc = #key_doc])*);

        #own
    }
}

/// The test kit's view of this API (`testing` feature): the path prefix the mock serves
/// it under, its envelope and token shape, and a client built with test credentials
/// (`MockPortOne::client::<Client>()`).
fn mock_api(api: &Api) -> TokenStream {
    let module = api.module.trim_start_matches("r#");
    let prefix = format!("/{module}");
    let envelope = match &api.envelope {
        Some(e) => {
            let (code, message, data) = (&e.code, &e.message, &e.data);
            quote! { Some(crate::runtime::EnvelopeNames { code: #code, message: #message, data: #data }) }
        }
        None => quote! { None },
    };
    let token = match api.auth.tokens() {
        Some(_) => quote! { Some(TOKEN) },
        None => quote! { None },
    };
    let credentials: Vec<String> = match &api.auth {
        Auth::Token(t) => t.credentials.iter().map(|(wire, _)| format!("test-{wire}")).collect(),
        Auth::HttpScheme { .. } => vec!["test-secret".to_string()],
    };
    quote! {
        #[cfg(feature = "testing")]
        impl crate::runtime::testing::MockApi for Client {
            const SHAPE: crate::runtime::testing::ApiShape = crate::runtime::testing::ApiShape {
                prefix: #prefix,
                envelope: #envelope,
                token: #token,
            };

            fn mock_client(base_url: &str, http: reqwest::ClientBuilder, retry: crate::RetryPolicy) -> Result<Self, ConfigError> {
                Self::builder(#(#credentials),*).base_url(base_url).http_client(http).retry_policy(retry).build()
            }
        }
    }
}

/// How a client of this API is constructed and authenticates.
struct AuthParts {
    /// Client docs: what each request carries.
    doc: String,
    /// Parameters of `new` and `builder`.
    params: TokenStream,
    /// The same names, passed on.
    args: TokenStream,
    /// The `CoreBuilder` expression.
    init: TokenStream,
    new_doc: String,
    builder_doc: String,
    /// Builder methods that choose among the API's ways to authenticate.
    modes: TokenStream,
}

fn auth_parts(api: &Api) -> AuthParts {
    match &api.auth {
        Auth::HttpScheme { scheme, tokens } => AuthParts {
            doc: format!(
                "Each\nrequest carries `Authorization: {scheme} <secret>`{}; the secret is never printed by `Debug`.",
                if tokens.is_some() { " (or an access token, see\n[`ClientBuilder::access_tokens`])" } else { "" }
            ),
            params: quote! { secret: impl Into<String> },
            args: quote! { secret },
            init: match tokens {
                Some(_) => quote! { CoreBuilder::new(Self::DEFAULT_BASE_URL, #scheme, secret.into()).token_shape(TOKEN) },
                None => quote! { CoreBuilder::new(Self::DEFAULT_BASE_URL, #scheme, secret.into()) },
            },
            new_doc: " A client with default settings that authenticates with `secret`.".into(),
            builder_doc: " A builder for a client that authenticates with `secret`.".into(),
            modes: tokens.as_ref().map(|t| access_tokens(t, scheme)).unwrap_or_default(),
        },
        Auth::Token(t) => {
            let names: Vec<_> = t.credentials.iter().map(|(_, r)| ident(r)).collect();
            let listed =
                t.credentials.iter().map(|(_, r)| format!("`{}`", written(r))).collect::<Vec<_>>().join(" and ");
            AuthParts {
                doc: format!(
                    "Calls\ncarry an access token in `{header}`, obtained with `{op}` (`POST {path}`) from {listed}\n\
                     on first need, cached, and renewed before it expires; one request serves all\n\
                     calls waiting for it. A call refused with HTTP 401 renews the token and is repeated\n\
                     once. Neither credentials nor tokens are printed by `Debug`.",
                    header = t.header,
                    op = t.operation,
                    path = t.path,
                ),
                params: quote! { #(#names: impl Into<String>),* },
                args: quote! { #(#names),* },
                init: quote! { CoreBuilder::with_token(Self::DEFAULT_BASE_URL, TOKEN, vec![#(#names.into()),*]) },
                new_doc: format!(" A client with default settings that authenticates with {listed}."),
                builder_doc: format!(" A builder for a client that authenticates with {listed}."),
                modes: TokenStream::new(),
            }
        }
    }
}

/// The builder method that trades the client's secret for access tokens.
fn access_tokens(t: &TokenAuth, scheme: &str) -> TokenStream {
    let shown = match &t.prefix {
        Some(prefix) => format!("{}: {prefix} <token>", t.header),
        None => format!("{}: <token>", t.header),
    };
    let renewal = match &t.refresh {
        Some(r) => format!(
            "Before the token expires it is\nrenewed with `{}` (`POST {}`) and the refresh token that came\n\
             with it, or issued anew from the secret when renewal is refused.",
            r.operation, r.path
        ),
        None => "It is renewed before it expires.".to_string(),
    };
    let docs = doc_lines(&format!(
        "Send access tokens (`{shown}`) instead of the secret (`{scheme}`).\n\n\
         On first need the client trades its secret for a token with `{op}`\n\
         (`POST {path}`) and keeps it for every call. {renewal}\n\
         However many calls are waiting, one request serves them all. A call refused with\n\
         HTTP 401 gets a new token and is repeated once. Tokens are never printed by `Debug`.",
        op = t.operation,
        path = t.path,
    ));
    quote! {
        #docs
        pub fn access_tokens(mut self) -> Self {
            self.core = self.core.secret_for_tokens();
            self
        }
    }
}

/// The runtime's `TokenShape` of `t`: the one description of the API's token operation.
fn token_shape(t: &TokenAuth) -> TokenStream {
    let wires = t.credentials.iter().map(|(w, _)| w);
    let (header, op, path, token) = (&t.header, &t.operation, &t.path, &t.token_field);
    let secret_fields = t.secret_fields();
    let prefix = match &t.prefix {
        Some(p) => quote! { Some(#p) },
        None => quote! { None },
    };
    let expiry = match &t.expiry {
        TokenExpiry::Fields { expires_at, now } => {
            quote! { crate::runtime::TokenExpiry::Fields { expires_at: #expires_at, now: #now } }
        }
        TokenExpiry::Jwt => quote! { crate::runtime::TokenExpiry::Jwt },
    };
    let refresh = match &t.refresh {
        Some(r) => {
            let (op, path, field) = (&r.operation, &r.path, &r.field);
            quote! { Some(crate::runtime::TokenRefresh { operation: #op, path: #path, field: #field }) }
        }
        None => quote! { None },
    };
    quote! {
        crate::runtime::TokenShape {
            header: #header,
            prefix: #prefix,
            operation: #op,
            path: #path,
            credentials: &[#(#wires),*],
            token_field: #token,
            expiry: #expiry,
            refresh: #refresh,
            secret_fields: &[#(#secret_fields),*],
        }
    }
}

/// The `cfg` of an item behind `gate`.
fn gate_cfg(gate: &Gate) -> TokenStream {
    cfg_gate(&gate.features, gate.unstable)
}

/// The method that returns a category's handle, on the client (`self`) or a parent handle.
fn accessor(c: &Category, client: TokenStream) -> TokenStream {
    let n = ident(&c.accessor);
    let ty = ident(&c.type_name);
    let doc = format!(" Operations of the `{}` category.", c.id);
    let cfg = gate_cfg(&c.gate);
    quote! {
        #cfg
        #[doc = #doc]
        pub fn #n(&self) -> #ty<'_> {
            #ty { client: #client }
        }
    }
}

/// Handles of categories and their children.
fn collect_handles(api: &Api, categories: &[Category], out: &mut Vec<TokenStream>) {
    for c in categories {
        out.push(handle(api, c));
        collect_handles(api, &c.children, out);
    }
}

fn handle(api: &Api, c: &Category) -> TokenStream {
    let cfg = gate_cfg(&c.gate);
    let ty = ident(&c.type_name);
    let fallback = format!("Operations of the `{}` category.", c.id);
    let docs = doc_attrs(&Docs { summary: Some(fallback.clone()), description: c.docs.description.clone() }, &fallback);
    let children = c.children.iter().map(|child| accessor(child, quote! { self.client }));
    let methods = api.operations.iter().filter(|o| o.category == c.id).map(|op| {
        let n = ident(&op.fn_name);
        let builder = ident(&op.type_name);
        let docs = operation_docs(op);
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        let unstable = gate_cfg(&op.gate);
        let inputs = required_inputs(op);
        let params = inputs.iter().map(|(name, ty, _, _)| {
            let n = ident(name);
            let (ty, _) = argument_type(ty);
            quote! { #n: #ty }
        });
        let args = inputs.iter().map(|(name, ty, _, _)| {
            let n = ident(name);
            let (_, into) = argument_type(ty);
            if into {
                quote! { #n.into() }
            } else {
                quote! { #n }
            }
        });
        let see = doc_lines(&format!("\nOptional inputs are set on the returned [`operations::{}`].", op.type_name));
        quote! {
            #unstable
            #docs
            #see
            #deprecated
            pub fn #n(&self, #(#params),*) -> operations::#builder {
                operations::#builder::new(self.client.clone(), #(#args),*)
            }
        }
    });
    quote! {
        #cfg
        #docs
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        #cfg
        #[allow(deprecated)]
        impl<'a> #ty<'a> {
            #(#children)*
            #(#methods)*
        }
    }
}
