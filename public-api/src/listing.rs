//! A crate's public API as sorted lines of text, one per item, field, variant, method,
//! trait impl and trait item, read from rustdoc's JSON. The line grammar is what
//! `compare` reads back:
//!
//! ```text
//! [unstable ][#[non_exhaustive] ]<kind> <path><details>[ (marks)]
//! ```
//!
//! `unstable` marks an item compiled only with the `unstable` feature; kinds are `mod`,
//! `struct`, `union`, `enum`, `variant`, `field`, `fn`, `const`, `static`, `type`,
//! `trait`, `trait-fn`, `trait-type`, `trait-const`, `impl`, `impl-type`, `impl-const`,
//! `macro` and `use` (a re-export of another crate). Struct and variant lines end in
//! `(private fields)` when some field is not public, enums in `(private variants)`;
//! trait items with a default end in `(provided)`.

use std::collections::{BTreeSet, HashMap};

use rustdoc_types::{Attribute, Crate, Id, Impl, Item, ItemEnum, StructKind, Type, VariantKind};

use crate::render::{Renderer, header};
use crate::walk::{Reach, is_unstable, walk};

/// The lines of a public API, sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub lines: Vec<String>,
}

/// Lines collected with the key they sort by: the owning item's path, then a rank
/// (the item, its fields and variants, methods, trait impls), then the text.
struct Out {
    lines: BTreeSet<(String, u8, String)>,
}

impl Out {
    fn push(&mut self, owner: &str, rank: u8, unstable: bool, line: String) {
        let line = if unstable { format!("unstable {line}") } else { line };
        self.lines.insert((owner.to_owned(), rank, line));
    }
}

impl Listing {
    /// The listing of a crate documented by rustdoc, its local paths starting with
    /// `root_name`.
    pub fn from_crate(krate: &Crate, root_name: &str) -> Listing {
        let reach = walk(krate, root_name);
        let public: HashMap<Id, String> =
            reach.paths.keys().filter_map(|id| Some((*id, reach.canonical(id)?.0.clone()))).collect();
        let r = Renderer { krate, public: &public, root_name };
        let mut out = Out { lines: BTreeSet::new() };
        let mut impls_done = BTreeSet::new();
        for (id, paths) in &reach.paths {
            let Some(item) = krate.index.get(id) else { continue };
            let Some((canonical, _)) = reach.canonical(id) else { continue };
            for (path, unstable) in paths {
                if let Some(line) = head(&r, item, path) {
                    out.push(path, 0, *unstable, line);
                }
                if path == canonical {
                    members(&r, &reach, item, path, *unstable, &mut out, &mut impls_done);
                }
            }
        }
        for (path, named) in &reach.foreign {
            out.push(path, 0, false, format!("use {path} = {named}"));
        }
        let mut lines: Vec<String> = Vec::new();
        for (_, _, line) in out.lines {
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        }
        Listing { lines }
    }
}

fn non_exhaustive(item: &Item) -> &'static str {
    if item.attrs.iter().any(|a| matches!(a, Attribute::NonExhaustive)) { "#[non_exhaustive] " } else { "" }
}

/// The line of the item itself, at one of its paths.
fn head(r: &Renderer, item: &Item, path: &str) -> Option<String> {
    let ne = non_exhaustive(item);
    Some(match &item.inner {
        ItemEnum::Module(_) => format!("mod {path}"),
        ItemEnum::Struct(s) => {
            let (shape, private) = match &s.kind {
                StructKind::Unit => (" (unit)", false),
                StructKind::Tuple(fields) => (" (tuple)", fields.iter().any(Option::is_none)),
                StructKind::Plain { has_stripped_fields, .. } => ("", *has_stripped_fields),
            };
            let private = if private { " (private fields)" } else { "" };
            format!("{ne}struct {path}{}{}{shape}{private}", r.generic_params(&s.generics), r.where_clause(&s.generics))
        }
        ItemEnum::Union(u) => {
            let private = if u.has_stripped_fields { " (private fields)" } else { "" };
            format!("{ne}union {path}{}{}{private}", r.generic_params(&u.generics), r.where_clause(&u.generics))
        }
        ItemEnum::Enum(e) => {
            let private = if e.has_stripped_variants { " (private variants)" } else { "" };
            format!("{ne}enum {path}{}{}{private}", r.generic_params(&e.generics), r.where_clause(&e.generics))
        }
        ItemEnum::Function(f) => format!(
            "{}fn {path}{}{}{}",
            header(&f.header),
            r.generic_params(&f.generics),
            r.signature(&f.sig, false),
            r.where_clause(&f.generics)
        ),
        ItemEnum::Trait(t) => {
            let bounds = if t.bounds.is_empty() { String::new() } else { format!(": {}", r.bounds(&t.bounds)) };
            let mut marks = String::new();
            for (on, mark) in [(t.is_unsafe, " (unsafe)"), (t.is_auto, " (auto)"), (t.is_dyn_compatible, " (dyn-compatible)")] {
                if on {
                    marks.push_str(mark);
                }
            }
            format!("trait {path}{}{bounds}{}{marks}", r.generic_params(&t.generics), r.where_clause(&t.generics))
        }
        ItemEnum::TraitAlias(t) => format!("trait {path}{} = {}", r.generic_params(&t.generics), r.bounds(&t.params)),
        ItemEnum::TypeAlias(t) => {
            format!("type {path}{}{} = {}", r.generic_params(&t.generics), r.where_clause(&t.generics), r.ty(&t.type_))
        }
        ItemEnum::Constant { type_, .. } => format!("const {path}: {}", r.ty(type_)),
        ItemEnum::Static(s) => format!("static {path}: {}{}", r.ty(&s.type_), if s.is_mutable { " (mut)" } else { "" }),
        ItemEnum::Macro(_) | ItemEnum::ProcMacro(_) => format!("macro {path}!"),
        ItemEnum::ExternType => format!("type {path} (extern)"),
        _ => return None,
    })
}

