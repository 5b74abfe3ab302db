//! Load stage: read every YAML/JSON file of one API folder (`spec/v2/`), parse each into
//! `openapiv3`, and merge them into one document that remembers which file each part
//! came from.

pub mod extensions;
mod merge;
mod parse;

pub use merge::{LoadedApi, Sources};

use crate::error::{Error, SpecError};
use std::path::{Path, PathBuf};

/// Load every API under `spec_dir`: each sub-folder (`v1`, `v2`) is one API, named after it.
pub fn load_spec_dir(spec_dir: &Path) -> Result<Vec<LoadedApi>, Error> {
    let mut apis = Vec::new();
    for dir in sorted_entries(spec_dir)?.into_iter().filter(|p| p.is_dir()) {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        apis.push(load_api(&name, &dir)?);
    }
    if apis.is_empty() {
        return Err(SpecError {
            file: spec_dir.to_path_buf(),
            location: "#".into(),
            message: "no API folders found (expected sub-folders such as v2/ holding *.yaml files)".into(),
        }
        .into());
    }
    Ok(apis)
}

/// Load one API from the spec files in `dir`, merged in file-name order.
pub fn load_api(name: &str, dir: &Path) -> Result<LoadedApi, Error> {
    let files: Vec<PathBuf> = sorted_entries(dir)?
        .into_iter()
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    let mut texts = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
        texts.push((file, text));
    }
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (file, result) in parse_all(texts) {
        match result {
            Ok(doc) => parsed.push((file, doc)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    merge::merge(name, dir, parsed).map_err(Error::from)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    for entry in read {
        out.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    out.sort();
    Ok(out)
}

/// Parse files on every core (`parallel.rs`); results keep the input order.
fn parse_all(texts: Vec<(PathBuf, String)>) -> Vec<(PathBuf, Result<openapiv3::OpenAPI, SpecError>)> {
    let parsed = crate::parallel::map_in_order(&texts, |(file, text)| parse::parse_document(file, text));
    texts
        .into_iter()
        .zip(parsed)
        .map(|((file, _), result)| {
            let result = result.unwrap_or_else(|| {
                Err(SpecError { file: file.clone(), location: "#".into(), message: "the parser panicked".into() })
            });
            (file, result)
        })
        .collect()
}
