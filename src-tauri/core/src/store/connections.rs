//! Named queries on `connections`.

use super::{Store, StoreError};
use crate::desk::ConnectionKind;
use rusqlite::{params, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionRow {
    pub id: String,
    pub name: String,
    pub kind: ConnectionKind,
    pub base_url: String,
    pub created_at: String,
    /// Whether the connection may fall back to `ANYINT_API_KEY` (opt-in).
    pub use_env_key: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ConnectionRow> {
    Ok(ConnectionRow {
        id: r.get("id")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        base_url: r.get("base_url")?,
        created_at: r.get("created_at")?,
        use_env_key: r.get("use_env_key")?,
    })
}

impl Store {
    pub fn connections(&self) -> Result<Vec<ConnectionRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, name, kind, base_url, created_at, use_env_key FROM connections
             ORDER BY kind = 'sandbox' DESC, created_at, name",
        )?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn connection(&self, id: &str) -> Result<Option<ConnectionRow>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT id, name, kind, base_url, created_at, use_env_key FROM connections WHERE id = ?1",
                [id],
                from_row,
            )
            .optional()?)
    }

    pub fn insert_connection(&self, row: &ConnectionRow) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO connections (id, name, kind, base_url, created_at, use_env_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.id,
                row.name,
                row.kind,
                row.base_url,
                row.created_at,
                row.use_env_key
            ],
        )?;
        Ok(())
    }

    /// Replaces a connection's name, base URL and key fallback; false if there is none.
    pub fn update_connection(&self, row: &ConnectionRow) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "UPDATE connections SET name = ?2, base_url = ?3, use_env_key = ?4 WHERE id = ?1",
            params![row.id, row.name, row.base_url, row.use_env_key],
        )? == 1)
    }
}
