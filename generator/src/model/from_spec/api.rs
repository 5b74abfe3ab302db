//! What belongs to the API as a whole: title, base URL, authentication, client
//! defaults and the category tree, from the root file.

use super::Cx;
use crate::error::Pointer;
use crate::load::extensions::{CategoryExt, DefaultLocationExt, InfoExtensions, RootExtensions, TokenExpiryExt, key};
use crate::model::naming;
use crate::model::{Auth, Category, ClientDefault, Docs, Envelope, TokenAuth, TokenExpiry, TokenRefresh};
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

/// The API-wide facts.
pub struct Header {
    pub title: String,
    pub docs: Docs,
    pub version: String,
    pub base_url: String,
    pub auth: Auth,
    pub client_defaults: Vec<ClientDefault>,
    /// Default features as written (category ids), checked once operations are known.
    pub default_features: Vec<(String, Pointer)>,
    pub idempotency_header: Option<String>,
    pub retryable_error_types: Vec<String>,
    pub feature: Option<String>,
    /// The envelope, with the name of its own schema (not a type of the SDK).
    pub envelope: Option<(Envelope, String)>,
}

/// The envelope declared by `x-response-envelope` and the name of its schema.
pub fn envelope(root: &RootExtensions) -> Option<(Envelope, String)> {
    let e = root.response_envelope.as_ref()?;
    Some((Envelope { code: e.code.clone(), message: e.message.clone(), data: e.data.clone() }, e.schema.clone()))
}

/// The client defaults of `x-client-defaults`.
pub fn client_defaults(root: &RootExtensions) -> Vec<ClientDefault> {
    root.client_defaults
        .iter()
        .flatten()
        .map(|entry| ClientDefault {
            rust_name: naming::snake(&entry.name),
            header: entry.location == DefaultLocationExt::Header,
            wire_name: entry.name.clone(),
            docs: Docs { summary: None, description: entry.description.clone() },
        })
        .collect()
}

/// Read the header and the category tree; errors are recorded in `cx`.
pub fn build_header(cx: &mut Cx<'_>) -> Option<(Header, Vec<Category>)> {
    let doc = &cx.api.doc;
    let base_url = match doc.servers.first() {
        Some(s) => s.url.trim_end_matches('/').to_string(),
        None => {
            cx.root_error(
                &Pointer::root().join("servers"),
                "no server: the first server's URL is the client's default base URL",
            );
            String::new()
        }
    };
    let title = doc.info.title.clone();
    let version = doc.info.version.clone();
    let docs = Docs { summary: None, description: doc.info.description.clone() };
    let (_, errors) = InfoExtensions::decode(&doc.info.extensions, &Pointer::root().join("info"));
    cx.root_extension_errors(errors);
    let auth = auth(cx);
    let root = cx.root.clone();
    let client_defaults = client_defaults(&root);
    let categories = categories(root.categories.as_deref().unwrap_or_default());
    let pointer = Pointer::root().join(key::DEFAULT_FEATURES);
    let default_features =
        root.default_features.iter().flatten().enumerate().map(|(i, id)| (id.clone(), pointer.join(i))).collect();
    let idempotency_header = match root.idempotency_key_header {
        None => None,
        Some(name) if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => Some(name),
        Some(_) => {
            cx.root_error(&Pointer::root().join(key::IDEMPOTENCY_KEY_HEADER), "expected an HTTP header name");
            None
        }
    };
    let retryable_error_types = root.retryable_error_types.unwrap_or_default();
    let feature = match root.api_feature {
        None => None,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') => {
            Some(f)
        }
        Some(_) => {
            cx.root_error(&Pointer::root().join(key::API_FEATURE), "expected a Cargo feature name (a-z, 0-9, -)");
            None
        }
    };
    let envelope = cx.envelope.clone();
    if let Some((_, schema)) = &envelope {
        if !cx.type_names.contains_key(schema) {
            cx.root_error(
                &Pointer::root().join(key::RESPONSE_ENVELOPE).join("schema"),
                format!("no schema {schema:?} under components/schemas"),
            );
        }
    }
    let auth = auth?;
    let header = Header {
        title,
        docs,
        version,
        base_url,
        auth,
        client_defaults,
        default_features,
        idempotency_header,
        retryable_error_types,
        feature,
        envelope,
    };
    Some((header, categories))
}

