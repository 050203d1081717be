//! Guided rotation: verify the replacement, show what it gains and loses against the old key,
//! and only then swap it into every connection that used the old one, in one transaction.
//!
//! Two steps so the admin can read the diff before anything changes: [`KeyVault::plan_rotation`]
//! changes no key or binding: it writes the old key's fresh verification, its `rotating`
//! status, and the pending plan (the replacement's secret in the keychain under the id its
//! record will get, the plan without it in SQLite), so a rotation waiting for confirmation
//! survives a restart; a rejected new key writes nothing at all besides the audit entry.
//! [`KeyVault::commit_rotation`] swaps bindings, retires the old key and drops the pending plan
//! in one transaction; if that fails the plan stays pending, to retry or cancel. Cancelling
//! removes the waiting secret. The gateway has no revoke API, so the result ends with a
//! reminder to revoke the old key in the dashboard.

use super::audit::action;
use super::records::{
    format_date, local_today, new_key_id, now_rfc3339, KeyKind, KeyRecord, KeyStatus,
};
use super::vault::{new_row, subject_of, KeyVault, VaultError};
use super::verify::{verify_secret_via, Outcome, Verification};
use super::ApiKey;
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error("the new key was not accepted ({outcome}); nothing was changed")]
    NewKeyRejected {
        outcome: Outcome,
        verification: Box<Verification>,
        masked_key: String,
        fingerprint: String,
    },
    #[error("the new key is the same as the key being rotated")]
    SameKey,
    #[error("`{label}` is retired; rotate the key that replaced it")]
    OldKeyRetired { label: String },
    #[error("the key changed since this rotation was planned; plan it again")]
    StalePlan,
    #[error("the replacement key of this rotation is no longer in the keychain; plan it again")]
    ReplacementMissing,
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl RotationError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RotationError::NewKeyRejected { .. } => ErrorCode::NewKeyRejected,
            RotationError::SameKey | RotationError::OldKeyRetired { .. } => ErrorCode::InvalidInput,
            RotationError::StalePlan | RotationError::ReplacementMissing => ErrorCode::StalePlan,
            RotationError::Vault(e) => e.code(),
        }
    }
}

/// Where the old key's model list in the diff came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OldModels {
    /// The old key was verified just now.
    Live,
    /// The old key no longer verifies (or its secret is gone); its last working verification.
    LastKnown,
    /// Never verified successfully: gained/lost cannot be computed and are empty.
    Unknown,
}

/// A verified replacement, ready to commit. The new secret is not in it: it waits in the
/// keychain under `new_key_id` (not serialised), and the plan is stored in SQLite as JSON.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationPlan {
    pub old: KeyRecord,
    pub new_masked_key: String,
    pub new_fingerprint: String,
    pub new_kind: KeyKind,
    pub new_verification: Verification,
    /// The old key's live verification, when its secret was still in the keychain.
    pub old_verification: Option<Verification>,
    pub old_models: OldModels,
    /// Models the new key sees and the old did not, sorted.
    pub gained: Vec<String>,
    /// Models the old key saw and the new does not, sorted.
    pub lost: Vec<String>,
    /// Connections that use the old key and will use the new one.
    pub connections: Vec<String>,
    /// RFC 3339: when the plan was verified (a resumed plan may be hours old).
    pub planned_at: String,
    /// The id the new key's record will get; its keychain entry holds the secret meanwhile.
    #[serde(skip)]
    #[ts(skip)]
    pub(super) new_key_id: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationResult {
    pub new: KeyRecord,
    pub old: KeyRecord,
    /// Connections now using the new key.
    pub connections: Vec<String>,
    pub old_secret_deleted: bool,
    /// Set when the rotation committed but deleting the old secret failed.
    pub warning: Option<String>,
    /// What the admin must still do by hand.
    pub reminder: String,
}