/// Fields, variants, inherent methods, trait impls and trait items of an item.
fn members(
    r: &Renderer,
    reach: &Reach,
    item: &Item,
    path: &str,
    unstable: bool,
    out: &mut Out,
    impls_done: &mut BTreeSet<Id>,
) {
    let impls: &[Id] = match &item.inner {
        ItemEnum::Struct(s) => {
            let ids: Vec<(String, Id)> = match &s.kind {
                StructKind::Unit => Vec::new(),
                StructKind::Tuple(fields) => {
                    fields.iter().enumerate().filter_map(|(i, f)| Some((i.to_string(), (*f)?))).collect()
                }
                StructKind::Plain { fields, .. } => fields.iter().map(|f| (String::new(), *f)).collect(),
            };
            fields(r, &ids, path, unstable, out);
            &s.impls
        }
        ItemEnum::Union(u) => {
            let ids: Vec<(String, Id)> = u.fields.iter().map(|f| (String::new(), *f)).collect();
            fields(r, &ids, path, unstable, out);
            &u.impls
        }
        ItemEnum::Enum(e) => {
            for v in &e.variants {
                variant(r, v, path, unstable, out);
            }
            &e.impls
        }
        ItemEnum::Trait(t) => {
            trait_items(r, &t.items, path, unstable, out);
            &t.implementations
        }
        _ => return,
    };
    for id in impls {
        let Some(Item { inner: ItemEnum::Impl(imp), .. }) = r.krate.index.get(id) else { continue };
        if imp.blanket_impl.is_some() || !impls_done.insert(*id) {
            continue;
        }
        // An impl's own cfg, or that of the type it is for, makes it unstable.
        let for_unstable = match &imp.for_ {
            Type::ResolvedPath(p) => reach.canonical(&p.id).is_some_and(|c| c.1),
            _ => false,
        };
        let impl_unstable = unstable || for_unstable || r.krate.index.get(id).is_some_and(is_unstable);
        match &imp.trait_ {
            None => inherent(r, imp, path, impl_unstable, out),
            Some(_) => trait_impl(r, imp, impl_unstable, out),
        }
    }
}

/// `field <owner>::<name>: <type>` for each public field (`name` given for tuple fields).
fn fields(r: &Renderer, ids: &[(String, Id)], owner: &str, unstable: bool, out: &mut Out) {
    for (index, id) in ids {
        let Some(field) = r.krate.index.get(id) else { continue };
        let ItemEnum::StructField(t) = &field.inner else { continue };
        let name = if index.is_empty() { field.name.clone().unwrap_or_default() } else { index.clone() };
        let unstable = unstable || is_unstable(field);
        out.push(owner, 1, unstable, format!("field {owner}::{name}: {}", r.ty(t)));
    }
}

fn variant(r: &Renderer, id: &Id, owner: &str, unstable: bool, out: &mut Out) {
    let Some(v) = r.krate.index.get(id) else { return };
    let ItemEnum::Variant(var) = &v.inner else { return };
    let name = v.name.clone().unwrap_or_default();
    let path = format!("{owner}::{name}");
    let unstable = unstable || is_unstable(v);
    let discriminant = var.discriminant.as_ref().map(|d| format!(" = {}", d.value)).unwrap_or_default();
    let ne = non_exhaustive(v);
    match &var.kind {
        VariantKind::Plain => out.push(owner, 1, unstable, format!("{ne}variant {path}{discriminant}")),
        VariantKind::Tuple(fields) => {
            let types: Vec<String> = fields
                .iter()
                .map(|f| match f.and_then(|f| r.krate.index.get(&f)).map(|f| &f.inner) {
                    Some(ItemEnum::StructField(t)) => r.ty(t),
                    _ => "_".to_owned(),
                })
                .collect();
            let private = if fields.iter().any(Option::is_none) { " (private fields)" } else { "" };
            out.push(owner, 1, unstable, format!("{ne}variant {path}({}){private}", types.join(", ")));
        }
        VariantKind::Struct { fields: ids, has_stripped_fields } => {
            let private = if *has_stripped_fields { " (private fields)" } else { "" };
            out.push(owner, 1, unstable, format!("{ne}variant {path} {{}}{private}"));
            let ids: Vec<(String, Id)> = ids.iter().map(|f| (String::new(), *f)).collect();
            fields(r, &ids, &path, unstable, out);
        }
    }
}

