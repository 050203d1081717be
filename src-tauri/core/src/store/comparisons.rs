//! Named queries on `comparisons` and `comparison_columns` (save whole, list newest first,
//! read one, mark a column kept, delete) and `advice` (append, list newest first).

use super::workloads::{family_of, family_word};
use super::{Store, StoreError};
use crate::advisor::Advice;
use crate::compare::{CompareColumn, CompareRequest, CompareTarget, Comparison, ComparisonSummary};
use crate::ledger;
use rusqlite::{params, OptionalExtension, Row};

fn json_of<T: serde::de::DeserializeOwned>(r: &Row<'_>, column: &str) -> rusqlite::Result<T> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// A `Value` always serialises; an empty object is what a failure would leave.
fn json_text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

fn column_of(r: &Row<'_>) -> rusqlite::Result<CompareColumn> {
    let status = super::usage::status_of(r, "status")?;
    Ok(CompareColumn {
        target: CompareTarget {
            family: family_of(r, "family")?,
            model: r.get("model")?,
            // Filled from the saved request's target (`comparison`).
            rehearse_fault: None,
        },
        answered_by: r.get("answered_by")?,
        status,
        http_status: r.get("http_status")?,
        text: r.get("answer")?,
        error: r.get("error")?,
        stats: json_of(r, "stats")?,
        usage: json_of(r, "usage")?,
        cost: r.get("cost")?,
        currency: r.get("currency")?,
        no_price: r.get("no_price")?,
        fallback_note: r.get("fallback_note")?,
        kept: r.get("kept")?,
        run_id: r.get("run_id")?,
    })
}

impl Store {
    /// Saves a comparison with all its columns, in one transaction.
    pub fn insert_comparison(&self, c: &Comparison) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO comparisons (id, title, created_at, prompt, request)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                c.id,
                c.title,
                c.created_at,
                c.request.prompt,
                json_text(&c.request)
            ],
        )?;
        for (i, col) in c.columns.iter().enumerate() {
            tx.execute(
                "INSERT INTO comparison_columns (comparison_id, idx, family, model, answered_by,
                     status, http_status, answer, error, stats, usage, cost, currency, no_price,
                     fallback_note, kept, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    c.id,
                    i64::try_from(i).unwrap_or(i64::MAX),
                    family_word(col.target.family),
                    col.target.model,
                    col.answered_by,
                    ledger::status_word(col.status),
                    col.http_status,
                    col.text,
                    col.error,
                    json_text(&col.stats),
                    json_text(&col.usage),
                    col.cost,
                    col.currency,
                    col.no_price,
                    col.fallback_note,
                    col.kept,
                    col.run_id
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn comparison(&self, id: &str) -> Result<Option<Comparison>, StoreError> {
        let conn = self.lock();
        let head = conn
            .query_row(
                "SELECT id, title, created_at, request FROM comparisons WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>("id")?,
                        r.get::<_, String>("title")?,
                        r.get::<_, String>("created_at")?,
                        json_of::<CompareRequest>(r, "request")?,
                    ))
                },
            )
            .optional()?;
        let Some((id, title, created_at, request)) = head else {
            return Ok(None);
        };
        let mut stmt =
            conn.prepare("SELECT * FROM comparison_columns WHERE comparison_id = ?1 ORDER BY idx")?;
        let mut columns = stmt
            .query_map([&id], column_of)?
            .collect::<Result<Vec<_>, _>>()?;
        for (col, target) in columns.iter_mut().zip(&request.targets) {
            col.target.rehearse_fault.clone_from(&target.rehearse_fault);
        }
        Ok(Some(Comparison {
            id,
            title,
            created_at,
            request,
            columns,
        }))
    }

    /// Every comparison, newest first.
    pub fn comparisons(&self) -> Result<Vec<ComparisonSummary>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT c.id, c.title, c.created_at, c.prompt,
                    (SELECT COUNT(*) FROM comparison_columns k WHERE k.comparison_id = c.id) AS n,
                    (SELECT COUNT(*) FROM comparison_columns k
                      WHERE k.comparison_id = c.id AND k.kept = 1) AS kept
               FROM comparisons c ORDER BY c.created_at DESC, c.rowid DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let prompt: String = r.get("prompt")?;
                Ok(ComparisonSummary {
                    id: r.get("id")?,
                    title: r.get("title")?,
                    created_at: r.get("created_at")?,
                    prompt_preview: crate::compare::preview(&prompt, 120),
                    columns: r.get("n")?,
                    kept: r.get("kept")?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Marks column `idx` kept or not; false when there is no such column.
    pub fn set_column_kept(&self, id: &str, idx: u32, kept: bool) -> Result<bool, StoreError> {
        let n = self.lock().execute(
            "UPDATE comparison_columns SET kept = ?3 WHERE comparison_id = ?1 AND idx = ?2",
            params![id, idx, kept],
        )?;
        Ok(n > 0)
    }

    pub fn delete_comparison(&self, id: &str) -> Result<bool, StoreError> {
        let n = self
            .lock()
            .execute("DELETE FROM comparisons WHERE id = ?1", [id])?;
        Ok(n > 0)
    }

    pub fn insert_advice(&self, a: &Advice) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO advice (id, at, workload, recommended, advice) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, a.at, a.workload, a.recommended, json_text(a)],
        )?;
        Ok(())
    }

    pub fn has_advice(&self, id: &str) -> Result<bool, StoreError> {
        let n: i64 =
            self.lock()
                .query_row("SELECT COUNT(*) FROM advice WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        Ok(n > 0)
    }

    /// Past advice, newest first, at most `limit`.
    pub fn advice_list(&self, limit: u32) -> Result<Vec<Advice>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT advice FROM advice ORDER BY at DESC, rowid DESC LIMIT ?1")?;
        let rows = stmt
            .query_map([limit], |r| json_of(r, "advice"))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests;
