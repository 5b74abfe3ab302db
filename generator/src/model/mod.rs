//! Model stage: the API as plain Rust data with names from the domain. Built from the
//! loaded `openapiv3` document by [`build`]; read by the emitters. Nothing here knows
//! Rust syntax beyond the identifiers chosen by [`naming`] ([`Ident`]: a name, and
//! whether it is a keyword written raw).

mod from_spec;
pub mod lock;
pub mod naming;

pub use from_spec::build;
pub use naming::Ident;

/// One API (V1 or V2), everything the emitters need to write its SDK module.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// SDK module name (`v2`).
    pub module: String,
    /// Title from `info.title`.
    pub title: String,
    /// Short description of the API.
    pub docs: Docs,
    /// The API's version (`info.version`).
    pub version: String,
    /// Default base URL (`servers[0].url`).
    pub base_url: String,
    /// How the client authenticates with its secret.
    pub auth: Auth,
    /// Values the client may carry and fill into calls that leave them unset (`storeId`).
    pub client_defaults: Vec<ClientDefault>,
    /// Operation groups, as a tree.
    pub categories: Vec<Category>,
    /// Cargo features enabled by default.
    pub default_features: Vec<String>,
    /// Header carrying an idempotency key on state-changing calls, if the API takes one.
    pub idempotency_header: Option<String>,
    /// Error `type`s that are retried like a 5xx.
    pub retryable_error_types: Vec<String>,
    /// Every operation, sorted by operationId.
    pub operations: Vec<Operation>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// The files of `operations/`, sorted, each with the gate of the whole file.
    /// Decided by the layout pass.
    pub operation_modules: Vec<Module>,
    /// The files of `types/`, sorted, each with the gate of the whole file. Decided by
    /// the layout pass.
    pub type_modules: Vec<Module>,
    /// What a request the SDK does not describe (`Client::raw`) fails with: the
    /// envelope's error, or an untyped one. Decided by the layout pass.
    pub raw_error: ErrorType,
    /// Cargo feature that compiles the whole API module (`x-api-feature`); when set,
    /// categories get no features of their own.
    pub feature: Option<String>,
    /// Every response body wraps its data in an envelope (`x-response-envelope`).
    pub envelope: Option<Envelope>,
    /// What the model decided where the spec was silent (an operation's category taken
    /// from its path), sorted; the CLI prints them. Emitters ignore them.
    pub warnings: Vec<crate::error::SpecWarning>,
}

/// The envelope every response of an API comes in (V1: `{code, message, response}`).
/// A `code` other than 0 is an error whatever the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Field holding the result code (`code`).
    pub code: String,
    /// Field holding the message (`message`).
    pub message: String,
    /// Field holding the operation's data (`response`).
    pub data: String,
}

/// Documentation text of an item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    /// One line.
    pub summary: Option<String>,
    /// Further paragraphs.
    pub description: Option<String>,
}

/// How requests are authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: <scheme> <secret>`, the secret given to the client.
    HttpScheme {
        /// The scheme word, as the server expects it (`PortOne`).
        scheme: String,
        /// A mode the client may switch to instead: the secret is traded for access
        /// tokens (`x-token-auth` naming another scheme), whose one credential is the secret.
        tokens: Option<TokenAuth>,
    },
    /// An access token obtained from one of the API's own operations with credentials
    /// the client holds, cached and renewed before it expires (`x-token-auth`).
    Token(TokenAuth),
}

impl Auth {
    /// The access tokens the client uses, always or as an option.
    pub fn tokens(&self) -> Option<&TokenAuth> {
        match self {
            Auth::Token(t) | Auth::HttpScheme { tokens: Some(t), .. } => Some(t),
            Auth::HttpScheme { tokens: None, .. } => None,
        }
    }

