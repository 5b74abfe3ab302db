//! Every `x-` extension the generator understands, where it may stand, and the shape of
//! its value: one typed struct per place (document root, `info`, path item, operation,
//! parameter, component schema, property). Decoding a place's extensions reports, at
//! its JSON pointer, any value of the wrong shape (an error) and any `x-` key not listed
//! for that place. An unlisted key is an error when it is one of the keys listed here
//! at another place, or within a small edit distance of one (`x-portone-categroy`,
//! `x-sensitiv`): a typo must not be a silent no-op. Any other unlisted key is a
//! warning and is ignored, so a new extension that PortOne starts to publish never
//! blocks regeneration. Extensions that are PortOne's own metadata, which the generator
//! deliberately does not use, are listed per place as accepted and ignored, each with
//! the reason.
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
    pub const PORTONE_ENUM: &str = "x-portone-enum";
    pub const PORTONE_DISCRIMINATOR: &str = "x-portone-discriminator";
}

/// Why PortOne's own documentation texts are ignored wherever they stand.
const THEIR_TEXT: &str = "PortOne's own (Korean) documentation text; our docs are the spec's English descriptions";

/// How far (in single-character edits, a swap of neighbours counting as one) an
/// unlisted key may be from a listed one to be taken for a typo of it.
const NEAR_MISS: usize = 2;

/// One extension value that does not decode, or an extension not known at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionError {
    /// Where: the place's pointer, the key, and the path inside the value.
    pub pointer: Pointer,
    /// What is wrong.
    pub message: String,
    /// Whether it stops generation.
    pub severity: Severity,
}

/// Whether an [`ExtensionError`] stops generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// A value of the wrong shape, or a key that is one of ours at the wrong place or a
    /// near miss of one: the spec must be fixed.
    Error,
    /// A key far from every key the generator knows: reported, and ignored.
    Warning,
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
            /// is set; a key that does not is an error, and an unknown `x-` key is an
            /// error or a warning (see the module docs).
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
        /// PortOne's title and description of each value of a string enum, by value: the
        /// values' docs when the schema has no `x-enum-descriptions`.
        portone_enum: IndexMap<String, LabelExt> = key::PORTONE_ENUM,
        /// PortOne's title of each case of a `oneOf` with a `discriminator`, by tag (the
        /// keys of `discriminator.mapping`): a case's docs when its schema has none.
        portone_discriminator: IndexMap<String, LabelExt> = key::PORTONE_DISCRIMINATOR,
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

/// A value's or case's texts in `x-portone-enum` and `x-portone-discriminator`:
/// `{title, description}`, both optional (PortOne publishes `{}` for some).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelExt {
    /// One line naming the value or case.
    pub title: Option<String>,
    /// Further text.
    pub description: Option<String>,
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
            errors.push(ExtensionError { pointer, message: e.into_inner().to_string(), severity: Severity::Error });
            None
        }
    }
}

/// Every listed key with the places it is listed at (read, or accepted and ignored).
fn listed() -> Vec<(&'static str, &'static str)> {
    let places = [
        (RootExtensions::PLACE, RootExtensions::KNOWN, RootExtensions::IGNORED),
        (InfoExtensions::PLACE, InfoExtensions::KNOWN, InfoExtensions::IGNORED),
        (PathItemExtensions::PLACE, PathItemExtensions::KNOWN, PathItemExtensions::IGNORED),
        (OperationExtensions::PLACE, OperationExtensions::KNOWN, OperationExtensions::IGNORED),
        (ParameterExtensions::PLACE, ParameterExtensions::KNOWN, ParameterExtensions::IGNORED),
        (SchemaExtensions::PLACE, SchemaExtensions::KNOWN, SchemaExtensions::IGNORED),
        (PropertyExtensions::PLACE, PropertyExtensions::KNOWN, PropertyExtensions::IGNORED),
    ];
    let mut out = Vec::new();
    for (place, known, ignored) in places {
        out.extend(known.iter().map(|k| (*k, place)));
        out.extend(ignored.iter().map(|(k, _)| (*k, place)));
    }
    out
}

