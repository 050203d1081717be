-- The local callback inbox (issue 9, part 7): every payload the loopback receiver took in, for
-- the task's page. A record only: a callback never changes a task's state (the poll decides).
-- Numbered 008 so the migrations other branches add (005-007) keep their numbers.
CREATE TABLE callback_inbox (
    n                INTEGER PRIMARY KEY,
    -- RFC 3339, when the receiver read the body.
    received_at      TEXT NOT NULL,
    -- The task the payload named (by its gateway task id); NULL when no task here has that id.
    -- No foreign key: a payload for no known task is kept too (a stale port, another app).
    task_id          TEXT,
    gateway_task_id  TEXT,
    -- bare | wrapped | kling | other | unreadable
    envelope         TEXT NOT NULL,
    -- What makes a callback a repeat: Suno's callbackType, Kling's task_status, else a digest.
    event            TEXT NOT NULL,
    -- The state the sender claims (shown, never applied).
    claimed_status   TEXT,
    -- `n` of the first record of the same task and event; NULL for a first one.
    duplicate_of     INTEGER,
    -- The body as received, cut at a bound (raw_truncated = 1 then).
    raw              TEXT NOT NULL,
    raw_truncated    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX callback_inbox_by_task ON callback_inbox (task_id, event);
CREATE INDEX callback_inbox_by_gateway ON callback_inbox (gateway_task_id, event);
