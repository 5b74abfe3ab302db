//! Refreshing the stored facts (`upstream/v1.facts.json`, `upstream/v2.facts.json`)
//! from a published description: read its facts as `spec-diff` does, write them with
//! where they came from, and check that both give the same report.

use super::stored::{FORMAT, Source, StoredFacts};
use super::{Options, Published, ours, run, spec_dir};
use crate::error::{Error, SpecError};
use std::path::{Path, PathBuf};

/// Where a published description came from, as the maintainer's command knows it.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    pub url: String,
    pub repository: Option<String>,
    pub path: Option<String>,
    pub commit: Option<String>,
    pub committed: Option<String>,
    pub fetched: String,
}

/// What a refresh did.
#[derive(Debug)]
pub struct Refreshed {
    /// The report of `spec/` against the published file (the same as against the facts).
    pub report: super::report::Report,
    /// The facts file written.
    pub file: PathBuf,
    pub facts: StoredFacts,
}

/// The facts of a published description, ready to be stored.
pub fn stored_facts(options: &Options, provenance: Provenance) -> Result<StoredFacts, Error> {
    let file = &options.published;
    let published = Published::read(file)?;
    if published.is_stored() {
        return Err(SpecError::at(
            file,
            &crate::error::Pointer::root(),
            "already stored facts: give the published description",
        )
        .into());
    }
    let version = published.version.clone()?;
    let (_, envelope) = ours::spec_facts(&spec_dir(options, &published)?)?;
    let facts = published.facts(file, envelope.as_ref())?;
    let Provenance { url, repository, path, commit, committed, fetched } = provenance;
    let source = Source { url, repository, path, commit, committed, fetched, sha256: published.sha256 };
    Ok(StoredFacts { format: FORMAT.into(), api: version.folder().into(), source, envelope, facts })
}

/// Write the facts of `options.published` into `out_dir/<api>.facts.json`, then compare
/// `spec/` with both: the reports (text and JSON) must be the same bytes.
pub fn refresh(options: &Options, provenance: Provenance, out_dir: &Path) -> Result<Refreshed, Error> {
    let facts = stored_facts(options, provenance)?;
    let report = run(options)?;
    std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    let file = out_dir.join(format!("{}.facts.json", facts.api));
    // Written beside the old file and put in its place only once its report is the same.
    let fresh = out_dir.join(format!(".{}.facts.json.new", facts.api));
    std::fs::write(&fresh, facts.to_text()).map_err(|e| Error::io(&fresh, e))?;
    let again = run(&Options { published: fresh.clone(), ..options.clone() });
    let same = again.as_ref().is_ok_and(|a| a.to_text() == report.to_text() && a.to_json() == report.to_json());
    if !same {
        let _ = std::fs::remove_file(&fresh);
        let message = "the stored facts give another report than the published file: this is a bug of spec-diff";
        return Err(SpecError::at(&file, &crate::error::Pointer::root(), message).into());
    }
    std::fs::rename(&fresh, &file).map_err(|e| Error::io(&file, e))?;
    Ok(Refreshed { report, file, facts })
}
