//! Which local items users can name, and by which paths: a walk from the crate root
//! through public modules and `pub use` (globs included), as rustc resolves them.

use std::collections::{HashMap, HashSet};

use rustdoc_types::{Attribute, Crate, Id, Item, ItemEnum, Visibility};

/// Deeper than any real module tree; stops a re-export cycle.
const MAX_DEPTH: usize = 64;

/// The public face of a crate, before rendering.
#[derive(Default)]
pub struct Reach {
    /// Every public path of each reachable local item, with whether that path is
    /// compiled only with the `unstable` feature.
    pub paths: HashMap<Id, Vec<(String, bool)>>,
    /// `pub use` of something outside the crate: (public path, what it names).
    pub foreign: Vec<(String, String)>,
}

impl Reach {
    /// The path an item is listed under: the shortest, then the first in byte order.
    pub fn canonical(&self, id: &Id) -> Option<&(String, bool)> {
        self.paths.get(id)?.iter().min_by(|a, b| (a.0.matches("::").count(), &a.0).cmp(&(b.0.matches("::").count(), &b.0)))
    }
}

/// Whether an item carries `#[cfg(...)]` naming the `unstable` feature (rustdoc keeps
/// the cfg as text; an unreadable one counts as stable, which errs on the strict side).
pub fn is_unstable(item: &Item) -> bool {
    item.attrs.iter().any(|a| match a {
        Attribute::Other(text) => text.contains("CfgTrace") && text.contains("Some(\"unstable\")"),
        _ => false,
    })
}

pub fn walk(krate: &Crate, root_name: &str) -> Reach {
    let mut reach = Reach::default();
    let mut seen = HashSet::new();
    walk_module(krate, &krate.root, root_name, false, 0, &mut seen, &mut reach);
    reach
}

fn walk_module(
    krate: &Crate,
    module: &Id,
    prefix: &str,
    unstable: bool,
    depth: usize,
    seen: &mut HashSet<(Id, String)>,
    reach: &mut Reach,
) {
    if depth > MAX_DEPTH || !seen.insert((*module, prefix.to_owned())) {
        return;
    }
    let Some(Item { inner: ItemEnum::Module(m), .. }) = krate.index.get(module) else { return };
    for id in &m.items {
        let Some(item) = krate.index.get(id) else { continue };
        if !matches!(item.visibility, Visibility::Public) {
            continue;
        }
        let unstable = unstable || is_unstable(item);
        match &item.inner {
            ItemEnum::Use(u) if u.is_glob => {
                // A glob of a local module brings its public items here; a glob of an
                // enum (its variants) adds no item of its own.
                if let Some(target) = u.id.as_ref().filter(|t| matches!(krate.index.get(t).map(|i| &i.inner), Some(ItemEnum::Module(_)))) {
                    walk_module(krate, target, prefix, unstable, depth + 1, seen, reach);
                }
            }
            ItemEnum::Use(u) => {
                let path = format!("{prefix}::{}", u.name);
                match u.id.as_ref().filter(|t| krate.index.contains_key(t)) {
                    Some(target) => place(krate, target, path, unstable, depth, seen, reach),
                    None => {
                        let named = u
                            .id
                            .as_ref()
                            .and_then(|t| krate.paths.get(t))
                            .map_or_else(|| u.source.clone(), |s| s.path.join("::"));
                        reach.foreign.push((path, named));
                    }
                }
            }
            ItemEnum::Impl(_) | ItemEnum::Primitive(_) | ItemEnum::ExternCrate { .. } => {}
            _ => {
                let Some(name) = &item.name else { continue };
                place(krate, id, format!("{prefix}::{name}"), unstable, depth, seen, reach);
            }
        }
    }
}

fn place(
    krate: &Crate,
    id: &Id,
    path: String,
    unstable: bool,
    depth: usize,
    seen: &mut HashSet<(Id, String)>,
    reach: &mut Reach,
) {
    let unstable = unstable || krate.index.get(id).is_some_and(is_unstable);
    let entry = reach.paths.entry(*id).or_default();
    if entry.iter().any(|(p, _)| *p == path) {
        return;
    }
    entry.push((path.clone(), unstable));
    if matches!(krate.index.get(id).map(|i| &i.inner), Some(ItemEnum::Module(_))) {
        walk_module(krate, id, &path, unstable, depth + 1, seen, reach);
    }
}
