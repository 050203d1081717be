//! Named queries on `tasks` (migration 004; `task_polls.rs` and `task_artifacts.rs` hold the
//! other two tables). Every state
//! change goes through [`Store::transition_task`], a compare-and-set on the row's state, so two
//! overlapping writers cannot both finish one task. `tasks::state` decides which moves are
//! allowed; this file only makes each one atomic.

use super::{Store, StoreError};
use crate::tasks::view::{TaskFilter, TaskPage, TaskRow};
use crate::tasks::TaskState;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use serde_json::Value;

/// A task row to insert, state `submitting`.
#[derive(Debug, Clone)]
pub struct NewTaskRow<'a> {
    pub id: &'a str,
    pub submission_id: &'a str,
    pub connection_id: &'a str,
    pub route: &'a str,
    pub family: &'a str,
    pub model: Option<&'a str>,
    pub label: &'a str,
    pub request: &'a Value,
    pub parent_task_id: Option<&'a str>,
    pub rerun_of: Option<&'a str>,
    pub now: &'a str,
}

/// What a transition writes beside the state. `None` keeps the column as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    pub raw_status: Option<String>,
    pub progress: Option<f32>,
    pub error: Option<String>,
    pub gateway_task_id: Option<String>,
}

/// What the poller needs to track a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedTaskRow {
    pub id: String,
    pub connection_id: String,
    pub route: String,
    pub family: String,
    pub state: TaskState,
    pub gateway_task_id: Option<String>,
    pub created_at: String,
}

const TASK_COLUMNS: &str = "t.id, t.connection_id, t.route, t.family, t.model, t.label, t.state,
    t.raw_status, t.progress, t.created_at, t.updated_at, t.finished_at, t.gateway_task_id,
    t.error, t.parent_task_id, t.rerun_of, t.cost_amount, t.cost_unit,
    (SELECT COUNT(*) FROM task_artifacts a WHERE a.task_id = t.id) AS artifact_count";

fn task_from_row(r: &Row<'_>) -> rusqlite::Result<TaskRow> {
    let amount: Option<f64> = r.get("cost_amount")?;
    let unit: Option<String> = r.get("cost_unit")?;
    Ok(TaskRow {
        id: r.get("id")?,
        connection_id: r.get("connection_id")?,
        route: r.get("route")?,
        family: r.get("family")?,
        model: r.get("model")?,
        label: r.get("label")?,
        state: r.get("state")?,
        raw_status: r.get("raw_status")?,
        progress: r.get::<_, Option<f64>>("progress")?.map(|p| p as f32),
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        finished_at: r.get("finished_at")?,
        gateway_task_id: r.get("gateway_task_id")?,
        error: r.get("error")?,
        artifact_count: r.get("artifact_count")?,
        parent_task_id: r.get("parent_task_id")?,
        rerun_of: r.get("rerun_of")?,
        cost: amount
            .zip(unit)
            .map(|(amount, unit)| crate::tasks::view::TaskCost {
                amount,
                unit,
                basis: "reported by the gateway".to_owned(),
            }),
    })
}

fn tracked_from_row(r: &Row<'_>) -> rusqlite::Result<TrackedTaskRow> {
    Ok(TrackedTaskRow {
        id: r.get("id")?,
        connection_id: r.get("connection_id")?,
        route: r.get("route")?,
        family: r.get("family")?,
        state: r.get("state")?,
        gateway_task_id: r.get("gateway_task_id")?,
        created_at: r.get("created_at")?,
    })
}

