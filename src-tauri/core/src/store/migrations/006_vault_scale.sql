-- Issue 10, key vault hardening and scale.

-- The connection a key belongs to: verification and rotation talk to this connection's
-- gateway only, and the key may be bound only to connections on the same host. Set by the
-- first bind (existing keys: their first bound connection).
ALTER TABLE keys ADD COLUMN connection_id TEXT REFERENCES connections(id) ON DELETE SET NULL;
UPDATE keys SET connection_id = (
    SELECT connection_id FROM connection_keys
    WHERE connection_keys.key_id = keys.id ORDER BY connection_id LIMIT 1
);

-- When the app last found the key's keychain entry gone (NULL: present when last read). Lets
-- the list show "missing from the keychain" without reading every secret (one Secret Service
-- round trip each).
ALTER TABLE keys ADD COLUMN keychain_missing_at TEXT;

-- Whether a connection may fall back to ANYINT_API_KEY from the app's environment. Off unless
-- the user opts in, so a key meant for one gateway is not sent to every new connection.
ALTER TABLE connections ADD COLUMN use_env_key INTEGER NOT NULL DEFAULT 0
    CHECK (use_env_key IN (0, 1));

-- A verified rotation waiting for the admin's confirmation, so it survives a restart. The
-- replacement's secret is in the keychain under `new_key_id` (the id its record will get);
-- `plan` is the JSON of keys::RotationPlan, which holds no secret.
CREATE TABLE key_rotations (
    old_key_id  TEXT PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE,
    new_key_id  TEXT NOT NULL,
    plan        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
