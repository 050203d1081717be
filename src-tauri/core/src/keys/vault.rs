//! `KeyVault`: the key inventory. Secrets go to the OS keychain (first) and metadata to
//! SQLite (second), so a failure can never leave a row pointing at a secret that was stored
//! somewhere else; connections bind one key per environment. Verification, rotation, audit and
//! reminders extend the vault from their own modules.

use super::audit::{action, Subject};
use super::keychain::{Keychain, KeychainError};
use super::records::{
    new_key_id, now_rfc3339, KeyKind, KeyMetadata, KeyRecord, KeyStatus, KeyUse, NewKey,
};
use super::ApiKey;
use crate::error::ErrorCode;
use crate::store::{KeyRow, KeyRowMetadata, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("the secret of `{label}` is not in the keychain any more (deleted outside AnyInt Desk?); add the key again or delete its record")]
    MissingFromKeychain { key_id: String, label: String },
    #[error("this key is already in the vault as `{label}`")]
    Duplicate { key_id: String, label: String },
    #[error("no key with id `{0}`")]
    NotFound(String),
    #[error("no connection with id `{0}`")]
    ConnectionNotFound(String),
    #[error("`{label}` is still used by {}; bind another key there first", connections.join(", "))]
    InUse {
        label: String,
        connections: Vec<String>,
    },
    #[error("{0}")]
    InvalidInput(String),
    /// A hand-off file that cannot be opened: wrong passphrase, damaged, or another format.
    #[error("{0}")]
    HandoffRejected(String),
}

impl VaultError {
    /// Stable codes the UI acts on.
    pub fn code(&self) -> ErrorCode {
        match self {
            VaultError::Store(_) => ErrorCode::Store,
            VaultError::Keychain(e) => e.code(),
            VaultError::MissingFromKeychain { .. } => ErrorCode::KeyMissing,
            VaultError::Duplicate { .. } => ErrorCode::DuplicateKey,
            VaultError::NotFound(_) | VaultError::ConnectionNotFound(_) => ErrorCode::NotFound,
            VaultError::InUse { .. } => ErrorCode::KeyInUse,
            VaultError::InvalidInput(_) => ErrorCode::InvalidInput,
            VaultError::HandoffRejected(_) => ErrorCode::HandoffRejected,
        }
    }
}

/// A handle on the vault; clones share the store and the keychain.
#[derive(Debug, Clone)]
pub struct KeyVault {
    store: Store,
    keychain: Keychain,
    /// How verification reaches gateways (Settings' proxy and roots); shared by clones.
    network: std::sync::Arc<std::sync::Mutex<crate::gateway::Network>>,
}

impl KeyVault {
    pub fn new(store: Store, keychain: Keychain) -> Self {
        Self {
            store,
            keychain,
            network: Default::default(),
        }
    }

    /// Verification from now on goes the way `network` says (the Desk calls this when the
    /// settings are read or saved).
    pub(crate) fn use_network(&self, network: crate::gateway::Network) {
        *self.network.lock().unwrap_or_else(|p| p.into_inner()) = network;
    }

