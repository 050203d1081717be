//! Named queries on `task_polls` (migration 004): every answer a task received, bounded per
//! task (the first few and the last few are kept, the total counted on the task's row).

use super::tasks::json_column;
use super::{Store, StoreError};
use crate::tasks::view::TaskPollView;
use crate::tasks::TaskState;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde_json::Value;

/// One answer to record.
#[derive(Debug, Clone)]
pub struct NewPoll<'a> {
    pub at: &'a str,
    pub http_status: Option<u16>,
    pub raw_status: Option<&'a str>,
    pub state: Option<TaskState>,
    pub body: &'a Value,
    pub error: Option<&'a str>,
}

impl Store {
    /// Whether this exact callback body was already recorded for the task.
    pub fn task_has_callback(&self, task_id: &str, body: &Value) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT 1 FROM task_polls WHERE task_id = ?1 AND raw_status = 'callback'
                 AND body = ?2 LIMIT 1",
                params![task_id, body.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Records one answer, keeping the first `keep_first` and the last `keep_last` of each task.
    pub fn record_task_poll(
        &self,
        task_id: &str,
        poll: &NewPoll<'_>,
        keep_first: u32,
        keep_last: u32,
    ) -> Result<(), StoreError> {
        self.record_task_poll_and_touch(task_id, poll, (keep_first, keep_last), None)
            .map(|_| ())
    }

    /// [`Store::record_task_poll`] and, in the same transaction, the family's status and
    /// progress written if the task is still in `touch.0` (the poller's common case: one
    /// commit per answer). Returns the task's state after, `None` when it is gone.
    pub fn record_task_poll_and_touch(
        &self,
        task_id: &str,
        poll: &NewPoll<'_>,
        (keep_first, keep_last): (u32, u32),
        touch: Option<(TaskState, Option<&str>, Option<f32>)>,
    ) -> Result<Option<TaskState>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (seen, raw_status, progress) = match touch {
            Some((state, raw, progress)) => (Some(state), raw, progress.map(f64::from)),
            None => (None, None, None),
        };
        let row: Option<(u32, TaskState)> = tx
            .prepare_cached(
                "UPDATE tasks SET poll_count = poll_count + 1,
                    raw_status = CASE WHEN state = ?2 THEN COALESCE(?3, raw_status)
                        ELSE raw_status END,
                    progress = CASE WHEN state = ?2 THEN COALESCE(?4, progress) ELSE progress END,
                    updated_at = CASE WHEN state = ?2 THEN ?5 ELSE updated_at END
                 WHERE id = ?1 RETURNING poll_count - 1, state",
            )?
            .query_row(params![task_id, seen, raw_status, progress, poll.at], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((seq, state)) = row else {
            return Ok(None);
        };
        tx.prepare_cached(
            "INSERT INTO task_polls (task_id, seq, at, http_status, raw_status, state, body, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            task_id,
            seq,
            poll.at,
            poll.http_status,
            poll.raw_status,
            poll.state,
            poll.body.to_string(),
            poll.error
        ])?;
        // Drop the middle: seq in [keep_first, seq + 1 - keep_last).
        tx.prepare_cached("DELETE FROM task_polls WHERE task_id = ?1 AND seq >= ?2 AND seq < ?3")?
            .execute(params![
                task_id,
                keep_first,
                i64::from(seq) + 1 - i64::from(keep_last)
            ])?;
        tx.commit()?;
        Ok(Some(state))
    }

    /// The answers kept, in order, and how many were received in all.
    pub fn task_polls(&self, task_id: &str) -> Result<(Vec<TaskPollView>, u32), StoreError> {
        let conn = self.lock();
        let count: u32 = conn
            .query_row(
                "SELECT poll_count FROM tasks WHERE id = ?1",
                [task_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let mut stmt = conn.prepare(
            "SELECT seq, at, http_status, raw_status, state, body, error FROM task_polls
             WHERE task_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([task_id], |r| {
            Ok(TaskPollView {
                seq: r.get("seq")?,
                at: r.get("at")?,
                http_status: r.get("http_status")?,
                raw_status: r.get("raw_status")?,
                state: r.get("state")?,
                body: json_column(r, "body")?,
                error: r.get("error")?,
            })
        })?;
        Ok((rows.collect::<Result<_, _>>()?, count))
    }
}
