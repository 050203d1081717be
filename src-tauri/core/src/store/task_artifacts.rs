//! Named queries on `task_artifacts` (migration 004): a task's result files, each claimed with
//! a compare-and-set on its state before it is fetched, so two callers never fetch one file.

use super::tasks::json_column;
use super::{Store, StoreError};
use crate::tasks::view::{ArtifactState, ArtifactView};
use crate::tasks::{ArtifactKind, ArtifactSource};
use rusqlite::{params, Row};

/// An artifact as stored: the view plus what fetching it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArtifact {
    pub view: ArtifactView,
    pub source: ArtifactSource,
    pub name_hint: Option<String>,
}

fn artifact_from_row(r: &Row<'_>) -> rusqlite::Result<StoredArtifact> {
    let source: ArtifactSource =
        serde_json::from_value(json_column(r, "source")?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?;
    let shown = match &source {
        ArtifactSource::Url { url } => url.clone(),
        ArtifactSource::GatewayContent { path } => path.clone(),
        ArtifactSource::Inline { .. } => "inline".to_string(),
    };
    Ok(StoredArtifact {
        view: ArtifactView {
            index: r.get("idx")?,
            kind: r.get("kind")?,
            state: r.get("state")?,
            path: r.get("path")?,
            file_name: r.get("file_name")?,
            size: r.get::<_, Option<i64>>("size")?.map(|s| s.max(0) as u64),
            sha256: r.get("sha256")?,
            mime: r.get("mime")?,
            source: shown,
            item_id: r.get("item_id")?,
            error: r.get("error")?,
        },
        source,
        name_hint: r.get("name_hint")?,
    })
}

fn source_json(source: &ArtifactSource) -> String {
    serde_json::to_string(source).unwrap_or_else(|_| "{}".to_string())
}

impl Store {
    /// Finished tasks with a file still to fetch (pending or failed), for the start-up retry.
    pub fn succeeded_tasks_with_unsaved_artifacts(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT t.id FROM tasks t JOIN task_artifacts a ON a.task_id = t.id
             WHERE t.state = 'succeeded' AND a.state IN ('pending', 'failed') ORDER BY t.n",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn task_artifacts(&self, task_id: &str) -> Result<Vec<StoredArtifact>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT idx, kind, source, name_hint, item_id, state, file_name, path, size, sha256,
                mime, error FROM task_artifacts WHERE task_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([task_id], artifact_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds an artifact at `idx` (state `pending`).
    #[allow(clippy::too_many_arguments)]
    pub fn insert_task_artifact(
        &self,
        task_id: &str,
        idx: u32,
        kind: ArtifactKind,
        source: &ArtifactSource,
        name_hint: Option<&str>,
        item_id: Option<&str>,
        file_name: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO task_artifacts (task_id, idx, kind, source, name_hint, item_id, state,
                file_name, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)
             ON CONFLICT(task_id, idx) DO NOTHING",
            params![
                task_id,
                idx,
                kind,
                source_json(source),
                name_hint,
                item_id,
                file_name,
                now
            ],
        )?;
        Ok(())
    }

    /// A newer answer gave a better source for an artifact not saved yet (Suno's stream URL
    /// followed by the final one).
    pub fn update_task_artifact_source(
        &self,
        task_id: &str,
        idx: u32,
        source: &ArtifactSource,
        now: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE task_artifacts SET source = ?3, state = 'pending', error = NULL, updated_at = ?4
             WHERE task_id = ?1 AND idx = ?2 AND state IN ('pending', 'failed', 'expired')",
            params![task_id, idx, source_json(source), now],
        )?;
        Ok(changed == 1)
    }

    /// The final answer names another source for a file saved from a partial one (Suno's
    /// stream preview, saved at `TEXT_SUCCESS`, then the finished song): fetched again, under
    /// the final name hint. The old path stays on the row until the new file replaces it.
    pub fn refetch_saved_task_artifact(
        &self,
        task_id: &str,
        idx: u32,
        source: &ArtifactSource,
        name_hint: Option<&str>,
        now: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE task_artifacts SET source = ?3, name_hint = ?4, state = 'pending',
                 error = NULL, updated_at = ?5
             WHERE task_id = ?1 AND idx = ?2 AND state = 'saved'",
            params![task_id, idx, source_json(source), name_hint, now],
        )?;
        Ok(changed == 1)
    }

    /// Compare-and-set on an artifact's state.
    pub fn transition_task_artifact(
        &self,
        task_id: &str,
        idx: u32,
        from: ArtifactState,
        to: ArtifactState,
        error: Option<&str>,
        now: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE task_artifacts SET state = ?4, error = ?5, updated_at = ?6
             WHERE task_id = ?1 AND idx = ?2 AND state = ?3",
            params![task_id, idx, from, to, error, now],
        )?;
        Ok(changed == 1)
    }

    /// A download finished: `downloading` -> `saved` with where and what. Inline bytes are
    /// dropped from the source once they are on disk.
    #[allow(clippy::too_many_arguments)]
    pub fn task_artifact_saved(
        &self,
        task_id: &str,
        idx: u32,
        file_name: &str,
        path: &str,
        size: u64,
        sha256: &str,
        mime: Option<&str>,
        now: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE task_artifacts SET state = 'saved', file_name = ?3, path = ?4, size = ?5,
                sha256 = ?6, mime = ?7, error = NULL, updated_at = ?8,
                source = CASE WHEN json_extract(source, '$.kind') = 'inline'
                    THEN json_set(source, '$.base64', '') ELSE source END
             WHERE task_id = ?1 AND idx = ?2 AND state = 'downloading'",
            params![
                task_id,
                idx,
                file_name,
                path,
                i64::try_from(size).unwrap_or(i64::MAX),
                sha256,
                mime,
                now
            ],
        )?;
        Ok(changed == 1)
    }

    /// After a crash, downloads that were under way start again.
    pub fn reset_downloading_artifacts(&self, now: &str) -> Result<usize, StoreError> {
        Ok(self.lock().execute(
            "UPDATE task_artifacts SET state = 'pending', updated_at = ?1
             WHERE state = 'downloading'",
            [now],
        )?)
    }
}
