//! Named queries on `keys`, `connection_keys`, the connection's active environment and
//! `reminders_sent`. Environment, kind and status are typed columns (see `text_column!`);
//! `keys::records` turns rows into what the UI sees.

use super::{Store, StoreError};
use crate::keys::{Environment, KeyKind, KeyStatus};
use rusqlite::{params, OptionalExtension, Row};

/// One `keys` row. Never holds a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub id: String,
    pub label: String,
    pub team: Option<String>,
    pub project: Option<String>,
    pub environment: Environment,
    pub kind: KeyKind,
    pub prefix: String,
    pub fingerprint: String,
    pub masked_key: String,
    pub created_at: String,
    pub last_verified_at: Option<String>,
    pub last_verification: Option<String>,
    pub last_used_at: Option<String>,
    pub rotate_by: Option<String>,
    pub expires_at: Option<String>,
    pub status: KeyStatus,
    pub notes: Option<String>,
    pub replaced_by: Option<String>,
    /// The connection whose gateway the key belongs to (see `KeyVault::bind`).
    pub connection_id: Option<String>,
    /// When the keychain entry was last found gone; `None` while it was there when last read.
    pub keychain_missing_at: Option<String>,
}

/// One use of a key: a connection's environment slot that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyUseRow {
    pub key_id: String,
    pub connection_id: String,
    pub connection_name: String,
    pub environment: Environment,
}

/// The editable part of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRowMetadata<'a> {
    pub label: &'a str,
    pub team: Option<&'a str>,
    pub project: Option<&'a str>,
    pub environment: Environment,
    pub rotate_by: Option<&'a str>,
    pub expires_at: Option<&'a str>,
    pub notes: Option<&'a str>,
}

const COLUMNS: &str = "id, label, team, project, environment, kind, prefix, fingerprint,
    masked_key, created_at, last_verified_at, last_verification, last_used_at, rotate_by,
    expires_at, status, notes, replaced_by, connection_id, keychain_missing_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        id: r.get("id")?,
        label: r.get("label")?,
        team: r.get("team")?,
        project: r.get("project")?,
        environment: r.get("environment")?,
        kind: r.get("kind")?,
        prefix: r.get("prefix")?,
        fingerprint: r.get("fingerprint")?,
        masked_key: r.get("masked_key")?,
        created_at: r.get("created_at")?,
        last_verified_at: r.get("last_verified_at")?,
        last_verification: r.get("last_verification")?,
        last_used_at: r.get("last_used_at")?,
        rotate_by: r.get("rotate_by")?,
        expires_at: r.get("expires_at")?,
        status: r.get("status")?,
        notes: r.get("notes")?,
        replaced_by: r.get("replaced_by")?,
        connection_id: r.get("connection_id")?,
        keychain_missing_at: r.get("keychain_missing_at")?,
    })
}

/// Inserts a row on any connection or transaction (rotation inserts inside its transaction).
fn insert(conn: &rusqlite::Connection, k: &KeyRow) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO keys ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"),
        params![
            k.id, k.label, k.team, k.project, k.environment, k.kind, k.prefix, k.fingerprint,
            k.masked_key, k.created_at, k.last_verified_at, k.last_verification, k.last_used_at,
            k.rotate_by, k.expires_at, k.status, k.notes, k.replaced_by, k.connection_id,
            k.keychain_missing_at
        ],
    )?;
    Ok(())
}

impl Store {
    pub fn insert_key(&self, row: &KeyRow) -> Result<(), StoreError> {
        Ok(insert(&self.lock(), row)?)
    }

