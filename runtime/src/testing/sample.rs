//! Samples: a valid value of every response type, to start a test's answer from and
//! change field by field. The generator writes each API's samples into one JSON object
//! (`src/<api>/samples.json`, type name to sample), which is compiled in only with the
//! `testing` feature and read on first use; each type finds its own by name.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A valid value of `T`: every field filled (optional ones too), formats and documented
/// bounds respected, enum values known ones, a union holding its first case. Change the
/// fields your test is about; a sample still decodes after PortOne adds a field, since
/// the generator writes the samples anew with every spec.
///
/// ```ignore
/// let mut paid: PaidPayment = portone_sdk::testing::sample();
/// paid.amount.total = 1000;
/// let payment = Payment::Paid(paid);
/// ```
///
/// # Panics
///
/// Never for a generated type: the SDK's tests decode every sample.
pub fn sample<T: Sample>() -> T {
    T::sample()
}

/// A type the test kit has a sample of: every type received in responses, union case
/// structs included.
pub trait Sample: DeserializeOwned {
    /// The sample's JSON, as the generator wrote it.
    fn sample_json() -> &'static str;

    /// The sample, decoded: see [`sample`].
    fn sample() -> Self {
        let json = Self::sample_json();
        match serde_json::from_str(json) {
            Ok(value) => value,
            Err(e) => panic!("the test kit's sample of {} does not decode: {e}", std::any::type_name::<Self>()),
        }
    }
}

/// The samples of one API: a JSON object from type name to sample, indexed on first use.
/// Made by the generated code; not meant to be made elsewhere.
#[doc(hidden)]
pub struct SampleBook {
    json: &'static str,
    index: OnceLock<HashMap<&'static str, &'static RawValue>>,
}

impl SampleBook {
    /// A book of the samples in `json`.
    pub const fn new(json: &'static str) -> Self {
        SampleBook { json, index: OnceLock::new() }
    }

    /// The sample of the type named `name`, or `null` when the book has none (which
    /// then fails to decode, naming the type).
    pub fn get(&'static self, name: &str) -> &'static str {
        let index = self.index.get_or_init(|| serde_json::from_str(self.json).unwrap_or_default());
        index.get(name).map_or("null", |raw| raw.get())
    }
}

/// `impl Sample` for each named type, reading its sample from `book` under its name.
#[doc(hidden)]
#[macro_export]
macro_rules! samples {
    ($book:ident: $($name:ident),* $(,)?) => {
        $(
            impl $crate::__private::testing::Sample for $name {
                fn sample_json() -> &'static str {
                    $book.get(stringify!($name))
                }
            }
        )*
    };
}

