//! `ApiKey`: the only type a gateway key travels in, from the keychain (or environment) to a
//! request header. Its `Debug` and `Display` never print the secret, so a key cannot leak
//! through logs, panics or error messages by accident. Its buffer is wiped when it drops, so
//! a key no longer in use does not linger in freed memory (a core dump, a swapped page).

use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt;
use zeroize::{ZeroizeOnDrop, Zeroizing};

/// A gateway API key. Cloning is allowed (requests run concurrently); printing is not. Every
/// clone owns its own buffer and wipes it on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Zeroizing<String>);

// The only field is a `Zeroizing`, which wipes the buffer when it drops.
impl ZeroizeOnDrop for ApiKey {}

impl ApiKey {
    /// Wraps a key, trimming the whitespace a paste or a shell export tends to add.
    /// Returns `None` for an empty key, which no family accepts.
    pub fn new(secret: impl Into<String>) -> Option<Self> {
        // The untrimmed copy is wiped too, not just the one kept.
        let secret = Zeroizing::new(secret.into());
        let trimmed = secret.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(Self(Zeroizing::new(trimmed.to_owned())))
    }

    /// Reads `ANYINT_API_KEY` (the variable every AnyInt guide uses).
    pub fn from_env() -> Option<Self> {
        std::env::var("ANYINT_API_KEY").ok().and_then(Self::new)
    }

    /// The secret itself. Call it only where the header is built or the keychain is written.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by its masked form. Gateways echo the
    /// presented key in error messages ("Invalid key sk-…"), and such text is logged and shown.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.contains(self.expose()) {
            Cow::Owned(text.replace(self.expose(), &self.masked()))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// What the UI may show: the kind prefix and the last four characters, e.g. `sk-plan-…b2f4`.
    /// Short keys show less so that the mask never reveals most of the secret.
    pub fn masked(&self) -> String {
        let s = self.expose();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() < 12 {
            return "…".to_owned()
                + &chars[chars.len().saturating_sub(2)..]
                    .iter()
                    .collect::<String>();
        }
        let prefix = self.visible_prefix();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{prefix}…{tail}")
    }

    /// The kind prefix (`sk-plan-`, `sk-custom-`, `sk-`), which AnyInt itself shows in its
    /// dashboard and which runbooks keep.
    pub fn visible_prefix(&self) -> &'static str {
        if self.0.starts_with("sk-plan-") {
            "sk-plan-"
        } else if self.0.starts_with("sk-custom-") {
            "sk-custom-"
        } else if self.0.starts_with("sk-") {
            "sk-"
        } else {
            ""
        }
    }

    /// A short SHA-256 fingerprint (12 hex digits) to tell keys apart in lists and audit logs.
    /// 48 bits of a hash cannot rebuild the key.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        hex::encode(&digest[..6])
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Test data, not a real key.
    const FAKE: &str = "sk-plan-test-0123456789abcdefSECRETPART";

    #[test]
    fn debug_and_display_never_print_the_secret() {
        let key = ApiKey::new(FAKE).unwrap();
        let printed = format!("{key} {key:?} {:?} {:#?}", Some(&key), vec![key.clone()]);
        assert!(!printed.contains("SECRETPART"), "{printed}");
        assert!(!printed.contains("0123456789"), "{printed}");
        assert!(printed.contains("<redacted>"));
    }

    #[test]
    fn masked_form_shows_prefix_and_tail_only() {
        let key = ApiKey::new(FAKE).unwrap();
        assert_eq!(key.masked(), "sk-plan-…PART");
        assert_eq!(ApiKey::new("  sk-x  ").unwrap().masked(), "…-x");
    }

    #[test]
    fn scrub_replaces_every_occurrence_with_the_mask() {
        let key = ApiKey::new(FAKE).unwrap();
        let echoed =
            format!(r#"{{"error":{{"message":"Invalid key {FAKE}; got Bearer {FAKE}"}}}}"#);
        let scrubbed = key.scrub(&echoed);
        assert!(!scrubbed.contains(FAKE), "{scrubbed}");
        assert_eq!(scrubbed.matches("sk-plan-…PART").count(), 2, "{scrubbed}");
        assert!(matches!(key.scrub("nothing to hide"), Cow::Borrowed(_)));
    }

    /// What safe Rust can check of the wipe: the secret lives in a `Zeroizing` buffer (this
    /// stops compiling if the field becomes a plain `String`) and the type promises
    /// `ZeroizeOnDrop`. Reading freed memory to watch the wipe would need `unsafe`.
    #[test]
    fn the_secret_is_wiped_on_drop() {
        fn wipes_on_drop<T: ZeroizeOnDrop>(_: &T) {}
        let key = ApiKey::new(FAKE).unwrap();
        let buffer: &Zeroizing<String> = &key.0;
        assert_eq!(buffer.as_str(), FAKE);
        wipes_on_drop(&key);
    }

    #[test]
    fn empty_keys_are_rejected_and_whitespace_trimmed() {
        assert!(ApiKey::new("   ").is_none());
        assert_eq!(ApiKey::new(" sk-a\n").unwrap().expose(), "sk-a");
    }

    #[test]
    fn fingerprint_is_stable_short_and_distinct() {
        let a = ApiKey::new(FAKE).unwrap();
        let b = ApiKey::new("sk-custom-test-other").unwrap();
        assert_eq!(a.fingerprint().len(), 12);
        assert_eq!(a.fingerprint(), ApiKey::new(FAKE).unwrap().fingerprint());
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(b.visible_prefix(), "sk-custom-");
    }
}