/// The report for `k`, a key not listed at `place`: an error when it is listed at other
/// places or is a near miss of a listed key, a warning otherwise.
fn unknown(k: &str, place: &str, known: &[&str], at: &Pointer) -> ExtensionError {
    let here = if known.is_empty() { "none".to_string() } else { known.join(", ") };
    let tail = format!("known here: {here}; every extension is listed in generator/src/load/extensions.rs");
    let listed = listed();
    let elsewhere: Vec<&str> = listed.iter().filter(|(key, _)| *key == k).map(|(_, p)| *p).collect();
    let nearest = listed
        .iter()
        .map(|(key, _)| (edit_distance(&k.to_lowercase(), key), *key))
        .min()
        .filter(|(d, _)| *d <= NEAR_MISS);
    let (message, severity) = if !elsewhere.is_empty() {
        (format!("extension {k:?} is not read on {place}, only on {} ({tail})", elsewhere.join(", ")), Severity::Error)
    } else if let Some((_, near)) = nearest {
        (format!("unknown extension {k:?} on {place}: a typo of {near:?}? ({tail})"), Severity::Error)
    } else {
        (format!("unknown extension {k:?} on {place}, ignored ({tail})"), Severity::Warning)
    };
    ExtensionError { pointer: at.clone(), message, severity }
}

/// Edits (insert, delete, replace a character, or swap two neighbours) that turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i-2, i-1 and i of the table of distances between prefixes.
    let mut before: Vec<usize> = Vec::new();
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> IndexMap<String, Value> {
        serde_json::from_value(v).expect("a map")
    }

    #[test]
    fn near_misses_and_misplaced_keys_are_errors_other_unknown_keys_warnings() {
        let (ext, errors) = OperationExtensions::decode(
            &map(json!({
                "x-portone-category": "payment",
                "x-portone-title": "A title of theirs",
                "x-portone-categroy": "p",
                "x-Portone-Unstable": true,
                "x-sensitive": true,
                "x-portone-brand-new": {"any": "shape"},
            })),
            &Pointer::root().join("paths").join("/p").join("get"),
        );
        assert_eq!(ext.category.as_deref(), Some("payment"));
        // `json!` sorts the keys.
        let seen: Vec<(String, Severity)> = errors.iter().map(|e| (e.pointer.to_string(), e.severity)).collect();
        assert_eq!(
            seen,
            [
                ("#/paths/~1p/get/x-Portone-Unstable".to_string(), Severity::Error),
                ("#/paths/~1p/get/x-portone-brand-new".to_string(), Severity::Warning),
                ("#/paths/~1p/get/x-portone-categroy".to_string(), Severity::Error),
                ("#/paths/~1p/get/x-sensitive".to_string(), Severity::Error),
            ]
        );
        assert!(errors[0].message.contains("a typo of \"x-portone-unstable\"?"), "{}", errors[0].message);
        assert!(errors[1].message.contains("unknown extension \"x-portone-brand-new\" on an operation, ignored"));
        let typo = "unknown extension \"x-portone-categroy\" on an operation: a typo of \"x-portone-category\"?";
        assert!(errors[2].message.contains(typo), "{}", errors[2].message);
        let misplaced = "not read on an operation, only on a parameter, a property";
        assert!(errors[3].message.contains(misplaced), "{}", errors[3].message);
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("x-portone-categroy", "x-portone-category"), 1);
        assert_eq!(edit_distance("x-sensitiv", "x-sensitive"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        // Keys PortOne publishes today are far apart, so none is taken for a typo of another.
        assert!(edit_distance(key::PORTONE_ENUM, key::ERROR) > NEAR_MISS);
        assert!(edit_distance(key::CATEGORIES, key::CATEGORY) > NEAR_MISS);
    }

    #[test]
    fn portone_enum_and_discriminator_texts_decode() {
        let (ext, errors) = SchemaExtensions::decode(
            &map(json!({
                "x-portone-enum": {"OPEN": {"title": "Open"}, "DONE": {"title": "Done", "description": "Closed."}, "NEW": {}},
                "x-portone-discriminator": {"CARD": {"title": "By card"}, "CASH": {}},
            })),
            &Pointer::schema("S"),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let values = ext.portone_enum.expect("decoded");
        assert_eq!(values.keys().collect::<Vec<_>>(), ["DONE", "NEW", "OPEN"]);
        assert_eq!(values["DONE"], LabelExt { title: Some("Done".into()), description: Some("Closed.".into()) });
        assert_eq!(values["NEW"], LabelExt::default());
        let cases = ext.portone_discriminator.expect("decoded");
        assert_eq!(cases["CARD"].title.as_deref(), Some("By card"));
        let (_, errors) = SchemaExtensions::decode(
            &map(json!({"x-portone-enum": {"OPEN": {"titel": "Open"}}})),
            &Pointer::schema("S"),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer.to_string(), "#/components/schemas/S/x-portone-enum/OPEN/titel");
        assert_eq!(errors[0].severity, Severity::Error);
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
