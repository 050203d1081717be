//! Named queries on `usage_ledger` (append, read back, sums per group) and `prices` (the
//! user's price table: upsert, list, delete).

use super::workloads::{family_of, family_word};
use super::{Store, StoreError};
use crate::chat::Usage;
use crate::ledger::{
    self, GroupBy, Price, TaskSlice, TaskUnits, TaskUsageEntry, TokenSums, UsageEntry, UsageRow,
    UsageSlice,
};
use rusqlite::{params, Row};

fn u64_of(r: &Row<'_>, column: &str) -> rusqlite::Result<Option<u64>> {
    let n: Option<i64> = r.get(column)?;
    Ok(n.and_then(|n| u64::try_from(n).ok()))
}

fn i64_of(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}

/// A run status stored as its word; an unknown word is a database error.
pub(super) fn status_of(
    r: &Row<'_>,
    column: &str,
) -> rusqlite::Result<crate::playground::RunStatus> {
    let status: String = r.get(column)?;
    ledger::parse_status(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown run status `{status}`").into(),
        )
    })
}

/// The SQL of a group's column over `usage_ledger u` or `task_usage u` joined to `keys k`.
/// It comes from this match, never from input.
fn group_column(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Key => "COALESCE(u.key_fingerprint, '(none)')",
        GroupBy::Model => "u.model",
        GroupBy::Day => "u.day",
        // From the vault's metadata of the key with that fingerprint: a key deleted from
        // the vault, or one without a team, counts under `(none)`.
        GroupBy::Team => "COALESCE(NULLIF(TRIM(k.team), ''), '(none)')",
        GroupBy::Project => "COALESCE(NULLIF(TRIM(k.project), ''), '(none)')",
    }
}

fn row_of(r: &Row<'_>) -> rusqlite::Result<UsageRow> {
    let status = status_of(r, "status")?;
    Ok(UsageRow {
        id: r.get("id")?,
        entry: UsageEntry {
            at: r.get("at")?,
            run_id: r.get("run_id")?,
            connection_id: r.get("connection_id")?,
            key_fingerprint: r.get("key_fingerprint")?,
            workload: r.get("workload")?,
            family: family_of(r, "family")?,
            model: r.get("model")?,
            status,
            http_status: r.get("http_status")?,
            usage: Usage {
                input_tokens: u64_of(r, "input_tokens")?,
                output_tokens: u64_of(r, "output_tokens")?,
                cached_input_tokens: u64_of(r, "cached_input_tokens")?,
                cache_creation_input_tokens: None,
                reasoning_tokens: u64_of(r, "reasoning_tokens")?,
            },
            latency_ms: r.get("latency_ms")?,
            ttft_ms: r.get("ttft_ms")?,
        },
    })
}

