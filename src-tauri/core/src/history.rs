//! Chat history: every playground turn, stored when it finishes or breaks (a broken stream as
//! `partial`, a refused request as `failed`), searchable (SQLite FTS5 over prompts and answers),
//! pageable, forkable, deletable, and exportable as one JSON file per conversation.
//!
//! A turn holds the request *body* exactly as sent and stores it unchanged: keys travel in
//! headers, and headers are never handed to history. Callers must not put secrets in bodies.
//!
//! Depends on `store` only. It must not depend on `chat`, `gateway`, `desk` or tauri: the caller
//! turns a transcript into a [`NewTurn`] (and extracts the prompt text), and re-runs a turn by
//! resending [`Turn::request`] itself. Lists come in pages; no call returns a whole history.

use crate::error::ErrorCode;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most items one page (or one search) returns, so one IPC reply stays small.
pub const MAX_PAGE_LIMIT: u32 = 200;
/// The chat families a turn can be in (`chat::ChatFamily`'s wire words).
pub const FAMILIES: [&str; 4] = ["openai_chat", "openai_responses", "anthropic", "gemini"];
pub const EXPORT_FORMAT: &str = "anyint-desk-conversation";
pub const EXPORT_VERSION: u32 = 1;
/// A title is the prompt's first this-many characters.
const TITLE_CHARS: usize = 60;
// Private-use characters: the snippet markers must not be anything a model plausibly writes,
// because they are split out again into `SnippetPart`s.
pub(crate) const MARK_OPEN: &str = "\u{E000}";
pub(crate) const MARK_CLOSE: &str = "\u{E001}";

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    /// Writing the export file failed (a bug: every type here serialises).
    #[error("cannot write the conversation as JSON: {0}")]
    Encode(#[from] serde_json::Error),
}

impl HistoryError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Store(_) => ErrorCode::Store,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::InvalidInput(_) => ErrorCode::InvalidInput,
            Self::Encode(_) => ErrorCode::Internal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TurnStatus {
    /// The answer arrived in full.
    Complete,
    /// The stream broke or was stopped after some of the answer arrived; what came is kept.
    Partial,
    /// The request failed before any answer; `error` says why.
    Failed,
}

impl TurnStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Complete, Self::Partial, Self::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a fork came from. Copied when the fork is made; the source may be deleted since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForkPoint {
    pub conversation_id: String,
    pub turn_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub title: String,
    /// The latest turn's family, one of [`FAMILIES`].
    pub family: String,
    /// The latest turn's model.
    pub model: String,
    /// RFC 3339.
    pub created_at: String,
    /// When the last turn was appended (RFC 3339).
    pub updated_at: String,
    pub turn_count: u32,
    pub forked_from: Option<ForkPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Turn {
    pub id: String,
    pub conversation_id: String,
    /// 0-based position in the conversation, without gaps.
    pub seq: u32,
    pub family: String,
    pub model: String,
    /// The exact body sent; re-run resends it.
    #[ts(type = "unknown")]
    pub request: serde_json::Value,
    /// The text search sees: the last user message's text.
    pub prompt: String,
    pub answer: String,
    pub thinking: String,
    #[ts(type = "unknown")]
    pub tool_calls: serde_json::Value,
    /// The family's own word (`stop`, `end_turn`, `STOP`...).
    pub finish_reason: Option<String>,
    pub status: TurnStatus,
    pub error: Option<String>,
    /// The caller's figures (TTFT, tokens/s, usage...), kept as given.
    #[ts(type = "unknown")]
    pub stats: serde_json::Value,
    /// RFC 3339.
    pub created_at: String,
}

/// A turn to store: everything but what the store assigns (id, seq, time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTurn {
    pub family: String,
    pub model: String,
    pub request: serde_json::Value,
    pub prompt: String,
    pub answer: String,
    pub thinking: String,
    pub tool_calls: serde_json::Value,
    pub finish_reason: Option<String>,
    pub status: TurnStatus,
    pub error: Option<String>,
    pub stats: serde_json::Value,
}

