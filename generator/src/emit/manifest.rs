//! The SDK's `Cargo.toml`: the template `templates/Cargo.toml.in` (package, fixed
//! features, dependencies taken from the workspace's manifest) with the API features put
//! in place of its marker line.

use crate::error::Error;
use crate::model::Api;
use crate::write::FileSet;

/// The Cargo.toml template's marker line that the API features replace. Words after it
/// name features of the template itself that `default` also enables (`rustls`).
const FEATURES_MARKER: &str = "# @api-features";

/// Put one feature per top-level category of every API in place of the marker, and
/// `default`: the APIs' default features and the ones the marker line names.
pub fn place_features(files: &mut FileSet, apis: &[Api]) -> Result<(), Error> {
    let mut features: Vec<String> = apis
        .iter()
        .flat_map(|a| a.operations.iter().filter_map(|o| o.feature.clone()).chain(a.feature.clone()))
        .collect();
    features.sort();
    features.dedup();
    let manifest = files.text("Cargo.toml").unwrap_or_default().to_string();
    let Some(marker) = manifest.lines().find(|l| l.starts_with(FEATURES_MARKER)).map(str::to_string) else {
        return Err(Error::Emit {
            file: "Cargo.toml".into(),
            message: format!("templates/Cargo.toml.in lacks the line `{FEATURES_MARKER}` where the API features go"),
        });
    };
    let template_defaults = marker[FEATURES_MARKER.len()..].split_whitespace().map(|f| format!("{f:?}"));
    let mut defaults: Vec<String> =
        apis.iter().flat_map(|a| a.default_features.iter().map(|f| format!("{f:?}"))).collect();
    defaults.sort();
    defaults.dedup();
    let defaults: Vec<String> = template_defaults.chain(defaults).collect();
    let mut lines = vec![format!("default = [{}]", defaults.join(", "))];
    lines.extend(features.iter().map(|f| format!("{f} = []")));
    let all: Vec<String> = features.iter().chain(["unstable".to_string()].iter()).map(|f| format!("{f:?}")).collect();
    lines.push("# Both serde traits on every type (by default, types sent in requests only implement".into());
    lines.push("# Serialize and types received in responses only Deserialize).".into());
    lines.push("serde-all = []".into());
    lines.push("# Everything: every category and the unstable operations.".into());
    lines.push(format!("full = [{}]", all.join(", ")));
    files.insert("Cargo.toml", manifest.replace(&marker, &lines.join("\n")));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_names_template_features_that_default_enables() {
        let mut files = FileSet::default();
        files.insert("Cargo.toml", "[features]\ntls = []\n# @api-features tls other\n\n[dependencies]\n");
        place_features(&mut files, &[]).expect("marker present");
        let manifest = files.text("Cargo.toml").expect("manifest");
        assert!(manifest.contains("\ndefault = [\"tls\", \"other\"]\n"), "{manifest}");
        assert!(!manifest.contains("@api-features"), "{manifest}");

        let mut files = FileSet::default();
        files.insert("Cargo.toml", "[features]\n");
        assert!(place_features(&mut files, &[]).is_err());
    }
}
