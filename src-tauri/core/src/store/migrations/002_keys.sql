-- The key vault's metadata. Secrets live only in the OS keychain (entry user = keys.id); these
-- rows hold nothing that could rebuild a key: the kind prefix, a 48-bit fingerprint and the
-- masked form (prefix + last four characters).
CREATE TABLE keys (
    id                 TEXT PRIMARY KEY,
    label              TEXT NOT NULL,
    team               TEXT,
    project            TEXT,
    environment        TEXT NOT NULL CHECK (environment IN ('dev', 'staging', 'prod', 'personal')),
    kind               TEXT NOT NULL CHECK (kind IN ('plan', 'custom', 'basic')),
    prefix             TEXT NOT NULL,
    fingerprint        TEXT NOT NULL,
    masked_key         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    last_verified_at   TEXT,
    -- JSON of keys::Verification (outcomes per route, model IDs); never a secret.
    last_verification  TEXT,
    last_used_at       TEXT,
    rotate_by          TEXT,
    expires_at         TEXT,
    status             TEXT NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'rotating', 'retired')),
    notes              TEXT,
    replaced_by        TEXT REFERENCES keys(id) ON DELETE SET NULL
);

-- One row per secret: the vault refuses to hold the same key twice.
CREATE UNIQUE INDEX keys_fingerprint ON keys(fingerprint);

-- Which key a connection uses in each environment. A bound key cannot be deleted.
CREATE TABLE connection_keys (
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    environment   TEXT NOT NULL CHECK (environment IN ('dev', 'staging', 'prod', 'personal')),
    key_id        TEXT NOT NULL REFERENCES keys(id) ON DELETE RESTRICT,
    PRIMARY KEY (connection_id, environment)
);
CREATE INDEX connection_keys_key ON connection_keys(key_id);

-- The environment whose key a connection uses right now.
ALTER TABLE connections ADD COLUMN environment TEXT NOT NULL DEFAULT 'prod'
    CHECK (environment IN ('dev', 'staging', 'prod', 'personal'));

-- Reminders already raised. Keyed by the date too, so moving a key's date re-arms them.
CREATE TABLE reminders_sent (
    key_id     TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('rotate_by', 'expires')),
    date       TEXT NOT NULL,
    threshold  INTEGER NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (key_id, kind, date, threshold)
);

-- Who did what to which key. No foreign key: the log outlives deleted keys, so it copies the
-- label and fingerprint at the time of the event.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT NOT NULL,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    key_id           TEXT,
    key_label        TEXT,
    key_fingerprint  TEXT,
    outcome          TEXT NOT NULL,
    detail           TEXT
);