impl KeyVault {
    /// Verifies `new_secret` (and the old key, for the diff) and returns the plan. A new key
    /// that does not verify as working stops here with nothing changed.
    pub async fn plan_rotation(
        &self,
        old_key_id: &str,
        new_secret: ApiKey,
        base_url: &str,
    ) -> Result<RotationPlan, RotationError> {
        let old_row = self.row(old_key_id)?;
        if old_row.status == KeyStatus::Retired {
            return Err(RotationError::OldKeyRetired {
                label: old_row.label,
            });
        }
        let new_fp = new_secret.fingerprint();
        if new_fp == old_row.fingerprint {
            return Err(RotationError::SameKey);
        }
        if let Some(other) = self
            .store()
            .key_row_by_fingerprint(&new_fp)
            .map_err(VaultError::from)?
        {
            return Err(VaultError::Duplicate {
                key_id: other.id,
                label: other.label,
            }
            .into());
        }
        let old_subject = subject_of(&old_row);
        let new_desc = format!("replacement {} (fingerprint {new_fp})", new_secret.masked());
        self.record(
            action::ROTATION_STARTED,
            &old_subject,
            "ok",
            Some(new_desc.clone()),
        );

        // A missing old secret is fine (the diff falls back to the last verification), but an
        // unusable keychain is not: the new key could not be stored either.
        let old_secret = match self.secret_of(&old_row) {
            Ok(s) => Some(s),
            Err(VaultError::MissingFromKeychain { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let network = self.network();
        let (new_v, old_v) =
            tokio::join!(verify_secret_via(&new_secret, base_url, &network), async {
                match &old_secret {
                    Some(s) => verify_secret_via(s, base_url, &network).await.map(Some),
                    None => Ok(None),
                }
            });
        let new_v = new_v?;
        if new_v.outcome != Outcome::Works {
            self.record(
                action::ROTATION_VERIFY_FAILED,
                &old_subject,
                new_v.outcome.as_str(),
                Some(format!("{new_desc}: {}", new_v.summary())),
            );
            return Err(RotationError::NewKeyRejected {
                outcome: new_v.outcome,
                masked_key: new_secret.masked(),
                fingerprint: new_fp,
                verification: Box::new(new_v),
            });
        }
        self.record(
            action::ROTATION_VERIFIED,
            &old_subject,
            "works",
            Some(format!("{new_desc}: {}", new_v.summary())),
        );

        let old_v = old_v?;
        if let Some(v) = &old_v {
            self.remember_verification(old_key_id, v)?;
            self.record(
                action::KEY_VERIFIED,
                &old_subject,
                v.outcome.as_str(),
                Some(v.summary()),
            );
        }
        let last_known = KeyRecord::from_row(old_row.clone(), Vec::new()).last_verification;
        let (old_models, old_ids) = match (&old_v, &last_known) {
            (Some(v), _) if v.outcome == Outcome::Works => (OldModels::Live, Some(&v.model_ids)),
            (_, Some(v)) if v.outcome == Outcome::Works => {
                (OldModels::LastKnown, Some(&v.model_ids))
            }
            _ => (OldModels::Unknown, None),
        };
        let (gained, lost) = match old_ids {
            Some(old_ids) => diff(old_ids, &new_v.model_ids),
            None => (Vec::new(), Vec::new()),
        };
        let connections = self.connections_using(old_key_id)?;
        let plan = RotationPlan {
            old: self.get(old_key_id)?,
            new_masked_key: new_secret.masked(),
            new_fingerprint: new_fp,
            new_kind: KeyKind::detect(&new_secret),
            new_verification: new_v,
            old_verification: old_v,
            old_models,
            gained,
            lost,
            connections,
            planned_at: now_rfc3339(),
            new_key_id: new_key_id(),
        };
        self.save_pending(&plan, &new_secret)?;
        self.store()
            .set_key_status(old_key_id, KeyStatus::Rotating)
            .map_err(VaultError::from)?;
        self.get(old_key_id)
            .map(|old| RotationPlan { old, ..plan })
            .map_err(Into::into)
    }

    /// Abandons a planned rotation: the waiting secret is removed and the old key goes back
    /// to `active`.
    pub fn cancel_rotation(&self, old_key_id: &str) -> Result<KeyRecord, VaultError> {
        let row = self.row(old_key_id)?;
        if let Some(pending) = self.store().rotation(old_key_id)? {
            self.keychain().delete(&pending.new_key_id)?;
            self.store().delete_rotation(old_key_id)?;
        }
        if row.status == KeyStatus::Rotating {
            self.store().set_key_status(old_key_id, KeyStatus::Active)?;
            self.record(action::ROTATION_CANCELLED, &subject_of(&row), "ok", None);
        }
        self.get(old_key_id)
    }

    /// Swaps the new key in. The new record copies the old one's label (marked rotated),
    /// team, project, environment, notes and connection; its rotate-by and expiry dates start
    /// empty because they belonged to the old secret. Only a plan still pending commits.
    pub fn commit_rotation(
        &self,
        plan: RotationPlan,
        keep_old_in_keychain: bool,
    ) -> Result<RotationResult, RotationError> {
        let old_row = self
            .store()
            .key_row(&plan.old.id)
            .map_err(VaultError::from)?
            .ok_or(RotationError::StalePlan)?;
        if old_row.status == KeyStatus::Retired || old_row.fingerprint != plan.old.fingerprint {
            return Err(RotationError::StalePlan);
        }
        let pending = self
            .store()
            .rotation(&old_row.id)
            .map_err(VaultError::from)?;
        if pending.is_none_or(|p| p.new_key_id != plan.new_key_id) {
            return Err(RotationError::StalePlan);
        }
        let new_secret = match self.keychain().get(&plan.new_key_id) {
            Ok(s) => s,
            Err(super::KeychainError::Missing) => return Err(RotationError::ReplacementMissing),
            Err(e) => return Err(VaultError::from(e).into()),
        };
        if new_secret.fingerprint() != plan.new_fingerprint {
            return Err(RotationError::ReplacementMissing);
        }
        if let Some(other) = self
            .store()
            .key_row_by_fingerprint(&plan.new_fingerprint)
            .map_err(VaultError::from)?
        {
            return Err(VaultError::Duplicate {
                key_id: other.id,
                label: other.label,
            }
            .into());
        }
        let old_subject = subject_of(&old_row);
        let mut meta = plan.old.metadata();
        meta.label = rotated_label(&old_row.label, local_today());
        meta.rotate_by = None;
        meta.expires_at = None;
        let mut row = new_row(plan.new_key_id.clone(), &meta, &new_secret);
        row.connection_id = old_row.connection_id.clone();
        row.last_verified_at = Some(plan.new_verification.checked_at.clone());
        row.last_verification = serde_json::to_string(&plan.new_verification).ok();
        let new_subject = subject_of(&row);

        let moved = match self.store().commit_key_rotation(&row, &old_row.id) {
            Ok(moved) => moved,
            Err(e) => {
                // The plan and its secret stay pending: the admin can retry or cancel.
                self.record(
                    action::ROTATION_FAILED,
                    &old_subject,
                    "failed",
                    Some(format!("swapping connections: {e}")),
                );
                return Err(VaultError::from(e).into());
            }
        };
        let added = format!(
            "{} replacing {} ({})",
            row.masked_key, old_row.masked_key, old_row.label
        );
        self.record(action::KEY_ADDED, &new_subject, "ok", Some(added));
        let swapped = if moved.is_empty() {
            "no connections used it".to_owned()
        } else {
            moved.join(", ")
        };
        self.record(
            action::ROTATION_COMMITTED,
            &old_subject,
            "ok",
            Some(format!("new key {}; connections: {swapped}", row.label)),
        );
        self.record(
            action::ROTATION_OLD_RETIRED,
            &old_subject,
            "ok",
            Some(format!("replaced by {}", row.id)),
        );

        let (old_secret_deleted, warning) = if keep_old_in_keychain {
            self.record(
                action::ROTATION_OLD_KEPT,
                &old_subject,
                "ok",
                Some("secret kept in the keychain".into()),
            );
            (false, None)
        } else {
            match self.keychain().delete(&old_row.id) {
                Ok(()) => {
                    // The list shows it gone without reading the keychain again.
                    if let Err(e) = self
                        .store()
                        .set_keychain_missing(&old_row.id, Some(&now_rfc3339()))
                    {
                        tracing::warn!(error = %e, "could not mark the old key's secret deleted");
                    }
                    self.record(action::ROTATION_OLD_DELETED, &old_subject, "ok", None);
                    (true, None)
                }
                Err(e) => {
                    self.record(
                        action::ROTATION_OLD_DELETED,
                        &old_subject,
                        "failed",
                        Some(e.to_string()),
                    );
                    (false, Some(format!("the rotation is done, but the old secret could not be deleted from the keychain: {e}")))
                }
            }
        };
        Ok(RotationResult {
            reminder: format!(
                "Revoke the old key ({}, fingerprint {}) in the AnyInt dashboard: the gateway has no API for it.",
                old_row.masked_key, old_row.fingerprint
            ),
            new: self.get(&row.id)?,
            old: self.get(&old_row.id)?,
            connections: moved,
            old_secret_deleted,
            warning,
        })
    }
}

/// "Team A (rotated 2030-01-02)": a repeat rotation replaces the marker instead of stacking.
fn rotated_label(label: &str, today: time::Date) -> String {
    let base = match label.rfind(" (rotated ") {
        Some(i) if label.ends_with(')') => &label[..i],
        _ => label,
    };
    format!("{base} (rotated {})", format_date(today))
}

fn diff(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let old: BTreeSet<&String> = old.iter().collect();
    let new: BTreeSet<&String> = new.iter().collect();
    let gained = new.difference(&old).map(|s| (*s).clone()).collect();
    let lost = old.difference(&new).map(|s| (*s).clone()).collect();
    (gained, lost)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn labels_get_one_rotation_marker() {
        let d = time::macros::date!(2030 - 01 - 02);
        assert_eq!(rotated_label("Team A", d), "Team A (rotated 2030-01-02)");
        assert_eq!(
            rotated_label("Team A (rotated 2029-05-06)", d),
            "Team A (rotated 2030-01-02)"
        );
    }

    #[test]
    fn diff_is_sorted_both_ways() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (gained, lost) = diff(&s(&["a", "b", "c"]), &s(&["c", "d", "b"]));
        assert_eq!((gained, lost), (s(&["d"]), s(&["a"])));
    }
}
