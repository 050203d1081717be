//! Settings as the app uses them: read and saved through the store (the proxy password through
//! the keychain), turned once into the [`Network`] every gateway client is built with, and
//! "test connection" against a connection with the saved settings or the ones being edited.

use super::Desk;
use crate::error::DeskError;
use crate::gateway::Network;
use crate::keys::{ApiKey, KeychainError, VaultError};
use crate::settings::probe::{test_connection, ConnectionTest};
use crate::settings::{
    PasswordChange, ProxyMode, Settings, SettingsUpdate, SettingsView, PROXY_PASSWORD_ENTRY,
};
use std::path::PathBuf;
use std::sync::Mutex;

/// The network built from the saved settings, kept until the next save: reading the proxy
/// password costs a keychain round trip, which no request should pay.
#[derive(Debug, Default)]
pub(super) struct NetworkCache(Mutex<Option<Network>>);

impl NetworkCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Network>> {
        // Only ever replaced whole: a panic elsewhere cannot leave it half-written.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn keychain_error(e: KeychainError) -> DeskError {
    DeskError::Vault(VaultError::Keychain(e))
}

impl Desk {
    /// The saved settings, whether a proxy password is saved (never the password itself) and
    /// the artifacts folder in effect.
    pub fn settings(&self) -> Result<SettingsView, DeskError> {
        let settings = self.inner.store.app_settings()?;
        // Only asked when a user name would send it: most people have no proxy password, and
        // they should not pay a keychain round trip (or need a keychain at all) to see Settings.
        let proxy_password_saved = !settings.proxy.username.is_empty()
            && self
                .inner
                .vault
                .keychain()
                .contains(PROXY_PASSWORD_ENTRY)
                .map_err(keychain_error)?;
        Ok(SettingsView {
            artifacts_dir_effective: self.artifacts_dir_for(&settings).display().to_string(),
            settings,
            proxy_password_saved,
            defaults: Settings::default(),
        })
    }

    /// Validates and saves; the password goes to the keychain, everything else to SQLite. A
    /// refused field leaves both as they were.
    pub fn save_settings(&self, update: SettingsUpdate) -> Result<SettingsView, DeskError> {
        let settings = update.settings.validate()?;
        let keychain = self.inner.vault.keychain();
        match update.proxy_password {
            PasswordChange::Keep => {}
            PasswordChange::Set { value } => {
                let secret = ApiKey::new(value).ok_or_else(|| {
                    DeskError::InvalidInput(
                        "proxy.password: empty; type the password, or choose to clear it".into(),
                    )
                })?;
                keychain
                    .set(PROXY_PASSWORD_ENTRY, &secret)
                    .map_err(keychain_error)?;
            }
            PasswordChange::Clear => keychain
                .delete(PROXY_PASSWORD_ENTRY)
                .map_err(keychain_error)?,
        }
        self.inner
            .store
            .save_app_settings(&settings, &super::now())?;
        *self.inner.network.lock() = None;
        self.sync_artifacts_dir()?;
        tracing::info!(proxy = settings.proxy.mode.as_str(), "settings saved");
        // Verification and rotation follow at once (and a bad keychain shows here, not later).
        self.network()?;
        self.settings()
    }

    /// The network every gateway client is built with (cached until the next save).
    pub fn network(&self) -> Result<Network, DeskError> {
        if let Some(network) = self.inner.network.lock().clone() {
            return Ok(network);
        }
        let settings = self.inner.store.app_settings()?;
        let password = self.saved_proxy_password(&settings)?;
        let network = settings.network(password)?;
        *self.inner.network.lock() = Some(network.clone());
        self.inner.vault.use_network(network.clone());
        self.inner.tasks.downloader().use_network(network.clone());
        Ok(network)
    }

    /// Tests the path to a connection's gateway with the saved settings, or with `edited` (the
    /// form not saved yet; its password change applies to this test only).
    pub async fn test_connection(
        &self,
        connection_id: &str,
        edited: Option<SettingsUpdate>,
    ) -> Result<ConnectionTest, DeskError> {
        let row = self
            .inner
            .store
            .connection(connection_id)?
            .ok_or_else(|| DeskError::NotFound(format!("no connection `{connection_id}`")))?;
        let network = match edited {
            None => self.network()?,
            Some(update) => {
                let settings = update.settings.validate()?;
                let password = match update.proxy_password {
                    PasswordChange::Keep => self.saved_proxy_password(&settings)?,
                    PasswordChange::Set { value } => ApiKey::new(value),
                    PasswordChange::Clear => None,
                };
                settings.network(password)?
            }
        };
        let base_url = self.base_url_of(&row)?;
        // No key is not a reason not to test the network: the HTTP step then says so.
        let key = match self.endpoint(&row) {
            Ok((_, key)) => Some(key),
            Err(DeskError::NoKey(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(test_connection(&base_url, key, &network).await?)
    }

    /// Where generated media is written: the chosen folder, or `<data dir>/artifacts`.
    pub fn artifacts_dir(&self) -> Result<PathBuf, DeskError> {
        Ok(self.artifacts_dir_for(&self.inner.store.app_settings()?))
    }

    /// How long a copied key stays on the clipboard.
    pub fn clipboard_clear_secs(&self) -> Result<u32, DeskError> {
        Ok(self.inner.store.app_settings()?.clipboard_clear_secs)
    }

    /// Whether desktop notifications (key reminders, finished tasks) are shown.
    pub fn notifications_enabled(&self) -> Result<bool, DeskError> {
        Ok(self.inner.store.app_settings()?.notifications)
    }

    /// The idle timeout a playground stream gets when the request does not set its own.
    pub fn stream_idle_ms(&self) -> Result<u32, DeskError> {
        let secs = self.inner.store.app_settings()?.timeouts.stream_idle_secs;
        Ok(secs.saturating_mul(1000))
    }

    fn artifacts_dir_for(&self, settings: &Settings) -> PathBuf {
        let base = self
            .inner
            .data_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("anyint-desk"));
        settings.artifacts_dir_in(&base)
    }

    /// The proxy password, read only when the saved proxy would send it.
    fn saved_proxy_password(&self, settings: &Settings) -> Result<Option<ApiKey>, DeskError> {
        if settings.proxy.mode != ProxyMode::Manual || settings.proxy.username.is_empty() {
            return Ok(None);
        }
        match self.inner.vault.keychain().get(PROXY_PASSWORD_ENTRY) {
            Ok(password) => Ok(Some(password)),
            Err(KeychainError::Missing) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }
}
