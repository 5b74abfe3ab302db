//! Merge the files of one API into a single document, keeping track of which file
//! defined each path and schema so later errors can name it.

use crate::error::{Pointer, SpecError};
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file that holds what belongs to the API as a whole (info, servers, extensions).
pub const ROOT_FILE: &str = "openapi.yaml";

/// One API's spec, merged from its files.
#[derive(Debug)]
pub struct LoadedApi {
    /// Folder name, which becomes the SDK module (`v2`).
    pub name: String,
    /// The merged document.
    pub doc: OpenAPI,
    /// Which file defined what.
    pub sources: Sources,
}

/// Which file each part of a merged document came from.
#[derive(Debug, Default)]
pub struct Sources {
    root: PathBuf,
    paths: BTreeMap<String, PathBuf>,
    schemas: BTreeMap<String, PathBuf>,
}

impl Sources {
    /// The root file (`openapi.yaml`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file that defines a path (its first definition, when methods are spread out).
    pub fn path_file(&self, path: &str) -> &Path {
        self.paths.get(path).map(PathBuf::as_path).unwrap_or(&self.root)
    }

    /// The file that defines a component schema.
    pub fn schema_file(&self, name: &str) -> &Path {
        self.schemas.get(name).map(PathBuf::as_path).unwrap_or(&self.root)
    }
}

/// Merge parsed files (sorted by name) into one document.
pub fn merge(name: &str, dir: &Path, files: Vec<(PathBuf, OpenAPI)>) -> Result<LoadedApi, Vec<SpecError>> {
    let mut errors = Vec::new();
    let Some(root_index) = files.iter().position(|(p, _)| p.file_name().is_some_and(|n| n == ROOT_FILE)) else {
        return Err(vec![SpecError {
            file: dir.join(ROOT_FILE),
            location: "#".into(),
            message: format!(
                "missing: every API folder needs a {ROOT_FILE} with info, servers and the API's extensions"
            ),
        }]);
    };
    let mut files = files;
    let (root_path, mut merged) = files.remove(root_index);
    let mut sources = Sources { root: root_path.clone(), ..Sources::default() };
    let root_server = merged.servers.first().map(|s| s.url.clone());
    // The root's own paths and schemas count like any other file's.
    let root_paths = std::mem::take(&mut merged.paths.paths);
    let root_schemas = merged.components.as_mut().map(|c| std::mem::take(&mut c.schemas)).unwrap_or_default();
    let mut all = vec![(root_path.clone(), root_paths, root_schemas, Vec::new())];
    for (path, mut doc) in files {
        let server = doc.servers.first().map(|s| s.url.clone());
        if server != root_server {
            errors.push(SpecError::at(
                &path,
                &Pointer::root().join("servers"),
                format!(
                    "server {:?} differs from {:?} in {}",
                    server.unwrap_or_default(),
                    root_server.clone().unwrap_or_default(),
                    root_path.display()
                ),
            ));
        }
        let schemes = doc.components.as_mut().map(|c| std::mem::take(&mut c.security_schemes)).unwrap_or_default();
        let schemas = doc.components.as_mut().map(|c| std::mem::take(&mut c.schemas)).unwrap_or_default();
        all.push((path, doc.paths.paths, schemas, schemes.into_iter().collect()));
    }

    let components = merged.components.get_or_insert_with(Default::default);
    let root_schemes: Vec<String> = components.security_schemes.keys().cloned().collect();
    for (file, paths, schemas, schemes) in all {
        for (path, item) in paths {
            let pointer = Pointer::root().join("paths").join(&path);
            let ReferenceOr::Item(item) = item else {
                errors.push(SpecError::at(
                    &file,
                    &pointer,
                    "a $ref to a path item is not supported; write the operations here",
                ));
                continue;
            };
            match merged.paths.paths.get_mut(&path) {
                None => {
                    sources.paths.insert(path.clone(), file.clone());
                    merged.paths.paths.insert(path, ReferenceOr::Item(item));
                }
                Some(ReferenceOr::Item(existing)) => {
                    let first = sources.path_file(&path).to_path_buf();
                    merge_path_item(existing, item, |method| {
                        errors.push(SpecError::at(
                            &file,
                            &pointer.join(method),
                            format!(
                                "operation {} {path} is also defined in {}",
                                method.to_uppercase(),
                                first.display()
                            ),
                        ))
                    });
                }
                Some(ReferenceOr::Reference { .. }) => {}
            }
        }
        for (schema, body) in schemas {
            if let Some(first) = sources.schemas.get(&schema) {
                errors.push(SpecError::at(
                    &file,
                    &Pointer::schema(&schema),
                    format!("schema {schema} is also defined in {}", first.display()),
                ));
                continue;
            }
            sources.schemas.insert(schema.clone(), file.clone());
            components.schemas.insert(schema, body);
        }
        merge_schemes(&file, schemes, &root_schemes, components, &root_path, &mut errors);
    }
    // Deterministic order regardless of which file defined what.
    merged.paths.paths.sort_keys();
    components.schemas.sort_keys();
    if errors.is_empty() { Ok(LoadedApi { name: name.to_string(), doc: merged, sources }) } else { Err(errors) }
}