    pub fn key_row(&self, id: &str) -> Result<Option<KeyRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM keys WHERE id = ?1");
        Ok(self.lock().query_row(&sql, [id], from_row).optional()?)
    }

    pub fn key_row_by_fingerprint(&self, fingerprint: &str) -> Result<Option<KeyRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM keys WHERE fingerprint = ?1");
        Ok(self
            .lock()
            .query_row(&sql, [fingerprint], from_row)
            .optional()?)
    }

    /// Every key: active first, then by label, so the list reads like an inventory.
    pub fn key_rows(&self) -> Result<Vec<KeyRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM keys ORDER BY status = 'retired', label COLLATE NOCASE, created_at"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn update_key_metadata(
        &self,
        id: &str,
        m: &KeyRowMetadata<'_>,
    ) -> Result<bool, StoreError> {
        let n = self.lock().execute(
            "UPDATE keys SET label = ?2, team = ?3, project = ?4, environment = ?5,
             rotate_by = ?6, expires_at = ?7, notes = ?8 WHERE id = ?1",
            params![
                id,
                m.label,
                m.team,
                m.project,
                m.environment,
                m.rotate_by,
                m.expires_at,
                m.notes
            ],
        )?;
        Ok(n == 1)
    }

    pub fn set_key_verification(&self, id: &str, at: &str, json: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE keys SET last_verified_at = ?2, last_verification = ?3 WHERE id = ?1",
            params![id, at, json],
        )?;
        Ok(())
    }

    pub fn touch_key_used(&self, id: &str, at: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE keys SET last_used_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    pub fn set_key_status(&self, id: &str, status: KeyStatus) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE keys SET status = ?2 WHERE id = ?1",
            params![id, status],
        )?;
        Ok(())
    }

    /// Records which connection's gateway the key belongs to.
    pub fn set_key_connection(&self, id: &str, connection_id: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE keys SET connection_id = ?2 WHERE id = ?1",
            params![id, connection_id],
        )?;
        Ok(())
    }

    /// Remembers whether the keychain held the secret when it was last read.
    pub fn set_keychain_missing(&self, id: &str, at: Option<&str>) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE keys SET keychain_missing_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    /// Every binding with its connection's name, by key then connection: one query for the
    /// whole list's "used by" column.
    pub fn key_uses(&self) -> Result<Vec<KeyUseRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT ck.key_id, ck.connection_id, c.name, ck.environment
             FROM connection_keys ck JOIN connections c ON c.id = ck.connection_id
             ORDER BY ck.key_id, c.name COLLATE NOCASE, ck.connection_id, ck.environment",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KeyUseRow {
                key_id: r.get(0)?,
                connection_id: r.get(1)?,
                connection_name: r.get(2)?,
                environment: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete_key_row(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM keys WHERE id = ?1", [id])?
            == 1)
    }

    /// Binds `key_id` to a connection's environment slot, replacing whatever was there.
    pub fn bind_key(
        &self,
        connection_id: &str,
        environment: Environment,
        key_id: &str,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO connection_keys (connection_id, environment, key_id) VALUES (?1, ?2, ?3)
             ON CONFLICT(connection_id, environment) DO UPDATE SET key_id = excluded.key_id",
            params![connection_id, environment, key_id],
        )?;
        Ok(())
    }

    pub fn unbind_key(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "DELETE FROM connection_keys WHERE connection_id = ?1 AND environment = ?2",
            params![connection_id, environment],
        )? == 1)
    }

    pub fn bound_key(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT key_id FROM connection_keys WHERE connection_id = ?1 AND environment = ?2",
                params![connection_id, environment],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every binding as (connection_id, environment, key_id), in a stable order.
    pub fn key_bindings(&self) -> Result<Vec<(String, Environment, String)>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT connection_id, environment, key_id FROM connection_keys
             ORDER BY connection_id, environment",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn connections_using_key(&self, key_id: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT connection_id FROM connection_keys WHERE key_id = ?1 ORDER BY connection_id",
        )?;
        let rows = stmt.query_map([key_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn connection_environment(
        &self,
        connection_id: &str,
    ) -> Result<Option<Environment>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT environment FROM connections WHERE id = ?1",
                [connection_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_connection_environment(
        &self,
        connection_id: &str,
        environment: Environment,
    ) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "UPDATE connections SET environment = ?2 WHERE id = ?1",
            params![connection_id, environment],
        )? == 1)
    }

    /// The rotation's atomic step: inserts the new key, moves every binding of the old key to
    /// it, and retires the old key pointing at its replacement, all or nothing. Returns the
    /// connections whose bindings moved.
    pub fn commit_key_rotation(
        &self,
        new: &KeyRow,
        old_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        insert(&tx, new)?;
        let moved: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT DISTINCT connection_id FROM connection_keys WHERE key_id = ?1 ORDER BY connection_id",
            )?;
            let rows = stmt.query_map([old_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        tx.execute(
            "UPDATE connection_keys SET key_id = ?2 WHERE key_id = ?1",
            params![old_id, new.id],
        )?;
        let retired = tx.execute(
            "UPDATE keys SET status = ?3, replaced_by = ?2 WHERE id = ?1",
            params![old_id, new.id, KeyStatus::Retired],
        )?;
        if retired != 1 {
            // The old key vanished since the plan; dropping `tx` rolls everything back.
            return Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows));
        }
        // The pending plan is done with in the same step, so a crash cannot leave it behind.
        tx.execute("DELETE FROM key_rotations WHERE old_key_id = ?1", [old_id])?;
        tx.commit()?;
        Ok(moved)
    }

    pub fn reminder_sent(
        &self,
        key_id: &str,
        kind: &str,
        date: &str,
        threshold: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT 1 FROM reminders_sent WHERE key_id = ?1 AND kind = ?2 AND date = ?3 AND threshold = ?4",
                params![key_id, kind, date, threshold],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    pub fn mark_reminder_sent(
        &self,
        key_id: &str,
        kind: &str,
        date: &str,
        threshold: i64,
        at: &str,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT OR IGNORE INTO reminders_sent (key_id, kind, date, threshold, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key_id, kind, date, threshold, at],
        )?;
        Ok(())
    }
}
