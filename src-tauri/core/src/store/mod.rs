//! SQLite: one file in the app's data dir, WAL, embedded additive migrations, and one file of
//! named queries per table. Never holds a secret (keys live in the OS keychain).

mod app_settings;
mod audit;
mod callback_inbox;
mod chat_history;
mod comparisons;
mod connections;
mod keys;
mod models_cache;
mod rotations;
mod task_artifacts;
mod task_polls;
mod tasks;
mod usage;
mod workloads;

pub use callback_inbox::NewCallback;
pub use chat_history::ChatSearchRow;
pub use connections::ConnectionRow;
pub use keys::{KeyRow, KeyRowMetadata, KeyUseRow};
pub use rotations::RotationRow;
pub use task_artifacts::StoredArtifact;
pub use task_polls::NewPoll;
pub use tasks::{NewTaskRow, TaskPatch, TrackedTaskRow};
pub(crate) use workloads::family_word;
pub use workloads::FallbackLogRow;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
}

/// Stores an enum as its wire word in a TEXT column. An unknown word (a newer app version, a
/// damaged file) is a database error, never a silent default.
macro_rules! text_column {
    ($ty:ty) => {
        impl rusqlite::types::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $ty {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let word = value.as_str()?;
                <$ty>::parse(word).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(
                        format!("unknown {} `{word}`", stringify!($ty)).into(),
                    )
                })
            }
        }
    };
}
text_column!(crate::keys::Environment);
text_column!(crate::keys::KeyKind);
text_column!(crate::keys::KeyStatus);
text_column!(crate::desk::ConnectionKind);
text_column!(crate::history::TurnStatus);
text_column!(crate::tasks::TaskState);
text_column!(crate::tasks::ArtifactKind);
text_column!(crate::tasks::view::ArtifactState);
text_column!(crate::settings::ProxyMode);
text_column!(crate::settings::TlsRoots);
text_column!(crate::fallback::Goal);

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_init.sql")),
        M::up(include_str!("migrations/002_keys.sql")),
        M::up(include_str!("migrations/003_chat_history.sql")),
        M::up(include_str!("migrations/004_tasks.sql")),
        M::up(include_str!("migrations/005_settings.sql")),
        M::up(include_str!("migrations/006_vault_scale.sql")),
        M::up(include_str!("migrations/007_model_choice.sql")),
        M::up(include_str!("migrations/008_callback_inbox.sql")),
        M::up(include_str!("migrations/009_comparisons_advice.sql")),
    ])
}

/// A handle on the database; clones share one connection. Queries are short, so a plain
/// mutex is enough and no lock is held across an `.await`.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Opens (creating if needed) `desk.sqlite3` in `data_dir` and brings it up to date.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let conn = Connection::open(data_dir.join("desk.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // WAL + NORMAL: a commit survives the app being killed (it is in the WAL file); only an
        // OS crash can lose the last few. The task poller commits every answer, and FULL would
        // fsync each one under the store lock. The one write that must survive a power cut too
        // (a task row before its paid create request) asks for FULL itself (`insert_task`).
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::prepare(conn)
    }

    /// An in-memory database, for tests.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent (every write is one
        // statement or one transaction), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The folder the database file is in; `None` for an in-memory store.
    pub fn data_dir(&self) -> Option<std::path::PathBuf> {
        let conn = self.lock();
        let file = conn.path().filter(|p| !p.is_empty())?;
        Path::new(file).parent().map(Path::to_path_buf)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .lock()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn opens_a_file_twice_and_keeps_settings() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path())
            .unwrap()
            .set_setting("a", "1")
            .unwrap();
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.setting("a").unwrap().as_deref(), Some("1"));
        assert_eq!(again.setting("b").unwrap(), None);
    }
}
