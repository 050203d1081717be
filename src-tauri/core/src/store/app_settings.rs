//! Named queries for `app_settings`: the one row the Settings screen edits. A missing row (a
//! fresh database) reads as the defaults; a save writes the whole row.

use super::{Store, StoreError};
use crate::settings::{ProxySettings, Settings, TimeoutSettings};
use rusqlite::OptionalExtension;

impl Store {
    pub fn app_settings(&self) -> Result<Settings, StoreError> {
        let row = self
            .lock()
            .query_row(
                "SELECT proxy_mode, proxy_url, proxy_username, no_proxy, tls_roots,
                        connect_timeout_secs, request_timeout_secs, stream_idle_timeout_secs,
                        artifacts_dir, notifications, clipboard_clear_secs
                 FROM app_settings WHERE id = 1",
                [],
                |r| {
                    let no_proxy: String = r.get(3)?;
                    Ok(Settings {
                        proxy: ProxySettings {
                            mode: r.get(0)?,
                            url: r.get(1)?,
                            username: r.get(2)?,
                            no_proxy: no_proxy
                                .split(',')
                                .filter(|e| !e.is_empty())
                                .map(str::to_owned)
                                .collect(),
                        },
                        tls_roots: r.get(4)?,
                        timeouts: TimeoutSettings {
                            connect_secs: r.get(5)?,
                            request_secs: r.get(6)?,
                            stream_idle_secs: r.get(7)?,
                        },
                        artifacts_dir: r.get(8)?,
                        notifications: r.get(9)?,
                        clipboard_clear_secs: r.get(10)?,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or_default())
    }

    /// Writes every field (the caller validated them).
    pub fn save_app_settings(&self, s: &Settings, updated_at: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO app_settings (id, proxy_mode, proxy_url, proxy_username, no_proxy,
                 tls_roots, connect_timeout_secs, request_timeout_secs, stream_idle_timeout_secs,
                 artifacts_dir, notifications, clipboard_clear_secs, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(id) DO UPDATE SET
                 proxy_mode = excluded.proxy_mode, proxy_url = excluded.proxy_url,
                 proxy_username = excluded.proxy_username, no_proxy = excluded.no_proxy,
                 tls_roots = excluded.tls_roots,
                 connect_timeout_secs = excluded.connect_timeout_secs,
                 request_timeout_secs = excluded.request_timeout_secs,
                 stream_idle_timeout_secs = excluded.stream_idle_timeout_secs,
                 artifacts_dir = excluded.artifacts_dir, notifications = excluded.notifications,
                 clipboard_clear_secs = excluded.clipboard_clear_secs,
                 updated_at = excluded.updated_at",
            rusqlite::params![
                s.proxy.mode,
                s.proxy.url,
                s.proxy.username,
                s.proxy.no_proxy.join(","),
                s.tls_roots,
                s.timeouts.connect_secs,
                s.timeouts.request_secs,
                s.timeouts.stream_idle_secs,
                s.artifacts_dir,
                s.notifications,
                s.clipboard_clear_secs,
                updated_at,
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{ProxyMode, TlsRoots};

    #[test]
    fn a_fresh_database_reads_the_defaults_and_a_save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.app_settings().unwrap(), Settings::default());
        let mut s = Settings::default();
        s.proxy.mode = ProxyMode::Manual;
        s.proxy.url = "socks5h://proxy.corp:1080".into();
        s.proxy.username = "ann".into();
        s.proxy.no_proxy = vec!["internal.corp".into(), "10.0.0.0/8".into()];
        s.tls_roots = TlsRoots::Os;
        s.timeouts.stream_idle_secs = 7;
        s.artifacts_dir = Some("/srv/artifacts".into());
        s.notifications = false;
        s.clipboard_clear_secs = 12;
        store.save_app_settings(&s, "2026-12-01T00:00:00Z").unwrap();
        drop(store);
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.app_settings().unwrap(), s);
        s.notifications = true;
        again.save_app_settings(&s, "2026-12-02T00:00:00Z").unwrap();
        assert_eq!(
            again.app_settings().unwrap(),
            s,
            "a second save updates the row"
        );
    }

    #[test]
    fn the_schema_keeps_bad_values_out() {
        let store = Store::in_memory().unwrap();
        let mut s = Settings::default();
        s.timeouts.connect_secs = 0;
        assert!(store.save_app_settings(&s, "t").is_err());
        assert_eq!(store.app_settings().unwrap(), Settings::default());
    }
}
