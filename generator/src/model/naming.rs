//! Rust names for spec names, derived with heck so they stay stable as the spec grows,
//! and the check that no two spec names land on the same Rust name.

use crate::error::{Pointer, SpecError};
use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;
use std::path::Path;

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "dyn", "else", "enum", "false", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore (`self_`).
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "Self", "super", "extern", "_"];

/// A Rust identifier as the model decides it: `name` as it reads (`payment_id`, `type`),
/// and `raw` when it is a keyword that Rust code must write as a raw identifier
/// (`r#type`). Emitters render it (`emit::rust::ident`, `emit::rust::written`); no stage
/// adds or strips an `r#` prefix in text. Ordered by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    /// The name without any prefix; also what serde and `Debug` labels show.
    pub name: String,
    /// A keyword, written `r#name` in code.
    pub raw: bool,
}

impl Ident {
    /// A name that is no keyword (checked by the caller, or known: `common`, `body`).
    pub fn plain(name: impl Into<String>) -> Self {
        Ident { name: name.into(), raw: false }
    }
}

/// Escape a Rust keyword: `type` → raw `type`, `self` → `self_`; other names unchanged.
pub fn escape_keyword(name: &str) -> Ident {
    if NON_RAW_KEYWORDS.contains(&name) {
        Ident::plain(format!("{name}_"))
    } else {
        Ident { name: name.to_string(), raw: RAW_KEYWORDS.contains(&name) }
    }
}

/// `snake_case` name for a field, parameter or method (`paymentId` → `payment_id`).
pub fn snake(name: &str) -> Ident {
    let mut s = identifier_chars(&name.to_snake_case());
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    escape_keyword(&s)
}

/// `UpperCamelCase` name for a type or variant (`PAYMENT_NOT_FOUND` → `PaymentNotFound`).
pub fn upper_camel(name: &str) -> String {
    let mut s = identifier_chars(&name.to_upper_camel_case());
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("N{s}");
    }
    // Every raw keyword is lowercase, so an UpperCamelCase name is never raw; `Self`
    // becomes `Self_`.
    escape_keyword(&s).name
}

/// Type name for an inline object inside property `field` of type `parent` (directly or
/// as the items of a list): `<Parent><Field>` (`Order` + `shipping_address` →
/// `OrderShippingAddress`).
pub fn inline_type(parent: &str, field: &str) -> String {
    upper_camel(&format!("{parent} {field}"))
}

/// `snake_case` id of a category named after a path segment (`payment-gateways` →
/// `payment_gateways`), in ASCII; `None` when the segment gives no plain identifier (no
/// letters, a leading digit, or a Rust keyword), since the id becomes a module and a
/// Cargo feature.
pub fn category_id(segment: &str) -> Option<String> {
    let id: String = segment.to_snake_case().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let plain = id.starts_with(|c: char| c.is_ascii_lowercase()) && escape_keyword(&id) == Ident::plain(&id);
    plain.then_some(id)
}

/// `kebab-case` name for a Cargo feature (`identityVerification` → `identity-verification`).
pub fn kebab(name: &str) -> String {
    name.to_kebab_case()
}

