-- Model choice (issue 11): workloads with their fallback policy, the log of every fallback,
-- the usage ledger of every playground request, and the user's price table. Never a key: the
-- ledger names a key by its fingerprint only.
CREATE TABLE workloads (
    name            TEXT PRIMARY KEY,
    family          TEXT NOT NULL,
    primary_model   TEXT NOT NULL,
    fallback_model  TEXT,
    goal            TEXT NOT NULL CHECK (goal IN ('quality', 'latency', 'cost', 'reliability')),
    paid_tier       INTEGER NOT NULL DEFAULT 0,
    -- JSON of the policy (triggers, retries, backoff): read whole, never queried into.
    policy          TEXT NOT NULL,
    notes           TEXT,
    updated_at      TEXT NOT NULL
);

-- One row per fallback taken or held for consent (contract §7.1: workload, primary model,
-- fallback model, status and reason). No foreign key: the log outlives a deleted workload.
CREATE TABLE fallback_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    workload        TEXT NOT NULL,
    family          TEXT NOT NULL,
    primary_model   TEXT NOT NULL,
    fallback_model  TEXT NOT NULL,
    -- The HTTP status of the failure; NULL for a timeout or an unreachable gateway.
    status          INTEGER,
    -- `503`, `timeout`, `unavailable`, ...
    failure         TEXT NOT NULL,
    trigger_name    TEXT,
    reason          TEXT NOT NULL,
    -- `fell_back`, or `held` (a paid tier waiting for the user's consent).
    action          TEXT NOT NULL CHECK (action IN ('fell_back', 'held')),
    run_id          TEXT,
    -- Whether the fallback then answered; NULL while unknown or when held.
    answered        INTEGER
);
CREATE INDEX fallback_log_at ON fallback_log (at);

-- One row per request sent (a retry or a fallback is its own row).
CREATE TABLE usage_ledger (
    id                   INTEGER PRIMARY KEY,
    at                   TEXT NOT NULL,
    -- UTC date of `at`, for totals per day.
    day                  TEXT NOT NULL,
    run_id               TEXT,
    connection_id        TEXT,
    key_fingerprint      TEXT,
    workload             TEXT,
    family               TEXT NOT NULL,
    model                TEXT NOT NULL,
    -- `complete`, `partial` or `failed`.
    status               TEXT NOT NULL,
    http_status          INTEGER,
    input_tokens         INTEGER,
    output_tokens        INTEGER,
    cached_input_tokens  INTEGER,
    reasoning_tokens     INTEGER,
    latency_ms           REAL NOT NULL,
    ttft_ms              REAL
);
CREATE INDEX usage_ledger_day ON usage_ledger (day);
CREATE INDEX usage_ledger_model ON usage_ledger (model);

-- Prices are published by no API (contract §7.5): the user types them. NULL = no price.
CREATE TABLE prices (
    model                    TEXT PRIMARY KEY,
    input_per_mtok           REAL,
    output_per_mtok          REAL,
    cached_input_per_mtok    REAL,
    per_image                REAL,
    per_video_second         REAL,
    per_song                 REAL,
    currency                 TEXT NOT NULL DEFAULT 'USD',
    updated_at               TEXT NOT NULL
);
