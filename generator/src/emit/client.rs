//! The client of one API: construction from a secret, its settings, and one handle
//! per category whose methods start the operations.

use crate::emit::operations::{argument_type, operation_docs, required_inputs};
use crate::emit::rust::{cfg_gate, doc_attrs, doc_lines, ident, written};
use crate::model::{Api, Auth, Category, Docs, ErrorType, Gate, TokenAuth, TokenExpiry};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_client(api: &Api) -> TokenStream {
    let base_url = &api.base_url;
    let auth = auth_parts(api);
    let client_doc = doc_lines(&format!(
        "Client for {title}.\n\nCheap to clone: clones share one connection pool and configuration. {how}",
        title = api.title,
        how = auth.doc
    ));
    let AuthParts { params, args, init, new_doc, builder_doc, modes, .. } = auth;
    let envelope = api.envelope.as_ref().map(|e| {
        let (code, message, data) = (&e.code, &e.message, &e.data);
        quote! { .envelope(crate::runtime::EnvelopeNames { code: #code, message: #message, data: #data }) }
    });
    let accessors = api.categories.iter().map(|c| accessor(c, quote! { self }));
    let defaults = api.client_defaults.iter().map(|d| {
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
    });
    let mut handles = Vec::new();
    collect_handles(api, &api.categories, &mut handles);
    let base_doc = format!(" The default base URL, `{base_url}`.");
    let module = ident(&api.module);
    let idempotency = api.idempotency_header.as_ref().map(|h| quote! { .idempotency_header(#h) });
    let secret_answers = api.auth.tokens().map(|t| {
        let (ops, fields) = (t.token_operations(), t.secret_fields());
        quote! { .secret_answers(&[#(#ops),*], &[#(#fields),*]) }
    });
    let retryable = (!api.retryable_error_types.is_empty()).then(|| {
        let types = &api.retryable_error_types;
        quote! { .retryable_error_types(&[#(#types),*]) }
    });
    let key_doc = match &api.idempotency_header {
        Some(h) => format!(
            " POST, PUT, PATCH and DELETE calls carry a fresh `{h}` (kept across retries), so they\n are retried as safely as GETs."
        ),
        None => " Only GETs are retried after the server may have seen them; other calls only when\n the connection could not be made.".to_string(),
    };
    let key_doc = key_doc.lines().map(|l| l.to_string()).collect::<Vec<_>>();
    // An API without operations never sends anything through its core.
    let unused = api.operations.is_empty().then(|| quote! { #[allow(dead_code)] });
    let mock = mock_api(api);
    let raw_error = match &api.raw_error {
        ErrorType::Envelope => quote! { crate::EnvelopeError },
        ErrorType::Union(e) => {
            let e = ident(e);
            quote! { #e }
        }
        ErrorType::Untyped => quote! { crate::UntypedError },
    };
    quote! {
        #[allow(unused_imports)]
        use crate::#module::operations;
        #[allow(unused_imports)]
        use crate::#module::types::*;
        use crate::runtime::{ConfigError, Core, CoreBuilder};
        use std::sync::Arc;

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
                ClientBuilder { core: #init #envelope #idempotency #retryable #secret_answers }
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

        /// Settings of a [`Client`]; finish with [`ClientBuilder::build`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            core: CoreBuilder,
        }

        impl ClientBuilder {
            /// Send requests to this base URL instead of [`Client::DEFAULT_BASE_URL`].
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.core = self.core.base_url(base_url);
                self
            }

            /// Allow a plain `http://` base URL for this host, say an egress proxy inside a
            /// private network. Without it, only `https://` and loopback hosts
            /// (`localhost`, `127.0.0.1`, `[::1]`) are accepted, so that the secret never
            /// crosses a network unencrypted by mistake.
            pub fn allow_http_host(mut self, host: impl Into<String>) -> Self {
                self.core = self.core.allow_http_host(host);
                self
            }

            /// Send this header with every call, after the SDK's own; a call's `header`
            /// adds more. Headers the SDK sets itself (`Authorization`, `Content-Type`,
            /// `Accept`, `User-Agent`, the idempotency key) or that HTTP cannot carry
            /// make `build` fail. Its value is kept out of `Debug` and HTTP logging.
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.core = self.core.default_header(name.into(), value.into());
                self
            }

            /// Run `hook` around every call: before and after each attempt (it may add
            /// headers such as `traceparent`) and when the call is over. Several hooks run
            /// in the order given. See [`crate::hooks`].
            pub fn hook(mut self, hook: impl crate::hooks::Hook) -> Self {
                self.core = self.core.hook(hook);
                self
            }

            /// Build the HTTP client from this `reqwest` builder (its proxies, certificates,
            /// TLS and pool settings) instead of the SDK's own. `build` turns its redirects
            /// off, whatever it says, so that no credential or body follows a redirect to
            /// another host; and its proxies off for a plain `http://` base URL, so that no
            /// proxy reads the secret in clear text.
            pub fn http_client(mut self, http: reqwest::ClientBuilder) -> Self {
                self.core = self.core.http_client(http);
                self
            }

            /// The largest response body read (default 32 MiB); a larger one ends the call
            /// with a transport error of kind `BodyTooLarge` instead of filling memory.
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.core = self.core.max_response_bytes(limit);
                self
            }

            /// Total time for each call, retries and waits included (default 60 s).
            /// `Duration::MAX` means no limit; zero makes `build` fail.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.core = self.core.timeout(timeout);
                self
            }

            /// Longest wait for one attempt (default 30 s). An attempt that takes longer is
            /// given up and, when it is safe to repeat, retried within [`Self::timeout`].
            /// `Duration::MAX` means no limit but the call's; zero makes `build` fail.
            pub fn attempt_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.core = self.core.attempt_timeout(timeout);
                self
            }

            /// Time to establish a connection (default 10 s). Applies to the HTTP client the
            /// SDK builds; one built from [`Self::http_client`] keeps its builder's. Zero
            /// makes `build` fail.
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.core = self.core.connect_timeout(timeout);
                self
            }

            /// Retries after the first attempt (default 2; 0 turns retrying off). Connection
            /// failures, timeouts, HTTP 408, 429 and 5xx answers that are not one of the
            /// operation's documented errors are retried with exponential backoff and
            /// jitter, honouring `Retry-After`. A documented error (a payment gateway's
            /// refusal under HTTP 502, say) is final and never retried.
            #[doc = ""]
            #(#[doc = #key_doc])*
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.core.retry_policy_mut().max_retries = retries;
                self
            }

            /// The whole retry policy: retries, backoff bounds, `Retry-After` cap. Any
            /// duration is accepted (see [`crate::RetryPolicy`]).
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.core = self.core.retry_policy(policy);
                self
            }

            #modes

            #(#defaults)*

            /// The client, or why these settings cannot make one.
            pub fn build(self) -> Result<Client, ConfigError> {
                Ok(Client { core: Arc::new(self.core.build()?) })
            }
        }

        #(#handles)*

        #mock
    }
}

/// The test kit's view of this API (`testing` feature): the path prefix the mock serves
/// it under, its envelope and token operation, the fields to mask in recorded bodies, a
/// and a client built with test credentials (`MockPortOne::client::<Client>()`).
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
        Some(t) => {
            let (operation, path, field) = (&t.operation, &t.path, &t.token_field);
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
                Some(crate::runtime::testing::TokenShape { operation: #operation, path: #path, token_field: #field, expiry: #expiry, refresh: #refresh })
            }
        }
        None => quote! { None },
    };
    let secret_fields = api.auth.tokens().map(TokenAuth::secret_fields).unwrap_or_default();
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
                secret_fields: &[#(#secret_fields),*],
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
            init: quote! { CoreBuilder::new(Self::DEFAULT_BASE_URL, #scheme, secret.into()) },
            new_doc: " A client with default settings that authenticates with `secret`.".into(),
            builder_doc: " A builder for a client that authenticates with `secret`.".into(),
            modes: tokens.as_ref().map(|t| access_tokens(t, scheme)).unwrap_or_default(),
        },
        Auth::Token(t) => {
            let names: Vec<_> = t.credentials.iter().map(|(_, r)| ident(r)).collect();
            let listed =
                t.credentials.iter().map(|(_, r)| format!("`{}`", written(r))).collect::<Vec<_>>().join(" and ");
            let config =
                token_config(t, names.iter().map(|n| quote! { crate::runtime::Secret::new(#n.into()) }).collect());
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
                init: quote! { CoreBuilder::with_token(Self::DEFAULT_BASE_URL, #config) },
                new_doc: format!(" A client with default settings that authenticates with {listed}."),
                builder_doc: format!(" A builder for a client that authenticates with {listed}."),
                modes: TokenStream::new(),
            }
        }
    }
}

/// The builder method that trades the client's secret for access tokens.
fn access_tokens(t: &TokenAuth, scheme: &str) -> TokenStream {
    let config = token_config(t, vec![quote! { secret }]);
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
            self.core = self.core.secret_for_tokens(|secret| #config);
            self
        }
    }
}

/// The runtime's `TokenConfig` of `t`, with `credentials` as the values of its
/// credential fields, in order.
fn token_config(t: &TokenAuth, credentials: Vec<TokenStream>) -> TokenStream {
    let wires = t.credentials.iter().map(|(w, _)| w);
    let (header, op, path, token) = (&t.header, &t.operation, &t.path, &t.token_field);
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
        crate::runtime::TokenConfig {
            header: #header,
            prefix: #prefix,
            operation: #op,
            path: #path,
            credentials: vec![#((#wires, #credentials)),*],
            token_field: #token,
            expiry: #expiry,
            refresh: #refresh,
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
