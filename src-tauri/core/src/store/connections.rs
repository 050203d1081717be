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
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ConnectionRow> {
    Ok(ConnectionRow {
        id: r.get("id")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        base_url: r.get("base_url")?,
        created_at: r.get("created_at")?,
    })
}

impl Store {
    pub fn connections(&self) -> Result<Vec<ConnectionRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, name, kind, base_url, created_at FROM connections
             ORDER BY kind = 'sandbox' DESC, created_at, name",
        )?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn connection(&self, id: &str) -> Result<Option<ConnectionRow>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT id, name, kind, base_url, created_at FROM connections WHERE id = ?1",
                [id],
                from_row,
            )
            .optional()?)
    }

    pub fn insert_connection(&self, row: &ConnectionRow) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO connections (id, name, kind, base_url, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![row.id, row.name, row.kind, row.base_url, row.created_at],
        )?;
        Ok(())
    }
}
