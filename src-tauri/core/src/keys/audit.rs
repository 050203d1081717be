//! The audit log: who did what to which key, when, with what outcome. Entries name a key by
//! id, label and fingerprint (copied at the time, so they survive the key's deletion) and never
//! carry a secret. Viewable newest first and exportable as RFC 4180 CSV.

use super::records::{now_rfc3339, KeyRecord};
use super::vault::KeyVault;
use super::VaultError;
use serde::Serialize;
use ts_rs::TS;

/// The actions written. Strings rather than an enum in the table so old logs stay readable
/// when actions are added.
pub mod action {
    pub const KEY_ADDED: &str = "key.added";
    pub const KEY_UPDATED: &str = "key.updated";
    pub const KEY_VERIFIED: &str = "key.verified";
    pub const KEY_DELETED: &str = "key.deleted";
    pub const KEY_COPIED: &str = "key.copied";
    pub const KEY_EXPORTED: &str = "key.exported";
    pub const KEY_IMPORTED: &str = "key.imported";
    pub const KEY_BOUND: &str = "key.bound";
    pub const KEY_UNBOUND: &str = "key.unbound";
    pub const ROTATION_STARTED: &str = "rotation.started";
    pub const ROTATION_VERIFY_FAILED: &str = "rotation.verify_failed";
    pub const ROTATION_VERIFIED: &str = "rotation.verified";
    pub const ROTATION_CANCELLED: &str = "rotation.cancelled";
    pub const ROTATION_COMMITTED: &str = "rotation.committed";
    pub const ROTATION_FAILED: &str = "rotation.failed";
    pub const ROTATION_OLD_RETIRED: &str = "rotation.old_retired";
    pub const ROTATION_OLD_DELETED: &str = "rotation.old_deleted";
    pub const ROTATION_OLD_KEPT: &str = "rotation.old_kept";
    pub const REMINDER_SENT: &str = "reminder.sent";
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// The OS user (`USER`/`USERNAME`), or "unknown".
    pub actor: String,
    pub action: String,
    pub key_id: Option<String>,
    pub key_label: Option<String>,
    pub key_fingerprint: Option<String>,
    /// "ok", "failed", or a verification outcome ("works", "invalid", ...).
    pub outcome: String,
    pub detail: Option<String>,
}

/// Which key an entry is about: id, label and fingerprint at the time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subject {
    pub id: Option<String>,
    pub label: Option<String>,
    pub fingerprint: Option<String>,
}

impl From<&KeyRecord> for Subject {
    fn from(r: &KeyRecord) -> Self {
        Subject {
            id: Some(r.id.clone()),
            label: Some(r.label.clone()),
            fingerprint: Some(r.fingerprint.clone()),
        }
    }
}

/// The person at the keyboard, as the OS names them. Not authentication: a label for the log.
pub fn actor() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

impl KeyVault {
    /// Appends an entry. Best effort on purpose: the action it describes has already happened
    /// (a rotation committed, a key stored), and failing it because the log could not be
    /// written would misreport the state; the failure is traced instead.
    pub(crate) fn record(
        &self,
        action: &str,
        subject: &Subject,
        outcome: &str,
        detail: Option<String>,
    ) {
        let entry = AuditEntry {
            id: 0,
            at: now_rfc3339(),
            actor: actor(),
            action: action.to_owned(),
            key_id: subject.id.clone(),
            key_label: subject.label.clone(),
            key_fingerprint: subject.fingerprint.clone(),
            outcome: outcome.to_owned(),
            detail,
        };
        if let Err(e) = self.store().insert_audit(&entry) {
            tracing::warn!(action, error = %e, "could not write the audit log");
        }
    }

    /// The latest `limit` entries, newest first.
    pub fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, VaultError> {
        Ok(self.store().audit_entries(limit)?)
    }

    /// The whole log as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
    /// quote or line break, quotes doubled), oldest first, with a header row.
    pub fn audit_csv(&self) -> Result<String, VaultError> {
        let mut entries = self.store().audit_entries(u32::MAX)?;
        entries.reverse();
        Ok(to_csv(&entries))
    }
}

pub(crate) fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out =
        String::from("id,at,actor,action,key_id,key_label,key_fingerprint,outcome,detail\r\n");
    for e in entries {
        let id = e.id.to_string();
        let fields = [
            id.as_str(),
            &e.at,
            &e.actor,
            &e.action,
            e.key_id.as_deref().unwrap_or(""),
            e.key_label.as_deref().unwrap_or(""),
            e.key_fingerprint.as_deref().unwrap_or(""),
            &e.outcome,
            e.detail.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(value: &str) -> String {
    // Spreadsheets run a cell that starts with = + - @ as a formula; labels and gateway
    // messages are not trusted enough for that, so such cells get a leading apostrophe.
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn entry(label: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: "2030-01-02T03:04:05Z".into(),
            actor: "ada".into(),
            action: action::KEY_ADDED.into(),
            key_id: Some("key-1".into()),
            key_label: Some(label.into()),
            key_fingerprint: Some("0123456789ab".into()),
            outcome: "ok".into(),
            detail: Some(detail.into()),
        }
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        let csv = to_csv(&[entry("Team \"A\", prod", "line one\nline two")]);
        let mut lines = csv.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("id,at,actor,action,key_id,key_label,key_fingerprint,outcome,detail")
        );
        assert_eq!(
            lines.next(),
            Some("7,2030-01-02T03:04:05Z,ada,key.added,key-1,\"Team \"\"A\"\", prod\",0123456789ab,ok,\"line one\nline two\"")
        );
        assert!(csv.ends_with("\r\n"));
    }

    #[test]
    fn csv_defuses_formulas() {
        let csv = to_csv(&[entry("=HYPERLINK(\"x\")", "plain")]);
        assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{csv}");
        assert!(csv.contains(",plain\r\n"));
    }

    #[test]
    fn actor_is_never_empty() {
        assert!(!actor().is_empty());
    }
}
