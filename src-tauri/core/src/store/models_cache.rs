//! Named queries on `models_cache` and `models_fetches`.

use super::{Store, StoreError};
use crate::models::ModelInfo;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Replaces a connection's cached list in one transaction, so a crash mid-write leaves
    /// the previous list rather than half of the new one.
    pub fn replace_models(
        &self,
        connection_id: &str,
        models: &[ModelInfo],
        fetched_at: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM models_cache WHERE connection_id = ?1",
            [connection_id],
        )?;
        {
            // A gateway could list an ID twice; the cache keeps the first, like the UI does.
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO models_cache
                 (connection_id, position, model_id, display_name, type, created_at, owned_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (position, m) in models.iter().enumerate() {
                insert.execute(params![
                    connection_id,
                    position as i64,
                    m.id,
                    m.display_name,
                    m.r#type,
                    m.created_at,
                    m.owned_by
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO models_fetches (connection_id, fetched_at) VALUES (?1, ?2)
             ON CONFLICT(connection_id) DO UPDATE SET fetched_at = excluded.fetched_at",
            [connection_id, fetched_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The cached list and when it was fetched, or `None` if never fetched.
    pub fn cached_models(
        &self,
        connection_id: &str,
    ) -> Result<Option<(Vec<ModelInfo>, String)>, StoreError> {
        let conn = self.lock();
        let fetched_at: Option<String> = conn
            .query_row(
                "SELECT fetched_at FROM models_fetches WHERE connection_id = ?1",
                [connection_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(fetched_at) = fetched_at else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT model_id, display_name, type, created_at, owned_by FROM models_cache
             WHERE connection_id = ?1 ORDER BY position",
        )?;
        let models = stmt
            .query_map([connection_id], |r| {
                Ok(ModelInfo {
                    id: r.get(0)?,
                    display_name: r.get(1)?,
                    r#type: r.get(2)?,
                    created_at: r.get(3)?,
                    owned_by: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((models, fetched_at)))
    }

    /// Drops a connection's cached list (its key changed, so the list may be wrong).
    pub fn forget_models(&self, connection_id: &str) -> Result<(), StoreError> {
        let conn = self.lock();
        conn.execute(
            "DELETE FROM models_cache WHERE connection_id = ?1",
            [connection_id],
        )?;
        conn.execute(
            "DELETE FROM models_fetches WHERE connection_id = ?1",
            [connection_id],
        )?;
        Ok(())
    }
}
