//! The committed baseline: `api/<package>.txt`, a header naming the package and the
//! version whose API it records, then the listing.

use std::path::Path;

use crate::listing::Listing;
use crate::policy::Version;

#[derive(Debug, PartialEq, Eq)]
pub struct Baseline {
    pub package: String,
    pub version: Version,
    pub listing: Listing,
}

const FIRST: &str = "# public API of ";

impl Baseline {
    pub fn render(&self) -> String {
        let mut out = format!(
            "{FIRST}{} {}\n\
             # Written by `cargo xtask public-api` (every feature); checked by `cargo xtask public-api --check`.\n\
             # See the README's \"Versions and the semver gate\". One line per item; do not edit by hand.\n",
            self.package, self.version
        );
        for line in &self.listing.lines {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let first = text.lines().next().unwrap_or("");
        let rest = first.strip_prefix(FIRST).ok_or_else(|| format!("the first line is not `{FIRST}<package> <version>`"))?;
        let (package, version) = rest.split_once(' ').ok_or_else(|| format!("the first line names no version: `{first}`"))?;
        let version = version.trim().parse()?;
        let lines = text.lines().filter(|l| !l.is_empty() && !l.starts_with("# ")).map(str::to_owned).collect();
        Ok(Baseline { package: package.to_owned(), version, listing: Listing { lines } })
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_reads_back_as_written() {
        let base = Baseline {
            package: "portone-sdk".into(),
            version: "0.3.1".parse().expect("version"),
            listing: Listing {
                lines: vec!["#[non_exhaustive] struct c::S".into(), "field c::S::a: String".into(), "unstable fn c::f()".into()],
            },
        };
        let text = base.render();
        assert!(text.starts_with("# public API of portone-sdk 0.3.1\n"), "{text}");
        assert_eq!(Baseline::parse(&text), Ok(base));
    }

    #[test]
    fn a_baseline_without_its_header_is_refused() {
        assert!(Baseline::parse("struct c::S\n").is_err());
        assert!(Baseline::parse("# public API of portone-sdk\n").is_err());
        assert!(Baseline::parse("# public API of portone-sdk 0.1\n").is_err());
    }
}
