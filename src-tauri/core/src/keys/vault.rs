//! `KeyVault`: the key inventory. Secrets go to the OS keychain (first) and metadata to
//! SQLite (second), so a failure can never leave a row pointing at a secret that was stored
//! somewhere else; connections bind one key per environment. Verification, rotation, audit and
//! reminders extend the vault from their own modules.

use super::audit::{action, Subject};
use super::keychain::{Keychain, KeychainError};
use super::records::{
    new_key_id, now_rfc3339, Environment, KeyKind, KeyMetadata, KeyRecord, KeyStatus, NewKey,
};
use super::ApiKey;
use crate::error::ErrorCode;
use crate::store::{KeyRow, KeyRowMetadata, Store, StoreError};
use serde::Serialize;
use ts_rs::TS;

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

/// Which key a connection uses in one environment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyBinding {
    pub connection_id: String,
    pub environment: Environment,
    pub key_id: String,
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
        Ok(KeyRecord::from_row(row, true))
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

    /// Every key, with `in_keychain` checked now (false also when no keychain answers; see
    /// [`KeyVault::keychain_status`]).
    pub fn list(&self) -> Result<Vec<KeyRecord>, VaultError> {
        Ok(self
            .store
            .key_rows()?
            .into_iter()
            .map(|row| {
                let present = self.keychain.contains(&row.id).unwrap_or(false);
                KeyRecord::from_row(row, present)
            })
            .collect())
    }

    pub fn get(&self, key_id: &str) -> Result<KeyRecord, VaultError> {
        let row = self.row(key_id)?;
        let present = self.keychain.contains(key_id).unwrap_or(false);
        Ok(KeyRecord::from_row(row, present))
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

    pub(crate) fn secret_of(&self, row: &KeyRow) -> Result<ApiKey, VaultError> {
        self.keychain.get(&row.id).map_err(|e| match e {
            KeychainError::Missing => VaultError::MissingFromKeychain {
                key_id: row.id.clone(),
                label: row.label.clone(),
            },
            other => other.into(),
        })
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
        self.store.delete_key_row(key_id)?;
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

    /// Makes `key_id` the key `connection_id` uses in `environment`. The key must serve that
    /// environment and not be retired. If the connection had no key for its active
    /// environment, that environment switches to this one, so a first bind just works.
    pub fn bind(
        &self,
        connection_id: &str,
        environment: Environment,
        key_id: &str,
    ) -> Result<(), VaultError> {
        let active = self.active_environment(connection_id)?;
        let row = self.row(key_id)?;
        if row.status == KeyStatus::Retired {
            return Err(VaultError::InvalidInput(format!(
                "`{}` is retired",
                row.label
            )));
        }
        if row.environment != environment {
            return Err(VaultError::InvalidInput(format!(
                "`{}` is a {} key, not a {} key",
                row.label,
                row.environment,
                environment.as_str()
            )));
        }
        let active_unbound = self.store.bound_key(connection_id, active)?.is_none();
        self.store.bind_key(connection_id, environment, key_id)?;
        if active_unbound {
            self.store
                .set_connection_environment(connection_id, environment)?;
        }
        let detail = format!(
            "connection {connection_id}, environment {}",
            environment.as_str()
        );
        self.record(action::KEY_BOUND, &subject_of(&row), "ok", Some(detail));
        Ok(())
    }

    /// Removes a connection's key for one environment; false if there was none.
    pub fn unbind(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<bool, VaultError> {
        let key_id = self.store.bound_key(connection_id, environment)?;
        let removed = self.store.unbind_key(connection_id, environment)?;
        let row = match key_id {
            Some(id) => self.store.key_row(&id)?,
            None => None,
        };
        if let Some(row) = row {
            let detail = format!(
                "connection {connection_id}, environment {}",
                environment.as_str()
            );
            self.record(action::KEY_UNBOUND, &subject_of(&row), "ok", Some(detail));
        }
        Ok(removed)
    }

    pub fn bindings(&self, connection_id: &str) -> Result<Vec<KeyBinding>, VaultError> {
        Ok(self
            .store
            .key_bindings()?
            .into_iter()
            .filter(|(c, _, _)| c == connection_id)
            .map(|(connection_id, environment, key_id)| KeyBinding {
                connection_id,
                environment,
                key_id,
            })
            .collect())
    }

    pub fn active_environment(&self, connection_id: &str) -> Result<Environment, VaultError> {
        self.store
            .connection_environment(connection_id)?
            .ok_or_else(|| VaultError::ConnectionNotFound(connection_id.to_owned()))
    }

    pub fn set_active_environment(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<(), VaultError> {
        if !self
            .store
            .set_connection_environment(connection_id, environment)?
        {
            return Err(VaultError::ConnectionNotFound(connection_id.to_owned()));
        }
        Ok(())
    }

    /// The key a connection uses now (its active environment's), with the secret, or `None`
    /// when that slot is empty. Stamps `last_used_at`, since this is how requests get keys.
    pub fn key_for(&self, connection_id: &str) -> Result<Option<(KeyRecord, ApiKey)>, VaultError> {
        let env = self.active_environment(connection_id)?;
        let Some(key_id) = self.store.bound_key(connection_id, env)? else {
            return Ok(None);
        };
        let mut row = self.row(&key_id)?;
        let secret = self.secret_of(&row)?;
        let now = now_rfc3339();
        self.store.touch_key_used(&key_id, &now)?;
        row.last_used_at = Some(now);
        Ok(Some((KeyRecord::from_row(row, true), secret)))
    }

    pub fn connections_using(&self, key_id: &str) -> Result<Vec<String>, VaultError> {
        Ok(self.store.connections_using_key(key_id)?)
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
    }
}
