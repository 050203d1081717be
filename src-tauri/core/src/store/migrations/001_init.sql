-- Connections: a gateway base URL the user talks to. The Sandbox row has no fixed URL: the
-- app starts the simulated gateway on a fresh loopback port each run.
CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('sandbox', 'anyint')),
    base_url    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The last models list seen per connection, in the gateway's order.
CREATE TABLE models_cache (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    model_id      TEXT NOT NULL,
    display_name  TEXT,
    type          TEXT,
    created_at    TEXT,
    owned_by      TEXT,
    PRIMARY KEY (connection_id, model_id)
);

CREATE TABLE models_fetches (
    connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    fetched_at    TEXT NOT NULL
);