    /// The same, to fill in what is known once operations are built.
    pub fn tokens_mut(&mut self) -> Option<&mut TokenAuth> {
        match self {
            Auth::Token(t) | Auth::HttpScheme { tokens: Some(t), .. } => Some(t),
            Auth::HttpScheme { tokens: None, .. } => None,
        }
    }
}

/// How a client obtains, sends and renews an access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenAuth {
    /// Header the token is sent in (`Authorization`).
    pub header: String,
    /// Word before the token in the header (`Bearer`); none when the token is the whole value.
    pub prefix: Option<String>,
    /// The operation that issues tokens (`getToken`).
    pub operation: String,
    /// Its path (`/users/getToken`); it is called with POST and a JSON body.
    pub path: String,
    /// Body fields of that operation the client holds: (wire name, Rust name).
    pub credentials: Vec<(String, Ident)>,
    /// Field of the issued data holding the token (`access_token`).
    pub token_field: String,
    /// How the client learns when the token expires.
    pub expiry: TokenExpiry,
    /// How a token is renewed without the credentials, if the API offers a way.
    pub refresh: Option<TokenRefresh>,
}

impl TokenAuth {
    /// Every field that carries a credential or a token in the bodies and answers of
    /// the issuing and renewing operations, to be masked in anything an error keeps.
    pub fn secret_fields(&self) -> Vec<&str> {
        let mut fields: Vec<&str> = self.credentials.iter().map(|(wire, _)| wire.as_str()).collect();
        fields.push(&self.token_field);
        fields.extend(self.refresh.as_ref().map(|r| r.field.as_str()));
        fields.dedup();
        fields
    }
}

/// Where a token's lifetime is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenExpiry {
    /// Fields of the issued data, UNIX seconds on the server's clock.
    Fields {
        /// The expiry (`expired_at`).
        expires_at: String,
        /// The server's clock at issue (`now`).
        now: String,
    },
    /// The token is a JWT: its `exp` claim, less `iat` when present.
    Jwt,
}

/// Renewal with a refresh token that comes with every issued token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRefresh {
    /// The operation that renews (`refreshToken`).
    pub operation: String,
    /// Its path (`/token/refresh`); it is called with POST and a JSON body.
    pub path: String,
    /// Field holding the refresh token, in the issued data and in the renewal's body
    /// (`refreshToken`).
    pub field: String,
}

/// A setting of the client that fills a parameter or body field of the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientDefault {
    /// Name on the wire (`storeId`).
    pub wire_name: String,
    /// Rust name of the builder method and field (`store_id`).
    pub rust_name: Ident,
    /// What it is.
    pub docs: Docs,
    /// Sent as a header on every authenticated call, and settable per call, instead of
    /// filling a parameter or body field.
    pub header: bool,
}

/// A group of operations (`payment`, `payment.billingKey`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// Full id (`payment.billingKey`).
    pub id: String,
    /// Accessor method name on the parent (`billing_key`).
    pub accessor: Ident,
    /// Name of the handle type (`PaymentBillingKeyApi`).
    pub type_name: String,
    /// What the group is for.
    pub docs: Docs,
    /// Sub-groups.
    pub children: Vec<Category>,
    /// When the group's handle is compiled: its top-level group's feature, and `unstable`
    /// when every operation under it is unstable. Decided by the layout pass.
    pub gate: Gate,
}

/// When an item is compiled, as its `#[cfg]` says: with any one of `features` on (none:
/// always), and with `unstable` only when the `unstable` feature is on too.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate {
    /// Cargo features, any one of which compiles the item; sorted.
    pub features: Vec<String>,
    /// The `unstable` feature is needed as well.
    pub unstable: bool,
}

/// One file of an API's `operations/` or `types/` folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Its name (`payment`, `common`).
    pub name: Ident,
    /// When the whole file is compiled (the `#[cfg]` on its `mod` line).
    pub gate: Gate,
}

