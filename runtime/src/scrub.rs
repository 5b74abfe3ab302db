//! Keeping known secret values out of what the SDK keeps or prints. Masking by field name
//! (`redact::mask_json_fields`) misses a secret the server echoes in a message
//! (`"imp_secret abc… is not valid"`) and a value serde quotes in a decode error. A
//! client's [`Scrubber`] knows its credentials and its current tokens, and replaces each
//! of them, in every form it can take in a body or a message, by `<redacted>`. Only the
//! error paths and raw answers from token operations use it, so a success costs nothing.

use super::redact::REDACTED;
use super::secret::Secret;

/// Values shorter than this many characters are not replaced: a short value would match
/// ordinary text (a `"test"` secret would blank every "test" in a message). They are
/// still masked by field name.
pub(crate) const MIN_SCRUBBED_CHARS: usize = 8;

/// The secret values of one client: its credentials, fixed when it is built, and the
/// tokens it last obtained, replaced each time the token operation issues new ones.
#[derive(Default)]
pub(crate) struct Scrubber {
    credentials: Vec<Secret>,
    tokens: std::sync::Mutex<Vec<Secret>>,
}

impl Scrubber {
    /// A scrubber of `credentials` (secrets shorter than [`MIN_SCRUBBED_CHARS`] are left out).
    pub(crate) fn new(credentials: impl IntoIterator<Item = Secret>) -> Self {
        Scrubber { credentials: credentials.into_iter().filter(long_enough).collect(), tokens: Default::default() }
    }

    /// The tokens the client now holds (an access token, its refresh token), in place of
    /// the ones it held before.
    pub(crate) fn set_tokens(&self, tokens: impl IntoIterator<Item = Secret>) {
        let tokens = tokens.into_iter().filter(long_enough).collect();
        *self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = tokens;
    }

    /// Every form of every known value, longest first (so that a value holding another
    /// is replaced whole).
    fn forms(&self) -> Vec<String> {
        let tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut forms: Vec<String> =
            self.credentials.iter().chain(tokens.iter()).flat_map(|s| forms_of(s.expose())).collect();
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms
    }

    /// `text` with every known value replaced; borrowed when none is there.
    pub(crate) fn text<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let forms = self.forms();
        replace_all(text, &forms)
    }

    /// `body` with every known value replaced, in any form; `None` when none is there.
    /// A JSON body in which a value is written with escapes other than the usual ones
    /// (`\u0061` for `a`) is written anew with those strings replaced.
    pub(crate) fn body(&self, body: &[u8]) -> Option<Vec<u8>> {
        let forms = self.forms();
        if forms.is_empty() {
            return None;
        }
        let text = String::from_utf8_lossy(body);
        let replaced = replace_all(&text, &forms);
        let changed = matches!(replaced, std::borrow::Cow::Owned(_));
        let out = replaced.into_owned();
        if out.contains('\\') {
            if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&out) {
                if scrub_value(&mut value, &forms) {
                    return Some(serde_json::to_vec(&value).unwrap_or_else(|_| REDACTED.as_bytes().to_vec()));
                }
            }
        }
        changed.then(|| out.into_bytes())
    }

    /// `error` as it may be shown: the same error when it quotes no known value, else an
    /// error of the same text with the values replaced (it keeps no line or category).
    pub(crate) fn serde_error(&self, error: serde_json::Error) -> serde_json::Error {
        let text = error.to_string();
        match self.text(&text) {
            std::borrow::Cow::Borrowed(_) => error,
            std::borrow::Cow::Owned(clean) => serde::de::Error::custom(clean),
        }
    }
}

fn long_enough(secret: &Secret) -> bool {
    secret.expose().chars().count() >= MIN_SCRUBBED_CHARS
}