/// Drop what cannot be part of an identifier (heck keeps some symbols, such as `$`).
fn identifier_chars(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Name of the variant that keeps a value or tag the SDK does not know. A spec value
/// that would land on it is reported as a collision.
pub const UNRECOGNIZED: &str = "Unrecognized";

/// Method names a union's field methods do not take: the union's own `tag`; the methods
/// of the traits it implements (`Clone`, `PartialEq`, `Debug`, `Display`, serde's,
/// `std::error::Error`, the runtime's `ErrorCase` and `Tagged`) and of std's prelude
/// traits, which an inherent method would hide; and the names clippy expects to mean
/// what std's traits mean (`should_implement_trait`). An error union's `message` is not
/// here: it is the `ErrorCase::message` answer (see `finish`).
const UNION_METHODS: &[&str] = &[
    "as_mut",
    "as_ref",
    "borrow",
    "borrow_mut",
    "case",
    "cause",
    "clone",
    "clone_from",
    "clone_into",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "description",
    "deserialize",
    "eq",
    "fmt",
    "fmt_case",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "into",
    "into_iter",
    "is_documented",
    "ne",
    "next",
    "partial_cmp",
    "provide",
    "serialize",
    "source",
    "tag",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
    "unrecognized",
];

/// Whether a union may not have a field method of this name: one of `UNION_METHODS`,
/// or one that clippy's `wrong_self_convention` reserves for other receivers
/// (`from_…` takes no `self`, `into_…` takes `self`, `…_mut` takes `&mut self`).
pub fn reserved_union_method(name: &str) -> bool {
    UNION_METHODS.contains(&name) || name.starts_with("from_") || name.starts_with("into_") || name.ends_with("_mut")
}

/// Collects (Rust name → spec name) within one scope and reports spec names that map
/// to a Rust name already taken.
pub struct Scope<'a> {
    file: &'a Path,
    what: &'static str,
    taken: BTreeMap<String, String>,
}

impl<'a> Scope<'a> {
    /// A scope for names of one kind (`field`, `variant`), in one file.
    pub fn new(file: &'a Path, what: &'static str) -> Self {
        Scope { file, what, taken: BTreeMap::new() }
    }

    /// Reserve a Rust name that no spec name may take.
    pub fn reserve(&mut self, rust: &str, why: &str) {
        self.taken.insert(rust.to_string(), why.to_string());
    }

    /// Claim `rust` for `spec`; on collision, record an error located at `pointer`.
    pub fn claim(&mut self, rust: &str, spec: &str, pointer: &Pointer, errors: &mut Vec<SpecError>) {
        if let Some(first) = self.taken.get(rust) {
            if first != spec {
                errors.push(SpecError::at(
                    self.file,
                    pointer,
                    format!("{} {spec:?} and {first:?} both become the Rust name `{rust}`; rename one", self.what),
                ));
            }
        } else {
            self.taken.insert(rust.to_string(), spec.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("paymentId"), Ident::plain("payment_id"));
        assert_eq!(snake("type"), Ident { name: "type".into(), raw: true });
        assert_eq!(snake("self"), Ident::plain("self_"));
        assert_eq!(snake("3ds"), Ident::plain("n3ds"));
        assert_eq!(upper_camel("PAYMENT_NOT_FOUND"), "PaymentNotFound");
        assert_eq!(upper_camel("B2bTaxInvoice"), "B2bTaxInvoice");
        assert_eq!(upper_camel("Self"), "Self_");
        assert_eq!(upper_camel("3DS"), "N3ds");
        assert_eq!(upper_camel("a$b"), "AB");
        assert_eq!(snake("---"), Ident::plain("value"));
        assert_eq!(inline_type("Order", "shippingAddress"), "OrderShippingAddress");
        assert_eq!(inline_type("B2bTaxInvoice", "line_items"), "B2bTaxInvoiceLineItems");
        assert_eq!(inline_type("Self_", "3ds"), "Self3ds");
        assert_eq!(category_id("payment-gateways").as_deref(), Some("payment_gateways"));
        assert_eq!(category_id("billingKeys").as_deref(), Some("billing_keys"));
        assert_eq!(category_id("type"), None);
        assert_eq!(category_id("3ds"), None);
        assert_eq!(category_id("결제"), None);
    }

    #[test]
    fn union_methods() {
        assert!(reserved_union_method("tag"));
        assert!(reserved_union_method("clone"));
        assert!(reserved_union_method("from_date"));
        assert!(reserved_union_method("into_parts"));
        assert!(reserved_union_method("amount_mut"));
        assert!(!reserved_union_method("id"));
        assert!(!reserved_union_method("message"));
        assert!(!reserved_union_method("type"));
    }
}