/// What a call fails with: the `E` of its `Error<E>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// The operation's error union (its Rust name).
    Union(String),
    /// The envelope's code and message (an API whose answers come in an envelope).
    Envelope,
    /// The status and body, for an operation that documents no errors.
    Untyped,
}

/// How a success answer is read (the runtime's `send::json`, `text`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A JSON body, decoded.
    Json,
    /// A text body, as it came.
    Text,
    /// No body worth reading.
    Empty,
    /// The data of an envelope, decoded.
    Enveloped,
    /// An envelope whose data is not read.
    EnvelopedEmpty,
}

/// An input a client method takes as an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// The request body.
    Body,
}

/// HTTP methods used by operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Upper-case name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `operationId` (`getPayment`), also used in errors and logs.
    pub id: String,
    /// Client method name (`get_payment`).
    pub fn_name: Ident,
    /// Request builder type name (`GetPayment`).
    pub type_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as written in the spec (`/payments/{paymentId}`).
    pub path: String,
    /// The template split into literal text and parameters (by index); a part naming
    /// no path parameter is a model error.
    pub path_parts: Vec<PathPart>,
    /// Category id this operation belongs to.
    pub category: String,
    /// Module (file of `operations/`) the request builder is written to: its top-level
    /// category's (`payment.billingKey` → `payment`). Decided by the layout pass.
    pub module: Ident,
    /// When the builder and the client method are compiled, beyond their module's and
    /// handle's gates (`unstable`). Decided by the layout pass.
    pub gate: Gate,
    /// Docs.
    pub docs: Docs,
    /// Path, query and header parameters, in spec order.
    pub params: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a success returns.
    pub response: Response,
    /// Rust name of the error union type (`GetPaymentError`), if the operation has one.
    pub error: Option<String>,
    /// What a call fails with: the error union, or the envelope's error when the API has
    /// one (whatever the union), or an untyped error. Decided by the layout pass.
    pub error_type: ErrorType,
    /// The header of the idempotency key the call carries (every method but GET, when
    /// the API takes keys). Decided by the layout pass.
    pub idempotency_header: Option<String>,
    /// How a success answer is read: the runtime `send` function the builder hands its
    /// request to. Decided by the layout pass.
    pub reader: Reader,
    /// No compatibility promise (`x-portone-unstable`).
    pub unstable: bool,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Cargo feature of the operation's top-level category (`None`: always compiled).
    pub feature: Option<String>,
    /// Sent with the client's credentials (`security: []` turns this off).
    pub authenticated: bool,
    /// How to walk the pages of a list (`x-portone-pagination`).
    pub pagination: Option<Pagination>,
    /// The client method's arguments, in order: every required input (path, query and
    /// header parameters in spec order, then the body), and inputs the lock keeps as
    /// arguments after they became optional, in the previous generation's order
    /// (`lock::apply`). Decided by the layout pass.
    pub arguments: Vec<Argument>,
}

/// How a list operation pages, with the Rust names of the fields involved.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The style and its fields.
    pub style: PageStyle,
    /// Response field holding the items (a list).
    pub items: Ident,
    /// That field may be missing (an `Option`).
    pub items_optional: bool,
    /// Type of one item.
    pub item_type: TypeRef,
    /// Rust name of the body type, for styles that page through the body.
    pub body_type: Option<String>,
    /// The request body is optional on the builder.
    pub body_optional: bool,
    /// The body type has no required fields, so a missing body can start as its default.
    pub body_default: bool,
}