/// Add a file's security schemes: a copy of a root scheme must agree with it, any other
/// may be defined once.
fn merge_schemes(
    file: &Path,
    schemes: Vec<(String, ReferenceOr<SecurityScheme>)>,
    root_schemes: &[String],
    components: &mut openapiv3::Components,
    root_path: &Path,
    errors: &mut Vec<SpecError>,
) {
    for (scheme, body) in schemes {
        let pointer = Pointer::root().join("components").join("securitySchemes").join(&scheme);
        // A copy of a root scheme is how a file that is a complete document (PortOne's
        // published one) names the schemes its operations use.
        if root_schemes.contains(&scheme) {
            if let Some(ours) = components.security_schemes.get(&scheme) {
                if !same_scheme(ours, &body) {
                    let message = format!(
                        "security scheme {scheme} differs from the one in {} (only descriptions and the case of \
                         an http scheme may differ); make the two agree",
                        root_path.display()
                    );
                    errors.push(SpecError::at(file, &pointer, message));
                }
                continue;
            }
        }
        if components.security_schemes.contains_key(&scheme) {
            errors.push(SpecError::at(file, &pointer, format!("security scheme {scheme} is defined twice")));
            continue;
        }
        components.security_schemes.insert(scheme, body);
    }
}

/// Whether a file's copy of a root security scheme says what the root's says: the same
/// but for descriptions and the case of an `http` scheme's name (which HTTP compares
/// without case).
fn same_scheme(root: &ReferenceOr<SecurityScheme>, copy: &ReferenceOr<SecurityScheme>) -> bool {
    fn essence(s: &ReferenceOr<SecurityScheme>) -> Option<serde_json::Value> {
        let mut s = s.clone();
        if let ReferenceOr::Item(item) = &mut s {
            match item {
                SecurityScheme::HTTP { scheme, description, .. } => {
                    *scheme = scheme.to_lowercase();
                    *description = None;
                }
                SecurityScheme::APIKey { description, .. }
                | SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => *description = None,
            }
        }
        serde_json::to_value(s).ok()
    }
    essence(root).is_some() && essence(root) == essence(copy)
}

fn merge_path_item(into: &mut openapiv3::PathItem, from: openapiv3::PathItem, mut duplicate: impl FnMut(&str)) {
    let slots = [
        ("get", &mut into.get, from.get),
        ("put", &mut into.put, from.put),
        ("post", &mut into.post, from.post),
        ("delete", &mut into.delete, from.delete),
        ("patch", &mut into.patch, from.patch),
        ("head", &mut into.head, from.head),
        ("options", &mut into.options, from.options),
        ("trace", &mut into.trace, from.trace),
    ];
    for (method, slot, op) in slots {
        if let Some(op) = op {
            if slot.is_some() {
                duplicate(method);
            } else {
                *slot = Some(op);
            }
        }
    }
    into.parameters.extend(from.parameters);
}
