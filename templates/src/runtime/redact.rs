//! `Debug` for fields and parameters that carry credentials or card data (the spec's
//! `x-sensitive`): the generated `Debug` impls print them through [`Redacted`], which
//! shows that a value is there but never the value.

use std::fmt;

/// Borrows a sensitive value to print `<redacted>` in its place; an `Option` shows
/// whether it is set (`Some(<redacted>)` or `None`).
pub(crate) struct Redacted<'a, T: ?Sized>(pub(crate) &'a T);

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Redacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(<redacted>)"),
            None => f.write_str("None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Card {
        number: String,
        cvc: Option<String>,
        pin: Option<String>,
        holder: String,
    }

    impl fmt::Debug for Card {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Card")
                .field("number", &Redacted(&self.number))
                .field("cvc", &Redacted(&self.cvc))
                .field("pin", &Redacted(&self.pin))
                .field("holder", &self.holder)
                .finish()
        }
    }

    #[test]
    fn values_are_hidden_and_presence_shows() {
        let card = Card { number: "4111111111111111".into(), cvc: Some("123".into()), pin: None, holder: "Kim".into() };
        assert_eq!(
            format!("{card:?}"),
            r#"Card { number: <redacted>, cvc: Some(<redacted>), pin: None, holder: "Kim" }"#
        );
        let pretty = format!("{card:#?}");
        assert!(!pretty.contains("4111") && !pretty.contains("123"), "{pretty}");
        assert!(pretty.contains("cvc: Some(<redacted>),"), "{pretty}");
    }
}
