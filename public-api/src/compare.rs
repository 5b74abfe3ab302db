//! Two listings compared: what was removed or changed (breaking), what was added, and
//! which additions break anyway (a field of a struct users can build, a variant of an
//! enum users can match exhaustively, a required trait item).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::listing::Listing;

/// Words that may stand before a kind: function qualifiers.
const QUALIFIERS: &[&str] = &["const", "async", "unsafe", "extern"];
const KINDS: &[&str] = &[
    "mod", "struct", "union", "enum", "variant", "field", "fn", "const", "static", "type", "trait", "trait-fn",
    "trait-type", "trait-const", "impl", "impl-type", "impl-const", "macro", "use",
];

/// One line of a listing, taken apart.
#[derive(Debug, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub unstable: bool,
    /// `#[non_exhaustive]`, `(private fields)` or `(private variants)`: users cannot
    /// build it with a literal, or match it without `..` or `_`.
    pub open: bool,
    /// A trait item with a default (`(provided)`).
    pub provided: bool,
    pub kind: &'a str,
    /// The item's path; for impls the rest of the line.
    pub path: &'a str,
    /// What two versions of the same item share: kind and path.
    pub key: String,
}

pub fn parse(line: &str) -> Parsed<'_> {
    let words: Vec<&str> = line.split(' ').collect();
    let mut i = 0;
    let (mut unstable, mut open) = (false, false);
    while let Some(w) = words.get(i) {
        match *w {
            "unstable" => unstable = true,
            "#[non_exhaustive]" => open = true,
            _ => break,
        }
        i += 1;
    }
    let mut j = i;
    while words.get(j).is_some_and(|w| QUALIFIERS.contains(w) || w.starts_with('"')) {
        j += 1;
    }
    // `impl<'de> ..`: the kind word carries the impl's generics.
    fn kind_of<'a>(w: &&'a str) -> &'a str {
        w.split('<').next().unwrap_or("")
    }
    let k = match words.get(j) {
        Some(w) if KINDS.contains(&kind_of(w)) => j,
        _ => i, // `const <path>`: the qualifier was the kind
    };
    let kind = words.get(k).map(kind_of).unwrap_or("");
    let start: usize = words[..k.min(words.len())].iter().map(|w| w.len() + 1).sum();
    let offset = start + kind.len() + 1;
    let rest = line.get(offset..).unwrap_or("");
    open |= line.ends_with("(private fields)") || line.ends_with("(private variants)");
    let path = match kind {
        "impl" => line.get(start..).unwrap_or(""),
        "impl-const" => rest,
        "impl-type" => rest.split_once(" = ").map_or(rest, |(k, _)| k),
        _ => path_prefix(rest),
    };
    let provided = line.ends_with("(provided)");
    Parsed { unstable, open, provided, kind, path, key: format!("{kind} {path}") }
}

/// The path at the start of `s`: identifiers joined by `::` (raw ones included).
fn path_prefix(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let c = bytes[end];
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'#' {
            end += 1;
        } else if c == b':' && bytes.get(end + 1) == Some(&b':') {
            end += 2;
        } else {
            break;
        }
    }
    &s[..end]
}

fn parent(path: &str) -> Option<&str> {
    path.rsplit_once("::").map(|(p, _)| p)
}

/// How the change between two listings is classed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Identical,
    /// Only additions that break no user, and changes to `unstable` items.
    Additive,
    Breaking,
}

/// The differences between an old and a new listing, sorted into what they mean.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Lines of the old API with nothing of the same kind and path in the new one.
    pub removed: Vec<String>,
    /// Lines of items removed together with their owner, counted, not shown.
    pub removed_with_owner: usize,
    /// (old, new) lines of the same item.
    pub changed: Vec<(String, String)>,
    /// New lines that break users, each with the reason.
    pub breaking_added: Vec<(String, &'static str)>,
    /// Lines of `unstable` items removed or changed (allowed in a patch release).
    pub unstable: Vec<String>,
    /// New lines that break nobody.
    pub added: Vec<String>,
}

impl Diff {
    pub fn class(&self) -> Class {
        if !self.removed.is_empty() || self.removed_with_owner > 0 || !self.changed.is_empty() || !self.breaking_added.is_empty() {
            Class::Breaking
        } else if !self.unstable.is_empty() || !self.added.is_empty() {
            Class::Additive
        } else {
            Class::Identical
        }
    }
}

