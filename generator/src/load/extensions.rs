//! Every `x-` extension the generator understands, where it may stand, and the shape of
//! its value: one typed struct per place (document root, `info`, path item, operation,
//! parameter, component schema, property). Decoding a place's extensions reports, at
//! its JSON pointer, any value of the wrong shape and any `x-` key not listed for that
//! place, so a typo (`x-portone-categroy`) is an error instead of a silent no-op.
//! Extensions that are PortOne's own metadata, which the generator deliberately does
//! not use, are listed per place as accepted and ignored.
//!
//! What each value means, and what is checked against the rest of the spec (a schema an
//! extension names exists, a field it names has the right type), is decided by
//! `model/from_spec/`; this module only knows names and shapes.

use crate::error::Pointer;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// The extension keys, for messages and for readers of raw JSON (`diff/`).
pub mod key {
    pub const CLIENT_AUTH: &str = "x-client-auth";
    pub const TOKEN_AUTH: &str = "x-token-auth";
    pub const RESPONSE_ENVELOPE: &str = "x-response-envelope";
    pub const API_FEATURE: &str = "x-api-feature";
    pub const CLIENT_DEFAULTS: &str = "x-client-defaults";
    pub const DEFAULT_FEATURES: &str = "x-default-features";
    pub const CATEGORIES: &str = "x-portone-categories";
    pub const IDEMPOTENCY_KEY_HEADER: &str = "x-idempotency-key-header";
    pub const RETRYABLE_ERROR_TYPES: &str = "x-retryable-error-types";
    pub const CATEGORY: &str = "x-portone-category";
    pub const ERROR: &str = "x-portone-error";
    pub const UNSTABLE: &str = "x-portone-unstable";
    pub const PAGINATION: &str = "x-portone-pagination";
    pub const QUERY_OR_BODY: &str = "x-portone-query-or-body";
    pub const SENSITIVE: &str = "x-sensitive";
    pub const ENUM_DESCRIPTIONS: &str = "x-enum-descriptions";
    pub const ENUM_VARNAMES: &str = "x-enum-varnames";
    pub const CASE_BY_FIELD: &str = "x-portone-case-by-field";
    pub const TITLE: &str = "x-portone-title";
    pub const DESCRIPTION: &str = "x-portone-description";
    pub const STATUS_CODE: &str = "x-portone-status-code";
}

/// Why PortOne's own documentation texts are ignored wherever they stand.
const THEIR_TEXT: &str = "PortOne's own (Korean) documentation text; our docs are the spec's English descriptions";

/// One extension value that does not decode, or an extension not known at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionError {
    /// Where: the place's pointer, the key, and the path inside the value.
    pub pointer: Pointer,
    /// What is wrong.
    pub message: String,
}

/// Declares the extensions of one place: a struct with an `Option` field per known key
/// (its doc line says what it is), the accepted-and-ignored keys with the reason, and a
/// `decode` that fills the struct from the place's extension map.
macro_rules! place {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$fdoc:meta])* $field:ident: $ty:ty = $key:expr, )*
        }
        ignored [ $( $ikey:expr => $why:expr, )* ]
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fdoc])* pub $field: Option<$ty>, )*
        }

        impl $name {
            /// The place, in messages.
            pub const PLACE: &'static str = $what;
            /// The keys read here.
            pub const KNOWN: &'static [&'static str] = &[$($key),*];
            /// The keys accepted here and not used, each with the reason.
            pub const IGNORED: &'static [(&'static str, &'static str)] = &[$(($ikey, $why)),*];

            /// Decode the extensions of the place at `at`: every known key that decodes
            /// is set; a key that does not, and every unknown `x-` key, is an error.
            pub fn decode(map: &IndexMap<String, Value>, at: &Pointer) -> (Self, Vec<ExtensionError>) {
                #[allow(unused_mut)]
                let mut out = Self::default();
                let mut errors = Vec::new();
                for (k, value) in map {
                    let here = at.join(k);
                    $(
                        if k == $key {
                            out.$field = decode_value(value, &here, &mut errors);
                            continue;
                        }
                    )*
                    // Read by no known key of this place.
                    let _ = value;
                    if !Self::IGNORED.iter().any(|(i, _)| i == k) {
                        errors.push(unknown(k, Self::PLACE, Self::KNOWN, &here));
                    }
                }
                (out, errors)
            }
        }
    };
}

place! {
    /// Extensions of the document root (`openapi.yaml`): the API as a whole.
    RootExtensions, "the document root" {
        /// Name of the security scheme the client's secret is sent with.
        client_auth: String = key::CLIENT_AUTH,
        /// How the client gets access tokens from the API itself.
        token_auth: TokenAuthExt = key::TOKEN_AUTH,
        /// The envelope every response body comes in.
        response_envelope: ResponseEnvelopeExt = key::RESPONSE_ENVELOPE,
        /// One Cargo feature for the whole API instead of one per category.
        api_feature: String = key::API_FEATURE,
        /// Values the client fills in when a call leaves them unset.
        client_defaults: Vec<ClientDefaultExt> = key::CLIENT_DEFAULTS,
        /// Top-level category ids whose features are on by default.
        default_features: Vec<String> = key::DEFAULT_FEATURES,
        /// The category tree.
        categories: Vec<CategoryExt> = key::CATEGORIES,
        /// The idempotency-key header of state-changing calls.
        idempotency_key_header: String = key::IDEMPOTENCY_KEY_HEADER,
        /// Error `type`s that are worth retrying.
        retryable_error_types: Vec<String> = key::RETRYABLE_ERROR_TYPES,
    }
    ignored []
}