/// ` (impl<T> where ..)` after a method of a generic type, or nothing.
fn impl_generics(r: &Renderer, imp: &Impl) -> String {
    let params = r.generic_params(&imp.generics);
    let wc = r.where_clause(&imp.generics);
    if params.is_empty() && wc.is_empty() { String::new() } else { format!(" (impl{params}{wc})") }
}

fn inherent(r: &Renderer, imp: &Impl, owner: &str, unstable: bool, out: &mut Out) {
    let context = impl_generics(r, imp);
    for id in &imp.items {
        let Some(item) = r.krate.index.get(id) else { continue };
        if !matches!(item.visibility, rustdoc_types::Visibility::Public) {
            continue;
        }
        let name = item.name.clone().unwrap_or_default();
        let unstable = unstable || is_unstable(item);
        let line = match &item.inner {
            ItemEnum::Function(f) => format!(
                "{}fn {owner}::{name}{}{}{}{context}",
                header(&f.header),
                r.generic_params(&f.generics),
                r.signature(&f.sig, true),
                r.where_clause(&f.generics)
            ),
            ItemEnum::AssocConst { type_, .. } => format!("const {owner}::{name}: {}{context}", r.ty(type_)),
            ItemEnum::AssocType { type_: Some(t), .. } => format!("type {owner}::{name} = {}{context}", r.ty(t)),
            _ => continue,
        };
        out.push(owner, 2, unstable, line);
    }
}

/// A trait impl's lines, grouped under the type they are for (an impl is reached from
/// its type and from its trait; the first to reach it must not decide the order).
fn trait_impl(r: &Renderer, imp: &Impl, unstable: bool, out: &mut Out) {
    let Some(trait_) = &imp.trait_ else { return };
    let negative = if imp.is_negative { "!" } else { "" };
    let unsafety = if imp.is_unsafe { "unsafe " } else { "" };
    let self_ty = r.ty(&imp.for_);
    let trait_text = r.path(trait_);
    let owner = self_ty.as_str();
    out.push(
        owner,
        3,
        unstable,
        format!(
            "{unsafety}impl{} {negative}{trait_text} for {self_ty}{}",
            r.generic_params(&imp.generics),
            r.where_clause(&imp.generics)
        ),
    );
    for id in &imp.items {
        let Some(item) = r.krate.index.get(id) else { continue };
        let name = item.name.clone().unwrap_or_default();
        let line = match &item.inner {
            ItemEnum::AssocType { type_: Some(t), generics, .. } => format!(
                "impl-type <{self_ty} as {trait_text}>::{name}{} = {}",
                r.generic_params(generics),
                r.ty(t)
            ),
            ItemEnum::AssocConst { type_, .. } => format!("impl-const <{self_ty} as {trait_text}>::{name}: {}", r.ty(type_)),
            _ => continue,
        };
        out.push(owner, 3, unstable, line);
    }
}

fn trait_items(r: &Renderer, ids: &[Id], owner: &str, unstable: bool, out: &mut Out) {
    for id in ids {
        let Some(item) = r.krate.index.get(id) else { continue };
        let name = item.name.clone().unwrap_or_default();
        let unstable = unstable || is_unstable(item);
        let line = match &item.inner {
            ItemEnum::Function(f) => format!(
                "{}trait-fn {owner}::{name}{}{}{}{}",
                header(&f.header),
                r.generic_params(&f.generics),
                r.signature(&f.sig, true),
                r.where_clause(&f.generics),
                if f.has_body { " (provided)" } else { "" }
            ),
            ItemEnum::AssocType { generics, bounds, type_ } => format!(
                "trait-type {owner}::{name}{}{}{}",
                r.generic_params(generics),
                if bounds.is_empty() { String::new() } else { format!(": {}", r.bounds(bounds)) },
                if type_.is_some() { " (provided)" } else { "" }
            ),
            ItemEnum::AssocConst { type_, value } => format!(
                "trait-const {owner}::{name}: {}{}",
                r.ty(type_),
                if value.is_some() { " (provided)" } else { "" }
            ),
            _ => continue,
        };
        out.push(owner, 2, unstable, line);
    }
}
