//! The fixture pairs of `tests/fixtures/regeneration/`, and generating a pair's two SDKs
//! the way a maintainer regenerates: the new spec with the lock the old one left.
//!
//! Every pair's old spec is `base/`; its new spec is a folder of its own:
//! `additive/<kind>/` for changes a dependent must survive (PortOne adds or relaxes
//! something), `breaking/<kind>/` for changes the semver gate must call breaking. The
//! dependent crate `dependent.rs` is written against the SDK of `base/`.
//!
//! `regeneration.rs` checks the additive pairs, `semver_gate.rs` the breaking ones; both
//! generate them with [`generate`] and build them in one [`Scratch`] workspace.

#![allow(dead_code)] // Each test target uses the part it needs.

use std::path::{Path, PathBuf};

/// The folder of the fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regeneration")
}

/// What a pair's change must be for dependents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Code written against the old SDK compiles against the new one.
    Compatible,
    /// The semver gate reports a breaking change.
    Breaking,
}

/// One pair: the old spec is `base/`, the new one `spec`.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The folder's name (`union_case`).
    pub name: String,
    /// The new spec folder (holding `v2/`).
    pub spec: PathBuf,
    /// What the change must be.
    pub expect: Expect,
}

/// Every pair, additive ones first, each group sorted by name.
pub fn pairs() -> Vec<Pair> {
    let mut out = Vec::new();
    for (group, expect) in [("additive", Expect::Compatible), ("breaking", Expect::Breaking)] {
        let Ok(entries) = std::fs::read_dir(fixtures().join(group)) else { continue };
        let mut found: Vec<Pair> = entries
            .map(|e| e.expect("fixture entry").path())
            .filter(|p| p.is_dir())
            .map(|spec| Pair { name: spec.file_name().expect("name").to_string_lossy().into_owned(), spec, expect })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(found);
    }
    out
}

/// Generate the SDK of `spec` into `out` as package `package`, reading the lock files
/// found in `locks` (none: a first generation), and return the locks it leaves.
pub fn generate_sdk(spec: &Path, locks: Option<&Path>, out: &Path, package: &str) -> PathBuf {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("root").join("templates");
    // The generator reads locks beside the API folders: copy the spec next to them.
    let staged = out.with_extension("spec");
    copy_dir(spec, &staged);
    if let Some(locks) = locks {
        copy_dir(locks, &staged);
    }
    let generated = portone_codegen::generate_into(&staged, &templates, out)
        .unwrap_or_else(|e| panic!("{} generates:\n{e}", spec.display()));
    let left = out.with_extension("locks");
    std::fs::create_dir_all(&left).expect("locks folder");
    portone_codegen::write_locks(&left, &generated).expect("locks written");
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    // The library is renamed too, so that rustdoc's JSON of each crate has a file of its own.
    let text = text
        .replacen("name = \"portone-sdk\"", &format!("name = \"{package}\""), 1)
        .replacen("name = \"portone_sdk\"", &format!("name = \"{}\"", package.replace('-', "_")), 1);
    std::fs::write(&manifest, text).expect("manifest");
    left
}

/// Generate `base/` into `dir/old` (package `regen-old`) and the pair's new spec into
/// `dir/<pair>` (package `regen-<pair>`) with the old lock; returns the two crate folders.
pub fn generate(pair: &Pair, dir: &Path) -> (PathBuf, PathBuf) {
    let old = dir.join("old");
    let locks = if old.join("Cargo.toml").exists() {
        old.with_extension("locks")
    } else {
        generate_sdk(&fixtures().join("base"), None, &old, "regen-old")
    };
    let new = dir.join(&pair.name);
    generate_sdk(&pair.spec, Some(&locks), &new, &format!("regen-{}", pair.name.replace('_', "-")));
    (old, new)
}

/// A cargo workspace in a temporary folder under the tests' target folder, built into
/// that target folder so the SDK's dependencies are compiled once for every such test.
pub struct Scratch {
    /// The workspace folder (removed when dropped).
    pub dir: tempfile::TempDir,
    /// The target folder the workspace builds into.
    pub target: PathBuf,
}

impl Scratch {
    /// An empty workspace folder named `<prefix>…`.
    pub fn new(prefix: &str) -> Self {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let target = tmp.parent().expect("the target folder holds tmp/").to_path_buf();
        let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(tmp).expect("temp dir");
        Scratch { dir, target }
    }

    /// Write the workspace manifest naming `members`, with the project's `Cargo.lock` so
    /// that nothing is resolved anew (the builds run `--offline`), and the project's
    /// shared package fields and dependency list, which generated manifests inherit
    /// (`workspace = true`), their paths made absolute.
    pub fn members(&self, members: &[String]) {
        let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("root");
        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n{}",
            list.join(", "),
            inherited_sections(root)
        );
        std::fs::write(self.dir.path().join("Cargo.toml"), manifest).expect("workspace manifest");
        std::fs::copy(root.join("Cargo.lock"), self.dir.path().join("Cargo.lock")).expect("lockfile");
        fetch_locked(root);
    }
}

/// Have every package of the project's lockfile in cargo's cache before an `--offline`
/// build. `cargo test` fetches only what the tests build, and a scratch build with every
/// feature (the semver gate's) needs more: `native-tls` and what it links, say. With
/// the cache full this reads nothing from the network.
fn fetch_locked(root: &Path) {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["fetch", "--locked", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo fetch fails:\n{}", String::from_utf8_lossy(&output.stderr));
}

/// The `[workspace.package]` and `[workspace.dependencies]` sections of the project's
/// manifest, with each `path = "…"` made absolute, for a workspace elsewhere.
fn inherited_sections(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).expect("the project's manifest");
    let mut out = String::new();
    let mut keep = false;
    for line in text.lines() {
        if line.starts_with('[') {
            keep = line == "[workspace.package]" || line == "[workspace.dependencies]";
        }
        if keep {
            let absolute = format!("path = \"{}/", root.display());
            out.push_str(&line.replace("path = \"", &absolute));
            out.push('\n');
        }
    }
    assert!(out.contains("portone-runtime"), "the project's manifest lists the runtime: {out}");
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copied");
        }
    }
}
