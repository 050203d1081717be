//! Named queries on `key_rotations`: verified rotations waiting for the admin's confirmation.
//! The plan is stored as JSON without its secret; the replacement's secret waits in the
//! keychain under `new_key_id`.

use super::{Store, StoreError};
use rusqlite::{params, OptionalExtension};

/// A stored pending rotation.
#[derive(Debug, Clone, PartialEq)]
pub struct RotationRow {
    pub old_key_id: String,
    pub new_key_id: String,
    pub plan: String,
    pub created_at: String,
}

impl Store {
    /// Stores (or replaces, for a re-planned rotation) the plan for `old_key_id`.
    pub fn save_rotation(&self, row: &RotationRow) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO key_rotations (old_key_id, new_key_id, plan, created_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(old_key_id) DO UPDATE SET new_key_id = excluded.new_key_id,
                 plan = excluded.plan, created_at = excluded.created_at",
            params![row.old_key_id, row.new_key_id, row.plan, row.created_at],
        )?;
        Ok(())
    }

    pub fn rotation(&self, old_key_id: &str) -> Result<Option<RotationRow>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT old_key_id, new_key_id, plan, created_at FROM key_rotations
                 WHERE old_key_id = ?1",
                [old_key_id],
                |r| {
                    Ok(RotationRow {
                        old_key_id: r.get(0)?,
                        new_key_id: r.get(1)?,
                        plan: r.get(2)?,
                        created_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// The ids of every key with a rotation waiting, oldest plan first.
    pub fn rotation_old_key_ids(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT old_key_id FROM key_rotations ORDER BY created_at, old_key_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete_rotation(&self, old_key_id: &str) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "DELETE FROM key_rotations WHERE old_key_id = ?1",
            [old_key_id],
        )? == 1)
    }
}
