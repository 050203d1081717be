//! Team hand-off: selected keys (metadata and secret) exported to one file encrypted with a
//! passphrase (age, scrypt recipient, ASCII armor), and imported on another machine straight
//! into its keychain. This file is the one place a secret leaves the keychain on purpose; the
//! plaintext exists only in memory between the keychain and the encryptor.

use super::audit::action;
use super::records::{now_rfc3339, KeyMetadata, KeyRecord, NewKey};
use super::vault::{subject_of, KeyVault, VaultError};
use super::ApiKey;
use age::secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Tells a hand-off file from any other age file once decrypted.
const FORMAT: &str = "anyint-desk-handoff";
const VERSION: u32 = 1;
/// Short passphrases make scrypt the only protection of a file full of keys.
const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Serialize, Deserialize)]
struct HandoffFile {
    format: String,
    version: u32,
    exported_at: String,
    exported_by: String,
    keys: Vec<HandoffKey>,
}

#[derive(Serialize, Deserialize)]
struct HandoffKey {
    metadata: KeyMetadata,
    /// The plain secret: serialised only into the plaintext that is encrypted right away.
    secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SkippedKey {
    pub label: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub imported: Vec<KeyRecord>,
    pub skipped: Vec<SkippedKey>,
}

fn rejected(why: impl Into<String>) -> VaultError {
    VaultError::HandoffRejected(why.into())
}

impl KeyVault {
    /// Exports `key_ids` to an ASCII-armored age file sealed with `passphrase`.
    pub fn export_handoff(
        &self,
        key_ids: &[String],
        passphrase: &str,
    ) -> Result<String, VaultError> {
        self.export_handoff_with(key_ids, passphrase, None)
    }

