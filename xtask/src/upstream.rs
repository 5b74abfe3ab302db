//! `cargo xtask upstream refresh`: fetch PortOne's published V1 and V2 descriptions,
//! show how `spec/` differs from them, and store their facts in `upstream/` with where
//! and when they were fetched. The network is reached through `curl` and `git`; with
//! `--from FILE` nothing is downloaded.

use crate::{cargo, status};
use std::path::Path;
use std::process::{Command, ExitCode};

/// The repository PortOne publishes its API descriptions in.
const REPOSITORY: &str = "portone-io/developers.portone.io";
/// The branch read, and the description of each API in it.
const BRANCH: &str = "main";
const FILES: [&str; 2] = ["src/schema/v1.openapi.json", "src/schema/v2.openapi.json"];

pub fn refresh(root: &Path, args: &[&str]) -> ExitCode {
    let mut from = Vec::new();
    let mut out = root.join("upstream");
    let here = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (*arg, rest.next()) {
            ("--from", Some(file)) => from.push(here.join(file)),
            ("--out", Some(dir)) => out = here.join(dir),
            _ => {
                eprintln!("usage: cargo xtask upstream refresh [--from FILE]... [--out DIR]");
                return ExitCode::from(2);
            }
        }
    }
    let today = today();
    if !from.is_empty() {
        for file in &from {
            let code = store(root, file, &out, &today, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
        }
        return ExitCode::SUCCESS;
    }
    let commit = main_commit();
    let downloads = root.join("target/upstream");
    if let Err(e) = std::fs::create_dir_all(&downloads) {
        eprintln!("xtask: cannot create {}: {e}", downloads.display());
        return ExitCode::from(2);
    }
    for path in FILES {
        let url = format!("https://raw.githubusercontent.com/{REPOSITORY}/{BRANCH}/{path}");
        let file = downloads.join(path.rsplit('/').next().unwrap_or(path));
        println!("== {url}");
        let mut curl = Command::new("curl");
        curl.args(["--fail", "--silent", "--show-error", "--location", "--max-time", "300", "--output"]);
        curl.arg(&file).arg(&url);
        if status(curl) != ExitCode::SUCCESS {
            eprintln!("xtask: could not download {url}; the stored facts are unchanged");
            return ExitCode::from(2);
        }
        let mut provenance = vec!["--url".to_string(), url, "--repository".into(), REPOSITORY.into()];
        provenance.extend(["--path".to_string(), path.to_string()]);
        if let Some(commit) = &commit {
            provenance.extend(["--commit".to_string(), commit.clone()]);
        }
        let code = store(root, &file, &out, &today, &provenance);
        if code != ExitCode::SUCCESS {
            return code;
        }
    }
    ExitCode::SUCCESS
}

/// Run the generator's `upstream-facts` on one file.
fn store(root: &Path, file: &Path, out: &Path, today: &str, provenance: &[String]) -> ExitCode {
    let mut cmd = cargo(root);
    cmd.args(["run", "--quiet", "--package", "portone-codegen", "--", "upstream-facts"]);
    cmd.arg(file).arg("--out-dir").arg(out).args(["--fetched", today]).args(provenance);
    status(cmd)
}

/// The commit the branch points at now, when `git` can ask (the raw files are read from
/// the branch a moment later; a push in between is recorded wrongly, and rarely).
fn main_commit() -> Option<String> {
    let url = format!("https://github.com/{REPOSITORY}");
    let out = Command::new("git").args(["ls-remote", &url, &format!("refs/heads/{BRANCH}")]).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let commit = text.split_whitespace().next()?;
    (out.status.success() && commit.len() == 40).then(|| commit.to_string())
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian date of a day number since 1970-01-01 (H. Hinnant's method).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_numbers() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_792), "2026-12-05");
    }
}
