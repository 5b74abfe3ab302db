//! What belongs to the API as a whole: title, base URL, authentication, client
//! defaults and the category tree, from the root file.

use super::Cx;
use crate::error::Pointer;
use crate::load::LoadedApi;
use crate::model::naming;
use crate::model::{Auth, Category, ClientDefault, Docs};
use openapiv3::{ReferenceOr, SecurityScheme};

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
}

/// (name, description) of each client default.
pub fn client_default_entries(api: &LoadedApi) -> Vec<(String, Option<String>)> {
    let Some(list) = api.doc.extensions.get(X_CLIENT_DEFAULTS).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let name = entry.get("name")?.as_str()?.to_string();
            let description = entry.get("description").and_then(|d| d.as_str()).map(str::to_string);
            Some((name, description))
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
        let well_formed =
            list.as_array().is_some_and(|l| l.iter().all(|e| e.get("name").and_then(|n| n.as_str()).is_some()));
        if !well_formed {
            cx.root_error(&Pointer::root().join(X_CLIENT_DEFAULTS), "expected a list of {name, description}");
        }
    }
    let client_defaults = client_default_entries(cx.api)
        .into_iter()
        .map(|(name, description)| ClientDefault {
            rust_name: naming::snake(&name),
            wire_name: name,
            docs: Docs { summary: None, description },
        })
        .collect();
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
    };
    Some((header, categories))
}

fn auth(cx: &mut Cx<'_>) -> Option<Auth> {
    let pointer = Pointer::root().join(X_CLIENT_AUTH);
    let Some(name) = cx.api.doc.extensions.get(X_CLIENT_AUTH).and_then(|v| v.as_str()) else {
        cx.root_error(&pointer, "missing: name the security scheme the client's secret is sent with");
        return None;
    };
    let scheme = cx.api.doc.components.as_ref().and_then(|c| c.security_schemes.get(name));
    match scheme {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
            Some(Auth::HttpScheme { scheme: scheme.clone() })
        }
        Some(_) => {
            cx.root_error(&pointer, format!("security scheme {name:?} is not of type http"));
            None
        }
        None => {
            cx.root_error(&pointer, format!("no security scheme {name:?} under components/securitySchemes"));
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