fn auth(cx: &mut Cx<'_>) -> Option<Auth> {
    let pointer = Pointer::root().join(key::CLIENT_AUTH);
    let Some(name) = cx.root.client_auth.clone() else {
        // A value of the wrong shape is reported where the extensions are decoded.
        if !cx.api.doc.extensions.contains_key(key::CLIENT_AUTH) {
            cx.root_error(&pointer, "missing: name the security scheme the client's secret is sent with");
        }
        return None;
    };
    let name = name.as_str();
    let token_pointer = Pointer::root().join(key::TOKEN_AUTH);
    match scheme_header(cx, name, &pointer)? {
        // The secret is sent as it is; tokens, if the API issues them, are an option.
        SchemeHeader { prefix: Some(scheme), .. } => {
            let tokens = match cx.api.doc.extensions.get(key::TOKEN_AUTH) {
                None => None,
                Some(_) => {
                    let token = token_auth(cx, None)?;
                    if token.credentials.len() != 1 {
                        cx.root_error(
                            &token_pointer.join("credentials"),
                            "with an http client scheme, the only credential is the client's secret: name one field",
                        );
                    }
                    Some(token)
                }
            };
            Some(Auth::HttpScheme { scheme, tokens })
        }
        // The scheme's key is a token the API issues: tokens are the only way.
        header => {
            if cx.api.doc.extensions.get(key::TOKEN_AUTH).is_none() {
                cx.root_error(
                    &token_pointer,
                    "an apiKey client scheme needs x-token-auth: how the client obtains its token",
                );
                return None;
            }
            token_auth(cx, Some((name, header))).map(Auth::Token)
        }
    }
}

/// How a security scheme puts its value into a header.
struct SchemeHeader {
    /// The header's name.
    name: String,
    /// The scheme word before the value (`http`); none when the value is the whole
    /// header (`apiKey`).
    prefix: Option<String>,
}

/// The header of security scheme `name`, which must be `http` or an `apiKey` in a header.
fn scheme_header(cx: &mut Cx<'_>, name: &str, pointer: &Pointer) -> Option<SchemeHeader> {
    let scheme = cx.api.doc.components.as_ref().and_then(|c| c.security_schemes.get(name));
    match scheme {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
            // Scheme words are case-insensitive; Bearer is written as RFC 6750 does.
            let word = if scheme.eq_ignore_ascii_case("bearer") { "Bearer".to_string() } else { scheme.clone() };
            Some(SchemeHeader { name: "Authorization".into(), prefix: Some(word) })
        }
        Some(ReferenceOr::Item(SecurityScheme::APIKey { location: APIKeyLocation::Header, name: header, .. })) => {
            Some(SchemeHeader { name: header.clone(), prefix: None })
        }
        Some(_) => {
            cx.root_error(pointer, format!("security scheme {name:?} is neither http nor apiKey in a header"));
            None
        }
        None => {
            cx.root_error(pointer, format!("no security scheme {name:?} under components/securitySchemes"));
            None
        }
    }
}

fn categories(list: &[CategoryExt]) -> Vec<Category> {
    list.iter()
        .map(|entry| {
            let id = entry.id.as_str();
            let last = id.rsplit('.').next().unwrap_or(id);
            Category {
                id: id.to_string(),
                accessor: naming::snake(last),
                type_name: format!("{}Api", naming::upper_camel(&id.replace('.', "_"))),
                docs: Docs { summary: None, description: entry.description.clone() },
                children: categories(&entry.children),
                gate: Default::default(),
            }
        })
        .collect()
}

/// `x-token-auth: {scheme, operation, credentials, token, expires-at, now | expiry: jwt,
/// refresh: {operation, token}}`: how the client obtains a token and which scheme sends
/// it. `client` is the client scheme when the token is its key (then `scheme` may be
/// left out). Paths of the operations are filled in once operations are known.
fn token_auth(cx: &mut Cx<'_>, client: Option<(&str, SchemeHeader)>) -> Option<TokenAuth> {
    let pointer = Pointer::root().join(key::TOKEN_AUTH);
    // `None` when the value did not decode, which is reported already.
    let v = cx.root.token_auth.clone()?;
    if v.credentials.is_empty() {
        cx.root_error(&pointer.join("credentials"), "name the body fields that carry the credentials");
        return None;
    }
    let expiry = match (v.expiry, v.expires_at, v.now) {
        (Some(TokenExpiryExt::Jwt), None, None) => TokenExpiry::Jwt,
        (None, Some(expires_at), Some(now)) => TokenExpiry::Fields { expires_at, now },
        _ => {
            cx.root_error(&pointer, "expected either expires-at and now (fields of the issued data) or expiry: jwt");
            return None;
        }
    };
    let refresh = v.refresh.map(|r| TokenRefresh { operation: r.operation, path: String::new(), field: r.token });
    let (operation, credentials, token_field) = (v.operation, v.credentials, v.token);
    let header = match (client, v.scheme) {
        (Some((_, header)), None) => header,
        (Some((client, header)), Some(named)) if named == client => header,
        (Some((client, _)), Some(_)) => {
            cx.root_error(
                &pointer.join("scheme"),
                format!("the token is the key of {client:?}; name that scheme or none"),
            );
            return None;
        }
        (None, Some(named)) => scheme_header(cx, &named, &pointer.join("scheme"))?,
        (None, None) => {
            cx.root_error(&pointer.join("scheme"), "missing: name the security scheme the token is sent with");
            return None;
        }
    };
    Some(TokenAuth {
        header: header.name,
        prefix: header.prefix,
        operation,
        path: String::new(),
        credentials: credentials.into_iter().map(|wire| (wire.clone(), naming::snake(&wire))).collect(),
        token_field,
        expiry,
        refresh,
    })
}