/// Which slice of a list to return. `limit` above [`MAX_PAGE_LIMIT`] is cut to it; 0 returns no
/// items, only the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PageRequest {
    pub offset: u32,
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 50,
        }
    }
}

impl PageRequest {
    fn limit(self) -> u32 {
        self.limit.min(MAX_PAGE_LIMIT)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are in all, for the pager.
    pub total: u32,
}

/// A run of snippet text; the UI shows `hit` runs highlighted. Plain text, never markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub conversation_id: String,
    pub turn_id: String,
    pub seq: u32,
    pub title: String,
    /// Words around the match, from the prompt or the answer (whichever matched best).
    pub snippet: Vec<SnippetPart>,
    pub created_at: String,
}

/// The export file. `format` and `version` let a later import tell it apart and migrate it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationExport {
    pub format: String,
    pub version: u32,
    pub conversation: Conversation,
    pub turns: Vec<Turn>,
}

/// The history over the app's database; clones share it.
#[derive(Debug, Clone)]
pub struct ChatHistory {
    store: Store,
}

impl ChatHistory {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Stores a finished, broken or failed turn at the end of `conversation_id`, or as the first
    /// turn of a new conversation titled after the prompt. The body is stored as given.
    pub fn append_turn(
        &self,
        conversation_id: Option<&str>,
        new: NewTurn,
    ) -> Result<Turn, HistoryError> {
        if !FAMILIES.contains(&new.family.as_str()) {
            return Err(HistoryError::InvalidInput(format!(
                "unknown chat family `{}` (expected one of {})",
                new.family,
                FAMILIES.join(", ")
            )));
        }
        let title = title_of(&new.prompt);
        self.store
            .append_chat_turn(conversation_id, &title, &new, &now())?
            .ok_or_else(|| conversation_not_found(conversation_id.unwrap_or_default()))
    }

    pub fn conversation(&self, id: &str) -> Result<Conversation, HistoryError> {
        self.store
            .chat_conversation(id)?
            .ok_or_else(|| conversation_not_found(id))
    }

    /// Conversations, most recently active first.
    pub fn conversations(&self, page: PageRequest) -> Result<Page<Conversation>, HistoryError> {
        let (items, total) = self.store.chat_conversations(page.offset, page.limit())?;
        Ok(Page { items, total })
    }

    /// A conversation's turns in order (reopen pages through them).
    pub fn turns(
        &self,
        conversation_id: &str,
        page: PageRequest,
    ) -> Result<Page<Turn>, HistoryError> {
        let (items, total) = self
            .store
            .chat_turns(conversation_id, page.offset, page.limit())?;
        if total == 0 {
            // An empty page is ambiguous; the UI must learn when its conversation is gone.
            self.conversation(conversation_id)?;
        }
        Ok(Page { items, total })
    }

    /// One turn, e.g. to re-run it: the caller resends `request` and appends the new turn.
    pub fn turn(&self, id: &str) -> Result<Option<Turn>, HistoryError> {
        Ok(self.store.chat_turn(id)?)
    }

