//! The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager) through
//! `keyring`: the only place a stored key's secret lives. One entry per key record, service
//! [`SERVICE`], user = the record id.
//!
//! There is deliberately no fallback store: when no keychain is usable the caller gets
//! [`KeychainError::Unavailable`] and the key is not stored at all. `keyring::Error`'s `Debug`
//! can carry raw secret bytes (`BadEncoding`), so this module only ever formats its `Display`.

use crate::error::ErrorCode;
use crate::keys::ApiKey;
use keyring::credential::CredentialBuilder;
use keyring::Entry;
use std::sync::Arc;

// keyring falls back to its in-memory mock on a target whose native store feature is off, and
// the app would then lose every key on exit while appearing to work. Cargo.toml enables the
// native store for these three targets only; any other target must add its own first.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
compile_error!(
    "no native keychain is configured for this target: add keyring's store feature for it in \
     src-tauri/core/Cargo.toml (a build without one would keep keys in memory only)"
);

/// The keychain service every AnyInt Desk entry is filed under.
pub const SERVICE: &str = "ai.anyint.desk";

#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// The entry does not exist: never stored, or deleted outside the app. A state the UI
    /// shows ("missing from the keychain"), not a crash.
    #[error("the key is not in the keychain (it may have been deleted outside AnyInt Desk)")]
    Missing,
    /// No Secret Service on the bus, a locked keychain, no D-Bus at all.
    #[error("no usable keychain (Secret Service not running or locked): {detail}")]
    Unavailable { detail: String },
    /// Anything else the platform store reported (bad encoding, attribute limits, ambiguity).
    #[error("the keychain refused the operation: {detail}")]
    Failed { detail: String },
}

impl KeychainError {
    pub fn code(&self) -> ErrorCode {
        match self {
            KeychainError::Missing => ErrorCode::KeyMissing,
            KeychainError::Unavailable { .. } => ErrorCode::KeychainUnavailable,
            KeychainError::Failed { .. } => ErrorCode::Keychain,
        }
    }
}

impl From<keyring::Error> for KeychainError {
    fn from(e: keyring::Error) -> Self {
        match e {
            keyring::Error::NoEntry => KeychainError::Missing,
            keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
                KeychainError::Unavailable {
                    detail: e.to_string(),
                }
            }
            // `BadEncoding` holds the stored bytes; never echo them, not even in Display.
            keyring::Error::BadEncoding(_) => KeychainError::Failed {
                detail: "the stored value is not UTF-8 text".into(),
            },
            other => KeychainError::Failed {
                detail: other.to_string(),
            },
        }
    }
}

/// Where entries are built: the process-wide default store (the OS keychain, or whatever a
/// test harness installed with `keyring::set_default_credential_builder`), or an explicit
/// builder (unit tests, so each test has its own isolated store).
#[derive(Clone)]
enum Backend {
    Default,
    Builder(Arc<CredentialBuilder>),
}

/// A handle on the keychain. Cheap to clone.
#[derive(Clone)]
pub struct Keychain {
    backend: Backend,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.backend {
            Backend::Default => f.write_str("Keychain(default)"),
            Backend::Builder(_) => f.write_str("Keychain(custom builder)"),
        }
    }
}

impl Keychain {
    /// The platform keychain (or the process-wide builder a test harness installed).
    pub fn os() -> Self {
        Self {
            backend: Backend::Default,
        }
    }

    /// A keychain over an explicit credential builder, bypassing the process-wide default.
    pub fn with_builder(builder: Arc<CredentialBuilder>) -> Self {
        Self {
            backend: Backend::Builder(builder),
        }
    }

    fn entry(&self, key_id: &str) -> Result<Entry, KeychainError> {
        match &self.backend {
            Backend::Default => Ok(Entry::new(SERVICE, key_id)?),
            Backend::Builder(b) => Ok(Entry::new_with_credential(b.build(None, SERVICE, key_id)?)),
        }
    }

    pub fn set(&self, key_id: &str, secret: &ApiKey) -> Result<(), KeychainError> {
        Ok(self.entry(key_id)?.set_password(secret.expose())?)
    }

