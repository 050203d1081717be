-- Compare and the model advisor (issue 11): saved comparisons with their request and one row
-- per column, and the advisor's past advice. Prompts and answers only, never a key.
CREATE TABLE comparisons (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    prompt          TEXT NOT NULL,
    -- JSON of the whole request (targets, system, max tokens, workload): what a re-run sends.
    request         TEXT NOT NULL
);
CREATE INDEX comparisons_created ON comparisons (created_at);

CREATE TABLE comparison_columns (
    comparison_id   TEXT NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    family          TEXT NOT NULL,
    model           TEXT NOT NULL,
    answered_by     TEXT NOT NULL,
    -- `complete`, `partial` or `failed`.
    status          TEXT NOT NULL,
    http_status     INTEGER,
    answer          TEXT NOT NULL,
    error           TEXT,
    -- JSON of the column's stats and usage: read whole, never queried into.
    stats           TEXT NOT NULL,
    usage           TEXT NOT NULL,
    cost            REAL,
    currency        TEXT,
    no_price        INTEGER NOT NULL DEFAULT 0,
    fallback_note   TEXT,
    kept            INTEGER NOT NULL DEFAULT 0,
    run_id          TEXT NOT NULL,
    PRIMARY KEY (comparison_id, idx)
);

-- One row per advisor run; the evidence is JSON (read whole for the window and the CLI).
CREATE TABLE advice (
    id              TEXT PRIMARY KEY,
    at              TEXT NOT NULL,
    workload        TEXT NOT NULL,
    recommended     TEXT,
    advice          TEXT NOT NULL
);
CREATE INDEX advice_at ON advice (at);

-- The usage ledger's media and music side: one row per task created (contract §3.8-3.10),
-- counted in the units the price table prices (images, seconds of video, songs), so the
-- totals cost them where a price is known. Never a key: the key by its fingerprint only.
CREATE TABLE task_usage (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    day              TEXT NOT NULL,
    task_id          TEXT NOT NULL,
    route            TEXT NOT NULL,
    model            TEXT NOT NULL,
    connection_id    TEXT,
    key_fingerprint  TEXT,
    images           INTEGER NOT NULL DEFAULT 0,
    video_seconds    REAL NOT NULL DEFAULT 0,
    songs            INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX task_usage_task ON task_usage (task_id);
CREATE INDEX task_usage_day ON task_usage (day);
