//! Vault tests over a temp or in-memory SQLite, a per-test in-memory keychain, and (for
//! verification and rotation) the real sandbox gateway on loopback.

mod reminders;
mod rotation;
mod rotation_resume;
mod vault;
mod verify;

use super::testing::MemoryKeychain;
use super::{ApiKey, Environment, KeyVault, NewKey};
pub(super) use crate::error::ErrorCode;
use crate::store::{ConnectionRow, KeyRow, Store};
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn vault() -> (KeyVault, MemoryKeychain) {
    let mem = MemoryKeychain::new();
    (
        KeyVault::new(Store::in_memory().unwrap(), mem.keychain()),
        mem,
    )
}

pub(super) fn key(s: &str) -> ApiKey {
    ApiKey::new(s).unwrap()
}

pub(super) fn new_key(label: &str, secret: &str, environment: Environment) -> NewKey {
    NewKey {
        label: label.into(),
        team: Some("Team A".into()),
        project: Some("web".into()),
        environment,
        secret: key(secret),
        rotate_by: None,
        expires_at: None,
        notes: Some("made in the dashboard".into()),
    }
}

pub(super) fn add_connection(vault: &KeyVault, id: &str) {
    add_connection_at(vault, id, "https://api.anyint.ai");
}

pub(super) fn add_connection_at(vault: &KeyVault, id: &str, base_url: &str) {
    vault
        .store()
        .insert_connection(&ConnectionRow {
            id: id.into(),
            name: id.into(),
            kind: crate::ConnectionKind::Anyint,
            base_url: base_url.into(),
            created_at: "2030-01-01T00:00:00Z".into(),
            use_env_key: false,
        })
        .unwrap();
}

/// Everything a rotation may touch, compared whole.
#[derive(Debug, PartialEq)]
pub(super) struct Snapshot {
    keys: Vec<KeyRow>,
    bindings: Vec<(String, Environment, String)>,
    environments: Vec<(String, Option<Environment>)>,
    keychain: BTreeMap<String, String>,
}

pub(super) fn snapshot(vault: &KeyVault, mem: &MemoryKeychain) -> Snapshot {
    let store = vault.store();
    let environments = store
        .connections()
        .unwrap()
        .into_iter()
        .map(|c| {
            let env = store.connection_environment(&c.id).unwrap();
            (c.id, env)
        })
        .collect();
    Snapshot {
        keys: store.key_rows().unwrap(),
        bindings: store.key_bindings().unwrap(),
        environments,
        keychain: mem.fingerprints(),
    }
}

/// Whether any file under `dir` (the database, its WAL and shared-memory files) contains
/// `needle`.
pub(super) fn dir_contains(dir: &Path, needle: &str) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

/// A loopback URL nobody listens on.
pub(super) fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

pub(super) async fn sandbox() -> anyint_sandbox::Sandbox {
    anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .unwrap()
}

pub(super) fn actions(vault: &KeyVault) -> Vec<String> {
    let mut all: Vec<String> = vault
        .audit(1000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    all.reverse();
    all
}
