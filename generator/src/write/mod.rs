//! Write stage: the generated crate as a set of files in memory, written by replacing
//! the output folder in one step, or compared with it for `--check`.

use crate::error::Error;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Generated files by path relative to the output folder (`/`-separated), sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, Vec<u8>>,
}

impl FileSet {
    /// Add a file; a second file at the same path replaces the first.
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }

    /// The contents of one file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The contents of one file as text.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// All files, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_slice()))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// No files at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Replace `out` with exactly `files`. Everything is written to a sibling folder first
/// and swapped in by renames, so a failure leaves `out` as it was.
pub fn replace_dir(out: &Path, files: &FileSet) -> Result<(), Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = write_all(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_previous = out.exists();
    if had_previous {
        if let Err(e) = std::fs::rename(out, &previous) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::io(out, e));
        }
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_previous {
            let _ = std::fs::rename(&previous, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Error::io(out, e));
    }
    if had_previous {
        std::fs::remove_dir_all(&previous).map_err(|e| Error::io(&previous, e))?;
    }
    Ok(())
}

fn write_all(root: &Path, files: &FileSet) -> Result<(), Error> {
    for (rel, contents) in files.iter() {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&path, contents).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// How a file on disk differs from what the spec generates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// Present with other contents.
    Stale(String),
    /// Generated but not on disk.
    Missing(String),
    /// On disk but not generated.
    Extra(String),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Stale(p) => write!(f, "stale:   {p}"),
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// Compare `out` with `files`; an empty list means up to date.
pub fn check(out: &Path, files: &FileSet) -> Result<Vec<Drift>, Error> {
    let mut on_disk = BTreeMap::new();
    if out.exists() {
        read_tree(out, out, &mut on_disk)?;
    }
    let mut drift = Vec::new();
    for (rel, contents) in files.iter() {
        match on_disk.remove(rel) {
            None => drift.push(Drift::Missing(rel.to_string())),
            Some(existing) if existing != contents => drift.push(Drift::Stale(rel.to_string())),
            Some(_) => {}
        }
    }
    drift.extend(on_disk.into_keys().map(Drift::Extra));
    drift.sort();
    Ok(drift)
}

fn read_tree(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            read_tree(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let contents = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            out.insert(rel, contents);
        }
    }
    Ok(())
}