    pub(crate) fn network(&self) -> crate::gateway::Network {
        self.network
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    /// Whether a keychain answers at all, so the UI can say "no usable keychain" up front.
    pub fn keychain_status(&self) -> Result<(), VaultError> {
        Ok(self.keychain.probe()?)
    }

    /// Stores a key: the keychain first, then the row; if the row cannot be written the
    /// keychain entry is removed again, so neither half exists without the other.
    pub fn add(&self, new: NewKey) -> Result<KeyRecord, VaultError> {
        let meta = new
            .metadata()
            .normalised()
            .map_err(VaultError::InvalidInput)?;
        self.refuse_duplicate(&new.secret)?;
        let row = new_row(new_key_id(), &meta, &new.secret);
        let subject = Subject {
            id: Some(row.id.clone()),
            label: Some(row.label.clone()),
            fingerprint: Some(row.fingerprint.clone()),
        };
        if let Err(e) = self.store_new(&row, &new.secret) {
            self.record(action::KEY_ADDED, &subject, "failed", Some(e.to_string()));
            return Err(e);
        }
        let detail = format!(
            "{} {} key for {}",
            row.masked_key,
            row.kind.as_str(),
            row.environment.as_str()
        );
        self.record(action::KEY_ADDED, &subject, "ok", Some(detail));
        Ok(KeyRecord::from_row(row, Vec::new()))
    }

    /// Adds the key in `ANYINT_API_KEY` (the variable every AnyInt guide uses).
    pub fn add_from_env(&self, meta: KeyMetadata) -> Result<KeyRecord, VaultError> {
        let secret = ApiKey::from_env()
            .ok_or_else(|| VaultError::InvalidInput("ANYINT_API_KEY is not set or empty".into()))?;
        self.add(NewKey::new(meta, secret))
    }

    fn refuse_duplicate(&self, secret: &ApiKey) -> Result<(), VaultError> {
        match self.store.key_row_by_fingerprint(&secret.fingerprint())? {
            Some(row) => Err(VaultError::Duplicate {
                key_id: row.id,
                label: row.label,
            }),
            None => Ok(()),
        }
    }

    /// Keychain then row, undoing the keychain write if the row fails.
    pub(crate) fn store_new(&self, row: &KeyRow, secret: &ApiKey) -> Result<(), VaultError> {
        self.keychain.set(&row.id, secret)?;
        if let Err(e) = self.store.insert_key(row) {
            self.forget_secret(&row.id);
            return Err(e.into());
        }
        Ok(())
    }

    /// Removes a secret written moments ago by an operation that then failed. A failure here
    /// leaves an orphan entry (no row points at it), which is traced; the original error is
    /// what the caller reports.
    pub(crate) fn forget_secret(&self, key_id: &str) {
        if let Err(e) = self.keychain.delete(key_id) {
            tracing::warn!(key_id, error = %e, "could not remove a keychain entry after a failed write");
        }
    }

    /// Every key, from SQLite alone: two queries, no keychain access (a Secret Service read
    /// costs a D-Bus round trip per key, seconds for a team's inventory). `in_keychain` is
    /// what the last read of each secret found; see [`KeyVault::secret_of`].
    pub fn list(&self) -> Result<Vec<KeyRecord>, VaultError> {
        let mut uses: std::collections::HashMap<String, Vec<KeyUse>> =
            std::collections::HashMap::new();
        for u in self.store.key_uses()? {
            uses.entry(u.key_id.clone()).or_default().push(u.into());
        }
        Ok(self
            .store
            .key_rows()?
            .into_iter()
            .map(|row| {
                let used_by = uses.remove(&row.id).unwrap_or_default();
                KeyRecord::from_row(row, used_by)
            })
            .collect())
    }

    /// One key, from SQLite alone (like [`KeyVault::list`]).
    pub fn get(&self, key_id: &str) -> Result<KeyRecord, VaultError> {
        let row = self.row(key_id)?;
        let used_by = self.uses_of(key_id)?;
        Ok(KeyRecord::from_row(row, used_by))
    }

    pub(crate) fn uses_of(&self, key_id: &str) -> Result<Vec<KeyUse>, VaultError> {
        Ok(self
            .store
            .key_uses()?
            .into_iter()
            .filter(|u| u.key_id == key_id)
            .map(KeyUse::from)
            .collect())
    }

    pub(crate) fn row(&self, key_id: &str) -> Result<KeyRow, VaultError> {
        self.store
            .key_row(key_id)?
            .ok_or_else(|| VaultError::NotFound(key_id.to_owned()))
    }

    /// The secret, for building a request header.
    pub fn secret(&self, key_id: &str) -> Result<ApiKey, VaultError> {
        let row = self.row(key_id)?;
        self.secret_of(&row)
    }

    /// Reads the secret, and remembers on the row whether it was there, so the list can show
    /// a key deleted outside the app without reading every secret. Only a definite answer is
    /// remembered: an unusable keychain says nothing about the entry.
    pub(crate) fn secret_of(&self, row: &KeyRow) -> Result<ApiKey, VaultError> {
        match self.keychain.get(&row.id) {
            Ok(secret) => {
                if row.keychain_missing_at.is_some() {
                    self.store.set_keychain_missing(&row.id, None)?;
                }
                Ok(secret)
            }
            Err(KeychainError::Missing) => {
                if row.keychain_missing_at.is_none() {
                    self.store
                        .set_keychain_missing(&row.id, Some(&now_rfc3339()))?;
                }
                Err(VaultError::MissingFromKeychain {
                    key_id: row.id.clone(),
                    label: row.label.clone(),
                })
            }
            Err(other) => Err(other.into()),
        }
    }

    /// The secret for the clipboard; unlike [`KeyVault::secret`] the copy is audited.
    pub fn copy_secret(&self, key_id: &str) -> Result<ApiKey, VaultError> {
        let row = self.row(key_id)?;
        let secret = self.secret_of(&row)?;
        self.record(action::KEY_COPIED, &subject_of(&row), "ok", None);
        Ok(secret)
    }

    /// Replaces the editable metadata. A bound key keeps its environment: moving it would
    /// leave it in a connection's slot for another environment.
    pub fn update_metadata(
        &self,
        key_id: &str,
        meta: KeyMetadata,
    ) -> Result<KeyRecord, VaultError> {
        let meta = meta.normalised().map_err(VaultError::InvalidInput)?;
        let row = self.row(key_id)?;
        if meta.environment != row.environment {
            let connections = self.store.connections_using_key(key_id)?;
            if !connections.is_empty() {
                return Err(VaultError::InvalidInput(format!(
                    "`{}` is bound to {} as a {} key; unbind it before changing its environment",
                    row.label,
                    connections.join(", "),
                    row.environment
                )));
            }
        }
        self.store.update_key_metadata(
            key_id,
            &KeyRowMetadata {
                label: &meta.label,
                team: meta.team.as_deref(),
                project: meta.project.as_deref(),
                environment: meta.environment,
                rotate_by: meta.rotate_by.as_deref(),
                expires_at: meta.expires_at.as_deref(),
                notes: meta.notes.as_deref(),
            },
        )?;
        let record = self.get(key_id)?;
        self.record(action::KEY_UPDATED, &(&record).into(), "ok", None);
        Ok(record)
    }

    /// Deletes a key's record and, if asked, its keychain entry (first, so a keychain that
    /// refuses leaves the record in place to retry). A key still bound is refused.
    pub fn delete(&self, key_id: &str, also_keychain: bool) -> Result<(), VaultError> {
        let row = self.row(key_id)?;
        let connections = self.store.connections_using_key(key_id)?;
        if !connections.is_empty() {
            return Err(VaultError::InUse {
                label: row.label,
                connections,
            });
        }
        if also_keychain {
            self.keychain.delete(key_id)?;
        }
        // A rotation still waiting holds the replacement's secret; it goes with the key.
        let pending = self.store.rotation(key_id)?;
        self.store.delete_key_row(key_id)?;
        if let Some(pending) = pending {
            self.forget_secret(&pending.new_key_id);
        }
        let detail = if also_keychain {
            "secret deleted from the keychain"
        } else {
            "secret kept in the keychain"
        };
        self.record(
            action::KEY_DELETED,
            &subject_of(&row),
            "ok",
            Some(detail.into()),
        );
        Ok(())
    }
}

pub(crate) fn subject_of(row: &KeyRow) -> Subject {
    Subject {
        id: Some(row.id.clone()),
        label: Some(row.label.clone()),
        fingerprint: Some(row.fingerprint.clone()),
    }
}

/// A fresh `keys` row for `secret`: only the prefix, fingerprint and masked form of it.
pub(crate) fn new_row(id: String, meta: &KeyMetadata, secret: &ApiKey) -> KeyRow {
    KeyRow {
        id,
        label: meta.label.clone(),
        team: meta.team.clone(),
        project: meta.project.clone(),
        environment: meta.environment,
        kind: KeyKind::detect(secret),
        prefix: secret.visible_prefix().to_owned(),
        fingerprint: secret.fingerprint(),
        masked_key: secret.masked(),
        created_at: now_rfc3339(),
        last_verified_at: None,
        last_verification: None,
        last_used_at: None,
        rotate_by: meta.rotate_by.clone(),
        expires_at: meta.expires_at.clone(),
        status: KeyStatus::Active,
        notes: meta.notes.clone(),
        replaced_by: None,
        connection_id: None,
        keychain_missing_at: None,
    }
}