impl Store {
    pub fn insert_usage(&self, e: &UsageEntry) -> Result<i64, StoreError> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO usage_ledger (at, day, run_id, connection_id, key_fingerprint, workload,
                 family, model, status, http_status, input_tokens, output_tokens,
                 cached_input_tokens, reasoning_tokens, latency_ms, ttft_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                e.at,
                e.day(),
                e.run_id,
                e.connection_id,
                e.key_fingerprint,
                e.workload,
                family_word(e.family),
                e.model,
                ledger::status_word(e.status),
                e.http_status,
                i64_of(e.usage.input_tokens),
                i64_of(e.usage.output_tokens),
                i64_of(e.usage.cached_input_tokens),
                i64_of(e.usage.reasoning_tokens),
                e.latency_ms,
                e.ttft_ms
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// The ledger in the order it was written (oldest first), at most `limit` rows.
    pub fn usage_rows(&self, limit: u32) -> Result<Vec<UsageRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, at, run_id, connection_id, key_fingerprint, workload, family, model,
                    status, http_status, input_tokens, output_tokens, cached_input_tokens,
                    reasoning_tokens, latency_ms, ttft_ms
             FROM usage_ledger ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], row_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sums per group, model and family (ordered by group), for `ledger::totals`.
    pub fn usage_slices(&self, by: GroupBy) -> Result<Vec<UsageSlice>, StoreError> {
        let group = group_column(by);
        let sql = format!(
            "SELECT {group} AS grp, u.model AS model, u.family AS family, COUNT(*) AS requests,
                    SUM(u.status = 'failed') AS failed,
                    TOTAL(u.input_tokens) AS input, TOTAL(u.output_tokens) AS output,
                    TOTAL(u.cached_input_tokens) AS cached,
                    TOTAL(u.reasoning_tokens) AS reasoning, TOTAL(u.latency_ms) AS latency
             FROM usage_ledger u LEFT JOIN keys k ON k.fingerprint = u.key_fingerprint
             GROUP BY grp, u.model, u.family ORDER BY grp, u.model"
        );
        let conn = self.lock();
        let mut stmt = conn.prepare(&sql)?;
        // TOTAL() is a float; token sums stay far below 2^53, so the conversion is exact.
        let tokens = |r: &Row<'_>, c: &str| -> rusqlite::Result<u64> {
            Ok(r.get::<_, f64>(c)?.max(0.0) as u64)
        };
        let rows = stmt.query_map([], |r| {
            Ok(UsageSlice {
                group: r.get("grp")?,
                model: r.get("model")?,
                family: family_of(r, "family")?,
                requests: r.get("requests")?,
                failed: r.get("failed")?,
                tokens: TokenSums {
                    input: tokens(r, "input")?,
                    output: tokens(r, "output")?,
                    cached: tokens(r, "cached")?,
                    reasoning: tokens(r, "reasoning")?,
                },
                latency_ms_sum: r.get("latency")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Creates or replaces a model's price (the caller validated it).
    pub fn upsert_price(&self, p: &Price, now: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO prices (model, input_per_mtok, output_per_mtok, cached_input_per_mtok,
                                 per_image, per_video_second, per_song, currency, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(model) DO UPDATE SET input_per_mtok = excluded.input_per_mtok,
                 output_per_mtok = excluded.output_per_mtok,
                 cached_input_per_mtok = excluded.cached_input_per_mtok,
                 per_image = excluded.per_image, per_video_second = excluded.per_video_second,
                 per_song = excluded.per_song, currency = excluded.currency,
                 updated_at = excluded.updated_at",
            params![
                p.model,
                p.input_per_mtok,
                p.output_per_mtok,
                p.cached_input_per_mtok,
                p.per_image,
                p.per_video_second,
                p.per_song,
                p.currency,
                now
            ],
        )?;
        Ok(())
    }

    pub fn prices(&self) -> Result<Vec<Price>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT model, input_per_mtok, output_per_mtok, cached_input_per_mtok, per_image,
                    per_video_second, per_song, currency FROM prices ORDER BY model",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Price {
                model: r.get(0)?,
                input_per_mtok: r.get(1)?,
                output_per_mtok: r.get(2)?,
                cached_input_per_mtok: r.get(3)?,
                per_image: r.get(4)?,
                per_video_second: r.get(5)?,
                per_song: r.get(6)?,
                currency: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete_price(&self, model: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM prices WHERE model = ?1", [model])?
            > 0)
    }

    /// Appends a created task's units; a task already counted (the same submission answered
    /// twice) is not counted again.
    pub fn insert_task_usage(&self, e: &TaskUsageEntry) -> Result<bool, StoreError> {
        let day = e.at.get(..10).unwrap_or(&e.at);
        let n = self.lock().execute(
            "INSERT OR IGNORE INTO task_usage (at, day, task_id, route, model, connection_id,
                 key_fingerprint, images, video_seconds, songs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                e.at,
                day,
                e.task_id,
                e.route,
                e.model,
                e.connection_id,
                e.key_fingerprint,
                e.units.images,
                e.units.video_seconds,
                e.units.songs
            ],
        )?;
        Ok(n > 0)
    }

    /// Task units per group and model (ordered by group), for `ledger::add_tasks`.
    pub fn task_usage_slices(&self, by: GroupBy) -> Result<Vec<TaskSlice>, StoreError> {
        let group = group_column(by);
        let sql = format!(
            "SELECT {group} AS grp, u.model AS model, COUNT(*) AS tasks,
                    TOTAL(u.images) AS images, TOTAL(u.video_seconds) AS seconds,
                    TOTAL(u.songs) AS songs
             FROM task_usage u LEFT JOIN keys k ON k.fingerprint = u.key_fingerprint
             GROUP BY grp, u.model ORDER BY grp, u.model"
        );
        let conn = self.lock();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(TaskSlice {
                group: r.get("grp")?,
                model: r.get("model")?,
                tasks: r.get("tasks")?,
                units: TaskUnits {
                    images: r.get::<_, f64>("images")?.max(0.0) as u32,
                    video_seconds: r.get("seconds")?,
                    songs: r.get::<_, f64>("songs")?.max(0.0) as u32,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Created tasks' ledger rows in the order they were written, at most `limit`.
    pub fn task_usage_rows(&self, limit: u32) -> Result<Vec<TaskUsageEntry>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT at, task_id, route, model, connection_id, key_fingerprint, images,
                    video_seconds, songs FROM task_usage ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(TaskUsageEntry {
                at: r.get("at")?,
                task_id: r.get("task_id")?,
                route: r.get("route")?,
                model: r.get("model")?,
                connection_id: r.get("connection_id")?,
                key_fingerprint: r.get("key_fingerprint")?,
                units: TaskUnits {
                    images: r.get("images")?,
                    video_seconds: r.get("video_seconds")?,
                    songs: r.get("songs")?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