place! {
    /// Extensions of `info`: none are read.
    InfoExtensions, "info" {}
    ignored []
}

place! {
    /// Extensions of a path item (beside its methods): none are read.
    PathItemExtensions, "a path item" {}
    ignored []
}

place! {
    /// Extensions of an operation.
    OperationExtensions, "an operation" {
        /// The category id (`payment.billingKey`): which client handle, which feature.
        category: String = key::CATEGORY,
        /// `{$ref}` to the operation's error union.
        error: SchemaRefExt = key::ERROR,
        /// No compatibility promise: compiled only with the `unstable` feature.
        unstable: bool = key::UNSTABLE,
        /// How a list operation pages.
        pagination: PaginationExt = key::PAGINATION,
    }
    ignored [
        key::TITLE => THEIR_TEXT,
        key::DESCRIPTION => THEIR_TEXT,
    ]
}

place! {
    /// Extensions of a parameter.
    ParameterExtensions, "a parameter" {
        /// This query parameter carries the JSON request body.
        query_or_body: QueryOrBodyExt = key::QUERY_OR_BODY,
        /// The value is a credential: `Debug` never shows it.
        sensitive: bool = key::SENSITIVE,
    }
    ignored [
        key::TITLE => THEIR_TEXT,
        key::DESCRIPTION => THEIR_TEXT,
    ]
}

place! {
    /// Extensions of a component schema.
    SchemaExtensions, "a schema" {
        /// A description for each value of a string enum.
        enum_descriptions: IndexMap<String, String> = key::ENUM_DESCRIPTIONS,
        /// The variant name of each enum value, in order.
        enum_varnames: Vec<String> = key::ENUM_VARNAMES,
        /// `{field: case schema}`: a union told apart by which field a value has.
        case_by_field: IndexMap<String, String> = key::CASE_BY_FIELD,
        /// The HTTP status PortOne answers an error case with: the test kit's mock
        /// answers the case with it (the SDK itself reads the error union whatever the status).
        status_code: u16 = key::STATUS_CODE,
    }
    ignored [
        key::TITLE => THEIR_TEXT,
        key::DESCRIPTION => THEIR_TEXT,
    ]
}

place! {
    /// Extensions of a property of an object schema.
    PropertyExtensions, "a property" {
        /// The value is a credential or card data: `Debug` never shows it.
        sensitive: bool = key::SENSITIVE,
    }
    ignored [
        key::TITLE => THEIR_TEXT,
        key::DESCRIPTION => THEIR_TEXT,
    ]
}

/// `x-token-auth`: `{scheme, operation, credentials, token, expires-at and now | expiry:
/// jwt, refresh: {operation, token}}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenAuthExt {
    /// The security scheme the token is sent with.
    pub scheme: Option<String>,
    /// The operation that issues a token.
    pub operation: String,
    /// The body fields of that operation that carry the credentials.
    pub credentials: Vec<String>,
    /// The field of the issued data holding the token.
    pub token: String,
    /// The field of the issued data holding the expiry time (UNIX seconds).
    #[serde(rename = "expires-at")]
    pub expires_at: Option<String>,
    /// The field of the issued data holding the server's current time.
    pub now: Option<String>,
    /// `jwt`: the lifetime is the token's `exp - iat` claims.
    pub expiry: Option<TokenExpiryExt>,
    /// How a token is renewed with a refresh token.
    pub refresh: Option<TokenRefreshExt>,
}

/// `expiry` of `x-token-auth`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenExpiryExt {
    /// The token is a JWT; its claims give its lifetime.
    Jwt,
}

/// `refresh` of `x-token-auth`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRefreshExt {
    /// The operation that renews a token.
    pub operation: String,
    /// The field holding the refresh token, in that operation's body and in the issued data.
    pub token: String,
}

/// `x-response-envelope`: the envelope's schema and its three field names.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseEnvelopeExt {
    pub schema: String,
    pub code: String,
    pub message: String,
    pub data: String,
}

/// An entry of `x-client-defaults`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientDefaultExt {
    /// The wire name of the parameter, field or header.
    pub name: String,
    pub description: Option<String>,
    /// Where the value goes: a parameter or body field of the name (the default), or a header.
    #[serde(rename = "in", default)]
    pub location: DefaultLocationExt,
}

/// `in` of a client default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefaultLocationExt {
    #[default]
    Field,
    Header,
}

/// An entry of `x-portone-categories`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryExt {
    /// Dotted id (`payment.billingKey`).
    pub id: String,
    pub description: Option<String>,
    #[serde(default)]
    pub children: Vec<CategoryExt>,
}

/// `{$ref: '#/components/schemas/<Name>'}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaRefExt {
    #[serde(rename = "$ref")]
    pub reference: String,
}

