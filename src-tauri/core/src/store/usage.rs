//! Named queries on `usage_ledger` (append, read back, sums per group) and `prices` (the
//! user's price table: upsert, list, delete).

use super::workloads::{family_of, family_word};
use super::{Store, StoreError};
use crate::chat::Usage;
use crate::ledger::{self, GroupBy, Price, TokenSums, UsageEntry, UsageRow, UsageSlice};
use rusqlite::{params, Row};

fn u64_of(r: &Row<'_>, column: &str) -> rusqlite::Result<Option<u64>> {
    let n: Option<i64> = r.get(column)?;
    Ok(n.and_then(|n| u64::try_from(n).ok()))
}

fn i64_of(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}

fn row_of(r: &Row<'_>) -> rusqlite::Result<UsageRow> {
    let status: String = r.get("status")?;
    let status = ledger::parse_status(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown run status `{status}`").into(),
        )
    })?;
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
        // The group column comes from this match, never from input.
        let group = match by {
            GroupBy::Key => "COALESCE(key_fingerprint, '(none)')",
            GroupBy::Model => "model",
            GroupBy::Day => "day",
        };
        let sql = format!(
            "SELECT {group} AS grp, model, family, COUNT(*) AS requests,
                    SUM(status = 'failed') AS failed,
                    TOTAL(input_tokens) AS input, TOTAL(output_tokens) AS output,
                    TOTAL(cached_input_tokens) AS cached, TOTAL(reasoning_tokens) AS reasoning,
                    TOTAL(latency_ms) AS latency
             FROM usage_ledger GROUP BY grp, model, family ORDER BY grp, model"
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
}