/// The forms `value` takes in text: as is, inside a JSON string (escaped as serde_json
/// writes it, and with every non-ASCII character as `\uXXXX`), as Rust's `Debug` quotes
/// it (serde's messages), and percent-encoded (a URL echoed back).
fn forms_of(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_owned();
    let mut ascii = String::new();
    for c in json.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                ascii.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    let upper = ascii.replace("\\u", "\\U").to_uppercase().replace("\\U", "\\u");
    let mut percent = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            percent.push(byte as char);
        } else {
            percent.push_str(&format!("%{byte:02X}"));
        }
    }
    let debug = value.escape_debug().to_string();
    vec![value.to_owned(), json, ascii, upper, debug, percent.to_lowercase(), percent]
}

/// `text` with every one of `forms` replaced by the marker, in that order.
fn replace_all<'a>(text: &'a str, forms: &[String]) -> std::borrow::Cow<'a, str> {
    let mut out = std::borrow::Cow::Borrowed(text);
    for form in forms {
        if !form.is_empty() && out.contains(form.as_str()) {
            out = std::borrow::Cow::Owned(out.replace(form.as_str(), REDACTED));
        }
    }
    out
}

/// Replace the values in every string and key of `value`; whether any was there.
fn scrub_value(value: &mut serde_json::Value, forms: &[String]) -> bool {
    match value {
        serde_json::Value::String(s) => match replace_all(s, forms) {
            std::borrow::Cow::Owned(clean) => {
                *s = clean;
                true
            }
            std::borrow::Cow::Borrowed(_) => false,
        },
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |found, v| scrub_value(v, forms) | found),
        serde_json::Value::Object(map) => {
            let mut found = false;
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                found |= scrub_value(&mut v, forms);
                let key = match replace_all(&key, forms) {
                    std::borrow::Cow::Owned(clean) => {
                        found = true;
                        clean
                    }
                    std::borrow::Cow::Borrowed(_) => key,
                };
                map.insert(key, v);
            }
            found
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber(values: &[&str]) -> Scrubber {
        Scrubber::new(values.iter().map(|v| Secret::new((*v).to_owned())))
    }

    #[test]
    fn every_form_is_replaced() {
        let s = scrubber(&["se\"cr\\et-ü-1234"]);
        let bodies = [
            r#"{"message":"se\"cr\\et-ü-1234 is wrong"}"#,
            r#"{"message":"se\"cr\\et-\u00fc-1234 is wrong"}"#,
            r#"{"message":"se\"cr\\et-\u00FC-1234 is wrong"}"#,
            r#"{"message":"\u0073e\"cr\\et-ü-1234 is wrong"}"#,
            "see ?k=se%22cr%5Cet-%C3%BC-1234 now",
        ];
        for body in bodies {
            let clean = String::from_utf8(s.body(body.as_bytes()).expect("found")).unwrap();
            assert!(clean.contains("<redacted>") && !clean.contains("1234"), "{body} -> {clean}");
        }
        let quoted = format!("invalid type: string {:?}", "se\"cr\\et-ü-1234");
        assert_eq!(s.text(&quoted), "invalid type: string \"<redacted>\"");
        assert_eq!(s.body(b"{\"a\":1}"), None, "nothing to replace: kept byte for byte");
    }

    #[test]
    fn short_values_are_not_replaced_and_tokens_are_replaced_by_newer_ones() {
        let s = scrubber(&["test", "abcdefgh"]);
        assert_eq!(s.text("a test of abcdefgh"), "a test of <redacted>");
        s.set_tokens([Secret::new("token-one-1".into())]);
        s.set_tokens([Secret::new("token-two-2".into())]);
        assert_eq!(s.text("token-one-1 token-two-2"), "token-one-1 <redacted>");
    }

    #[test]
    fn a_serde_error_quoting_a_value_is_rewritten() {
        let s = scrubber(&["4242424242424242"]);
        let err = serde_json::from_str::<u8>("\"4242424242424242\"").unwrap_err();
        let clean = s.serde_error(err).to_string();
        assert!(!clean.contains("4242") && clean.contains("<redacted>"), "{clean}");
    }
}
