//! What belongs to the API as a whole: title, base URL, authentication, client
//! defaults and the category tree, from the root file.

use super::Cx;
use crate::error::Pointer;
use crate::load::LoadedApi;
use crate::model::naming;
use crate::model::{Auth, Category, ClientDefault, Docs, Envelope, TokenAuth, TokenExpiry, TokenRefresh};
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

/// Root extension naming the security scheme the client's secret is used with.
pub const X_CLIENT_AUTH: &str = "x-client-auth";
/// Root extension listing the client's default values (`[{name, description}]`).
pub const X_CLIENT_DEFAULTS: &str = "x-client-defaults";
/// Root extension listing the Cargo features enabled by default (category ids).
pub const X_DEFAULT_FEATURES: &str = "x-default-features";
/// Root extension naming the idempotency-key header of state-changing calls.
pub const X_IDEMPOTENCY_KEY_HEADER: &str = "x-idempotency-key-header";
/// Root extension listing error `type`s to retry.
pub const X_RETRYABLE_ERROR_TYPES: &str = "x-retryable-error-types";
/// Root extension with the category tree (`[{id, description, children}]`).
pub const X_CATEGORIES: &str = "x-portone-categories";
/// Root extension: how a client gets its access token from the API itself.
pub const X_TOKEN_AUTH: &str = "x-token-auth";
/// Root extension: the envelope every response body comes in.
pub const X_RESPONSE_ENVELOPE: &str = "x-response-envelope";
/// Root extension: one Cargo feature for the whole API instead of one per category.
pub const X_API_FEATURE: &str = "x-api-feature";

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

/// The envelope declared by `x-response-envelope` and the name of its schema, if the
/// extension is well formed (`build_header` reports it when it is not).
pub fn envelope(api: &LoadedApi) -> Option<(Envelope, String)> {
    let v = api.doc.extensions.get(X_RESPONSE_ENVELOPE)?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Some((Envelope { code: field("code")?, message: field("message")?, data: field("data")? }, field("schema")?))
}