pub fn compare(old: &Listing, new: &Listing) -> Diff {
    let old_set: BTreeSet<&str> = old.lines.iter().map(String::as_str).collect();
    let new_set: BTreeSet<&str> = new.lines.iter().map(String::as_str).collect();
    let mut gone: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for line in old_set.difference(&new_set) {
        gone.entry(parse(line).key).or_default().push(line);
    }
    let mut came: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for line in new_set.difference(&old_set) {
        came.entry(parse(line).key).or_default().push(line);
    }
    let old_keys: BTreeSet<String> = old.lines.iter().map(|l| parse(l).key).collect();
    let containers: HashMap<&str, (&str, bool)> = new
        .lines
        .iter()
        .map(|l| parse(l))
        .filter(|p| matches!(p.kind, "struct" | "union" | "variant" | "enum" | "trait"))
        .map(|p| (p.path, (p.kind, p.open)))
        .collect();
    // Paths of whole items that went away: their members are counted, not listed.
    let gone_paths: BTreeSet<&str> = gone
        .iter()
        .filter(|(k, _)| !came.contains_key(*k))
        .flat_map(|(_, lines)| lines.iter().map(|l| parse(l)))
        .filter(|p| !p.kind.starts_with("impl"))
        .map(|p| p.path)
        .collect();

    let mut diff = Diff::default();
    for (key, olds) in &gone {
        let news = came.get(key).map(Vec::as_slice).unwrap_or(&[]);
        for (i, old_line) in olds.iter().enumerate() {
            let p = parse(old_line);
            match news.get(i) {
                Some(new_line) if p.unstable => diff.unstable.push(format!("{old_line}  ->  {new_line}")),
                Some(new_line) => diff.changed.push((old_line.to_string(), new_line.to_string())),
                None if p.unstable => diff.unstable.push(old_line.to_string()),
                // A negative impl gone: the type gained an auto trait.
                None if p.kind == "impl" && p.path.contains(" !") => diff.added.push(format!("(no longer) {old_line}")),
                None if owner_gone(&p, &gone_paths) => diff.removed_with_owner += 1,
                None => diff.removed.push(old_line.to_string()),
            }
        }
    }
    for (key, news) in &came {
        let paired = gone.get(key).map_or(0, Vec::len);
        for new_line in news.iter().skip(paired) {
            let p = parse(new_line);
            match breaking_addition(&p, &containers, &old_keys) {
                Some(reason) if !p.unstable => diff.breaking_added.push((new_line.to_string(), reason)),
                _ => diff.added.push(new_line.to_string()),
            }
        }
    }
    diff
}

fn owner_gone(p: &Parsed, gone_paths: &BTreeSet<&str>) -> bool {
    if p.kind.starts_with("impl") {
        // `impl<..> Trait for Type<..> where ..`: the type's path, without arguments.
        let self_ty = p.path.rsplit_once(" for ").map_or("", |(_, t)| t);
        let self_ty = path_prefix(self_ty.trim_start_matches('<'));
        return gone_paths.contains(self_ty);
    }
    let mut path = parent(p.path);
    while let Some(owner) = path {
        if gone_paths.contains(owner) {
            return true;
        }
        path = parent(owner);
    }
    false
}