    pub fn get(&self, key_id: &str) -> Result<ApiKey, KeychainError> {
        let stored = self.entry(key_id)?.get_password()?;
        ApiKey::new(stored).ok_or_else(|| KeychainError::Failed {
            detail: "the stored value is empty".into(),
        })
    }

    /// Whether the entry exists. `Ok(false)` only for a definite "no entry"; an unusable
    /// keychain is an error, so the UI can tell "deleted" from "cannot look".
    pub fn contains(&self, key_id: &str) -> Result<bool, KeychainError> {
        match self.get(key_id) {
            Ok(_) => Ok(true),
            Err(KeychainError::Missing) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Deletes the entry. Deleting an entry that is already gone succeeds: the goal (no
    /// secret left behind) is met either way.
    pub fn delete(&self, key_id: &str) -> Result<(), KeychainError> {
        match self.entry(key_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks that the keychain answers at all, by reading an entry that never exists.
    pub fn probe(&self) -> Result<(), KeychainError> {
        match self.get("anyint-desk-probe") {
            Ok(_) | Err(KeychainError::Missing) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// For tests only (unit tests, the scenario crate, the end-to-end harness): a shared in-memory
/// credential store. Other crates' tests reach it through the `test-support` feature, so no
/// release build can contain it.
#[cfg(any(test, feature = "test-support"))]
pub mod testing {
    use super::Keychain;
    use keyring::credential::{
        Credential, CredentialApi, CredentialBuilderApi, CredentialPersistence,
    };
    use sha2::{Digest, Sha256};
    use std::collections::{BTreeMap, HashMap};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex, OnceLock};

    type Secrets = HashMap<(String, String), Vec<u8>>;

    /// An in-memory keychain; clones share the same secrets. Every `Entry` built from it for
    /// the same (service, user) sees the same value, unlike `keyring::mock`.
    #[derive(Clone, Default)]
    pub struct MemoryKeychain {
        secrets: Arc<Mutex<Secrets>>,
        unavailable: Arc<AtomicBool>,
        /// Secret reads so far: each is a Secret Service round trip in the real keychain.
        reads: Arc<AtomicUsize>,
    }

    impl std::fmt::Debug for MemoryKeychain {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("MemoryKeychain")
        }
    }

    impl MemoryKeychain {
        pub fn new() -> Self {
            Self::default()
        }

        /// A [`Keychain`] over this store only (does not touch the process-wide default).
        pub fn keychain(&self) -> Keychain {
            Keychain::with_builder(Arc::new(self.clone()))
        }

        fn secrets(&self) -> std::sync::MutexGuard<'_, Secrets> {
            self.secrets.lock().unwrap_or_else(|p| p.into_inner())
        }

        /// user -> SHA-256 fingerprint of the stored value: enough to compare snapshots
        /// without a secret ever appearing in an assertion message.
        pub fn fingerprints(&self) -> BTreeMap<String, String> {
            self.secrets()
                .iter()
                .map(|((_, user), v)| (user.clone(), hex::encode(&Sha256::digest(v)[..6])))
                .collect()
        }

        /// Removes an entry behind the app's back (a user deleting it in Seahorse).
        pub fn remove_outside_app(&self, user: &str) {
            self.secrets().retain(|(_, u), _| u != user);
        }

        /// How many times a secret was read (found or not) through this store.
        pub fn secret_reads(&self) -> usize {
            self.reads.load(Ordering::SeqCst)
        }

        /// Makes every operation fail as a locked Secret Service does (`NoStorageAccess`).
        pub fn set_unavailable(&self, unavailable: bool) {
            self.unavailable.store(unavailable, Ordering::SeqCst);
        }
    }

    #[derive(Debug)]
    struct LockedError;
    impl std::fmt::Display for LockedError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the in-memory test keychain is marked locked")
        }
    }
    impl std::error::Error for LockedError {}

    struct MemoryCredential {
        id: (String, String),
        store: MemoryKeychain,
    }

    impl MemoryCredential {
        fn check(&self) -> keyring::Result<()> {
            if self.store.unavailable.load(Ordering::SeqCst) {
                return Err(keyring::Error::NoStorageAccess(Box::new(LockedError)));
            }
            Ok(())
        }
    }

    impl CredentialApi for MemoryCredential {
        fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
            self.check()?;
            self.store
                .secrets()
                .insert(self.id.clone(), secret.to_vec());
            Ok(())
        }
        fn get_secret(&self) -> keyring::Result<Vec<u8>> {
            self.store.reads.fetch_add(1, Ordering::SeqCst);
            self.check()?;
            self.store
                .secrets()
                .get(&self.id)
                .cloned()
                .ok_or(keyring::Error::NoEntry)
        }
        fn delete_credential(&self) -> keyring::Result<()> {
            self.check()?;
            self.store
                .secrets()
                .remove(&self.id)
                .map(|_| ())
                .ok_or(keyring::Error::NoEntry)
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    impl CredentialBuilderApi for MemoryKeychain {
        fn build(
            &self,
            _target: Option<&str>,
            service: &str,
            user: &str,
        ) -> keyring::Result<Box<Credential>> {
            Ok(Box::new(MemoryCredential {
                id: (service.to_owned(), user.to_owned()),
                store: self.clone(),
            }))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn persistence(&self) -> CredentialPersistence {
            CredentialPersistence::ProcessOnly
        }
    }

    /// Installs one shared [`MemoryKeychain`] as keyring's process-wide default builder (once
    /// per process; later calls return the same store), so `Keychain::os()` uses it. Tests in
    /// one binary share it: give each test its own key ids.
    pub fn install_shared_memory_keychain() -> MemoryKeychain {
        static SHARED: OnceLock<MemoryKeychain> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                let store = MemoryKeychain::new();
                keyring::set_default_credential_builder(Box::new(store.clone()));
                store
            })
            .clone()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::testing::{install_shared_memory_keychain, MemoryKeychain};
    use super::*;

    fn key(s: &str) -> ApiKey {
        ApiKey::new(s).unwrap()
    }

    #[test]
    fn set_get_delete_round_trip_and_missing_state() {
        let mem = MemoryKeychain::new();
        let kc = mem.keychain();
        assert!(matches!(kc.get("k1"), Err(KeychainError::Missing)));
        kc.set("k1", &key("sk-round-trip")).unwrap();
        // A second handle (a new Entry) sees the same secret.
        assert_eq!(mem.keychain().get("k1").unwrap().expose(), "sk-round-trip");
        assert!(kc.contains("k1").unwrap());
        kc.delete("k1").unwrap();
        assert!(!kc.contains("k1").unwrap());
        kc.delete("k1").unwrap(); // already gone is fine
    }

    #[test]
    fn a_locked_keychain_is_reported_as_unavailable() {
        let mem = MemoryKeychain::new();
        mem.set_unavailable(true);
        let err = mem.keychain().set("k", &key("sk-locked")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeychainUnavailable);
        assert!(err.to_string().contains("no usable keychain"), "{err}");
        assert!(mem.keychain().probe().is_err());
        assert!(mem.fingerprints().is_empty());
    }

    #[test]
    fn bad_encoding_never_echoes_the_bytes() {
        let err = KeychainError::from(keyring::Error::BadEncoding(b"sk-SECRETBYTES".to_vec()));
        assert!(!format!("{err} {err:?}").contains("SECRETBYTES"));
    }

    #[test]
    fn the_shared_store_backs_the_default_keychain() {
        let shared = install_shared_memory_keychain();
        Keychain::os()
            .set("shared-test-id", &key("sk-shared-one"))
            .unwrap();
        assert!(shared.fingerprints().contains_key("shared-test-id"));
        assert_eq!(
            install_shared_memory_keychain()
                .keychain()
                .get("shared-test-id")
                .unwrap()
                .expose(),
            "sk-shared-one"
        );
        Keychain::os().delete("shared-test-id").unwrap();
    }
}