    /// Turns whose prompt or answer holds every word of `query` (the last word as a prefix, so
    /// results follow typing), best first by bm25, at most `limit` (capped at
    /// [`MAX_PAGE_LIMIT`]). Any text is a valid query: FTS5 syntax in it is taken literally.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, HistoryError> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let rows = self.store.search_chat_turns(
            &fts,
            (MARK_OPEN, MARK_CLOSE),
            limit.min(MAX_PAGE_LIMIT),
        )?;
        Ok(rows
            .into_iter()
            .map(|r| SearchHit {
                snippet: snippet_parts(&r.snippet),
                conversation_id: r.conversation_id,
                turn_id: r.turn_id,
                seq: r.seq,
                title: r.title,
                created_at: r.created_at,
            })
            .collect())
    }

    /// A new conversation with copies of turns `0..=turn_id`, pointing back at the source.
    pub fn fork(&self, conversation_id: &str, turn_id: &str) -> Result<Conversation, HistoryError> {
        self.store
            .fork_chat_conversation(conversation_id, turn_id, &now())?
            .ok_or_else(|| {
                HistoryError::NotFound(format!(
                    "conversation {conversation_id} has no turn {turn_id}"
                ))
            })
    }

    pub fn delete_conversation(&self, id: &str) -> Result<(), HistoryError> {
        match self.store.delete_chat_conversation(id)? {
            true => Ok(()),
            false => Err(conversation_not_found(id)),
        }
    }

    /// Deletes one turn; the later turns move up one place, so `seq` stays gap-free.
    pub fn delete_turn(&self, id: &str) -> Result<(), HistoryError> {
        match self.store.delete_chat_turn(id)? {
            true => Ok(()),
            false => Err(HistoryError::NotFound(format!(
                "no turn {id} in the history"
            ))),
        }
    }

    /// The whole conversation as a pretty [`ConversationExport`] JSON document.
    pub fn export_json(&self, conversation_id: &str) -> Result<String, HistoryError> {
        let export = ConversationExport {
            format: EXPORT_FORMAT.to_owned(),
            version: EXPORT_VERSION,
            conversation: self.conversation(conversation_id)?,
            turns: self.store.all_chat_turns(conversation_id)?,
        };
        Ok(serde_json::to_string_pretty(&export)?)
    }
}

fn conversation_not_found(id: &str) -> HistoryError {
    HistoryError::NotFound(format!("no conversation {id} in the history"))
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The prompt's first [`TITLE_CHARS`] characters on one line, `…` when cut.
fn title_of(prompt: &str) -> String {
    let line = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "Untitled".to_owned();
    }
    if line.chars().count() <= TITLE_CHARS {
        return line;
    }
    let mut title: String = line.chars().take(TITLE_CHARS).collect();
    title.truncate(title.trim_end().len());
    title.push('…');
    title
}

/// Turns typed text into an FTS5 query that cannot be a syntax error: each whitespace-separated
/// term becomes a quoted phrase (quotes doubled, so `OR`, `-`, `*`, `(`, `:` mean themselves),
/// terms are ANDed, and the last is a prefix. Terms without a letter or digit are dropped: the
/// tokenizer would make them empty phrases, which match nothing and would empty the result.
fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    let mut query = terms.join(" ");
    if query.is_empty() {
        return None;
    }
    query.push('*');
    Some(query)
}

