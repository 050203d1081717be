-- Chat history: every playground turn, kept when it finishes or breaks. Rows hold the request
-- body exactly as sent and the answer as received; never a key (keys travel in headers, which
-- history is never given).
CREATE TABLE conversations (
    id                        TEXT PRIMARY KEY,
    title                     TEXT NOT NULL,
    -- The family and model of the latest turn: what "continue" would use.
    family                    TEXT NOT NULL
                              CHECK (family IN ('openai_chat', 'openai_responses', 'anthropic', 'gemini')),
    model                     TEXT NOT NULL,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    -- Provenance of a fork, copied when it was made. No foreign key: the fork outlives its
    -- source, and the UI says "source deleted" rather than losing where it came from.
    forked_from_conversation  TEXT,
    forked_from_turn          TEXT,
    -- A counter bumped on every append: the list's order. Not `updated_at`, because two writes
    -- in one clock tick (or a clock stepped back) must not reorder the list.
    activity                  INTEGER NOT NULL
);
CREATE INDEX conversations_activity ON conversations(activity DESC);

CREATE TABLE turns (
    -- An explicit INTEGER PRIMARY KEY, because the FTS index points at rows by rowid and
    -- VACUUM may renumber an implicit rowid.
    n                INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    -- 0-based and gap-free within a conversation: deleting a turn renumbers the later ones
    -- (through negative values inside that transaction, hence no CHECK (seq >= 0)).
    seq              INTEGER NOT NULL,
    family           TEXT NOT NULL
                     CHECK (family IN ('openai_chat', 'openai_responses', 'anthropic', 'gemini')),
    model            TEXT NOT NULL,
    -- JSON columns: the body sent, the tool calls received, and the caller's stats.
    request          TEXT NOT NULL,
    prompt           TEXT NOT NULL,
    answer           TEXT NOT NULL,
    thinking         TEXT NOT NULL,
    tool_calls       TEXT NOT NULL,
    finish_reason    TEXT,
    status           TEXT NOT NULL CHECK (status IN ('complete', 'partial', 'failed')),
    error            TEXT,
    stats            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- Full-text search over what people type and read. External content: the text lives once, in
-- `turns`, and the triggers below keep the index in step with every insert, update, delete
-- (cascades included), so no query has to remember to.
CREATE VIRTUAL TABLE turns_fts USING fts5(
    prompt,
    answer,
    content = 'turns',
    content_rowid = 'n',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- A match in the prompt (what the user asked) ranks above the same match in an answer.
INSERT INTO turns_fts (turns_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)');

CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns BEGIN
    INSERT INTO turns_fts (rowid, prompt, answer) VALUES (new.n, new.prompt, new.answer);
END;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, prompt, answer)
        VALUES ('delete', old.n, old.prompt, old.answer);
END;
-- Only when the indexed text changes: renumbering `seq` must not rewrite the index.
CREATE TRIGGER turns_fts_update AFTER UPDATE OF prompt, answer ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, prompt, answer)
        VALUES ('delete', old.n, old.prompt, old.answer);
    INSERT INTO turns_fts (rowid, prompt, answer) VALUES (new.n, new.prompt, new.answer);
END;
