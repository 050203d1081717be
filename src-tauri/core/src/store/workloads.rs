//! Named queries on `workloads` (one row per workload, the policy as JSON) and `fallback_log`
//! (append, mark answered, read back newest first).

use super::{Store, StoreError};
use crate::chat::ChatFamily;
use crate::fallback::{FallbackPolicy, Workload};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

/// One logged fallback (contract §7.1: workload, primary, fallback, status, reason, time).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FallbackLogRow {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub workload: String,
    pub family: ChatFamily,
    pub primary_model: String,
    pub fallback_model: String,
    pub status: Option<u16>,
    pub failure: String,
    pub trigger: Option<String>,
    pub reason: String,
    /// `fell_back`, or `held` (a paid tier waiting for consent).
    pub action: String,
    pub run_id: Option<String>,
    pub answered: Option<bool>,
}

/// The family's wire word (`openai_chat`, ...), as the history stores it.
pub(crate) fn family_word(family: ChatFamily) -> String {
    match serde_json::to_value(family) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(super) fn family_of(row: &Row<'_>, column: &str) -> rusqlite::Result<ChatFamily> {
    let word: String = row.get(column)?;
    serde_json::from_value(serde_json::Value::String(word.clone())).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown chat family `{word}`").into(),
        )
    })
}

fn workload_of(r: &Row<'_>) -> rusqlite::Result<Workload> {
    let policy: String = r.get("policy")?;
    // A policy written by a newer app may have fields this one does not know: they are
    // tolerated, and missing ones take their defaults.
    let policy: FallbackPolicy = serde_json::from_str(&policy).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(Workload {
        name: r.get("name")?,
        family: family_of(r, "family")?,
        primary: r.get("primary_model")?,
        fallback: r.get("fallback_model")?,
        goal: r.get("goal")?,
        paid_tier: r.get("paid_tier")?,
        policy,
        notes: r.get("notes")?,
    })
}

const WORKLOAD_COLUMNS: &str =
    "name, family, primary_model, fallback_model, goal, paid_tier, policy, notes";

/// One upsert, on a connection or inside a transaction.
fn upsert(conn: &rusqlite::Connection, w: &Workload, now: &str) -> Result<(), StoreError> {
    let policy = serde_json::to_string(&w.policy).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO workloads (name, family, primary_model, fallback_model, goal, paid_tier,
                                    policy, notes, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(name) DO UPDATE SET family = excluded.family,
                 primary_model = excluded.primary_model, fallback_model = excluded.fallback_model,
                 goal = excluded.goal, paid_tier = excluded.paid_tier, policy = excluded.policy,
                 notes = excluded.notes, updated_at = excluded.updated_at",
        params![
            w.name,
            family_word(w.family),
            w.primary,
            w.fallback,
            w.goal,
            w.paid_tier,
            policy,
            w.notes,
            now
        ],
    )?;
    Ok(())
}

impl Store {
    /// Creates or replaces a workload by name (the caller validated it).
    pub fn upsert_workload(&self, w: &Workload, now: &str) -> Result<(), StoreError> {
        upsert(&self.lock(), w, now)
    }

    /// Creates or replaces several workloads in one transaction: an import is kept whole or
    /// not at all.
    pub fn upsert_workloads(&self, all: &[Workload], now: &str) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        for w in all {
            upsert(&tx, w, now)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn workload(&self, name: &str) -> Result<Option<Workload>, StoreError> {
        let sql = format!("SELECT {WORKLOAD_COLUMNS} FROM workloads WHERE name = ?1");
        Ok(self
            .lock()
            .query_row(&sql, [name], workload_of)
            .optional()?)
    }

    /// Every workload, by name.
    pub fn workloads(&self) -> Result<Vec<Workload>, StoreError> {
        let conn = self.lock();
        let sql = format!("SELECT {WORKLOAD_COLUMNS} FROM workloads ORDER BY name");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], workload_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// False when there was no such workload.
    pub fn delete_workload(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM workloads WHERE name = ?1", [name])?
            > 0)
    }

    /// Appends a fallback (its `id` is ignored) and returns the new id.
    pub fn insert_fallback(&self, row: &FallbackLogRow) -> Result<i64, StoreError> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO fallback_log (at, workload, family, primary_model, fallback_model, status,
                                       failure, trigger_name, reason, action, run_id, answered)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                row.at,
                row.workload,
                family_word(row.family),
                row.primary_model,
                row.fallback_model,
                row.status,
                row.failure,
                row.trigger,
                row.reason,
                row.action,
                row.run_id,
                row.answered
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Records whether the fallback then answered.
    pub fn set_fallback_answered(&self, id: i64, answered: bool) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE fallback_log SET answered = ?2 WHERE id = ?1",
            params![id, answered],
        )?;
        Ok(())
    }

    /// The latest `limit` fallbacks, newest first.
    pub fn fallback_log(&self, limit: u32) -> Result<Vec<FallbackLogRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, at, workload, family, primary_model, fallback_model, status, failure,
                    trigger_name, reason, action, run_id, answered
             FROM fallback_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(FallbackLogRow {
                id: r.get("id")?,
                at: r.get("at")?,
                workload: r.get("workload")?,
                family: family_of(r, "family")?,
                primary_model: r.get("primary_model")?,
                fallback_model: r.get("fallback_model")?,
                status: r.get("status")?,
                failure: r.get("failure")?,
                trigger: r.get("trigger_name")?,
                reason: r.get("reason")?,
                action: r.get("action")?,
                run_id: r.get("run_id")?,
                answered: r.get("answered")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