/// `x-portone-query-or-body` on a query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryOrBodyExt {
    /// The parameter carries the body.
    #[serde(default)]
    pub enabled: bool,
    /// The body is required.
    #[serde(default)]
    pub required: bool,
}

/// `x-portone-pagination`, by `style`; each style names its fields by wire name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "style", deny_unknown_fields)]
pub enum PaginationExt {
    /// Body field `page-input` (`{number, size}`) asks for a page; response field
    /// `page-info` (`{number, size, totalCount}`) says which one came.
    #[serde(rename = "page")]
    Page {
        items: String,
        #[serde(rename = "page-input")]
        page_input: String,
        #[serde(rename = "page-info")]
        page_info: String,
    },
    /// Body field `cursor` carries the `item-cursor` field of the last item read.
    #[serde(rename = "cursor")]
    Cursor {
        items: String,
        cursor: String,
        #[serde(rename = "item-cursor")]
        item_cursor: String,
    },
    /// Query parameter `param` asks for a page; response field `next` gives the next.
    #[serde(rename = "query-page")]
    QueryPage { items: String, param: String, next: String },
}

impl PaginationExt {
    /// The response field holding the list.
    pub fn items(&self) -> &str {
        match self {
            PaginationExt::Page { items, .. }
            | PaginationExt::Cursor { items, .. }
            | PaginationExt::QueryPage { items, .. } => items,
        }
    }
}

fn decode_value<T: serde::de::DeserializeOwned>(
    value: &Value,
    at: &Pointer,
    errors: &mut Vec<ExtensionError>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut pointer = at.clone();
            for segment in e.path().iter() {
                use serde_path_to_error::Segment;
                match segment {
                    Segment::Seq { index } => pointer = pointer.join(index),
                    Segment::Map { key } => pointer = pointer.join(key),
                    Segment::Enum { variant } => pointer = pointer.join(variant),
                    Segment::Unknown => {}
                }
            }
            errors.push(ExtensionError { pointer, message: e.into_inner().to_string() });
            None
        }
    }
}

fn unknown(k: &str, place: &str, known: &[&str], at: &Pointer) -> ExtensionError {
    let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
    ExtensionError {
        pointer: at.clone(),
        message: format!(
            "unknown extension {k:?} on {place} (known here: {known}; every extension is listed in \
             generator/src/load/extensions.rs)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> IndexMap<String, Value> {
        serde_json::from_value(v).expect("a map")
    }

    #[test]
    fn unknown_keys_are_errors_and_ignored_ones_are_not() {
        let (ext, errors) = OperationExtensions::decode(
            &map(json!({"x-portone-category": "payment", "x-portone-title": "결제", "x-portone-categroy": "p"})),
            &Pointer::root().join("paths").join("/p").join("get"),
        );
        assert_eq!(ext.category.as_deref(), Some("payment"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer.to_string(), "#/paths/~1p/get/x-portone-categroy");
        assert!(errors[0].message.contains("unknown extension \"x-portone-categroy\" on an operation"));
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_located_inside_it() {
        let (ext, errors) = RootExtensions::decode(
            &map(json!({"x-portone-categories": [{"id": "a", "children": [{"description": "no id"}]}]})),
            &Pointer::root(),
        );
        assert_eq!(ext.categories, None);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer.to_string(), "#/x-portone-categories/0/children/0");
        assert!(errors[0].message.contains("missing field `id`"), "{}", errors[0].message);
    }

    #[test]
    fn pagination_styles_decode_and_refuse_strays() {
        let page = json!({"style": "page", "items": "items", "page-input": "page", "page-info": "page"});
        let (ext, errors) =
            OperationExtensions::decode(&map(json!({ "x-portone-pagination": page })), &Pointer::root());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ext.pagination.map(|p| p.items().to_string()).as_deref(), Some("items"));
        let stray = json!({"style": "cursor", "items": "i", "cursor": "c", "item-cursr": "c"});
        let (_, errors) = OperationExtensions::decode(&map(json!({ "x-portone-pagination": stray })), &Pointer::root());
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn every_place_lists_a_key_once() {
        type Lists = (&'static [&'static str], &'static [(&'static str, &'static str)]);
        let places: [Lists; 7] = [
            (RootExtensions::KNOWN, RootExtensions::IGNORED),
            (InfoExtensions::KNOWN, InfoExtensions::IGNORED),
            (PathItemExtensions::KNOWN, PathItemExtensions::IGNORED),
            (OperationExtensions::KNOWN, OperationExtensions::IGNORED),
            (ParameterExtensions::KNOWN, ParameterExtensions::IGNORED),
            (SchemaExtensions::KNOWN, SchemaExtensions::IGNORED),
            (PropertyExtensions::KNOWN, PropertyExtensions::IGNORED),
        ];
        for (known, ignored) in places {
            let mut all: Vec<&str> = known.iter().copied().chain(ignored.iter().map(|(k, _)| *k)).collect();
            let n = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), n, "a key listed twice: {all:?}");
            assert!(all.iter().all(|k| k.starts_with("x-")));
        }
    }
}
