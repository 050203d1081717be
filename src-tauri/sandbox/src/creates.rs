//! What the sandbox was asked to create, for tests that must prove a client never submits a paid
//! job twice (issue 9's crash test: "0 duplicated at the gateway"). Every accepted create (an
//! async task or a sync media generation) is counted by its kind, and by its key, kind and exact
//! body, so a create repeated with the same body shows up as a duplicate.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde_json::Value;

use crate::text::hash;

/// Accepted creates, read through [`crate::Sandbox::creates`] and its siblings.
#[derive(Debug, Default)]
pub(crate) struct CreateLog(Mutex<Counts>);

#[derive(Debug, Default)]
struct Counts {
    by_kind: BTreeMap<String, u64>,
    /// (key, kind, body) fingerprints and how often each was created.
    by_body: HashMap<u64, u64>,
}

impl CreateLog {
    /// Records one accepted create of `kind` by the key `owner` with `body`.
    pub(crate) fn record(&self, kind: &str, owner: &str, body: &Value) {
        // serde_json keeps object keys sorted (no `preserve_order`), so equal bodies print equal.
        let fingerprint = hash(&format!("{owner}\u{0}{kind}\u{0}{body}"));
        // A poisoned lock only means another handler panicked; the counts are still usable.
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *counts.by_kind.entry(kind.to_owned()).or_default() += 1;
        *counts.by_body.entry(fingerprint).or_default() += 1;
    }

    pub(crate) fn by_kind(&self) -> BTreeMap<String, u64> {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts.by_kind.clone()
    }

    pub(crate) fn total(&self) -> u64 {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts.by_kind.values().sum()
    }

    /// Creates beyond the first of each identical (key, kind, body).
    pub(crate) fn duplicates(&self) -> u64 {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts.by_body.values().map(|n| n - 1).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_kinds_and_identical_bodies() {
        let log = CreateLog::default();
        log.record("suno:generate", "k", &json!({"prompt": "a", "model": "V5"}));
        log.record("suno:generate", "k", &json!({"model": "V5", "prompt": "a"}));
        log.record("suno:generate", "k", &json!({"prompt": "b"}));
        log.record("suno:generate", "other", &json!({"prompt": "b"}));
        log.record("openai-video", "k", &json!({"prompt": "a"}));
        assert_eq!(log.total(), 5);
        assert_eq!(log.by_kind()["suno:generate"], 4);
        assert_eq!(log.duplicates(), 1, "same key, kind and body once more");
    }
}