/// Pagination styles.
#[derive(Clone, Debug, PartialEq)]
pub enum PageStyle {
    /// Body field `input` (`{number, size}`, starting at 0) asks for a page; response
    /// field `info` (`{number, size, totalCount}`) says which one came. The fields of
    /// the two, by their Rust names, checked to be integers of matching formats.
    Page {
        input: Ident,
        input_type: String,
        info: Ident,
        input_number: Ident,
        input_size: Ident,
        info_number: Ident,
        info_size: Ident,
        total_count: Ident,
    },
    /// Body field `request` carries the cursor of the last item read (field `item_cursor`
    /// of each item).
    Cursor { request: Ident, item_cursor: Ident },
    /// Query parameter `param` asks for a page (from 1); response field `next` holds the
    /// next page's number, 0 on the last.
    QueryPage { param: Ident, next: Ident },
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, including slashes.
    Literal(String),
    /// The value of the path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// A path, query or header parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (argument or setter).
    pub rust_name: Ident,
    /// Where it travels.
    pub location: ParamLocation,
    /// Must be given.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Docs.
    pub docs: Docs,
    /// Filled from the client's default of the same name when unset.
    pub client_default: bool,
    /// Sent as JSON text (declared with `content: application/json`).
    pub json: bool,
    /// Carries a credential (`x-sensitive`): the request builder's `Debug` hides it.
    pub sensitive: bool,
}

/// A JSON request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// Must be given.
    pub required: bool,
    /// How it travels.
    pub delivery: BodyDelivery,
    /// Where the client's defaults go in the body, one entry per default the body takes.
    pub client_defaults: Vec<BodyDefault>,
    /// The body is optional and has no required fields: a call without one sends an
    /// empty body holding the client's defaults when any of them is set.
    pub default_when_absent: bool,
    /// Docs.
    pub docs: Docs,
}

/// A client default that fills a field of the request body: the field is reached from
/// the body through `path` (`["filter", "storeId"]`), and filled when unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyDefault {
    /// The default's name on the wire (`storeId`).
    pub name: String,
    /// Struct fields from the body to the filled one: containers first, then the optional
    /// string field itself. An optional container that is absent is created empty (its
    /// type has no required fields).
    pub path: Vec<FieldStep>,
}

/// One field on a [`BodyDefault`] path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldStep {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: Ident,
    /// The field is an `Option`.
    pub optional: bool,
}

/// How a request body is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyDelivery {
    /// As the JSON request body.
    Json,
    /// Serialized as JSON into the query parameter of this name (`requestBody`).
    QueryParameter(String),
}

/// What a successful call returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// A JSON value of this type.
    Json(TypeRef),
    /// A text body (`text/csv`), returned as a string.
    Text,
    /// Nothing worth decoding.
    Empty,
}

/// A reference to a type: a named one or an anonymous composition.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type of the model (its Rust name).
    Named(String),
    String,
    Int32,
    Int64,
    Float,
    Boolean,
    DateTime,
    Date,
    /// An instant sent as UNIX seconds (`type: integer, format: unix-time`, V1's
    /// timestamps): an optional `DateTime<Utc>` in Rust, `0` ("not yet") read as `None`.
    /// Fields of this type are optional whatever the spec's `required` says.
    UnixTime,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    /// A JSON object with string keys.
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// Named types this reference mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Array(t) | TypeRef::Map(t) => t.named(),
            _ => None,
        }
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Rust name (`PaidPayment`).
    pub name: String,
    /// Schema name in the spec; for a type made from an inline object, where that
    /// object is (`Order.shipping`: property `shipping` of schema `Order`).
    pub schema_name: String,
    /// Module (file) the type is written to (`payment`, `common`). Decided by the
    /// layout pass.
    pub module: Ident,
    /// Cargo features that need this type (any one compiles it); empty: always compiled.
    /// Decided by the layout pass.
    pub features: Vec<String>,
    /// The type's own `#[cfg]`: the part of `features` its module's gate does not
    /// already give (in the common module, all of them). Decided by the layout pass.
    pub gate: Gate,
    /// Which way the type travels, deciding which serde traits it implements.
    pub direction: Direction,
    /// Docs.
    pub docs: Docs,
    /// Marked deprecated.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
}

/// Which way a type travels: sent in requests (needs `Serialize`), received in
/// responses (needs `Deserialize`), or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Direction {
    /// Reachable from a request parameter or body.
    pub request: bool,
    /// Reachable from a success or error response.
    pub response: bool,
}

