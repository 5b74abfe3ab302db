//! `portone-codegen spec-diff` on the fixture pairs in `tests/fixtures/spec_diff/<case>/`
//! (a published description, our spec folder, maybe a corrections list, the expected
//! report), on the facts of PortOne's published descriptions stored in `upstream/`, and
//! on `upstream-facts`, which stores such facts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ has a parent").to_path_buf()
}

fn fixture(case: &str) -> PathBuf {
    project_root().join("tests/fixtures/spec_diff").join(case)
}

fn spec_diff(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portone-codegen"))
        .current_dir(dir)
        .arg("spec-diff")
        .args(args)
        .output()
        .expect("the generator runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run a case and check its whole report against `expected.txt` and its exit code.
fn check_case(case: &str, exit: i32) {
    let dir = fixture(case);
    let out = spec_diff(&dir, &["published.json", "--spec", "spec"]);
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    assert_eq!(text(&out.stdout), expected, "{case}: report differs (stderr: {})", text(&out.stderr));
    assert_eq!(out.status.code(), Some(exit), "{case}: exit code");
}

#[test]
fn missing_operation() {
    check_case("missing_operation", 1);
}

#[test]
fn extra_operation() {
    check_case("extra_operation", 1);
}

#[test]
fn parameter_required_type_missing_extra() {
    check_case("parameter_differs", 1);
}

#[test]
fn body_field_and_body_schema_differ() {
    check_case("body_differs", 1);
}

#[test]
fn response_type_and_error_tags_differ() {
    check_case("response_error_differs", 1);
}

#[test]
fn schema_field_type_format_required_nullable_ref_items() {
    check_case("schema_field_differs", 1);
}

#[test]
fn enum_value_missing_and_extra() {
    check_case("enum_values_differ", 1);
}

#[test]
fn union_tag_mapping_and_property_differ() {
    check_case("union_differs", 1);
}

#[test]
fn unstable_and_deprecated_marks_differ() {
    check_case("marks_differ", 1);
}

/// Breaking or additive by the data's side: a new required field or a relaxed one
/// breaks in a response or a request respectively, and not the other way round.
#[test]
fn impact_depends_on_request_or_response() {
    check_case("impact_by_side", 1);
}

#[test]
fn documented_correction_is_honoured() {
    check_case("correction_honoured", 0);
}

#[test]
fn stale_correction_fails() {
    check_case("stale_correction", 1);
}

#[test]
fn swagger2_faithful_conversion_has_no_difference() {
    check_case("swagger2_faithful", 0);
}

#[test]
fn swagger2_form_field_compared_with_json_body() {
    check_case("swagger2_form_field_differs", 1);
}

#[test]
fn published_yaml_reads_like_json() {
    let dir = fixture("yaml_published");
    let out = spec_diff(&dir, &["published.yaml", "--spec", "../extra_operation/spec"]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("== extra in spec (1)"), "{report}");
    assert!(report.contains("  [breaking] operation: operation POST /items (createItem)\n"), "{report}");
    let summary = "summary: 0 missing, 1 extra, 0 differ, 0 documented, 0 stale corrections; 1 breaking, 0 additive";
    assert!(report.ends_with(&format!("{summary} (published: operations 1, schemas 0)\n")), "{report}");
}

#[test]
fn malformed_published_file_names_file_and_pointer() {
    let out = spec_diff(&fixture("bad_published"), &["published.json", "--spec", "spec"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("published.json: #/paths/~1items/get/deprecated: expected true or false"), "{err}");
}

#[test]
fn malformed_corrections_entry_names_file_and_pointer() {
    let out = spec_diff(&fixture("bad_corrections"), &["published.json", "--spec", "spec"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("spec.corrections.yaml: #/corrections/0: unknown key `schemas`"), "{err}");
}

#[test]
fn unreadable_and_missing_inputs_are_usage_errors() {
    let dir = fixture("missing_operation");
    assert_eq!(spec_diff(&dir, &[]).status.code(), Some(2));
    let out = spec_diff(&dir, &["no-such-file.json", "--spec", "spec"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-file.json"));
    let out = spec_diff(&dir, &["published.json", "--spec", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-folder"));
}

#[test]
fn json_report_has_the_same_groups_and_counts() {
    let dir = fixture("response_error_differs");
    let out = spec_diff(&dir, &["published.json", "--spec", "spec", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let summary = &report["summary"];
    assert_eq!(
        (summary["missing"].as_u64(), summary["extra"].as_u64(), summary["differs"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(report["missing"].as_array().map(Vec::len), Some(3));
    let error_tag = &report["missing"][0];
    assert_eq!(error_tag["kind"], "error");
    assert_eq!(error_tag["change"], "missing");
    assert_eq!(error_tag["location"]["operation"], "GET /items/{id}");
    assert_eq!(error_tag["location"]["tag"], "NOT_FOUND");
    assert_eq!(error_tag["impact"], "additive");
    assert_eq!(report["extra"][0]["impact"], "breaking");
    assert_eq!((summary["breaking"].as_u64(), summary["additive"].as_u64()), (Some(3), Some(3)));
    let differs = &report["differs"][0];
    assert_eq!((differs["published"].as_str(), differs["spec"].as_str()), (Some("Item"), Some("ItemList")));
}

#[test]
fn json_report_lists_stale_corrections_with_their_pointer() {
    let out = spec_diff(&fixture("stale_correction"), &["published.json", "--spec", "spec", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["summary"]["stale"], 1);
    let stale = &report["stale"][0];
    assert_eq!(stale["match"], serde_json::json!({"schema": "Annotation", "field": "amount"}));
    assert_eq!(stale["pointer"], "#/corrections/0");
}

#[test]
fn corrections_lists_are_not_read_by_the_generator() {
    let apis = portone_codegen::load::load_spec_dir(&project_root().join("spec")).expect("spec/ loads");
    let names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["v1", "v2"]);
}

/// The current spec against the stored facts of PortOne's published descriptions
/// (`upstream/`): nothing undocumented differs.
#[test]
fn current_spec_matches_the_stored_upstream_facts() {
    let root = project_root();
    // No file: both APIs, each against upstream/<api>.facts.json.
    let out = spec_diff(&root, &[]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}{}", text(&out.stderr));
    let heads: Vec<&str> = report.lines().filter(|l| l.starts_with("spec-diff: ")).collect();
    assert_eq!(heads.len(), 2, "{report}");
    assert!(heads[0].starts_with("spec-diff: spec/v1 against published sha256:"), "{report}");
    assert!(heads[1].starts_with("spec-diff: spec/v2 against published sha256:"), "{report}");
    for summary in report.lines().filter(|l| l.starts_with("summary: ")) {
        assert!(summary.starts_with("summary: 0 missing, 0 extra, 0 differ, "), "{summary}");
        assert!(summary.contains(" 0 stale corrections; 0 breaking, 0 additive"), "{summary}");
    }
    // The same run twice prints the same bytes.
    assert_eq!(spec_diff(&root, &[]).stdout, out.stdout);
}

/// The stored facts files are exactly what the facts writer writes (no hand edits, a
/// fixed order) and record where the published file came from and its hash.
#[test]
fn stored_upstream_facts_are_canonical_and_say_where_they_come_from() {
    let root = project_root();
    for api in ["v1", "v2"] {
        let file = root.join(format!("upstream/{api}.facts.json"));
        let text = std::fs::read_to_string(&file).expect("stored facts");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let stored = portone_codegen::diff::stored::decode(&file, &value).expect("decodes");
        assert_eq!(stored.to_text(), text, "{api}: not as the writer writes it");
        assert_eq!(stored.api, api);
        let source = &stored.source;
        assert_eq!(source.repository.as_deref(), Some("portone-io/developers.portone.io"));
        assert_eq!(source.path.as_deref(), Some(format!("src/schema/{api}.openapi.json").as_str()));
        assert_eq!(source.sha256.len(), 64);
        assert!(source.sha256.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(source.fetched.len(), 10, "YYYY-MM-DD");
        // No prose of PortOne's (written in Korean): no Hangul, no extension copied.
        assert!(!text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "{api}: Korean text");
        assert!(!text.contains("x-portone-"), "{api}: an extension copied");
    }
}

/// For every fixture, the facts the writer stores give the very report (text and JSON)
/// that the published file gives.
#[test]
fn stored_facts_report_is_byte_identical_to_the_published_files() {
    let temp = std::env::temp_dir().join(format!("portone-facts-{}", std::process::id()));
    let mut compared = 0;
    for entry in std::fs::read_dir(project_root().join("tests/fixtures/spec_diff")).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if !dir.join("expected.txt").is_file() {
            continue;
        }
        let out_dir = temp.join(dir.file_name().expect("name"));
        let out = Command::new(env!("CARGO_BIN_EXE_portone-codegen"))
            .current_dir(&dir)
            .args(["upstream-facts", "published.json", "--spec", "spec", "--fetched", "2026-01-02", "--out-dir"])
            .arg(&out_dir)
            .output()
            .expect("the generator runs");
        assert_eq!(out.status.code(), Some(0), "{}: {}", dir.display(), text(&out.stderr));
        let written = std::fs::read_dir(&out_dir).expect("written").next().expect("one file").expect("entry").path();
        for json in [false, true] {
            let mut args = vec!["--spec", "spec"];
            if json {
                args.push("--json");
            }
            let published = spec_diff(&dir, &[&["published.json"], args.as_slice()].concat());
            let facts = spec_diff(&dir, &[&[written.to_str().expect("UTF-8")], args.as_slice()].concat());
            assert_eq!(text(&facts.stdout), text(&published.stdout), "{}", dir.display());
            assert_eq!(facts.status.code(), published.status.code());
        }
        compared += 1;
    }
    let _ = std::fs::remove_dir_all(&temp);
    assert!(compared >= 10, "only {compared} fixtures");
}

/// The writer refuses stored facts as input, and facts read with another response
/// envelope than our spec declares are refused, not compared wrongly.
#[test]
fn facts_of_facts_and_facts_of_another_envelope_are_refused() {
    let dir = fixture("swagger2_faithful");
    let temp = std::env::temp_dir().join(format!("portone-facts-env-{}", std::process::id()));
    let write = |published: &Path| {
        Command::new(env!("CARGO_BIN_EXE_portone-codegen"))
            .current_dir(&dir)
            .args(["upstream-facts", "--spec", "spec", "--fetched", "2026-01-02", "--out-dir"])
            .arg(&temp)
            .arg(published)
            .output()
            .expect("the generator runs")
    };
    assert_eq!(write(Path::new("published.json")).status.code(), Some(0));
    let file = temp.join("v1.facts.json");
    let out = write(&file);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("already stored facts"), "{}", text(&out.stderr));
    let changed =
        std::fs::read_to_string(&file).expect("facts").replacen("\"data\": \"response\"", "\"data\": \"other\"", 1);
    std::fs::write(&file, changed).expect("write");
    let out = spec_diff(&dir, &[file.to_str().expect("UTF-8"), "--spec", "spec"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("#/envelope"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&temp);
}
