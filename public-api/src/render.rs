//! Types, bounds, generics and signatures written out as text, one way for every item,
//! so that two listings differ only where the API does.

use std::collections::HashMap;

use rustdoc_types::{
    AssocItemConstraint, AssocItemConstraintKind, Crate, FunctionHeader, FunctionSignature, GenericArg, GenericArgs,
    GenericBound, GenericParamDef, GenericParamDefKind, Generics, Id, Path, PreciseCapturingArg, Term,
    TraitBoundModifier, Type, WherePredicate,
};

/// Standard types written by their prelude name, not their defining path.
const PRELUDE: &[(&str, &str)] = &[
    ("core::option::Option", "Option"),
    ("core::result::Result", "Result"),
    ("alloc::string::String", "String"),
    ("alloc::vec::Vec", "Vec"),
    ("alloc::boxed::Box", "Box"),
];

/// Renders the parts of items; knows each local item's public path.
pub struct Renderer<'a> {
    pub krate: &'a Crate,
    /// The public path chosen for each local item reachable from the crate root.
    pub public: &'a HashMap<Id, String>,
    /// The name local paths start with (the crate's library name as users write it).
    pub root_name: &'a str,
}

impl Renderer<'_> {
    /// The path of an item: its public path when it has one, else where it is defined,
    /// else the text the source used.
    pub fn path_of(&self, id: &Id, written: &str) -> String {
        if let Some(p) = self.public.get(id) {
            return p.clone();
        }
        match self.krate.paths.get(id) {
            Some(summary) => {
                let mut parts = summary.path.clone();
                if summary.crate_id == 0 && !parts.is_empty() {
                    parts[0] = self.root_name.to_owned();
                }
                let joined = parts.join("::");
                PRELUDE.iter().find(|(full, _)| *full == joined).map_or(joined, |(_, short)| (*short).to_owned())
            }
            None => written.to_owned(),
        }
    }

    pub fn path(&self, p: &Path) -> String {
        let mut out = self.path_of(&p.id, &p.path);
        if let Some(args) = &p.args {
            out.push_str(&self.generic_args(args));
        }
        out
    }

    pub fn ty(&self, t: &Type) -> String {
        match t {
            Type::ResolvedPath(p) => self.path(p),
            Type::DynTrait(d) => {
                let mut parts: Vec<String> = d.traits.iter().map(|pt| self.hrtb(&pt.generic_params) + &self.path(&pt.trait_)).collect();
                if let Some(l) = &d.lifetime {
                    parts.push(l.clone());
                }
                format!("dyn {}", parts.join(" + "))
            }
            Type::Generic(name) | Type::Primitive(name) => name.clone(),
            Type::FunctionPointer(f) => {
                format!("{}{}fn{}", self.hrtb(&f.generic_params), header(&f.header), self.signature(&f.sig, false))
            }
            Type::Tuple(items) if items.len() == 1 => format!("({},)", self.ty(&items[0])),
            Type::Tuple(items) => format!("({})", self.list(items)),
            Type::Slice(inner) => format!("[{}]", self.ty(inner)),
            Type::Array { type_, len } => format!("[{}; {len}]", self.ty(type_)),
            Type::Pat { type_, .. } => self.ty(type_),
            Type::ImplTrait(bounds) => format!("impl {}", self.bounds(bounds)),
            Type::Infer => "_".to_owned(),
            Type::RawPointer { is_mutable, type_ } => {
                format!("*{} {}", if *is_mutable { "mut" } else { "const" }, self.ty(type_))
            }
            Type::BorrowedRef { lifetime, is_mutable, type_ } => {
                let lifetime = lifetime.as_ref().map(|l| format!("{l} ")).unwrap_or_default();
                format!("&{lifetime}{}{}", if *is_mutable { "mut " } else { "" }, self.ty(type_))
            }
            Type::QualifiedPath { name, args, self_type, trait_ } => {
                let args = args.as_ref().map(|a| self.generic_args(a)).unwrap_or_default();
                match trait_ {
                    Some(t) => format!("<{} as {}>::{name}{args}", self.ty(self_type), self.path(t)),
                    None => format!("{}::{name}{args}", self.ty(self_type)),
                }
            }
        }
    }

    fn list(&self, types: &[Type]) -> String {
        types.iter().map(|t| self.ty(t)).collect::<Vec<_>>().join(", ")
    }

    pub fn generic_args(&self, args: &GenericArgs) -> String {
        match args {
            GenericArgs::AngleBracketed { args, constraints } => {
                let mut parts: Vec<String> = args.iter().map(|a| self.generic_arg(a)).collect();
                parts.extend(constraints.iter().map(|c| self.constraint(c)));
                if parts.is_empty() { String::new() } else { format!("<{}>", parts.join(", ")) }
            }
            GenericArgs::Parenthesized { inputs, output } => {
                let out = output.as_ref().map(|o| format!(" -> {}", self.ty(o))).unwrap_or_default();
                format!("({}){out}", self.list(inputs))
            }
            GenericArgs::ReturnTypeNotation => "(..)".to_owned(),
        }
    }

    fn generic_arg(&self, a: &GenericArg) -> String {
        match a {
            GenericArg::Lifetime(l) => l.clone(),
            GenericArg::Type(t) => self.ty(t),
            GenericArg::Const(c) => c.expr.clone(),
            GenericArg::Infer => "_".to_owned(),
        }
    }

    fn constraint(&self, c: &AssocItemConstraint) -> String {
        let args = c.args.as_ref().map(|a| self.generic_args(a)).unwrap_or_default();
        match &c.binding {
            AssocItemConstraintKind::Equality(term) => format!("{}{args} = {}", c.name, self.term(term)),
            AssocItemConstraintKind::Constraint(bounds) => format!("{}{args}: {}", c.name, self.bounds(bounds)),
        }
    }

    pub fn term(&self, t: &Term) -> String {
        match t {
            Term::Type(t) => self.ty(t),
            Term::Constant(c) => c.expr.clone(),
        }
    }

    pub fn bounds(&self, bounds: &[GenericBound]) -> String {
        bounds.iter().map(|b| self.bound(b)).collect::<Vec<_>>().join(" + ")
    }

    fn bound(&self, b: &GenericBound) -> String {
        match b {
            GenericBound::TraitBound { trait_, generic_params, modifier } => {
                let modifier = match modifier {
                    TraitBoundModifier::None => "",
                    TraitBoundModifier::Maybe => "?",
                    TraitBoundModifier::MaybeConst => "~const ",
                };
                format!("{}{modifier}{}", self.hrtb(generic_params), self.path(trait_))
            }
            GenericBound::Outlives(l) => l.clone(),
            GenericBound::Use(args) => {
                let args: Vec<&str> = args
                    .iter()
                    .map(|a| match a {
                        PreciseCapturingArg::Lifetime(s) | PreciseCapturingArg::Param(s) => s.as_str(),
                    })
                    .collect();
                format!("use<{}>", args.join(", "))
            }
        }
    }

    /// `for<'a> ` of a higher-ranked bound, or nothing.
    fn hrtb(&self, params: &[GenericParamDef]) -> String {
        if params.is_empty() { String::new() } else { format!("for<{}> ", self.params(params)) }
    }

    fn params(&self, params: &[GenericParamDef]) -> String {
        params.iter().filter_map(|p| self.param(p)).collect::<Vec<_>>().join(", ")
    }

    fn param(&self, p: &GenericParamDef) -> Option<String> {
        Some(match &p.kind {
            GenericParamDefKind::Lifetime { outlives } if outlives.is_empty() => p.name.clone(),
            GenericParamDefKind::Lifetime { outlives } => format!("{}: {}", p.name, outlives.join(" + ")),
            // `impl Trait` arguments are written where they stand.
            GenericParamDefKind::Type { is_synthetic: true, .. } => return None,
            GenericParamDefKind::Type { bounds, default, .. } => {
                let mut s = p.name.clone();
                if !bounds.is_empty() {
                    s = format!("{s}: {}", self.bounds(bounds));
                }
                if let Some(d) = default {
                    s = format!("{s} = {}", self.ty(d));
                }
                s
            }
            GenericParamDefKind::Const { type_, default } => {
                let default = default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
                format!("const {}: {}{default}", p.name, self.ty(type_))
            }
        })
    }

    /// `<T: Bound>` of an item, or nothing.
    pub fn generic_params(&self, g: &Generics) -> String {
        let params = self.params(&g.params);
        if params.is_empty() { String::new() } else { format!("<{params}>") }
    }

    /// ` where T: Bound` of an item, or nothing.
    pub fn where_clause(&self, g: &Generics) -> String {
        let preds: Vec<String> = g
            .where_predicates
            .iter()
            .map(|w| match w {
                WherePredicate::BoundPredicate { type_, bounds, generic_params } => {
                    format!("{}{}: {}", self.hrtb(generic_params), self.ty(type_), self.bounds(bounds))
                }
                WherePredicate::LifetimePredicate { lifetime, outlives } => format!("{lifetime}: {}", outlives.join(" + ")),
                WherePredicate::EqPredicate { lhs, rhs } => format!("{} == {}", self.ty(lhs), self.term(rhs)),
            })
            .collect();
        if preds.is_empty() { String::new() } else { format!(" where {}", preds.join(", ")) }
    }

    /// `(&self, String) -> T`: argument types without their names (renaming an argument
    /// breaks no caller), `self` in its short forms.
    pub fn signature(&self, sig: &FunctionSignature, method: bool) -> String {
        let mut args: Vec<String> = sig
            .inputs
            .iter()
            .map(|(name, t)| if method && name == "self" { self.receiver(t) } else { self.ty(t) })
            .collect();
        if sig.is_c_variadic {
            args.push("...".to_owned());
        }
        let output = sig.output.as_ref().map(|o| format!(" -> {}", self.ty(o))).unwrap_or_default();
        format!("({}){output}", args.join(", "))
    }

    fn receiver(&self, t: &Type) -> String {
        match t {
            Type::Generic(s) if s == "Self" => "self".to_owned(),
            Type::BorrowedRef { lifetime, is_mutable, type_ } if matches!(&**type_, Type::Generic(s) if s == "Self") => {
                let lifetime = lifetime.as_ref().map(|l| format!("{l} ")).unwrap_or_default();
                format!("&{lifetime}{}self", if *is_mutable { "mut " } else { "" })
            }
            other => format!("self: {}", self.ty(other)),
        }
    }
}

/// `const async unsafe extern "C" ` qualifiers of a function, each followed by a space.
pub fn header(h: &FunctionHeader) -> String {
    let mut out = String::new();
    if h.is_const {
        out.push_str("const ");
    }
    if h.is_async {
        out.push_str("async ");
    }
    if h.is_unsafe {
        out.push_str("unsafe ");
    }
    if !matches!(h.abi, rustdoc_types::Abi::Rust) {
        out.push_str(&format!("extern {:?} ", h.abi));
    }
    out
}