/// The client defaults of `x-client-defaults` (entries without a name are skipped here
/// and reported by `build_header`).
pub fn client_defaults(api: &LoadedApi) -> Vec<ClientDefault> {
    let Some(list) = api.doc.extensions.get(X_CLIENT_DEFAULTS).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let name = entry.get("name")?.as_str()?.to_string();
            let description = entry.get("description").and_then(|d| d.as_str()).map(str::to_string);
            Some(ClientDefault {
                rust_name: naming::snake(&name),
                header: entry.get("in").and_then(|v| v.as_str()) == Some("header"),
                wire_name: name,
                docs: Docs { summary: None, description },
            })
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
    let auth = auth(cx);
    if let Some(list) = doc.extensions.get(X_CLIENT_DEFAULTS) {
        let well_formed = list.as_array().is_some_and(|l| {
            l.iter().all(|e| {
                e.get("name").and_then(|n| n.as_str()).is_some()
                    && e.get("in").is_none_or(|i| matches!(i.as_str(), Some("header" | "field")))
            })
        });
        if !well_formed {
            cx.root_error(
                &Pointer::root().join(X_CLIENT_DEFAULTS),
                "expected a list of {name, description, in: field|header}",
            );
        }
    }
    let client_defaults = client_defaults(cx.api);
    let categories = match doc.extensions.get(X_CATEGORIES) {
        Some(v) => categories(cx, v, &Pointer::root().join(X_CATEGORIES)),
        None => Vec::new(),
    };
    let mut default_features = Vec::new();
    if let Some(v) = doc.extensions.get(X_DEFAULT_FEATURES) {
        let pointer = Pointer::root().join(X_DEFAULT_FEATURES);
        match v.as_array() {
            Some(list) => {
                for (i, item) in list.iter().enumerate() {
                    match item.as_str() {
                        Some(id) => default_features.push((id.to_string(), pointer.join(i))),
                        None => cx.root_error(&pointer.join(i), "expected a category id"),
                    }
                }
            }
            None => cx.root_error(&pointer, "expected a list of top-level category ids"),
        }
    }
    let idempotency_header = match doc.extensions.get(X_IDEMPOTENCY_KEY_HEADER) {
        None => None,
        Some(v) => match v.as_str() {
            Some(name) if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                Some(name.to_string())
            }
            _ => {
                cx.root_error(&Pointer::root().join(X_IDEMPOTENCY_KEY_HEADER), "expected an HTTP header name");
                None
            }
        },
    };
    let retryable_error_types = match doc.extensions.get(X_RETRYABLE_ERROR_TYPES) {
        None => Vec::new(),
        Some(v) => match v
            .as_array()
            .map(|l| l.iter().map(|t| t.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
        {
            Some(Some(list)) => list,
            _ => {
                cx.root_error(&Pointer::root().join(X_RETRYABLE_ERROR_TYPES), "expected a list of error type strings");
                Vec::new()
            }
        },
    };
    let feature = match doc.extensions.get(X_API_FEATURE) {
        None => None,
        Some(v) => match v.as_str() {
            Some(f)
                if !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
            {
                Some(f.to_string())
            }
            _ => {
                cx.root_error(&Pointer::root().join(X_API_FEATURE), "expected a Cargo feature name (a-z, 0-9, -)");
                None
            }
        },
    };
    let envelope = match doc.extensions.get(X_RESPONSE_ENVELOPE) {
        None => None,
        Some(_) => {
            let found = cx.envelope.clone();
            match &found {
                Some((_, schema)) if cx.type_names.contains_key(schema) => {}
                Some((_, schema)) => cx.root_error(
                    &Pointer::root().join(X_RESPONSE_ENVELOPE).join("schema"),
                    format!("no schema {schema:?} under components/schemas"),
                ),
                None => cx.root_error(
                    &Pointer::root().join(X_RESPONSE_ENVELOPE),
                    "expected {schema, code, message, data}: the envelope's schema and its three field names",
                ),
            }
            found
        }
    };
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
    let pointer = Pointer::root().join(X_CLIENT_AUTH);
    let Some(name) = cx.api.doc.extensions.get(X_CLIENT_AUTH).and_then(|v| v.as_str()) else {
        cx.root_error(&pointer, "missing: name the security scheme the client's secret is sent with");
        return None;
    };
    let token_pointer = Pointer::root().join(X_TOKEN_AUTH);
    match scheme_header(cx, name, &pointer)? {
        // The secret is sent as it is; tokens, if the API issues them, are an option.
        SchemeHeader { prefix: Some(scheme), .. } => {
            let tokens = match cx.api.doc.extensions.get(X_TOKEN_AUTH) {
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
            if cx.api.doc.extensions.get(X_TOKEN_AUTH).is_none() {
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

fn categories(cx: &mut Cx<'_>, value: &serde_json::Value, pointer: &Pointer) -> Vec<Category> {
    let Some(list) = value.as_array() else {
        cx.root_error(pointer, "expected a list of {id, description, children}");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let here = pointer.join(i);
        let Some(id) = entry.get("id").and_then(|v| v.as_str()) else {
            cx.root_error(&here, "category without an id");
            continue;
        };
        let last = id.rsplit('.').next().unwrap_or(id);
        let children = match entry.get("children") {
            Some(c) => categories(cx, c, &here.join("children")),
            None => Vec::new(),
        };
        out.push(Category {
            id: id.to_string(),
            accessor: naming::snake(last),
            type_name: format!("{}Api", naming::upper_camel(&id.replace('.', "_"))),
            docs: Docs {
                summary: None,
                description: entry.get("description").and_then(|d| d.as_str()).map(str::to_string),
            },
            children,
            feature: None,
        });
    }
    out
}

/// `x-token-auth: {scheme, operation, credentials, token, expires-at, now | expiry: jwt,
/// refresh: {operation, token}}`: how the client obtains a token and which scheme sends
/// it. `client` is the client scheme when the token is its key (then `scheme` may be
/// left out). Paths of the operations are filled in once operations are known.
fn token_auth(cx: &mut Cx<'_>, client: Option<(&str, SchemeHeader)>) -> Option<TokenAuth> {
    let pointer = Pointer::root().join(X_TOKEN_AUTH);
    let v = cx.api.doc.extensions.get(X_TOKEN_AUTH)?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let credentials: Option<Vec<String>> = v
        .get("credentials")
        .and_then(|c| c.as_array())
        .map(|l| l.iter().map(|x| x.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
        .unwrap_or(None);
    let expiry = match (field("expiry").as_deref(), field("expires-at"), field("now")) {
        (Some("jwt"), None, None) => Some(TokenExpiry::Jwt),
        (None, Some(expires_at), Some(now)) => Some(TokenExpiry::Fields { expires_at, now }),
        _ => None,
    };
    let refresh = match v.get("refresh") {
        None => Some(None),
        Some(r) => {
            let part = |k: &str| r.get(k).and_then(|x| x.as_str()).map(str::to_string);
            match (part("operation"), part("token")) {
                (Some(operation), Some(field)) => Some(Some(TokenRefresh { operation, path: String::new(), field })),
                _ => {
                    cx.root_error(
                        &pointer.join("refresh"),
                        "expected {operation, token}: the renewing operation and the refresh token's field",
                    );
                    None
                }
            }
        }
    };
    let (operation, credentials, token_field, expiry, refresh) = match (
        field("operation"),
        credentials,
        field("token"),
        expiry,
        refresh,
    ) {
        (Some(o), Some(c), Some(t), Some(e), Some(r)) if !c.is_empty() => (o, c, t, e, r),
        (.., None) => return None,
        _ => {
            let expected = "expected {operation, credentials: [body field, ...], token, and either expires-at and now \
                            or expiry: jwt}";
            cx.root_error(&pointer, expected);
            return None;
        }
    };
    let header = match (client, field("scheme")) {
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
