//! Named queries on `conversations`, `turns` and their full-text index `turns_fts` (migration
//! 003). Triggers keep the index in step with `turns`, so no query here writes to it. Rows map
//! straight to the `history` types; `history` validates input, builds the FTS query and shapes
//! snippets. Turns hold request bodies only, never a key.

use super::{Store, StoreError};
use crate::history::{Conversation, ForkPoint, NewTurn, Turn};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

/// A search match as the index returns it; `snippet` still carries the markers it was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatSearchRow {
    pub conversation_id: String,
    pub turn_id: String,
    pub seq: u32,
    pub title: String,
    pub snippet: String,
    pub created_at: String,
}

/// A JSON column (TEXT in SQLite). Text that does not parse is a database error, never `null`.
struct Json(serde_json::Value);

impl FromSql for Json {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(Json)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

// Ids are random and made by SQLite inside the writing statement, so a fork copies any number of
// turns in one INSERT ... SELECT. 64 random bits; a collision fails the PRIMARY KEY, never merges.
const NEW_CONVERSATION_ID: &str = "'conv-' || lower(hex(randomblob(8)))";
const NEW_TURN_ID: &str = "'turn-' || lower(hex(randomblob(8)))";
const NEXT_ACTIVITY: &str = "(SELECT COALESCE(MAX(activity), 0) + 1 FROM conversations)";

const CONVERSATION_COLUMNS: &str = "c.id, c.title, c.family, c.model, c.created_at, c.updated_at,
    c.forked_from_conversation, c.forked_from_turn,
    (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS turn_count";

const TURN_COLUMNS: &str = "id, conversation_id, seq, family, model, request, prompt, answer,
    thinking, tool_calls, finish_reason, status, error, stats, created_at";

fn conversation_from_row(r: &Row<'_>) -> rusqlite::Result<Conversation> {
    let source: Option<String> = r.get("forked_from_conversation")?;
    let turn: Option<String> = r.get("forked_from_turn")?;
    Ok(Conversation {
        id: r.get("id")?,
        title: r.get("title")?,
        family: r.get("family")?,
        model: r.get("model")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        turn_count: r.get("turn_count")?,
        forked_from: source
            .zip(turn)
            .map(|(conversation_id, turn_id)| ForkPoint {
                conversation_id,
                turn_id,
            }),
    })
}

fn turn_from_row(r: &Row<'_>) -> rusqlite::Result<Turn> {
    Ok(Turn {
        id: r.get("id")?,
        conversation_id: r.get("conversation_id")?,
        seq: r.get("seq")?,
        family: r.get("family")?,
        model: r.get("model")?,
        request: r.get::<_, Json>("request")?.0,
        prompt: r.get("prompt")?,
        answer: r.get("answer")?,
        thinking: r.get("thinking")?,
        tool_calls: r.get::<_, Json>("tool_calls")?.0,
        finish_reason: r.get("finish_reason")?,
        status: r.get("status")?,
        error: r.get("error")?,
        stats: r.get::<_, Json>("stats")?.0,
        created_at: r.get("created_at")?,
    })
}

fn conversation(conn: &Connection, id: &str) -> rusqlite::Result<Option<Conversation>> {
    let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?1");
    conn.query_row(&sql, [id], conversation_from_row).optional()
}

impl Store {
    /// Appends `turn` after the last turn of `conversation_id`, or as the first turn of a new
    /// conversation titled `title`, in one transaction. The conversation takes the turn's family
    /// and model and moves to the top of the list. `None` when `conversation_id` does not exist.
    pub fn append_chat_turn(
        &self,
        conversation_id: Option<&str>,
        title: &str,
        turn: &NewTurn,
        now: &str,
    ) -> Result<Option<Turn>, StoreError> {
        let mut conn = self.lock();
        // IMMEDIATE: the next `seq` is read and used in one write lock, even against a second
        // app instance on the same file.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let conversation_id: String = match conversation_id {
            Some(id) => {
                let sql = format!(
                    "UPDATE conversations SET family = ?2, model = ?3, updated_at = ?4,
                     activity = {NEXT_ACTIVITY} WHERE id = ?1 RETURNING id"
                );
                let params = params![id, turn.family, turn.model, now];
                match tx.query_row(&sql, params, |r| r.get(0)).optional()? {
                    Some(id) => id,
                    None => return Ok(None),
                }
            }
            None => {
                let sql = format!(
                    "INSERT INTO conversations (id, title, family, model, created_at, updated_at,
                     activity) VALUES ({NEW_CONVERSATION_ID}, ?1, ?2, ?3, ?4, ?4, {NEXT_ACTIVITY})
                     RETURNING id"
                );
                let params = params![title, turn.family, turn.model, now];
                tx.query_row(&sql, params, |r| r.get(0))?
            }
        };
        let sql = format!(
            "INSERT INTO turns ({TURN_COLUMNS}) VALUES ({NEW_TURN_ID}, ?1,
             (SELECT COALESCE(MAX(seq) + 1, 0) FROM turns WHERE conversation_id = ?1),
             ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING {TURN_COLUMNS}"
        );
        let params = params![
            conversation_id,
            turn.family,
            turn.model,
            turn.request.to_string(),
            turn.prompt,
            turn.answer,
            turn.thinking,
            turn.tool_calls.to_string(),
            turn.finish_reason,
            turn.status,
            turn.error,
            turn.stats.to_string(),
            now,
        ];
        let inserted = tx.query_row(&sql, params, turn_from_row)?;
        tx.commit()?;
        Ok(Some(inserted))
    }

