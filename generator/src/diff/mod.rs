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

pub mod compare;
pub mod corrections;
pub mod difference;
pub mod document;
pub mod facts;
pub mod finish;
pub mod node;
pub mod ours;
pub mod published;
pub mod report;
pub mod schema;

use crate::error::Error;
use document::{ErrorSource, extract};
use node::Node;
use report::{Report, Subjects};
use std::path::{Path, PathBuf};

/// What to compare.
#[derive(Clone, Debug)]
pub struct Options {
    /// The published description (JSON or YAML).
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

/// Compare and report; an `Err` is a usage or input problem (exit code 2).
pub fn run(options: &Options) -> Result<Report, Error> {
    let doc = published::read(&options.published)?;
    let spec_dir = match &options.spec {
        Some(dir) => dir.clone(),
        None => options.spec_root.join(published::version(&options.published, &doc)?.folder()),
    };
    let corrections_file = match &options.corrections {
        Some(file) => Some(file.clone()),
        None => Some(default_corrections(&spec_dir)).filter(|f| f.is_file()),
    };
    let corrections = corrections_file.as_deref().map(corrections::load).transpose()?.unwrap_or_default();
    let (ours, envelope) = ours::spec_facts(&spec_dir)?;
    let root = Node::root(&doc, &options.published);
    let theirs = finish::finish(extract(&root, ErrorSource::Responses, envelope.as_ref())?, envelope.as_ref());
    let differences = compare::compare(&theirs, &ours);
    let subjects = Subjects {
        published: options.published.display().to_string(),
        spec: spec_dir.display().to_string(),
        corrections: corrections_file.map(|f| f.display().to_string()),
        published_operations: theirs.operations.len(),
        published_schemas: theirs.schemas.len(),
    };
    Ok(Report::new(subjects, differences, corrections))
}
