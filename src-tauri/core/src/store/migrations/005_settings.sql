-- The Settings screen: one typed row (id = 1). The proxy password is NOT here: it lives in the
-- OS keychain (entry `settings.proxy-password`), and `proxy_username` alone is no secret.
CREATE TABLE app_settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    proxy_mode               TEXT NOT NULL DEFAULT 'system'
                             CHECK (proxy_mode IN ('direct', 'system', 'environment', 'manual')),
    proxy_url                TEXT NOT NULL DEFAULT '',
    proxy_username           TEXT NOT NULL DEFAULT '',
    -- Comma-separated, as NO_PROXY is written.
    no_proxy                 TEXT NOT NULL DEFAULT '',
    tls_roots                TEXT NOT NULL DEFAULT 'bundled' CHECK (tls_roots IN ('bundled', 'os')),
    connect_timeout_secs     INTEGER NOT NULL DEFAULT 10 CHECK (connect_timeout_secs > 0),
    request_timeout_secs     INTEGER NOT NULL DEFAULT 60 CHECK (request_timeout_secs > 0),
    stream_idle_timeout_secs INTEGER NOT NULL DEFAULT 60 CHECK (stream_idle_timeout_secs > 0),
    -- NULL: <data dir>/artifacts.
    artifacts_dir            TEXT,
    notifications            INTEGER NOT NULL DEFAULT 1 CHECK (notifications IN (0, 1)),
    clipboard_clear_secs     INTEGER NOT NULL DEFAULT 30 CHECK (clipboard_clear_secs > 0),
    updated_at               TEXT
);
