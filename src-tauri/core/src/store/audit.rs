//! Named queries on `audit_log`: append and read back, newest first. Rows are never updated
//! or deleted by the app.

use super::{Store, StoreError};
use crate::keys::AuditEntry;
use rusqlite::params;

impl Store {
    /// Appends an entry (its `id` is ignored; SQLite assigns one) and returns the new id.
    pub fn insert_audit(&self, e: &AuditEntry) -> Result<i64, StoreError> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, key_id, key_label, key_fingerprint, outcome, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![e.at, e.actor, e.action, e.key_id, e.key_label, e.key_fingerprint, e.outcome, e.detail],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// The latest `limit` entries, newest first (ties broken by insertion order).
    pub fn audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, key_id, key_label, key_fingerprint, outcome, detail
             FROM audit_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                key_id: r.get(4)?,
                key_label: r.get(5)?,
                key_fingerprint: r.get(6)?,
                outcome: r.get(7)?,
                detail: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
