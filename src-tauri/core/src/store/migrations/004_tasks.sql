-- The task center: media and music jobs that outlive a request (issue 9). A row is written
-- before the create request is sent, so a crash after the gateway accepted still leaves
-- something to reconcile. Never a key: keys travel in headers, bodies are stored as sent.
CREATE TABLE tasks (
    -- Explicit rowid: the list's order (newest first), stable even when two tasks share a clock
    -- tick.
    n                INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    -- Made once per click by the caller: a second submit with the same id returns the first
    -- task instead of paying twice.
    submission_id    TEXT NOT NULL UNIQUE,
    -- No foreign key: a task outlives a deleted connection (its files and history still count);
    -- the poller then fails it with a clear message.
    connection_id    TEXT NOT NULL,
    route            TEXT NOT NULL,
    family           TEXT NOT NULL,
    model            TEXT,
    label            TEXT NOT NULL,
    -- JSON: the create body exactly as sent.
    request          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('submitting', 'queued', 'running', 'partial',
                                                    'succeeded', 'failed', 'cancelled', 'expired')),
    raw_status       TEXT,
    progress         REAL,
    gateway_task_id  TEXT,
    error            TEXT,
    parent_task_id   TEXT,
    rerun_of         TEXT,
    cost_amount      REAL,
    cost_unit        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT,
    -- Set once the app showed the terminal notification: across a crash, a task is notified
    -- exactly once (NULL + terminal = still owed).
    notified_at      TEXT,
    -- Every answer received, including the ones trimmed from task_polls.
    poll_count       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_state ON tasks(state, n DESC);
CREATE INDEX tasks_family ON tasks(family, n DESC);
CREATE INDEX tasks_route ON tasks(route, n DESC);
CREATE INDEX tasks_parent ON tasks(parent_task_id) WHERE parent_task_id IS NOT NULL;
CREATE INDEX tasks_unnotified ON tasks(n)
    WHERE notified_at IS NULL AND state IN ('succeeded', 'failed', 'cancelled', 'expired');

-- The answers a task received, bounded per task (the first few and the last few are kept).
CREATE TABLE task_polls (
    task_id      TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    http_status  INTEGER,
    raw_status   TEXT,
    state        TEXT,
    -- JSON: the answer as received (or the failure's text as a JSON string).
    body         TEXT NOT NULL,
    error        TEXT,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE task_artifacts (
    task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'text')),
    -- JSON: the `ArtifactSource` (a URL, a gateway path, or inline bytes).
    source     TEXT NOT NULL,
    name_hint  TEXT,
    item_id    TEXT,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'downloading', 'saved', 'expired', 'failed')),
    file_name  TEXT NOT NULL,
    path       TEXT,
    size       INTEGER,
    sha256     TEXT,
    mime       TEXT,
    error      TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (task_id, idx)
);
CREATE INDEX task_artifacts_unsaved ON task_artifacts(task_id) WHERE state != 'saved';
