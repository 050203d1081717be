//! Named queries on `callback_inbox` (migration 008): the payloads the local callback inbox
//! received, with the repeat check and the insert in one transaction so two copies of one
//! callback arriving together cannot both count as the first.

use super::{Store, StoreError};
use crate::tasks::inbox::{CallbackEnvelope, CallbackRecord};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

/// One payload to record.
#[derive(Debug, Clone)]
pub struct NewCallback<'a> {
    pub received_at: &'a str,
    pub task_id: Option<&'a str>,
    pub gateway_task_id: Option<&'a str>,
    pub envelope: CallbackEnvelope,
    pub event: &'a str,
    pub claimed_status: Option<&'a str>,
    pub raw: &'a str,
    pub raw_truncated: bool,
}

/// Payloads one task page lists at most (a sender stuck in a loop cannot flood the page).
const LIST_LIMIT: u32 = 200;
/// Records kept in all; older ones are dropped as new ones arrive, so a local process posting
/// in a loop cannot grow the database without bound (64 KiB each at most).
const KEPT: i64 = 10_000;

impl Store {
    /// Records the payload; returns its `n` and, when the same task (or, for an unknown task,
    /// the same gateway id) already had this event, the `n` of the first one.
    pub fn record_callback(&self, cb: &NewCallback<'_>) -> Result<(i64, Option<i64>), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let first: Option<i64> = match (cb.task_id, cb.gateway_task_id) {
            (Some(task), _) => tx
                .query_row(
                    "SELECT n FROM callback_inbox WHERE task_id = ?1 AND event = ?2
                     AND duplicate_of IS NULL ORDER BY n LIMIT 1",
                    params![task, cb.event],
                    |r| r.get(0),
                )
                .optional()?,
            (None, Some(gateway)) => tx
                .query_row(
                    "SELECT n FROM callback_inbox WHERE task_id IS NULL AND gateway_task_id = ?1
                     AND event = ?2 AND duplicate_of IS NULL ORDER BY n LIMIT 1",
                    params![gateway, cb.event],
                    |r| r.get(0),
                )
                .optional()?,
            // Nothing names a task: nothing to be a repeat of.
            (None, None) => None,
        };
        tx.execute(
            "INSERT INTO callback_inbox (received_at, task_id, gateway_task_id, envelope, event,
                 claimed_status, duplicate_of, raw, raw_truncated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                cb.received_at,
                cb.task_id,
                cb.gateway_task_id,
                cb.envelope,
                cb.event,
                cb.claimed_status,
                first,
                cb.raw,
                cb.raw_truncated,
            ],
        )?;
        let n = tx.last_insert_rowid();
        tx.execute("DELETE FROM callback_inbox WHERE n <= ?1", [n - KEPT])?;
        tx.commit()?;
        Ok((n, first))
    }

    /// A task's payloads, oldest first (at most [`LIST_LIMIT`]).
    pub fn task_callbacks(&self, task_id: &str) -> Result<Vec<CallbackRecord>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT n, received_at, task_id, gateway_task_id, envelope, event, claimed_status,
                    duplicate_of, raw, raw_truncated
             FROM callback_inbox WHERE task_id = ?1 ORDER BY n LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![task_id, LIST_LIMIT], |r| {
            Ok(CallbackRecord {
                n: r.get(0)?,
                received_at: r.get(1)?,
                task_id: r.get(2)?,
                gateway_task_id: r.get(3)?,
                envelope: r.get(4)?,
                event: r.get(5)?,
                claimed_status: r.get(6)?,
                duplicate_of: r.get(7)?,
                raw: r.get(8)?,
                raw_truncated: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many payloads the inbox has recorded in all (its status line).
    pub fn callback_count(&self) -> Result<u32, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT COUNT(*) FROM callback_inbox", [], |r| r.get(0))?)
    }
}