/// The kinds of named types.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(EnumType),
    Union(Union),
    /// A name for another type (`type Foo = Vec<Bar>`).
    Alias(TypeRef),
}

/// An object with known fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Fields, in spec order.
    pub fields: Vec<Field>,
    /// Reachable from a request: a constructor taking these fields (wire names, in
    /// argument order): the required ones, and those the lock keeps as parameters after
    /// they became optional (`lock::apply`). `None` for types callers never build.
    pub constructor: Option<Vec<String>>,
}

impl Struct {
    /// No field is required, so the struct derives `Default` and an empty one can be
    /// made (a client default creates such a body or filter when the call has none).
    pub fn derives_default(&self) -> bool {
        self.fields.iter().all(|f| !f.required)
    }

    /// Some field carries a credential, so `Debug` is written by hand to hide it.
    pub fn has_sensitive(&self) -> bool {
        self.fields.iter().any(|f| f.sensitive)
    }
}

impl Operation {
    /// Some parameter carries a credential, so the request builder's `Debug` is written
    /// by hand to hide it.
    pub fn has_sensitive_params(&self) -> bool {
        self.params.iter().any(|p| p.sensitive)
    }

    /// The parameter an [`Argument`] or [`PathPart`] names by index (always one: the
    /// model makes no index out of range).
    pub fn param(&self, index: usize) -> Option<&Parameter> {
        self.params.get(index)
    }

    /// An argument's name on the wire, as the lock writes it: the parameter's, or `body`.
    pub fn argument_wire_name(&self, argument: Argument) -> &str {
        match argument {
            Argument::Param(i) => self.param(i).map_or("", |p| p.wire_name.as_str()),
            Argument::Body => lock::BODY,
        }
    }
}

/// A field of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (keywords escaped).
    pub rust_name: Ident,
    /// Its type.
    pub ty: TypeRef,
    /// Always present.
    pub required: bool,
    /// Boxed to break a recursive cycle.
    pub boxed: bool,
    /// Docs.
    pub docs: Docs,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Carries a credential or card data (`x-sensitive`): the struct's `Debug` shows
    /// `<redacted>` in place of its value.
    pub sensitive: bool,
    /// Holds `f64`s (directly, or in an `Option`, list or map) and is sent in requests:
    /// whole values are written as integers (`500`, not `500.0`), as PortOne's own
    /// clients send amounts.
    pub whole_numbers: bool,
    /// What the spec documents about its values beyond the type (format, bounds).
    pub rules: Rules,
}

/// What the spec documents about a field's values beyond their type, for whoever makes
/// up values (the test kit's samples). For a list, the string and number rules are those
/// of its innermost items, `min_items`/`max_items` those of the list itself.
#[derive(Clone, Default, PartialEq)]
pub struct Rules {
    /// The string's format, when it is one of those with a known shape.
    pub format: Option<TextFormat>,
    /// Fewest characters of a string.
    pub min_length: Option<usize>,
    /// Most characters of a string.
    pub max_length: Option<usize>,
    /// Lowest number.
    pub minimum: Option<Bound>,
    /// Highest number.
    pub maximum: Option<Bound>,
    /// Fewest items of a list.
    pub min_items: Option<usize>,
    /// Most items of a list.
    pub max_items: Option<usize>,
}

/// Prints only the rules that are set (`Rules` when none is), so the model's `Debug`
/// stays short.
impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Rules");
        let Rules { format, min_length, max_length, minimum, maximum, min_items, max_items } = self;
        let set: [(&str, Option<&dyn std::fmt::Debug>); 7] = [
            ("format", format.as_ref().map(|v| v as _)),
            ("min_length", min_length.as_ref().map(|v| v as _)),
            ("max_length", max_length.as_ref().map(|v| v as _)),
            ("minimum", minimum.as_ref().map(|v| v as _)),
            ("maximum", maximum.as_ref().map(|v| v as _)),
            ("min_items", min_items.as_ref().map(|v| v as _)),
            ("max_items", max_items.as_ref().map(|v| v as _)),
        ];
        for (name, value) in set {
            if let Some(value) = value {
                out.field(name, value);
            }
        }
        out.finish()
    }
}