    pub fn chat_conversation(&self, id: &str) -> Result<Option<Conversation>, StoreError> {
        Ok(conversation(&self.lock(), id)?)
    }

    /// One page of conversations, most recently active first, and how many there are in all.
    pub fn chat_conversations(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Conversation>, u32), StoreError> {
        let conn = self.lock();
        let total = conn.query_row("SELECT COUNT(*) FROM conversations", [], |r| r.get(0))?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations c
             ORDER BY c.activity DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt.query_map([limit, offset], conversation_from_row)?;
        Ok((rows.collect::<Result<_, _>>()?, total))
    }

    /// One page of a conversation's turns in `seq` order, and how many it has in all.
    pub fn chat_turns(
        &self,
        conversation_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Turn>, u32), StoreError> {
        let conn = self.lock();
        let total = conn.query_row(
            "SELECT COUNT(*) FROM turns WHERE conversation_id = ?1",
            [conversation_id],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {TURN_COLUMNS} FROM turns WHERE conversation_id = ?1
             ORDER BY seq LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![conversation_id, limit, offset], turn_from_row)?;
        Ok((rows.collect::<Result<_, _>>()?, total))
    }

    /// Every turn of one conversation, for an export file (the UI pages with `chat_turns`).
    pub fn all_chat_turns(&self, conversation_id: &str) -> Result<Vec<Turn>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {TURN_COLUMNS} FROM turns WHERE conversation_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([conversation_id], turn_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn chat_turn(&self, id: &str) -> Result<Option<Turn>, StoreError> {
        let sql = format!("SELECT {TURN_COLUMNS} FROM turns WHERE id = ?1");
        Ok(self
            .lock()
            .query_row(&sql, [id], turn_from_row)
            .optional()?)
    }

    /// The best `limit` matches of an FTS5 query (already escaped by the caller), best first,
    /// each with a snippet whose matched words sit between `open` and `close`.
    pub fn search_chat_turns(
        &self,
        fts_query: &str,
        (open, close): (&str, &str),
        limit: u32,
    ) -> Result<Vec<ChatSearchRow>, StoreError> {
        let conn = self.lock();
        // `ORDER BY rank LIMIT` inside: FTS5 sorts by its configured bm25 itself and computes
        // snippets only for the rows kept, not for every match.
        let mut stmt = conn.prepare(
            "WITH hits AS (
                 SELECT rowid AS n, rank, snippet(turns_fts, -1, ?2, ?3, '…', 16) AS snippet
                 FROM turns_fts WHERE turns_fts MATCH ?1 ORDER BY rank LIMIT ?4
             )
             SELECT t.conversation_id, t.id, t.seq, c.title, hits.snippet, t.created_at
             FROM hits JOIN turns t ON t.n = hits.n JOIN conversations c ON c.id = t.conversation_id
             ORDER BY hits.rank",
        )?;
        let rows = stmt.query_map(params![fts_query, open, close, limit], |r| {
            Ok(ChatSearchRow {
                conversation_id: r.get(0)?,
                turn_id: r.get(1)?,
                seq: r.get(2)?,
                title: r.get(3)?,
                snippet: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A new conversation holding copies (new ids, same content and times) of turns
    /// `0..=turn` of `conversation_id`, pointing back at it. `None` when that conversation has
    /// no such turn.
    pub fn fork_chat_conversation(
        &self,
        conversation_id: &str,
        turn_id: &str,
        now: &str,
    ) -> Result<Option<Conversation>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sql = format!(
            "INSERT INTO conversations (id, title, family, model, created_at, updated_at,
             forked_from_conversation, forked_from_turn, activity)
             SELECT {NEW_CONVERSATION_ID}, c.title, t.family, t.model, ?3, ?3, c.id, t.id,
                    {NEXT_ACTIVITY}
             FROM turns t JOIN conversations c ON c.id = t.conversation_id
             WHERE t.id = ?2 AND c.id = ?1
             RETURNING id"
        );
        let params = params![conversation_id, turn_id, now];
        let Some(fork_id) = tx
            .query_row(&sql, params, |r| r.get::<_, String>(0))
            .optional()?
        else {
            return Ok(None);
        };
        tx.execute(
            &format!(
                "INSERT INTO turns ({TURN_COLUMNS})
                 SELECT {NEW_TURN_ID}, ?1, seq, family, model, request, prompt, answer, thinking,
                        tool_calls, finish_reason, status, error, stats, created_at
                 FROM turns WHERE conversation_id = ?2
                   AND seq <= (SELECT seq FROM turns WHERE id = ?3)
                 ORDER BY seq"
            ),
            params![fork_id, conversation_id, turn_id],
        )?;
        let fork = conversation(&tx, &fork_id)?;
        tx.commit()?;
        Ok(fork)
    }

    /// Deletes a conversation and its turns. False when there was none.
    pub fn delete_chat_conversation(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        // The turns first, explicitly: the index triggers then run whether or not this
        // connection enforces foreign keys (the cascade would need them on).
        tx.execute("DELETE FROM turns WHERE conversation_id = ?1", [id])?;
        let deleted = tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(deleted == 1)
    }

    /// Deletes one turn and closes the gap: later turns move down one `seq`. False when there
    /// was none.
    pub fn delete_chat_turn(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let found: Option<(String, u32)> = tx
            .query_row(
                "DELETE FROM turns WHERE id = ?1 RETURNING conversation_id, seq",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((conversation_id, seq)) = found else {
            return Ok(false);
        };
        // Two steps through negative numbers: UNIQUE(conversation_id, seq) is checked row by
        // row, and a one-step `seq - 1` could collide with a row not yet moved.
        tx.execute(
            "UPDATE turns SET seq = -seq WHERE conversation_id = ?1 AND seq > ?2",
            params![conversation_id, seq],
        )?;
        tx.execute(
            "UPDATE turns SET seq = -seq - 1 WHERE conversation_id = ?1 AND seq < 0",
            [&conversation_id],
        )?;
        tx.commit()?;
        Ok(true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::history::TurnStatus;
    use serde_json::json;

    fn turn(prompt: &str, answer: &str) -> NewTurn {
        NewTurn {
            family: "anthropic".into(),
            model: "claude-test".into(),
            request: json!({ "model": "claude-test", "messages": [{ "role": "user", "content": prompt }] }),
            prompt: prompt.into(),
            answer: answer.into(),
            thinking: String::new(),
            tool_calls: json!([]),
            finish_reason: Some("end_turn".into()),
            status: TurnStatus::Complete,
            error: None,
            stats: json!({}),
        }
    }

    /// FTS5's own check that the index matches the content table exactly.
    fn assert_index_in_step(store: &Store) {
        store
            .lock()
            .execute(
                "INSERT INTO turns_fts (turns_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
            .unwrap();
    }

    #[test]
    fn the_bundled_sqlite_has_fts5() {
        let store = Store::in_memory().unwrap();
        let on: bool = store
            .lock()
            .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(on);
    }

    #[test]
    fn the_index_stays_in_step_through_appends_forks_and_deletes() {
        let store = Store::in_memory().unwrap();
        let now = "2026-01-01T00:00:00Z";
        let first = store
            .append_chat_turn(None, "t", &turn("alpha", "one"), now)
            .unwrap()
            .unwrap();
        let cid = first.conversation_id.clone();
        let mut ids = vec![first.id];
        for (p, a) in [("beta", "two"), ("gamma", "three"), ("delta", "four")] {
            let t = store.append_chat_turn(Some(&cid), "", &turn(p, a), now);
            ids.push(t.unwrap().unwrap().id);
        }
        let fork = store
            .fork_chat_conversation(&cid, &ids[2], now)
            .unwrap()
            .unwrap();
        assert_eq!(fork.turn_count, 3);
        assert_index_in_step(&store);

        assert!(store.delete_chat_turn(&ids[1]).unwrap());
        assert!(!store.delete_chat_turn(&ids[1]).unwrap());
        let (turns, total) = store.chat_turns(&cid, 0, 10).unwrap();
        assert_eq!(total, 3);
        let seqs: Vec<(u32, &str)> = turns.iter().map(|t| (t.seq, t.prompt.as_str())).collect();
        assert_eq!(seqs, [(0, "alpha"), (1, "gamma"), (2, "delta")]);
        assert_index_in_step(&store);

        assert!(store.delete_chat_conversation(&cid).unwrap());
        assert_index_in_step(&store);
        let open_close = ("[", "]");
        let left = store.search_chat_turns("gamma", open_close, 10).unwrap();
        assert_eq!(left.len(), 1, "only the fork's copy is left");
        assert_eq!(left[0].conversation_id, fork.id);
        assert_eq!(left[0].snippet, "[gamma]");

        // The check can fail: an index entry without a row is caught.
        store
            .lock()
            .execute(
                "INSERT INTO turns_fts (rowid, prompt, answer) VALUES (9999, 'ghost', '')",
                [],
            )
            .unwrap();
        let check = store.lock().execute(
            "INSERT INTO turns_fts (turns_fts, rank) VALUES ('integrity-check', 1)",
            [],
        );
        assert!(check.is_err());
    }

    #[test]
    fn a_damaged_json_column_is_an_error_not_null() {
        let store = Store::in_memory().unwrap();
        let t = store
            .append_chat_turn(None, "t", &turn("p", "a"), "2026-01-01T00:00:00Z")
            .unwrap()
            .unwrap();
        store
            .lock()
            .execute("UPDATE turns SET stats = '{oops' WHERE id = ?1", [&t.id])
            .unwrap();
        assert!(store.chat_turn(&t.id).is_err());
    }

    #[test]
    fn appending_to_a_missing_conversation_writes_nothing() {
        let store = Store::in_memory().unwrap();
        let got = store.append_chat_turn(Some("conv-nope"), "", &turn("p", "a"), "now");
        assert_eq!(got.unwrap(), None);
        assert_eq!(store.chat_conversations(0, 10).unwrap().1, 0);
    }
}
