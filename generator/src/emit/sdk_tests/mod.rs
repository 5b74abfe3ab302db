//! The SDK's own generated tests, each beside the JSON payloads it reads: `unions`
//! (`tests/unions.rs`: every union case decodes to its own variant and round-trips),
//! `sensitive` (`tests/sensitive.rs`: marked values never show in `Debug`) and `fuzz`
//! (`tests/fuzz.rs`: mutated answers never panic the client's decoding, envelope, masking
//! or status checks).

mod fuzz;
mod sensitive;
mod unions;

use crate::model::Api;
use crate::write::FileSet;

/// Every generated test file of the SDK, with its payloads.
pub fn emit(apis: &[Api], files: &mut FileSet) -> Result<(), crate::error::Error> {
    unions::emit(apis, files)?;
    sensitive::emit(apis, files)?;
    fuzz::emit(apis, files)
}