/// A documented limit of a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// The limit itself is outside the allowed values.
    pub exclusive: bool,
}

/// String formats whose values have a known shape (`format: email`, ...). Dates and
/// instants are types of their own ([`TypeRef::Date`], [`TypeRef::DateTime`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// `email`.
    Email,
    /// `uri` or `url`.
    Uri,
    /// `uuid`.
    Uuid,
    /// `ipv4`.
    Ipv4,
    /// `ipv6`.
    Ipv6,
    /// `hostname`.
    Hostname,
}

/// A string enum that keeps values it does not know.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    /// Known values, in spec order.
    pub values: Vec<EnumValue>,
}

/// A known value of a string enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// Variant name.
    pub rust_name: String,
    /// Docs.
    pub docs: Docs,
}

/// A `oneOf` with a discriminator: one case per tag, and a case for unknown tags.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// The discriminating property (`status`, `type`).
    pub tag_property: String,
    /// Known cases, sorted by tag.
    pub variants: Vec<UnionVariant>,
    /// The union is an operation's error type (cases carry `type` and `message`).
    pub is_error: bool,
    /// Cases told apart by which field is present instead of by a tag
    /// (`x-portone-case-by-field`): (field, variant name) in order; a value with none
    /// of them is the variant `default_case`. Empty for tagged unions.
    pub by_field: Vec<(String, String)>,
    /// The variant of a value none of `by_field` matches.
    pub default_case: Option<String>,
    /// Fields several cases have with the same wire name and type, sorted by Rust name:
    /// the union gets a method per field returning it from whichever case it holds.
    /// Filled by `finish`.
    pub shared_fields: Vec<SharedField>,
}

impl Union {
    /// The union keeps cases it does not know in `Unrecognized` (every union told apart
    /// by a tag; one told apart by field has a case for every object).
    pub fn has_unrecognized(&self) -> bool {
        self.by_field.is_empty()
    }
}

/// A field of several cases of a union, read through a method of the union.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedField {
    /// Method name: the field's Rust name (keywords escaped).
    pub rust_name: Ident,
    /// Name on the wire.
    pub wire_name: String,
    /// Its type, the same in every case that has it.
    pub ty: TypeRef,
    /// The field's docs when every case that has it agrees on them; empty otherwise.
    pub docs: Docs,
    /// Deprecated in every case that has it.
    pub deprecated: bool,
    /// The cases that have it, in variant order.
    pub cases: Vec<CaseField>,
    /// An unrecognized case's JSON is read for it too. Only an error union's `message`,
    /// so that the method and `ErrorCase::message` give the same answer.
    pub from_unrecognized: bool,
}

/// How one case holds a [`SharedField`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseField {
    /// Variant name.
    pub variant: String,
    /// Always present (not an `Option`).
    pub required: bool,
    /// Held in a `Box`.
    pub boxed: bool,
}

/// One case of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Tag value on the wire.
    pub tag: String,
    /// Variant name.
    pub rust_name: String,
    /// Rust name of the struct holding the case's other fields.
    pub type_name: String,
    /// Docs.
    pub docs: Docs,
    /// The HTTP status PortOne answers with this case, from the case schema's
    /// `x-portone-status-code` (error cases); `None` when the schema gives none.
    pub status: Option<u16>,
    /// The case's struct keeps the tag as a field of its own (it is also used on its
    /// own), so the union writes the struct as it is; otherwise the union writes the
    /// tag before the struct's fields. Decided by `finish::strip_tag_fields`.
    pub keeps_tag: bool,
}
