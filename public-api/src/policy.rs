//! What a version must be to announce a change, under Cargo's rules: versions are
//! compatible when their leftmost non-zero part is equal (0.1.3 with 0.1.0, 1.4.0 with
//! 1.0.0; 0.0.x with nothing else), and a newer compatible version is what `cargo
//! update` picks up.

use std::fmt;

use crate::compare::Class;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    /// `major.minor.patch`; pre-release and build suffixes are refused, since the gate
    /// has no rule for them.
    fn from_str(s: &str) -> Result<Version, String> {
        let parts: Vec<&str> = s.split('.').collect();
        let number = |p: &str| p.parse::<u64>().map_err(|_| format!("`{s}` is not a version of the form 1.2.3"));
        match parts.as_slice() {
            [major, minor, patch] => Ok(Version { major: number(major)?, minor: number(minor)?, patch: number(patch)? }),
            _ => Err(format!("`{s}` is not a version of the form 1.2.3")),
        }
    }
}

impl Version {
    /// Whether Cargo lets a requirement of `self` resolve to `other`.
    pub fn compatible_with(self, other: Version) -> bool {
        if self.major > 0 {
            other.major == self.major
        } else if self.minor > 0 {
            other.major == 0 && other.minor == self.minor
        } else {
            other == self
        }
    }

    /// The smallest version after `self` that announces a change of this class.
    pub fn next_for(self, class: Class) -> Version {
        let Version { major, minor, patch } = self;
        match class {
            Class::Identical => self,
            Class::Additive => Version { major, minor, patch: patch + 1 },
            Class::Breaking if major > 0 => Version { major: major + 1, minor: 0, patch: 0 },
            Class::Breaking if minor > 0 => Version { major: 0, minor: minor + 1, patch: 0 },
            Class::Breaking => Version { major: 0, minor: 0, patch: patch + 1 },
        }
    }
}

/// Whether `current` announces a change of `class` since `baseline`; if not, what to do.
pub fn verdict(baseline: Version, current: Version, class: Class) -> Result<(), String> {
    if current < baseline {
        return Err(format!("the crate's version {current} is older than the baseline's {baseline}"));
    }
    let ok = match class {
        Class::Identical => true,
        Class::Additive => current > baseline,
        Class::Breaking => !baseline.compatible_with(current),
    };
    if ok {
        return Ok(());
    }
    let next = baseline.next_for(class);
    Err(match class {
        Class::Additive => format!("additive: bump the patch version to {next} (or later) and refresh the baseline"),
        _ => format!("breaking: bump the version to {next}, which Cargo does not take for {baseline}, and refresh the baseline"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().expect("a version")
    }

    #[test]
    fn identical_needs_no_bump() {
        assert_eq!(verdict(v("0.1.0"), v("0.1.0"), Class::Identical), Ok(()));
    }

    #[test]
    fn additive_needs_a_patch_bump() {
        let err = verdict(v("0.1.0"), v("0.1.0"), Class::Additive).expect_err("no bump");
        assert!(err.starts_with("additive: bump the patch version to 0.1.1"), "{err}");
        assert_eq!(verdict(v("0.1.0"), v("0.1.1"), Class::Additive), Ok(()));
        assert_eq!(verdict(v("0.1.0"), v("0.2.0"), Class::Additive), Ok(()));
    }

    #[test]
    fn breaking_needs_what_cargo_calls_incompatible() {
        for (base, current) in [("0.1.0", "0.1.0"), ("0.1.0", "0.1.5"), ("1.2.0", "1.9.0"), ("0.0.1", "0.0.1")] {
            let err = verdict(v(base), v(current), Class::Breaking).expect_err(current);
            assert!(err.starts_with("breaking:"), "{err}");
        }
        assert!(verdict(v("0.1.0"), v("0.1.3"), Class::Breaking).unwrap_err().contains("0.2.0"));
        for (base, current) in [("0.1.0", "0.2.0"), ("0.1.4", "1.0.0"), ("1.2.0", "2.0.0"), ("0.0.1", "0.0.2")] {
            assert_eq!(verdict(v(base), v(current), Class::Breaking), Ok(()), "{base} -> {current}");
        }
    }

    #[test]
    fn a_version_going_back_fails() {
        assert!(verdict(v("0.2.0"), v("0.1.9"), Class::Identical).is_err());
    }

    #[test]
    fn only_plain_versions_are_read() {
        assert!("0.1".parse::<Version>().is_err());
        assert!("0.1.0-beta.1".parse::<Version>().is_err());
    }
}
