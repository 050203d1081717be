//! `Desk`: the product as the app and the CLI use it, without a window. Connections, which key
//! each one uses, and the models cache. The Tauri crate calls one method per command.

mod keys;

pub use keys::NewKeyInput;

use crate::error::DeskError;
use crate::gateway::{parse_base_url, Family, GatewayClient};
use crate::keys::{ApiKey, Environment, KeyVault, Keychain, RotationPlan};
use crate::models::{list_models, ModelInfo};
use crate::store::{ConnectionRow, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use ts_rs::TS;

const SANDBOX_ID: &str = "sandbox";
const ACTIVE_KEY: &str = "active_connection";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    Sandbox,
    Anyint,
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
    /// Where the key comes from, in words (never the key).
    pub key_source: String,
    pub masked_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewConnection {
    pub name: String,
    pub base_url: String,
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
    /// Verified rotations waiting for the admin's confirmation, by old key id. They hold the
    /// new secret, so they stay in the backend; the UI sees the plan without it.
    pending_rotations: Mutex<HashMap<String, RotationPlan>>,
}

impl Desk {
    /// Opens the data dir. The first start creates the Sandbox connection and makes it active,
    /// so a new user lands on a working gateway rather than an empty form.
    pub fn open(data_dir: &Path, sandbox: Option<SandboxEndpoint>) -> Result<Self, DeskError> {
        Self::with_parts(
            Store::open(data_dir)?,
            Keychain::os(),
            sandbox,
            ApiKey::from_env(),
        )
    }

    /// Assembles a desk from its parts (tests pass an in-memory keychain).
    pub fn with_parts(
        store: Store,
        keychain: Keychain,
        sandbox: Option<SandboxEndpoint>,
        env_key: Option<ApiKey>,
    ) -> Result<Self, DeskError> {
        if store.connection(SANDBOX_ID)?.is_none() {
            store.insert_connection(&ConnectionRow {
                id: SANDBOX_ID.into(),
                name: "Sandbox".into(),
                kind: "sandbox".into(),
                // The real address changes every run; see `SandboxEndpoint`.
                base_url: "sandbox://local".into(),
                created_at: now(),
            })?;
        }
        if store.setting(ACTIVE_KEY)?.is_none() {
            store.set_setting(ACTIVE_KEY, SANDBOX_ID)?;
        }
        Ok(Self {
            inner: Arc::new(Inner {
                vault: KeyVault::new(store.clone(), keychain),
                store,
                sandbox,
                env_key,
                pending_rotations: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn connections(&self) -> Result<Vec<Connection>, DeskError> {
        let active = self.inner.store.setting(ACTIVE_KEY)?;
        let rows = self.inner.store.connections()?;
        Ok(rows
            .into_iter()
            .map(|row| self.describe(row, active.as_deref()))
            .collect())
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
        Ok(self.describe(row, active.as_deref()))
    }

    pub fn add_connection(&self, input: NewConnection) -> Result<Connection, DeskError> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(DeskError::InvalidInput("a connection needs a name".into()));
        }
        let url = parse_base_url(&input.base_url)?;
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
            kind: "anyint".into(),
            base_url: url.as_str().trim_end_matches('/').to_owned(),
            created_at: now(),
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
            if let Some((models, fetched_at)) = self.inner.store.cached_models(&active.id)? {
                return Ok(ModelsView {
                    connection_id: active.id,
                    models,
                    fetched_at,
                    from_cache: true,
                });
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

    /// A gateway client for a connection, with the key that connection uses.
    pub fn client(&self, connection_id: &str) -> Result<GatewayClient, DeskError> {
        let row = self
            .inner
            .store
            .connection(connection_id)?
            .ok_or_else(|| DeskError::NotFound(format!("no connection `{connection_id}`")))?;
        let (base_url, key) = self.endpoint(&row)?;
        Ok(GatewayClient::new(&base_url, key)?)
    }

    fn endpoint(&self, row: &ConnectionRow) -> Result<(String, ApiKey), DeskError> {
        let base_url = self.base_url_of(row)?;
        // A key bound in the vault for the connection's environment wins over the defaults.
        if let Some((_, key)) = self.inner.vault.key_for(&row.id)? {
            return Ok((base_url, key));
        }
        let fallback = if row.kind == "sandbox" {
            self.inner.sandbox.as_ref().map(|s| s.key.clone())
        } else {
            self.inner.env_key.clone()
        };
        let key = fallback.ok_or_else(|| {
            DeskError::NoKey(format!(
                "connection `{}` has no key: add one in Keys, or set ANYINT_API_KEY and restart",
                row.name
            ))
        })?;
        Ok((base_url, key))
    }

    /// Where a connection's requests go: the Sandbox's address of this run, or the stored URL.
    fn base_url_of(&self, row: &ConnectionRow) -> Result<String, DeskError> {
        if row.kind != "sandbox" {
            return Ok(row.base_url.clone());
        }
        match &self.inner.sandbox {
            Some(s) => Ok(s.base_url.clone()),
            None => Err(DeskError::NoKey(
                "the Sandbox is not running in this session".into(),
            )),
        }
    }

    fn describe(&self, row: ConnectionRow, active: Option<&str>) -> Connection {
        let is_sandbox = row.kind == "sandbox";
        // Reads metadata only: describing a connection must not touch the keychain.
        let bound = self.bound_key_label(&row.id);
        let (base_url, key_source, masked) = if let Some((label, masked)) = bound {
            let url = self
                .base_url_of(&row)
                .unwrap_or_else(|_| row.base_url.clone());
            (url, format!("Vault: {label}"), Some(masked))
        } else if is_sandbox {
            match &self.inner.sandbox {
                Some(s) => (
                    s.base_url.clone(),
                    "Sandbox key (simulated)".to_owned(),
                    Some(s.key.masked()),
                ),
                None => (row.base_url.clone(), "Sandbox not running".to_owned(), None),
            }
        } else {
            let source = if self.inner.env_key.is_some() {
                "ANYINT_API_KEY"
            } else {
                "not set (ANYINT_API_KEY)"
            };
            (
                row.base_url.clone(),
                source.to_owned(),
                self.inner.env_key.as_ref().map(ApiKey::masked),
            )
        };
        let environment = self
            .inner
            .store
            .connection_environment(&row.id)
            .ok()
            .flatten()
            .and_then(|e| Environment::parse(&e))
            .unwrap_or(Environment::Prod);
        Connection {
            environment,
            active: active == Some(row.id.as_str()),
            id: row.id,
            name: row.name,
            base_url,
            kind: if is_sandbox {
                ConnectionKind::Sandbox
            } else {
                ConnectionKind::Anyint
            },
            key_source,
            masked_key: masked,
        }
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