pub(super) fn json_column(r: &Row<'_>, name: &str) -> rusqlite::Result<Value> {
    let text: String = r.get(name)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn state_list(states: &[TaskState]) -> String {
    states
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Inserts a `submitting` row, or finds the one already made for this `submission_id`.
    /// The flag says whether this call created it.
    pub fn insert_task(&self, row: &NewTaskRow<'_>) -> Result<(TaskRow, bool), StoreError> {
        let conn = self.lock();
        // Synced to disk before the create request can be sent, power cut included.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let created = conn.execute(
            "INSERT INTO tasks (id, submission_id, connection_id, route, family, model, label,
                request, state, parent_task_id, rerun_of, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'submitting', ?9, ?10, ?11, ?11)
             ON CONFLICT(submission_id) DO NOTHING",
            params![
                row.id,
                row.submission_id,
                row.connection_id,
                row.route,
                row.family,
                row.model,
                row.label,
                row.request.to_string(),
                row.parent_task_id,
                row.rerun_of,
                row.now
            ],
        );
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let created = created? == 1;
        let sql = format!("SELECT {TASK_COLUMNS} FROM tasks t WHERE t.submission_id = ?1");
        let task = conn.query_row(&sql, [row.submission_id], task_from_row)?;
        Ok((task, created))
    }

    pub fn task(&self, id: &str) -> Result<Option<TaskRow>, StoreError> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM tasks t WHERE t.id = ?1");
        Ok(self
            .lock()
            .query_row(&sql, [id], task_from_row)
            .optional()?)
    }

    /// The create body as sent.
    pub fn task_request(&self, id: &str) -> Result<Option<Value>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT request FROM tasks WHERE id = ?1", [id], |r| {
                json_column(r, "request")
            })
            .optional()?)
    }

    /// The compare-and-set every state change goes through: moves `id` from `from` to `to`
    /// only if it is still in `from`. True when this call won.
    pub fn transition_task(
        &self,
        id: &str,
        from: TaskState,
        to: TaskState,
        patch: &TaskPatch,
        now: &str,
    ) -> Result<bool, StoreError> {
        let finished = to.is_terminal().then_some(now);
        let changed = self.lock().execute(
            "UPDATE tasks SET state = ?3,
                raw_status = COALESCE(?4, raw_status),
                progress = COALESCE(?5, progress),
                error = COALESCE(?6, error),
                gateway_task_id = COALESCE(?7, gateway_task_id),
                finished_at = COALESCE(finished_at, ?8),
                updated_at = ?9
             WHERE id = ?1 AND state = ?2",
            params![
                id,
                from,
                to,
                patch.raw_status,
                patch.progress.map(f64::from),
                patch.error,
                patch.gateway_task_id,
                finished,
                now
            ],
        )?;
        Ok(changed == 1)
    }

    /// Records the family's status and progress without a state change, if the task is still
    /// in `state` (a poll that lost a race writes nothing).
    pub fn touch_task(
        &self,
        id: &str,
        state: TaskState,
        raw_status: Option<&str>,
        progress: Option<f32>,
        now: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE tasks SET raw_status = COALESCE(?3, raw_status),
                progress = COALESCE(?4, progress), updated_at = ?5
             WHERE id = ?1 AND state = ?2",
            params![id, state, raw_status, progress.map(f64::from), now],
        )?;
        Ok(changed == 1)
    }

    /// Tasks in any of `states`, oldest first (the poller's resume list).
    pub fn tasks_in_states(&self, states: &[TaskState]) -> Result<Vec<TrackedTaskRow>, StoreError> {
        let sql = format!(
            "SELECT id, connection_id, route, family, state, gateway_task_id, created_at
             FROM tasks WHERE state IN ({}) ORDER BY n",
            state_list(states)
        );
        let conn = self.lock();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], tracked_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The tracking rows of the given tasks (a task just submitted, for the poller).
    pub fn tasks_by_ids(&self, ids: &[&str]) -> Result<Vec<TrackedTaskRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, connection_id, route, family, state, gateway_task_id, created_at
             FROM tasks WHERE id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let row = stmt.query_row([id], tracked_from_row).optional()?;
            out.extend(row);
        }
        Ok(out)
    }

    /// The task the gateway knows as `gateway_task_id` (a callback names it so).
    pub fn task_id_by_gateway_id(
        &self,
        gateway_task_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT id FROM tasks WHERE gateway_task_id = ?1 ORDER BY n DESC LIMIT 1",
                [gateway_task_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn count_tasks_in(&self, states: &[TaskState]) -> Result<u32, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM tasks WHERE state IN ({})",
            state_list(states)
        );
        Ok(self.lock().query_row(&sql, [], |r| r.get(0))?)
    }

    /// One page of the table, newest first.
    pub fn list_tasks(&self, filter: &TaskFilter, limit: u32) -> Result<TaskPage, StoreError> {
        let mut clauses = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if !filter.states.is_empty() {
            clauses.push(format!("t.state IN ({})", state_list(&filter.states)));
        }
        if let Some(family) = filter.family.as_deref().filter(|s| !s.is_empty()) {
            args.push(SqlValue::Text(family.to_string()));
            clauses.push(format!("t.family = ?{}", args.len()));
        }
        if let Some(route) = filter.route.as_deref().filter(|s| !s.is_empty()) {
            args.push(SqlValue::Text(route.to_string()));
            clauses.push(format!("t.route = ?{}", args.len()));
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // instr, not LIKE: the user's `%` and `_` are plain characters here.
            args.push(SqlValue::Text(text.to_lowercase()));
            let p = args.len();
            clauses.push(format!(
                "(instr(lower(t.label), ?{p}) > 0 OR instr(lower(COALESCE(t.model, '')), ?{p}) > 0
                  OR instr(lower(t.route), ?{p}) > 0
                  OR instr(lower(COALESCE(t.gateway_task_id, '')), ?{p}) > 0)"
            ));
        }
        let clause = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let conn = self.lock();
        let total: u32 = conn.query_row(
            &format!("SELECT COUNT(*) FROM tasks t {clause}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        args.push(SqlValue::Integer(i64::from(limit)));
        args.push(SqlValue::Integer(i64::from(filter.offset)));
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks t {clause} ORDER BY t.n DESC LIMIT ?{} OFFSET ?{}",
            args.len() - 1,
            args.len()
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), task_from_row)?;
        Ok(TaskPage {
            rows: rows.collect::<Result<_, _>>()?,
            total,
        })
    }

    /// Terminal tasks whose notification is still owed, oldest first.
    pub fn unnotified_terminal_tasks(&self) -> Result<Vec<TaskRow>, StoreError> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks t WHERE t.notified_at IS NULL
             AND t.state IN ('succeeded', 'failed', 'cancelled', 'expired') ORDER BY t.n"
        );
        let conn = self.lock();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], task_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether the task is terminal and its notification not recorded as shown yet.
    pub fn task_notice_owed(&self, id: &str) -> Result<bool, StoreError> {
        let owed: Option<i64> = self
            .lock()
            .query_row(
                "SELECT 1 FROM tasks WHERE id = ?1 AND notified_at IS NULL
                 AND state IN ('succeeded', 'failed', 'cancelled', 'expired')",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(owed.is_some())
    }

    /// True the first time only: records the notification as shown.
    pub fn mark_task_notified(&self, id: &str, now: &str) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE tasks SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL
             AND state IN ('succeeded', 'failed', 'cancelled', 'expired')",
            params![id, now],
        )?;
        Ok(changed == 1)
    }

    /// `id`'s lineage root: its furthest ancestor still in the table.
    pub fn task_lineage_root(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "WITH RECURSIVE up(id, parent, depth) AS (
                    SELECT id, parent_task_id, 0 FROM tasks WHERE id = ?1
                    UNION
                    SELECT t.id, t.parent_task_id, up.depth + 1 FROM tasks t
                    JOIN up ON t.id = up.parent WHERE up.depth < 1000)
                 SELECT id FROM up ORDER BY depth DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// `root` and every task derived from it, oldest first.
    pub fn task_subtree(&self, root: &str) -> Result<Vec<TaskRow>, StoreError> {
        let sql = format!(
            "WITH RECURSIVE down(id, depth) AS (
                SELECT id, 0 FROM tasks WHERE id = ?1
                UNION
                SELECT t.id, down.depth + 1 FROM tasks t
                JOIN down ON t.parent_task_id = down.id WHERE down.depth < 1000)
             SELECT {TASK_COLUMNS} FROM tasks t JOIN down ON down.id = t.id ORDER BY t.n"
        );
        let conn = self.lock();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([root], task_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
