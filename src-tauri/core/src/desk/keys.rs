//! The key vault as the app uses it: which gateway a verification or rotation talks to (the
//! key's own connection, never whichever is active), the pending rotations between "plan" and
//! "commit" (stored, so they survive a restart), and keeping the models cache honest when a
//! connection's key changes.

use super::Desk;
use crate::error::DeskError;
use crate::keys::{
    ApiKey, Attention, AuditEntry, Environment, ImportReport, KeyMetadata, KeyRecord, RotationPlan,
    RotationResult, Verification,
};
use serde::Deserialize;
use ts_rs::TS;

/// The Keys form: metadata plus the pasted secret, or `None` to take `ANYINT_API_KEY`.
/// Deserialised only: the secret goes straight into an `ApiKey` and then the keychain.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewKeyInput {
    pub meta: KeyMetadata,
    pub secret: Option<String>,
}

impl std::fmt::Debug for NewKeyInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKeyInput")
            .field("meta", &self.meta)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Desk {
    /// Whether a keychain answers; the UI says so plainly when it does not.
    pub fn keychain_status(&self) -> Result<(), DeskError> {
        Ok(self.inner.vault.keychain_status()?)
    }

    pub fn keys(&self) -> Result<Vec<KeyRecord>, DeskError> {
        Ok(self.inner.vault.list()?)
    }

    pub fn add_key(&self, input: NewKeyInput) -> Result<KeyRecord, DeskError> {
        let record = match input.secret {
            Some(secret) => {
                let secret = ApiKey::new(secret)
                    .ok_or_else(|| DeskError::InvalidInput("paste a key first".into()))?;
                self.inner
                    .vault
                    .add(crate::keys::NewKey::new(input.meta, secret))?
            }
            None => self.inner.vault.add_from_env(input.meta)?,
        };
        self.key_dates_changed();
        Ok(record)
    }

    pub fn update_key(&self, key_id: &str, meta: KeyMetadata) -> Result<KeyRecord, DeskError> {
        let record = self.inner.vault.update_metadata(key_id, meta)?;
        self.key_dates_changed();
        Ok(record)
    }

    pub fn delete_key(&self, key_id: &str, also_keychain: bool) -> Result<(), DeskError> {
        Ok(self.inner.vault.delete(key_id, also_keychain)?)
    }

    /// The secret for the clipboard (audited). The adapter clears the clipboard afterwards.
    pub fn copy_key(&self, key_id: &str) -> Result<ApiKey, DeskError> {
        Ok(self.inner.vault.copy_secret(key_id)?)
    }

    /// Verifies a stored key against its own connection's gateway.
    pub async fn verify_key(&self, key_id: &str) -> Result<Verification, DeskError> {
        let base_url = self.key_base_url(key_id)?;
        Ok(self.inner.vault.verify(key_id, &base_url).await?)
    }

    /// Makes `key_id` the key `connection_id` uses in `environment`, and that environment the
    /// connection's current one, so the choice takes effect at once.
    pub fn bind_key(
        &self,
        connection_id: &str,
        environment: Environment,
        key_id: &str,
    ) -> Result<super::Connection, DeskError> {
        self.inner.vault.bind(connection_id, environment, key_id)?;
        self.inner
            .vault
            .set_active_environment(connection_id, environment)?;
        // The cached list belonged to the previous key, which may see other models.
        self.inner.store.forget_models(connection_id)?;
        self.connection(connection_id)
    }

    /// Empties a connection's slot for `environment`; the key stays in the vault. Answers the
    /// connection as it is now (falling back to its default key, if it has one).
    pub fn unbind_key(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<super::Connection, DeskError> {
        self.connection(connection_id)?;
        if self.inner.vault.unbind(connection_id, environment)? {
            self.inner.store.forget_models(connection_id)?;
        }
        self.connection(connection_id)
    }

    /// Makes `environment` the connection's current one: the key bound there (if any) is the
    /// one its requests use from now on.
    pub fn set_environment(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<super::Connection, DeskError> {
        self.inner
            .vault
            .set_active_environment(connection_id, environment)?;
        // As in `bind_key`: the cached list belonged to the previous environment's key.
        self.inner.store.forget_models(connection_id)?;
        self.connection(connection_id)
    }

    /// Step 1 of a rotation: verify the replacement and show the diff. Nothing changes yet.
    pub async fn plan_rotation(
        &self,
        old_key_id: &str,
        new_secret: String,
    ) -> Result<RotationPlan, DeskError> {
        let secret = ApiKey::new(new_secret)
            .ok_or_else(|| DeskError::InvalidInput("paste the replacement key first".into()))?;
        // The replacement is checked against the old key's gateway: that is where it will go.
        let base_url = self.key_base_url(old_key_id)?;
        Ok(self
            .inner
            .vault
            .plan_rotation(old_key_id, secret, &base_url)
            .await?)
    }

    /// Rotations verified but not yet confirmed (including ones planned before a restart).
    pub fn pending_rotations(&self) -> Result<Vec<RotationPlan>, DeskError> {
        Ok(self.inner.vault.pending_rotations()?)
    }

    /// Step 2: swap the verified key into every connection that used the old one.
    pub fn commit_rotation(
        &self,
        old_key_id: &str,
        keep_old_in_keychain: bool,
    ) -> Result<RotationResult, DeskError> {
        let plan = self
            .inner
            .vault
            .pending_rotation(old_key_id)?
            .ok_or_else(|| {
                DeskError::InvalidInput(
                    "no verified rotation is waiting for this key; verify the new key first".into(),
                )
            })?;
        let result = self
            .inner
            .vault
            .commit_rotation(plan, keep_old_in_keychain)?;
        for connection_id in &result.connections {
            self.inner.store.forget_models(connection_id)?;
        }
        // The new key carries the old one's dates, and the old one is retired.
        self.key_dates_changed();
        Ok(result)
    }

    pub fn cancel_rotation(&self, old_key_id: &str) -> Result<KeyRecord, DeskError> {
        Ok(self.inner.vault.cancel_rotation(old_key_id)?)
    }

    /// Seals `key_ids` (secrets included) in a passphrase-encrypted age file for a teammate.
    pub fn export_handoff(
        &self,
        key_ids: &[String],
        passphrase: &str,
    ) -> Result<String, DeskError> {
        Ok(self.inner.vault.export_handoff(key_ids, passphrase)?)
    }

    /// Opens a hand-off file straight into the keychain; keys already here are skipped.
    pub fn import_handoff(&self, file: &str, passphrase: &str) -> Result<ImportReport, DeskError> {
        let report = self
            .inner
            .vault
            .import_handoff(file.as_bytes(), passphrase)?;
        self.key_dates_changed();
        Ok(report)
    }

    pub fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, DeskError> {
        Ok(self.inner.vault.audit(limit)?)
    }

    pub fn audit_csv(&self) -> Result<String, DeskError> {
        Ok(self.inner.vault.audit_csv()?)
    }

    pub fn needs_attention(&self, today: time::Date) -> Result<Vec<Attention>, DeskError> {
        Ok(self.inner.vault.needs_attention(today)?)
    }

    /// The bound key's label and masked form, from metadata only (no keychain access).
    pub(super) fn bound_key_label(
        &self,
        connection_id: &str,
    ) -> Result<Option<(String, String)>, DeskError> {
        let store = &self.inner.store;
        let Some(env) = store.connection_environment(connection_id)? else {
            return Ok(None);
        };
        let Some(key_id) = store.bound_key(connection_id, env)? else {
            return Ok(None);
        };
        Ok(store
            .key_row(&key_id)?
            .map(|row| (row.label, row.masked_key)))
    }

    /// Where a key may be sent: its own connection's gateway (set by its first bind). A key
    /// that belongs to no connection yet is refused rather than tried on the active one.
    fn key_base_url(&self, key_id: &str) -> Result<String, DeskError> {
        let key = self.inner.vault.get(key_id)?;
        let row = match &key.connection_id {
            Some(id) => self.inner.store.connection(id)?,
            None => None,
        };
        let row = row.ok_or_else(|| {
            DeskError::InvalidInput(format!(
                "`{}` belongs to no connection yet: bind it to one (Use…) and it is checked against that connection's gateway",
                key.label
            ))
        })?;
        self.base_url_of(&row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::testing::MemoryKeychain;
    use crate::store::Store;
    use crate::{ErrorCode, NewConnection};

    #[test]
    fn switching_the_environment_sticks_and_an_unknown_connection_is_not_found() {
        let desk = Desk::with_parts(
            Store::in_memory().unwrap(),
            MemoryKeychain::new().keychain(),
            None,
            None,
        )
        .unwrap();
        let conn = desk
            .add_connection(NewConnection {
                name: "Team".into(),
                base_url: "https://gw.example.com".into(),
                use_env_key: None,
                allow_insecure_http: None,
            })
            .unwrap();
        let before = conn.environment;
        let target = Environment::ALL.into_iter().find(|e| *e != before).unwrap();
        let switched = desk.set_environment(&conn.id, target).unwrap();
        assert_eq!(switched.environment, target);
        assert_eq!(desk.connection(&conn.id).unwrap().environment, target);
        let err = desk.set_environment("nope", target).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }
}
