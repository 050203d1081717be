//! Bindings: which key each connection uses per environment, and the rule that a key belongs
//! to one gateway (its first connection's scheme, host and port), so binding it elsewhere
//! cannot send it to another host.

use super::audit::action;
use super::records::{now_rfc3339, Environment, KeyRecord, KeyStatus};
use super::vault::{subject_of, KeyVault, VaultError};
use super::ApiKey;
use serde::Serialize;
use ts_rs::TS;

/// Which key a connection uses in one environment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyBinding {
    pub connection_id: String,
    pub environment: Environment,
    pub key_id: String,
}

impl KeyVault {
    /// Makes `key_id` the key `connection_id` uses in `environment`. The key must serve that
    /// environment and not be retired. If the connection had no key for its active
    /// environment, that environment switches to this one, so a first bind just works.
    ///
    /// A key belongs to one gateway host: the first bind makes that connection the key's own
    /// (verification and rotation talk to it only), and later binds must be to connections on
    /// the same scheme, host and port, so a key cannot be sent to another gateway by binding it
    /// there.
    pub fn bind(
        &self,
        connection_id: &str,
        environment: Environment,
        key_id: &str,
    ) -> Result<(), VaultError> {
        let active = self.active_environment(connection_id)?;
        let row = self.row(key_id)?;
        let target = self
            .store()
            .connection(connection_id)?
            .ok_or_else(|| VaultError::ConnectionNotFound(connection_id.to_owned()))?;
        let home = match &row.connection_id {
            Some(id) => self.store().connection(id)?,
            None => None,
        };
        if let Some(home) = &home {
            if home.id != target.id && !same_host(&home.base_url, &target.base_url) {
                return Err(VaultError::InvalidInput(format!(
                    "`{}` belongs to the connection `{}` ({}); it can be used only by connections to that gateway",
                    row.label, home.name, home.base_url
                )));
            }
        }
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
        let active_unbound = self.store().bound_key(connection_id, active)?.is_none();
        self.store().bind_key(connection_id, environment, key_id)?;
        if home.is_none() {
            self.store().set_key_connection(key_id, connection_id)?;
        }
        if active_unbound {
            self.store()
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
        let key_id = self.store().bound_key(connection_id, environment)?;
        let removed = self.store().unbind_key(connection_id, environment)?;
        let row = match key_id {
            Some(id) => self.store().key_row(&id)?,
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
            .store()
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
        self.store()
            .connection_environment(connection_id)?
            .ok_or_else(|| VaultError::ConnectionNotFound(connection_id.to_owned()))
    }

    pub fn set_active_environment(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<(), VaultError> {
        if !self
            .store()
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
        let Some(key_id) = self.store().bound_key(connection_id, env)? else {
            return Ok(None);
        };
        let mut row = self.row(&key_id)?;
        let secret = self.secret_of(&row)?;
        let now = now_rfc3339();
        self.store().touch_key_used(&key_id, &now)?;
        row.last_used_at = Some(now);
        row.keychain_missing_at = None;
        let used_by = self.uses_of(&key_id)?;
        Ok(Some((KeyRecord::from_row(row, used_by), secret)))
    }

    pub fn connections_using(&self, key_id: &str) -> Result<Vec<String>, VaultError> {
        Ok(self.store().connections_using_key(key_id)?)
    }
}

/// Whether two base URLs point at the same gateway: scheme, host and port (the default port
/// of the scheme when none is given). Paths may differ (`/v1` or not).
pub(crate) fn same_host(a: &str, b: &str) -> bool {
    let parts = |s: &str| {
        url::Url::parse(s).ok().map(|u| {
            (
                u.scheme().to_owned(),
                u.host_str().map(str::to_ascii_lowercase),
                u.port_or_known_default(),
            )
        })
    };
    match (parts(a), parts(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}