    /// `work_factor` overrides scrypt's (calibrated, about a second) cost, for tests.
    pub(crate) fn export_handoff_with(
        &self,
        key_ids: &[String],
        passphrase: &str,
        work_factor: Option<u8>,
    ) -> Result<String, VaultError> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(VaultError::InvalidInput(format!(
                "use a passphrase of at least {MIN_PASSPHRASE_CHARS} characters"
            )));
        }
        if key_ids.is_empty() {
            return Err(VaultError::InvalidInput(
                "select at least one key to export".into(),
            ));
        }
        let mut rows = Vec::new();
        let mut keys = Vec::new();
        for id in key_ids {
            let row = self.row(id)?;
            let secret = self.secret_of(&row)?;
            keys.push(HandoffKey {
                metadata: KeyRecord::from_row(row.clone(), Vec::new()).metadata(),
                secret: secret.expose().to_owned(),
            });
            rows.push(row);
        }
        let file = HandoffFile {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: now_rfc3339(),
            exported_by: super::actor(),
            keys,
        };
        let plaintext = serde_json::to_vec(&file).map_err(|e| rejected(e.to_string()))?;
        let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
        if let Some(n) = work_factor {
            recipient.set_work_factor(n);
        }
        let armored = age::encrypt_and_armor(&recipient, &plaintext)
            .map_err(|e| rejected(format!("encryption failed: {e}")))?;
        for row in &rows {
            self.record(
                action::KEY_EXPORTED,
                &subject_of(row),
                "ok",
                Some("encrypted hand-off file".into()),
            );
        }
        Ok(armored)
    }

    /// Imports a hand-off file into the keychain and the vault. Keys already here (same
    /// fingerprint) are skipped and reported, not overwritten.
    pub fn import_handoff(
        &self,
        file: &[u8],
        passphrase: &str,
    ) -> Result<ImportReport, VaultError> {
        let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
        let plaintext = age::decrypt(&identity, file).map_err(|e| {
            rejected(format!(
                "wrong passphrase, or not an AnyInt Desk hand-off file ({e})"
            ))
        })?;
        let parsed: HandoffFile = serde_json::from_slice(&plaintext)
            .map_err(|_| rejected("the file decrypted but is not an AnyInt Desk hand-off"))?;
        if parsed.format != FORMAT || parsed.version != VERSION {
            return Err(rejected(format!(
                "unsupported hand-off format {} version {}",
                parsed.format, parsed.version
            )));
        }
        let mut report = ImportReport {
            imported: Vec::new(),
            skipped: Vec::new(),
        };
        for key in parsed.keys {
            let label = key.metadata.label.clone();
            let Some(secret) = ApiKey::new(key.secret) else {
                report.skipped.push(SkippedKey {
                    label,
                    reason: "the secret is empty".into(),
                });
                continue;
            };
            match self.add(NewKey::new(key.metadata, secret)) {
                Ok(record) => {
                    let detail = format!("imported from a hand-off by {}", parsed.exported_by);
                    self.record(action::KEY_IMPORTED, &(&record).into(), "ok", Some(detail));
                    report.imported.push(record);
                }
                // Already here, or bad metadata: skip that key, keep the rest.
                Err(e @ (VaultError::Duplicate { .. } | VaultError::InvalidInput(_))) => {
                    report.skipped.push(SkippedKey {
                        label,
                        reason: e.to_string(),
                    });
                }
                // The keychain or the database failing would fail every key: stop.
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::tests::{key, new_key, vault};
    use crate::error::ErrorCode;
    use crate::keys::Environment;

    const PASS: &str = "correct horse battery staple";

    #[test]
    fn keys_travel_encrypted_and_land_in_the_other_keychain() {
        let (here, _) = vault();
        let a = here
            .add(new_key(
                "Team A",
                "sk-handoff-aaaa-0123456789",
                Environment::Prod,
            ))
            .unwrap();
        let b = here
            .add(new_key(
                "Team B",
                "sk-plan-handoff-bbbb-98765",
                Environment::Dev,
            ))
            .unwrap();
        let file = here
            .export_handoff_with(&[a.id.clone(), b.id.clone()], PASS, Some(4))
            .unwrap();
        assert!(file.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(
            !file.contains("handoff-aaaa") && !file.contains("Team A"),
            "encrypted, labels too"
        );
        assert_eq!(here.audit(2).unwrap()[0].action, "key.exported");

        let (there, mem) = vault();
        let report = there.import_handoff(file.as_bytes(), PASS).unwrap();
        assert!(report.skipped.is_empty());
        let labels: Vec<&str> = report.imported.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Team A", "Team B"]);
        assert_eq!(mem.fingerprints().len(), 2);
        let imported_a = &report.imported[0];
        assert_eq!(
            (imported_a.fingerprint.as_str(), imported_a.environment),
            (a.fingerprint.as_str(), Environment::Prod)
        );
        assert_eq!(
            there.secret(&imported_a.id).unwrap(),
            key("sk-handoff-aaaa-0123456789")
        );

        // Importing again skips both, naming where each already is.
        let again = there.import_handoff(file.as_bytes(), PASS).unwrap();
        assert!(again.imported.is_empty());
        assert_eq!(again.skipped.len(), 2);
        assert!(again.skipped[0]
            .reason
            .contains("already in the vault as `Team A`"));
    }

    #[test]
    fn wrong_passphrases_and_weak_ones_are_refused() {
        let (here, _) = vault();
        let a = here
            .add(new_key("A", "sk-handoff-wrongpass-0001", Environment::Prod))
            .unwrap();
        assert_eq!(
            here.export_handoff(std::slice::from_ref(&a.id), "short")
                .unwrap_err()
                .code(),
            ErrorCode::InvalidInput
        );
        let file = here.export_handoff_with(&[a.id], PASS, Some(4)).unwrap();
        let (there, mem) = vault();
        let err = there
            .import_handoff(file.as_bytes(), "not the passphrase!")
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::HandoffRejected);
        assert!(mem.fingerprints().is_empty());
        assert!(there.import_handoff(b"plain text", PASS).is_err());
    }
}
