//! `spec-diff`: compare our spec folder with a description PortOne publishes, as facts
//! (operations, parameters, bodies, responses and error tags, schemas, fields, enum
//! values, union tags, unstable and deprecated marks), never prose.
//!
//! Both sides are reduced to [`facts::Facts`] (`document.rs` reads Swagger 2.0 and
//! OpenAPI 3 alike, `finish.rs` resolves what needs every schema), compared
//! (`compare.rs`), and the differences matched against the API's documented corrections
//! (`corrections.rs`) into a [`report::Report`]. Normalisation covers what a faithful
//! conversion changes: path parameter names, form parameters turned into a JSON body,
//! response envelopes written inline or named, inline enums and objects given a name.
//!
//! The published side may be the description itself or its facts stored in the
//! repository (`stored.rs`); the report names it by the published file's SHA-256, so
//! both give the same bytes.

pub mod changelog;
pub mod compare;
pub mod corrections;
pub mod difference;
pub mod document;
pub mod facts;
pub mod finish;
pub mod impact;
pub mod node;
pub mod ours;
pub mod published;
pub mod report;
pub mod schema;
pub mod stored;
pub mod upstream;
pub mod v1_dialect;

use crate::error::{Error, SpecError};
use document::{Envelope, ErrorSource, extract};
use facts::Facts;
use node::Node;
use published::Version;
use report::{Report, Subjects};
use std::path::{Path, PathBuf};
use stored::StoredFacts;

/// What to compare.
#[derive(Clone, Debug)]
pub struct Options {
    /// The published description (JSON or YAML), or its stored facts (`upstream/v2.facts.json`).
    pub published: PathBuf,
    /// Our API folder; by default `<spec_root>/v1` or `/v2` after the published version.
    pub spec: Option<PathBuf>,
    /// The folder holding the API folders, for the default above (`spec`).
    pub spec_root: PathBuf,
    /// The corrections list; by default `<spec folder>.corrections.yaml` when it exists.
    pub corrections: Option<PathBuf>,
}

/// The corrections file that goes with an API folder: `spec/v2` → `spec/v2.corrections.yaml`.
pub fn default_corrections(spec: &Path) -> PathBuf {
    let mut name = spec.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".corrections.yaml");
    spec.with_file_name(name)
}

/// One side read for comparison: a published description, or its stored facts.
pub struct Published {
    pub version: Result<Version, SpecError>,
    /// SHA-256 of the published file (the one the facts were read from, for stored facts).
    pub sha256: String,
    kind: PublishedKind,
}

enum PublishedKind {
    Description(serde_json::Value),
    Stored(Box<StoredFacts>),
}

impl Published {
    /// Read a published description or a stored facts file.
    pub fn read(file: &Path) -> Result<Self, Error> {
        let (doc, sha256) = published::read(file)?;
        if stored::is_stored(&doc) {
            let facts = stored::decode(file, &doc)?;
            return Ok(Published {
                version: facts.version(file),
                sha256: facts.source.sha256.clone(),
                kind: PublishedKind::Stored(Box::new(facts)),
            });
        }
        Ok(Published { version: published::version(file, &doc), sha256, kind: PublishedKind::Description(doc) })
    }

    /// Whether this is a stored facts file.
    pub fn is_stored(&self) -> bool {
        matches!(self.kind, PublishedKind::Stored(_))
    }

    /// Its facts, read with our spec's response envelope.
    pub fn facts(&self, file: &Path, envelope: Option<&Envelope>) -> Result<Facts, SpecError> {
        match &self.kind {
            PublishedKind::Description(doc) => {
                let root = Node::root(doc, file);
                Ok(finish::finish(extract(&root, ErrorSource::Responses, envelope)?, envelope))
            }
            PublishedKind::Stored(stored) if stored.envelope.as_ref() == envelope => Ok(stored.facts.clone()),
            PublishedKind::Stored(_) => Err(SpecError {
                file: file.to_path_buf(),
                location: "#/envelope".into(),
                message: "these facts were read with another response envelope than our spec declares now: \
                          refresh them from the published description (`cargo xtask upstream refresh`)"
                    .into(),
            }),
        }
    }
}

/// Our API folder for `options`: the one named, else the published version's.
pub fn spec_dir(options: &Options, published: &Published) -> Result<PathBuf, Error> {
    match &options.spec {
        Some(dir) => Ok(dir.clone()),
        None => Ok(options.spec_root.join(published.version.clone()?.folder())),
    }
}

/// Compare and report; an `Err` is a usage or input problem (exit code 2).
pub fn run(options: &Options) -> Result<Report, Error> {
    let published = Published::read(&options.published)?;
    let spec_dir = spec_dir(options, &published)?;
    let corrections_file = match &options.corrections {
        Some(file) => Some(file.clone()),
        None => Some(default_corrections(&spec_dir)).filter(|f| f.is_file()),
    };
    let corrections = corrections_file.as_deref().map(corrections::load).transpose()?.unwrap_or_default();
    let (ours, envelope) = ours::spec_facts(&spec_dir)?;
    let theirs = published.facts(&options.published, envelope.as_ref())?;
    let differences = compare::compare(&theirs, &ours);
    let subjects = Subjects {
        published: format!("sha256:{}", published.sha256),
        spec: spec_dir.display().to_string(),
        corrections: corrections_file.map(|f| f.display().to_string()),
        published_operations: theirs.operations.len(),
        published_schemas: theirs.schemas.len(),
    };
    Ok(Report::new(subjects, differences, corrections))
}
