//! `Desk`: the product as the app and the CLI use it, without a window. Connections, which key
//! each one uses, and the models cache. The Tauri crate calls one method per command.

mod appearance;
mod compare;
mod connection_edit;
mod first_screen;
mod history;
mod inbox;
mod keys;
mod model_choice;
mod playground;
mod reminders;
mod settings;
mod task_backend;
mod task_inputs;
mod tasks;

pub use appearance::Theme;
pub use connection_edit::is_plain_http_remote;
use connection_edit::refuse_unconfirmed_http;
pub use first_screen::FirstScreen;
pub use inbox::InboxStatus;
pub use keys::NewKeyInput;
pub use playground::TokenCountRequest;
pub use reminders::{today, REMINDER_CHECK_EVERY};

use crate::error::DeskError;
use crate::gateway::{parse_base_url, Family, GatewayClient};
use crate::keys::{ApiKey, Environment, KeyVault, Keychain};
use crate::models::{list_models, ModelInfo};
use crate::store::{ConnectionRow, Store};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

const SANDBOX_ID: &str = "sandbox";
const ACTIVE_KEY: &str = "active_connection";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    Sandbox,
    Anyint,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Anyint => "anyint",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Sandbox, Self::Anyint]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a connection's key comes from (never the key itself); the UI words it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum KeySource {
    /// The vault key bound for the connection's current environment.
    Vault {
        label: String,
        environment: Environment,
    },
    /// The running Sandbox's simulated key.
    Sandbox,
    /// `ANYINT_API_KEY` from the app's environment (only for connections that opted in).
    EnvironmentVariable,
    /// No key: bind one in Keys (or, for the Sandbox, it is not running).
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub name: String,
    pub base_url: String,
    pub kind: ConnectionKind,
    /// The environment whose bound key the connection uses now.
    pub environment: Environment,
    pub active: bool,
    /// Where the key comes from (never the key).
    pub key_source: KeySource,
    pub masked_key: Option<String>,
    /// Whether the connection falls back to `ANYINT_API_KEY` when no vault key is bound.
    pub use_env_key: bool,
    /// Plain `http://` to a host other than this machine: keys and prompts travel unencrypted.
    pub insecure_http: bool,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewConnection {
    pub name: String,
    pub base_url: String,
    /// Opt in to `ANYINT_API_KEY` from the app's environment as the fallback key. Off by
    /// default, so the variable's key goes only where the user sent it.
    #[serde(default)]
    #[ts(optional)]
    pub use_env_key: Option<bool>,
    /// The user confirmed a plain `http://` URL to another host (after `insecure_http`).
    #[serde(default)]
    #[ts(optional)]
    pub allow_insecure_http: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelsView {
    pub connection_id: String,
    pub models: Vec<ModelInfo>,
    /// RFC 3339.
    pub fetched_at: String,
    pub from_cache: bool,
}

/// The simulated gateway the app started for this run: its loopback URL and the key it accepts.
#[derive(Debug, Clone)]
pub struct SandboxEndpoint {
    pub base_url: String,
    pub key: ApiKey,
}

#[derive(Clone, Debug)]
pub struct Desk {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    vault: KeyVault,
    sandbox: Option<SandboxEndpoint>,
    env_key: Option<ApiKey>,
    /// Wakes the reminder loop after a write that changes key dates.
    key_dates_changed: tokio::sync::Notify,
    history: crate::history::ChatHistory,
    runs: playground::RunningRuns,
    /// The task center: rows, poller hand-off, artifacts folder.
    tasks: std::sync::Arc<crate::tasks::center::TaskCenter>,
    /// Where `open` found the database; `None` for a desk assembled from parts (tests).
    data_dir: Option<PathBuf>,
    network: settings::NetworkCache,
    /// The optional loopback receiver for task callbacks (see `inbox`).
    inbox: crate::tasks::inbox::CallbackInbox,
}

impl Desk {
    /// Opens the data dir. The first start creates the Sandbox connection and makes it active,
    /// so a new user lands on a working gateway rather than an empty form.
    pub fn open(data_dir: &Path, sandbox: Option<SandboxEndpoint>) -> Result<Self, DeskError> {
        Self::assemble(
            Store::open(data_dir)?,
            Keychain::os(),
            sandbox,
            ApiKey::from_env(),
            Some(data_dir.to_owned()),
        )
    }

    /// Assembles a desk from its parts (tests pass an in-memory keychain).
    pub fn with_parts(
        store: Store,
        keychain: Keychain,
        sandbox: Option<SandboxEndpoint>,
        env_key: Option<ApiKey>,
    ) -> Result<Self, DeskError> {
        Self::assemble(store, keychain, sandbox, env_key, None)
    }

    fn assemble(
        store: Store,
        keychain: Keychain,
        sandbox: Option<SandboxEndpoint>,
        env_key: Option<ApiKey>,
        data_dir: Option<PathBuf>,
    ) -> Result<Self, DeskError> {
        if store.connection(SANDBOX_ID)?.is_none() {
            store.insert_connection(&ConnectionRow {
                id: SANDBOX_ID.into(),
                name: "Sandbox".into(),
                kind: ConnectionKind::Sandbox,
                // The real address changes every run; see `SandboxEndpoint`.
                base_url: "sandbox://local".into(),
                created_at: now(),
                use_env_key: false,
            })?;
        }
        if store.setting(ACTIVE_KEY)?.is_none() {
            store.set_setting(ACTIVE_KEY, SANDBOX_ID)?;
        }
        let tasks = tasks::task_center(&store)?;
        let inbox = crate::tasks::inbox::CallbackInbox::new(crate::tasks::inbox::Receiver::new(
            tasks.clone(),
        ));
        let desk = Self {
            inner: Arc::new(Inner {
                vault: KeyVault::new(store.clone(), keychain),
                history: crate::history::ChatHistory::new(store.clone()),
                store,
                sandbox,
                env_key,
                key_dates_changed: tokio::sync::Notify::new(),
                runs: playground::RunningRuns::default(),
                tasks,
                data_dir,
                network: settings::NetworkCache::default(),
                inbox,
            }),
        };
        // Key verification needs the settings' network before any client is built; a locked
        // keychain (the proxy password) is reported by the first request instead.
        if let Err(e) = desk.network() {
            tracing::warn!("the network settings could not be read yet: {e}");
        }
        desk.sync_artifacts_dir()?;
        Ok(desk)
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn connections(&self) -> Result<Vec<Connection>, DeskError> {
        let active = self.inner.store.setting(ACTIVE_KEY)?;
        let rows = self.inner.store.connections()?;
        rows.into_iter()
            .map(|row| self.describe(row, active.as_deref()))
            .collect()
    }

    pub fn active(&self) -> Result<Connection, DeskError> {
        let id = self
            .inner
            .store
            .setting(ACTIVE_KEY)?
            .unwrap_or_else(|| SANDBOX_ID.into());
        self.connection(&id)
    }

    pub fn connection(&self, id: &str) -> Result<Connection, DeskError> {
        let row = self
            .inner
            .store
            .connection(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no connection with id `{id}`")))?;
        let active = self.inner.store.setting(ACTIVE_KEY)?;
        self.describe(row, active.as_deref())
    }

    pub fn add_connection(&self, input: NewConnection) -> Result<Connection, DeskError> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(DeskError::InvalidInput("a connection needs a name".into()));
        }
        let url = parse_base_url(&input.base_url)?;
        refuse_unconfirmed_http(&url, input.allow_insecure_http.unwrap_or(false))?;
        let taken = self
            .inner
            .store
            .connections()?
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(DeskError::InvalidInput(format!(
                "a connection named `{name}` already exists"
            )));
        }
        let row = ConnectionRow {
            id: new_id(name),
            name: name.to_owned(),
            kind: ConnectionKind::Anyint,
            base_url: url.as_str().trim_end_matches('/').to_owned(),
            created_at: now(),
            use_env_key: input.use_env_key.unwrap_or(false),
        };
        self.inner.store.insert_connection(&row)?;
        self.connection(&row.id)
    }

    pub fn activate(&self, id: &str) -> Result<Connection, DeskError> {
        self.connection(id)?;
        self.inner.store.set_setting(ACTIVE_KEY, id)?;
        self.connection(id)
    }

    /// The active connection's models: the cache unless `refresh` or never fetched.
    pub async fn models(&self, refresh: bool) -> Result<ModelsView, DeskError> {
        let active = self.active()?;
        if !refresh {
            if let Some(view) = self.cached_models_view(active.id.clone())? {
                return Ok(view);
            }
        }
        let client = self.client(&active.id)?;
        let models = list_models(&client, Family::OpenAi).await?;
        let fetched_at = now();
        self.inner
            .store
            .replace_models(&active.id, &models, &fetched_at)?;
        Ok(ModelsView {
            connection_id: active.id,
            models,
            fetched_at,
            from_cache: false,
        })
    }

    fn cached_models_view(&self, connection_id: String) -> Result<Option<ModelsView>, DeskError> {
        let cached = self.inner.store.cached_models(&connection_id)?;
        Ok(cached.map(|(models, fetched_at)| ModelsView {
            connection_id,
            models,
            fetched_at,
            from_cache: true,
        }))
    }

    /// A gateway client for a connection, with the key that connection uses.
    pub fn client(&self, connection_id: &str) -> Result<GatewayClient, DeskError> {
        let row = self
            .inner
            .store
            .connection(connection_id)?
            .ok_or_else(|| DeskError::NotFound(format!("no connection `{connection_id}`")))?;
        let (base_url, key) = self.endpoint(&row)?;
        Ok(GatewayClient::with_network(
            &base_url,
            key,
            &self.network()?,
        )?)
    }

    fn endpoint(&self, row: &ConnectionRow) -> Result<(String, ApiKey), DeskError> {
        let base_url = self.base_url_of(row)?;
        // A key bound in the vault for the connection's environment wins over the defaults.
        if let Some((_, key)) = self.inner.vault.key_for(&row.id)? {
            return Ok((base_url, key));
        }
        let fallback = match row.kind {
            ConnectionKind::Sandbox => self.inner.sandbox.as_ref().map(|s| s.key.clone()),
            // Only where the user opted in: the variable's key is not sent to every gateway.
            ConnectionKind::Anyint if row.use_env_key => self.inner.env_key.clone(),
            ConnectionKind::Anyint => None,
        };
        let key = fallback.ok_or_else(|| {
            DeskError::NoKey(format!(
                "connection `{}` has no key: bind one in Keys, or let it use ANYINT_API_KEY",
                row.name
            ))
        })?;
        Ok((base_url, key))
    }

    /// Where a connection's requests go: the Sandbox's address of this run, or the stored URL.
    fn base_url_of(&self, row: &ConnectionRow) -> Result<String, DeskError> {
        match (row.kind, &self.inner.sandbox) {
            (ConnectionKind::Anyint, _) => Ok(row.base_url.clone()),
            (ConnectionKind::Sandbox, Some(s)) => Ok(s.base_url.clone()),
            (ConnectionKind::Sandbox, None) => Err(DeskError::SandboxNotRunning),
        }
    }

    /// A connection as the UI shows it. Reads metadata only: it must not touch the keychain.
    fn describe(&self, row: ConnectionRow, active: Option<&str>) -> Result<Connection, DeskError> {
        let environment = self
            .inner
            .store
            .connection_environment(&row.id)?
            .unwrap_or(Environment::Prod);
        let sandbox = match row.kind {
            ConnectionKind::Sandbox => self.inner.sandbox.as_ref(),
            ConnectionKind::Anyint => None,
        };
        let base_url = sandbox.map_or_else(|| row.base_url.clone(), |s| s.base_url.clone());
        let insecure_http =
            row.kind == ConnectionKind::Anyint && is_plain_http_remote(&row.base_url);
        let (key_source, masked_key) =
            if let Some((label, masked)) = self.bound_key_label(&row.id)? {
                (KeySource::Vault { label, environment }, Some(masked))
            } else if let Some(s) = sandbox {
                (KeySource::Sandbox, Some(s.key.masked()))
            } else if row.kind == ConnectionKind::Sandbox {
                (KeySource::Missing, None)
            } else if let Some(key) = self.inner.env_key.as_ref().filter(|_| row.use_env_key) {
                (KeySource::EnvironmentVariable, Some(key.masked()))
            } else {
                (KeySource::Missing, None)
            };
        Ok(Connection {
            environment,
            active: active == Some(row.id.as_str()),
            id: row.id,
            name: row.name,
            base_url,
            kind: row.kind,
            key_source,
            masked_key,
            use_env_key: row.use_env_key,
            insecure_http,
        })
    }
}

pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A short unique ID: a hash of the name and the current time, so two adds never collide.
fn new_id(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let digest = Sha256::digest(format!("{name}\0{nanos}").as_bytes());
    format!("conn-{}", hex::encode(&digest[..6]))
}
