//! Numbers sent as PortOne's own clients send them: an amount of 500 goes out as `500`,
//! not `500.0`. The generated request types write every `f64` field through [`Whole`]
//! (also inside `Option`, `Vec` and maps).

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// The largest whole number every `f64` below it holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

/// A value holding `f64`s, written with whole numbers as integers.
pub trait WholeNumbers {
    /// Write the value, each whole `f64` within ±2^53 as an integer.
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl WholeNumbers for f64 {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = *self;
        // `fract` of an infinity or NaN is NaN, so those are written as they are.
        if v.fract() == 0.0 && v.abs() <= EXACT {
            serializer.serialize_i64(v as i64)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

impl<T: WholeNumbers> WholeNumbers for Option<T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Whole(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: WholeNumbers> WholeNumbers for Vec<T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Whole))
    }
}

impl<T: WholeNumbers> WholeNumbers for BTreeMap<String, T> {
    fn serialize_whole<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Whole(v))))
    }
}

/// Borrows a value to serialize it through [`WholeNumbers`] (`struct_encoder!`'s `as whole`).
pub struct Whole<'a, T>(pub &'a T);

impl<T: WholeNumbers> Serialize for Whole<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_whole(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: WholeNumbers>(value: T) -> String {
        serde_json::to_string(&Whole(&value)).expect("serializable")
    }

    #[test]
    fn whole_numbers_are_integers_and_others_stay_as_they_are() {
        assert_eq!(json(500.0), "500");
        assert_eq!(json(-3.0), "-3");
        assert_eq!(json(0.0), "0");
        assert_eq!(json(-0.0), "0");
        assert_eq!(json(500.5), "500.5");
        assert_eq!(json(0.1), "0.1");
        assert_eq!(json(EXACT), "9007199254740992");
        assert_eq!(json(-EXACT), "-9007199254740992");
        // Beyond 2^53 a whole f64 may not be the integer it seems to be: written as is.
        assert_eq!(json(EXACT * 2.0), "1.8014398509481984e+16");
        assert_eq!(json(1e300), "1e+300");
        // serde_json writes what JSON cannot hold as null, with or without this helper.
        assert_eq!(json(f64::NAN), "null");
        assert_eq!(json(f64::INFINITY), "null");
    }

    #[test]
    fn options_lists_and_maps_are_walked() {
        assert_eq!(json(Some(2.0)), "2");
        assert_eq!(json(None::<f64>), "null");
        assert_eq!(json(vec![1.0, 1.25, -7.0]), "[1,1.25,-7]");
        assert_eq!(json(Some(vec![4.0])), "[4]");
        let map = BTreeMap::from([("a".to_string(), 10.0), ("b".to_string(), 0.5)]);
        assert_eq!(json(map), r#"{"a":10,"b":0.5}"#);
    }
}