/// Splits a snippet at the markers the query asked for.
fn snippet_parts(raw: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if !text.is_empty() {
            parts.push(SnippetPart {
                text: text.to_owned(),
                hit,
            });
        }
    };
    let mut rest = raw;
    while let Some(start) = rest.find(MARK_OPEN) {
        push(&rest[..start], false);
        let after = &rest[start + MARK_OPEN.len()..];
        let end = after.find(MARK_CLOSE).unwrap_or(after.len());
        push(&after[..end], true);
        rest = after.get(end + MARK_CLOSE.len()..).unwrap_or_default();
    }
    push(rest, false);
    parts
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn history() -> ChatHistory {
        ChatHistory::new(Store::in_memory().unwrap())
    }

    fn turn(prompt: &str, answer: &str) -> NewTurn {
        NewTurn {
            family: "openai_chat".into(),
            model: "gpt-test".into(),
            request: json!({
                "model": "gpt-test",
                "stream": true,
                "messages": [{ "role": "user", "content": prompt }],
            }),
            prompt: prompt.into(),
            answer: answer.into(),
            thinking: String::new(),
            tool_calls: json!([]),
            finish_reason: Some("stop".into()),
            status: TurnStatus::Complete,
            error: None,
            stats: json!({ "ttftMs": 120, "tokensPerSecond": 41.5 }),
        }
    }

    fn hit_text(hit: &SearchHit) -> String {
        hit.snippet
            .iter()
            .map(|p| match p.hit {
                true => format!("[{}]", p.text),
                false => p.text.clone(),
            })
            .collect()
    }

    #[test]
    fn appends_create_a_conversation_then_continue_it() {
        let h = history();
        let first = h
            .append_turn(None, turn("  Why is\nthe sky blue?", "Rayleigh"))
            .unwrap();
        assert_eq!(first.seq, 0);
        let second = h
            .append_turn(
                Some(&first.conversation_id),
                turn("And sunsets?", "Longer path"),
            )
            .unwrap();
        assert_eq!(
            (second.seq, &second.conversation_id),
            (1, &first.conversation_id)
        );
        let c = h.conversation(&first.conversation_id).unwrap();
        assert_eq!(c.title, "Why is the sky blue?");
        assert_eq!((c.turn_count, c.forked_from.as_ref()), (2, None));
        assert_eq!(h.turn(&second.id).unwrap().unwrap(), second);
        assert!(h.turn("turn-nope").unwrap().is_none());
    }

    #[test]
    fn long_prompts_make_short_titles() {
        assert_eq!(title_of(" \n "), "Untitled");
        let long = "é".repeat(100);
        let title = title_of(&long);
        assert_eq!(title.chars().count(), TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
    }

    #[test]
    fn lists_come_in_pages_newest_first() {
        let h = history();
        let ids: Vec<String> = (0..5)
            .map(|i| h.append_turn(None, turn(&format!("q{i}"), "a")).unwrap())
            .map(|t| t.conversation_id)
            .collect();
        // Continuing the oldest moves it to the top, however close the clock ticks are.
        h.append_turn(Some(&ids[0]), turn("again", "a")).unwrap();
        let page = h
            .conversations(PageRequest {
                offset: 0,
                limit: 2,
            })
            .unwrap();
        assert_eq!(page.total, 5);
        let got: Vec<&str> = page.items.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(got, [ids[0].as_str(), ids[4].as_str()]);
        let rest = h
            .conversations(PageRequest {
                offset: 2,
                limit: 500,
            })
            .unwrap();
        assert_eq!(rest.items.len(), 3);
        let none = h
            .conversations(PageRequest {
                offset: 0,
                limit: 0,
            })
            .unwrap();
        assert_eq!((none.items.len(), none.total), (0, 5));

        let cid = &ids[1];
        for i in 1..7 {
            h.append_turn(Some(cid), turn(&format!("t{i}"), "a"))
                .unwrap();
        }
        let page = h
            .turns(
                cid,
                PageRequest {
                    offset: 2,
                    limit: 3,
                },
            )
            .unwrap();
        assert_eq!(page.total, 7);
        let seqs: Vec<u32> = page.items.iter().map(|t| t.seq).collect();
        assert_eq!(seqs, [2, 3, 4]);
    }

    #[test]
    fn unknown_families_and_conversations_are_refused() {
        let h = history();
        let mut bad = turn("p", "a");
        bad.family = "openai".into();
        let err = h.append_turn(None, bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        let err = h
            .append_turn(Some("conv-gone"), turn("p", "a"))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        let err = h.turns("conv-gone", PageRequest::default()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        let err = h.fork("conv-gone", "turn-gone").unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        assert_eq!(
            h.delete_turn("turn-gone").unwrap_err().code(),
            ErrorCode::NotFound
        );
    }

    #[test]
    fn bodies_are_stored_exactly_as_given() {
        // History never edits a body: keeping keys out is the caller's job (keys go in
        // headers, which history never sees). Even a field that looks secret comes back as is.
        let h = history();
        let mut new = turn("p", "a");
        new.request["metadata"] = json!({ "note": "Authorization is a header", "n": 1.5 });
        let stored = h.append_turn(None, new.clone()).unwrap();
        let back = h.turn(&stored.id).unwrap().unwrap();
        assert_eq!(back.request, new.request);
        assert_eq!(back.stats, new.stats);
    }

    #[test]
    fn a_broken_stream_is_kept_as_partial() {
        let h = history();
        let mut broken = turn("tell a story", "Once upon a");
        broken.status = TurnStatus::Partial;
        broken.finish_reason = None;
        broken.error = Some("the stream broke: connection reset".into());
        let t = h.append_turn(None, broken).unwrap();
        let back = h.turn(&t.id).unwrap().unwrap();
        assert_eq!(back.status, TurnStatus::Partial);
        assert_eq!(back.answer, "Once upon a");
        assert_eq!(
            back.error.as_deref(),
            Some("the stream broke: connection reset")
        );
        assert_eq!(h.search("upon", 10).unwrap().len(), 1);
    }

    #[test]
    fn search_finds_prompts_and_answers_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let (cid, tid) = {
            let h = ChatHistory::new(Store::open(dir.path()).unwrap());
            h.append_turn(None, turn("noise", "nothing here")).unwrap();
            let t = h
                .append_turn(None, turn("Explain the Kármán line", "About 100 km up"))
                .unwrap();
            (t.conversation_id, t.id)
        };
        let h = ChatHistory::new(Store::open(dir.path()).unwrap());
        for query in [
            "karman",
            "KÁRMÁN line",
            "kilometres km",
            "explain li",
            "100",
        ] {
            let hits = h.search(query, 10).unwrap();
            let ids: Vec<&str> = hits.iter().map(|x| x.turn_id.as_str()).collect();
            if query == "kilometres km" {
                assert!(ids.is_empty(), "every word must match");
                continue;
            }
            assert_eq!(ids, [tid.as_str()], "query {query:?}");
            assert_eq!(hits[0].conversation_id, cid);
            assert_eq!(hits[0].title, "Explain the Kármán line");
        }
        let hits = h.search("100", 10).unwrap();
        assert_eq!(hit_text(&hits[0]), "About [100] km up");
    }

    #[test]
    fn a_prompt_match_ranks_above_an_answer_match() {
        let h = history();
        let in_answer = h.append_turn(None, turn("other", "zebra facts")).unwrap();
        let in_prompt = h.append_turn(None, turn("zebra facts", "other")).unwrap();
        let ids: Vec<String> = h
            .search("zebra", 10)
            .unwrap()
            .into_iter()
            .map(|x| x.turn_id)
            .collect();
        assert_eq!(ids, [in_prompt.id, in_answer.id]);
    }

    #[test]
    fn typed_fts_syntax_is_taken_literally() {
        let h = history();
        h.append_turn(
            None,
            turn("fix the OR gate (C++)", "use -O2 \"quoted\" *stars*"),
        )
        .unwrap();
        for query in [
            "\"",
            "\"\"",
            "*",
            "-",
            "OR",
            "AND",
            "NOT",
            "(",
            ")",
            "((",
            "a OR",
            "OR b",
            "-O2",
            "\"quoted",
            "C++",
            "gate:",
            "prompt:fix",
            "NEAR(fix gate)",
            "fix*",
            "^fix",
            "'",
            "",
            "   ",
            "+",
            "{x}",
            "☃",
            "\0",
        ] {
            let got = h.search(query, 10);
            assert!(got.is_ok(), "query {query:?} failed: {got:?}");
        }
        assert_eq!(h.search("OR", 10).unwrap().len(), 1);
        assert_eq!(h.search("-O2", 10).unwrap().len(), 1);
        assert_eq!(h.search("(C++)", 10).unwrap().len(), 1);
        assert_eq!(h.search("\"quoted\"", 10).unwrap().len(), 1);
        assert!(h.search("-", 10).unwrap().is_empty());
    }

    #[test]
    fn fork_copies_up_to_the_turn_and_points_back() {
        let h = history();
        let t0 = h.append_turn(None, turn("zero", "a0")).unwrap();
        let cid = t0.conversation_id.clone();
        let t1 = h.append_turn(Some(&cid), turn("one", "a1")).unwrap();
        h.append_turn(Some(&cid), turn("two", "a2")).unwrap();

        let fork = h.fork(&cid, &t1.id).unwrap();
        assert_ne!(fork.id, cid);
        assert_eq!(fork.turn_count, 2);
        let from = fork.forked_from.clone().unwrap();
        assert_eq!(
            (from.conversation_id.as_str(), from.turn_id.as_str()),
            (cid.as_str(), t1.id.as_str())
        );
        let copies = h.turns(&fork.id, PageRequest::default()).unwrap().items;
        assert_eq!(copies.len(), 2);
        assert_eq!((copies[1].prompt.as_str(), copies[1].seq), ("one", 1));
        assert_ne!(copies[1].id, t1.id);
        assert_eq!(copies[1].request, t1.request);
        // The fork continues on its own; the source is untouched.
        h.append_turn(Some(&fork.id), turn("branch", "b")).unwrap();
        assert_eq!(h.conversation(&cid).unwrap().turn_count, 3);
        assert_eq!(
            h.conversations(PageRequest::default()).unwrap().items[0].id,
            fork.id
        );
        // A turn of another conversation is not a fork point.
        let other = h.append_turn(None, turn("x", "y")).unwrap();
        assert_eq!(
            h.fork(&cid, &other.id).unwrap_err().code(),
            ErrorCode::NotFound
        );
    }

    #[test]
    fn deletes_leave_search_and_keep_order() {
        let h = history();
        let t0 = h.append_turn(None, turn("apple", "red")).unwrap();
        let cid = t0.conversation_id.clone();
        let t1 = h.append_turn(Some(&cid), turn("banana", "yellow")).unwrap();
        h.append_turn(Some(&cid), turn("cherry", "dark")).unwrap();

        h.delete_turn(&t1.id).unwrap();
        assert!(h.search("banana", 10).unwrap().is_empty());
        let hits = h.search("cherry", 10).unwrap();
        assert_eq!(hits[0].seq, 1, "the later turn moved up");
        assert_eq!(h.conversation(&cid).unwrap().turn_count, 2);

        h.delete_conversation(&cid).unwrap();
        assert!(h.search("apple", 10).unwrap().is_empty());
        assert!(h.search("cherry", 10).unwrap().is_empty());
        assert!(h.turn(&t0.id).unwrap().is_none());
        assert_eq!(
            h.delete_conversation(&cid).unwrap_err().code(),
            ErrorCode::NotFound
        );
    }

    #[test]
    fn export_round_trips() {
        let h = history();
        let t0 = h.append_turn(None, turn("hello", "hi")).unwrap();
        let mut second = turn("more", "ok");
        second.tool_calls = json!([{ "name": "lookup", "arguments": "{\"q\":1}" }]);
        h.append_turn(Some(&t0.conversation_id), second).unwrap();

        let text = h.export_json(&t0.conversation_id).unwrap();
        assert!(text.contains("\n  \"format\": \"anyint-desk-conversation\""));
        let back: ConversationExport = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (back.format.as_str(), back.version),
            (EXPORT_FORMAT, EXPORT_VERSION)
        );
        assert_eq!(
            back.conversation,
            h.conversation(&t0.conversation_id).unwrap()
        );
        let turns = h
            .turns(&t0.conversation_id, PageRequest::default())
            .unwrap()
            .items;
        assert_eq!(back.turns, turns);
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(raw["turns"][1]["toolCalls"][0]["name"], "lookup");
        assert!(h.export_json("conv-gone").is_err());
    }

    #[test]
    fn snippets_split_into_plain_parts() {
        let raw = format!("a {MARK_OPEN}b{MARK_CLOSE} c {MARK_OPEN}d{MARK_CLOSE}");
        let parts = snippet_parts(&raw);
        let want = [("a ", false), ("b", true), (" c ", false), ("d", true)];
        let got: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(got, want);
        assert_eq!(snippet_parts(&format!("x{MARK_OPEN}y")).len(), 2);
    }

    #[test]
    fn error_codes_map_to_the_shared_enum() {
        let e = HistoryError::Store(StoreError::Sqlite(rusqlite::Error::InvalidQuery));
        assert_eq!(e.code(), ErrorCode::Store);
        assert_eq!(fts_query("a \"b"), Some("\"a\" \"\"\"b\"*".to_owned()));
        assert_eq!(fts_query(" - ( "), None);
    }
}