/// Why an added line breaks users of an item that already existed, if it does.
fn breaking_addition(p: &Parsed, containers: &HashMap<&str, (&str, bool)>, old_keys: &BTreeSet<String>) -> Option<&'static str> {
    let owner = parent(p.path)?;
    let (owner_kind, open) = *containers.get(owner)?;
    if open || !old_keys.contains(&format!("{owner_kind} {owner}")) {
        return None;
    }
    match (p.kind, owner_kind) {
        ("field", "struct" | "union") => Some("new public field of a struct without #[non_exhaustive]: struct literals and patterns stop compiling"),
        ("field", "variant") => Some("new field of an enum variant without #[non_exhaustive]: literals and patterns stop compiling"),
        ("variant", "enum") => Some("new variant of an enum without #[non_exhaustive]: exhaustive matches stop compiling"),
        ("trait-fn" | "trait-type" | "trait-const", "trait") if !p.provided => {
            Some("new required item of a trait: implementations outside the crate stop compiling")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(lines: &[&str]) -> Listing {
        let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        lines.sort();
        Listing { lines }
    }

    fn class(old: &[&str], new: &[&str]) -> Class {
        compare(&listing(old), &listing(new)).class()
    }

    const S: &str = "struct c::S";
    const S_OPEN: &str = "#[non_exhaustive] struct c::S";
    const F: &str = "field c::S::a: String";

    #[test]
    fn lines_are_taken_apart() {
        let p = parse("unstable #[non_exhaustive] struct c::m::S<T> (private fields)");
        assert_eq!((p.unstable, p.open, p.kind, p.path), (true, true, "struct", "c::m::S"));
        let p = parse("const async fn c::f(u8) -> u8");
        assert_eq!((p.kind, p.path), ("fn", "c::f"));
        assert_eq!(parse("const c::LIMIT: u32").key, "const c::LIMIT");
        assert_eq!(parse("field c::S::r#type: String").path, "c::S::r#type");
        assert_eq!(parse("impl<'de> serde::Deserialize<'de> for c::S").kind, "impl");
        assert!(parse("trait-fn c::T::f(&self) (provided)").provided);
    }

    #[test]
    fn same_listing_is_identical() {
        assert_eq!(class(&[S, F], &[S, F]), Class::Identical);
    }

    #[test]
    fn new_items_are_additive() {
        assert_eq!(class(&[S, F], &[S, F, "struct c::T", "field c::T::b: u8", "fn c::S::new() -> c::S"]), Class::Additive);
        assert_eq!(class(&[S, F], &[S, F, "impl core::clone::Clone for c::S"]), Class::Additive);
    }

    #[test]
    fn removed_or_changed_items_are_breaking() {
        let d = compare(&listing(&[S, F]), &listing(&[S]));
        assert_eq!((d.class(), d.removed.clone()), (Class::Breaking, vec![F.to_owned()]));
        let d = compare(&listing(&[S, F]), &listing(&[S, "field c::S::a: Option<String>"]));
        assert_eq!(d.class(), Class::Breaking);
        assert_eq!(d.changed, vec![(F.to_owned(), "field c::S::a: Option<String>".to_owned())]);
        // A new required argument changes the function's line.
        assert_eq!(class(&["fn c::S::new(String) -> c::S"], &["fn c::S::new(String, u8) -> c::S"]), Class::Breaking);
        // Gaining #[non_exhaustive] stops struct literals outside the crate.
        assert_eq!(class(&[S, F], &[S_OPEN, F]), Class::Breaking);
    }

    #[test]
    fn members_of_a_removed_item_are_counted_with_it() {
        let d = compare(&listing(&[S, F, "impl core::clone::Clone for c::S", "struct c::T"]), &listing(&["struct c::T"]));
        assert_eq!(d.removed, vec![S.to_owned()]);
        assert_eq!(d.removed_with_owner, 2);
    }

    #[test]
    fn a_field_is_additive_only_where_users_cannot_build_the_struct() {
        let new_field = "field c::S::b: Option<u8>";
        let d = compare(&listing(&[S, F]), &listing(&[S, F, new_field]));
        assert_eq!(d.class(), Class::Breaking);
        assert_eq!(d.breaking_added[0].0, new_field);
        assert_eq!(class(&[S_OPEN, F], &[S_OPEN, F, new_field]), Class::Additive);
        let private = "struct c::S (private fields)";
        assert_eq!(class(&[private, F], &[private, F, new_field]), Class::Additive);
        // A struct variant's fields follow the variant's own mark.
        let v = "variant c::E::V {}";
        assert_eq!(class(&["enum c::E", v], &["enum c::E", v, "field c::E::V::x: u8"]), Class::Breaking);
    }

    #[test]
    fn a_variant_is_additive_only_in_a_non_exhaustive_enum() {
        let (e, v, w) = ("enum c::E", "variant c::E::A", "variant c::E::B(String)");
        assert_eq!(class(&[e, v], &[e, v, w]), Class::Breaking);
        let open = "#[non_exhaustive] enum c::E";
        assert_eq!(class(&[open, v], &[open, v, w]), Class::Additive);
        // A new enum brings its variants with it.
        assert_eq!(class(&[S], &[S, e, v, w]), Class::Additive);
    }

    #[test]
    fn a_trait_item_is_additive_only_with_a_default() {
        let t = "trait c::T";
        assert_eq!(class(&[t], &[t, "trait-fn c::T::f(&self)"]), Class::Breaking);
        assert_eq!(class(&[t], &[t, "trait-fn c::T::f(&self) (provided)"]), Class::Additive);
    }

    #[test]
    fn unstable_items_may_change() {
        let old = "unstable fn c::Client::preview(&self) -> u8";
        assert_eq!(class(&[S, old], &[S]), Class::Additive);
        assert_eq!(class(&[S, old], &[S, "unstable fn c::Client::preview(&self, u8) -> u8"]), Class::Additive);
        // Becoming unstable is a change to a stable item.
        assert_eq!(class(&["fn c::f()"], &["unstable fn c::f()"]), Class::Breaking);
    }

    #[test]
    fn losing_a_negative_impl_is_gaining_an_auto_trait() {
        let neg = "impl !core::marker::Send for c::S";
        assert_eq!(class(&[S, neg], &[S, "impl core::marker::Send for c::S"]), Class::Additive);
        assert_eq!(class(&[S, "impl core::marker::Send for c::S"], &[S, neg]), Class::Breaking);
    }
}
