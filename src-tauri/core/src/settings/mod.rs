//! The app's settings: how it reaches gateways (proxy, no-proxy list, TLS roots, timeouts),
//! where artifacts go, notifications, and how long a copied key stays on the clipboard. Kept
//! in SQLite (`app_settings`, one row) except the proxy password, which lives in the OS
//! keychain under [`PROXY_PASSWORD_ENTRY`] and never crosses back to the window.
//!
//! `validate` is the one gate: a bad proxy URL, an unknown scheme or a zero timeout is refused
//! with a message that says which field and why, and nothing is saved.

pub mod probe;

use crate::gateway::network::{ManualProxy, Network, ProxyChoice, Roots};
use crate::gateway::Timeouts;
use crate::keys::ApiKey;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;
use url::Url;

/// The keychain entry (user name under the app's service) holding the proxy password.
pub const PROXY_PASSWORD_ENTRY: &str = "settings.proxy-password";
/// The folder under the data dir artifacts go to unless the user picks another.
pub const DEFAULT_ARTIFACTS_FOLDER: &str = "artifacts";

/// Bounds a person would pick; outside them the value is a typo, not a choice.
const MAX_TIMEOUT_SECS: u32 = 3600;
const CLIPBOARD_SECS: std::ops::RangeInclusive<u32> = 5..=600;
/// The longest no-proxy list kept (entries), so a paste of a huge file is refused clearly.
const MAX_NO_PROXY_ENTRIES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ProxyMode {
    /// No proxy at all.
    Direct,
    /// The operating system's proxy (the environment's on Linux).
    System,
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY`.
    Environment,
    /// The URL below: `http://`, `https://`, `socks5://` or `socks5h://`.
    Manual,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::System => "system",
            Self::Environment => "environment",
            Self::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Direct, Self::System, Self::Environment, Self::Manual]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TlsRoots {
    /// The Mozilla roots bundled with the app.
    Bundled,
    /// The operating system's certificate store (a proxy that re-signs TLS).
    Os,
}

impl TlsRoots {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bundled => "bundled",
            Self::Os => "os",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Bundled, Self::Os]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettings {
    pub mode: ProxyMode,
    /// Used when `mode` is `manual`; kept otherwise so switching back restores it.
    pub url: String,
    /// Empty: the proxy takes no credentials.
    pub username: String,
    /// Hosts reached directly (loopback always is): `example.com` (and its subdomains),
    /// `10.0.0.0/8`, `*`.
    pub no_proxy: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimeoutSettings {
    /// Opening the TCP connection (and the proxy's).
    pub connect_secs: u32,
    /// The wait for an answer's head; a whole non-stream answer.
    pub request_secs: u32,
    /// The longest silence between two chunks of a streamed answer.
    pub stream_idle_secs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub proxy: ProxySettings,
    pub tls_roots: TlsRoots,
    pub timeouts: TimeoutSettings,
    /// `None`: `<data dir>/artifacts`.
    pub artifacts_dir: Option<String>,
    pub notifications: bool,
    pub clipboard_clear_secs: u32,
}

impl Default for Settings {
    fn default() -> Self {
        let t = Timeouts::default();
        Self {
            proxy: ProxySettings {
                mode: ProxyMode::System,
                url: String::new(),
                username: String::new(),
                no_proxy: Vec::new(),
            },
            tls_roots: TlsRoots::Bundled,
            timeouts: TimeoutSettings {
                connect_secs: secs(t.connect),
                request_secs: secs(t.request),
                stream_idle_secs: crate::playground::DEFAULT_IDLE_TIMEOUT_MS / 1000,
            },
            artifacts_dir: None,
            notifications: true,
            clipboard_clear_secs: 30,
        }
    }
}

fn secs(d: Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

/// What the window sees: the settings, whether a proxy password is saved (never the password),
/// and the artifacts folder in effect.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    pub proxy_password_saved: bool,
    pub artifacts_dir_effective: String,
    pub defaults: Settings,
}

/// What to do with the saved proxy password when settings are saved or tested.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PasswordChange {
    /// Leave the keychain entry as it is.
    Keep,
    /// Store this password (it goes to the keychain only).
    Set { value: String },
    /// Delete the keychain entry.
    Clear,
}

/// A save (or a test of unsaved edits) from the Settings screen.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsUpdate {
    pub settings: Settings,
    pub proxy_password: PasswordChange,
}

/// A field the user must fix, named so the screen can point at it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    pub field: &'static str,
    pub reason: String,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> Invalid {
    Invalid {
        field,
        reason: reason.into(),
    }
}

impl Settings {
    /// Checks every field and returns the settings normalised (trimmed, empty entries
    /// dropped, the proxy URL as parsed). Nothing is stored by this.
    pub fn validate(&self) -> Result<Settings, Invalid> {
        let mut out = self.clone();
        out.proxy.url = self.proxy.url.trim().to_owned();
        out.proxy.username = self.proxy.username.trim().to_owned();
        out.proxy.no_proxy = self
            .proxy
            .no_proxy
            .iter()
            .flat_map(|e| e.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect();
        if out.proxy.no_proxy.len() > MAX_NO_PROXY_ENTRIES {
            return Err(invalid(
                "proxy.noProxy",
                format!("at most {MAX_NO_PROXY_ENTRIES} entries"),
            ));
        }
        if let Some(bad) = out.proxy.no_proxy.iter().find(|e| !no_proxy_entry_ok(e)) {
            return Err(invalid(
                "proxy.noProxy",
                format!("`{bad}` is not a host name, an IP address or a CIDR block"),
            ));
        }
        if out.proxy.mode == ProxyMode::Manual {
            let url = parse_proxy_url(&out.proxy.url)?;
            out.proxy.url = url.as_str().trim_end_matches('/').to_owned();
        } else if !out.proxy.url.is_empty() {
            // Kept for a later switch back to manual, but only if it would work then.
            parse_proxy_url(&out.proxy.url)?;
        }
        if out.proxy.username.contains(':') {
            return Err(invalid(
                "proxy.username",
                "a user name cannot contain `:` (Basic auth splits on it)",
            ));
        }
        for (field, value) in [
            ("timeouts.connectSecs", out.timeouts.connect_secs),
            ("timeouts.requestSecs", out.timeouts.request_secs),
            ("timeouts.streamIdleSecs", out.timeouts.stream_idle_secs),
        ] {
            if value == 0 {
                return Err(invalid(field, "must be at least 1 second"));
            }
            if value > MAX_TIMEOUT_SECS {
                return Err(invalid(
                    field,
                    format!("must be at most {MAX_TIMEOUT_SECS} seconds"),
                ));
            }
        }
        if out.timeouts.connect_secs > out.timeouts.request_secs {
            return Err(invalid(
                "timeouts.connectSecs",
                "cannot be longer than the request timeout, which includes it",
            ));
        }
        out.artifacts_dir = match self.artifacts_dir.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(dir) if !Path::new(dir).is_absolute() => {
                return Err(invalid(
                    "artifactsDir",
                    format!("`{dir}` is not an absolute path"),
                ))
            }
            Some(dir) => Some(dir.to_owned()),
        };
        if !CLIPBOARD_SECS.contains(&out.clipboard_clear_secs) {
            return Err(invalid(
                "clipboardClearSecs",
                format!(
                    "must be between {} and {} seconds",
                    CLIPBOARD_SECS.start(),
                    CLIPBOARD_SECS.end()
                ),
            ));
        }
        Ok(out)
    }

    /// The network these settings describe, with the proxy password from the keychain.
    pub fn network(&self, proxy_password: Option<ApiKey>) -> Result<Network, Invalid> {
        let proxy = match self.proxy.mode {
            ProxyMode::Direct => ProxyChoice::Direct,
            ProxyMode::System => ProxyChoice::System,
            ProxyMode::Environment => ProxyChoice::Environment,
            ProxyMode::Manual => {
                let username =
                    Some(self.proxy.username.trim().to_owned()).filter(|u| !u.is_empty());
                ProxyChoice::Manual(ManualProxy {
                    url: parse_proxy_url(&self.proxy.url)?,
                    password: username.as_ref().and(proxy_password),
                    username,
                })
            }
        };
        Ok(Network {
            proxy,
            no_proxy: self.proxy.no_proxy.clone(),
            roots: match self.tls_roots {
                TlsRoots::Bundled => Roots::Bundled,
                TlsRoots::Os => Roots::Os,
            },
            timeouts: Timeouts {
                connect: Duration::from_secs(self.timeouts.connect_secs.into()),
                request: Duration::from_secs(self.timeouts.request_secs.into()),
            },
        })
    }

    /// Where artifacts are written: the chosen folder or `<data_dir>/artifacts`.
    pub fn artifacts_dir_in(&self, data_dir: &Path) -> PathBuf {
        self.artifacts_dir
            .as_deref()
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join(DEFAULT_ARTIFACTS_FOLDER))
    }
}

/// A proxy URL: a known scheme, a host, a port (or the scheme's usual one), nothing else.
pub fn parse_proxy_url(input: &str) -> Result<Url, Invalid> {
    const FIELD: &str = "proxy.url";
    let input = input.trim();
    if input.is_empty() {
        return Err(invalid(
            FIELD,
            "a manual proxy needs a URL, e.g. http://proxy.example:3128",
        ));
    }
    if !input.contains("://") {
        return Err(invalid(
            FIELD,
            format!(
                "`{input}` has no scheme: start it with http://, https://, socks5:// or socks5h://"
            ),
        ));
    }
    let url =
        Url::parse(input).map_err(|e| invalid(FIELD, format!("`{input}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(invalid(
            FIELD,
            format!(
                "unknown proxy scheme `{}`: use http, https, socks5 or socks5h",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(FIELD, format!("`{input}` has no host")));
    }
    if url.port_or_known_default().is_none() {
        return Err(invalid(
            FIELD,
            format!("`{input}` needs a port, e.g. :1080"),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            FIELD,
            "put credentials in the user name and password fields, not in the URL (the password belongs in the keychain)",
        ));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(FIELD, "a proxy URL is only scheme, host and port"));
    }
    Ok(url)
}

fn no_proxy_entry_ok(entry: &str) -> bool {
    if entry == "*" {
        return true;
    }
    if let Some((net, bits)) = entry.split_once('/') {
        return net.parse::<std::net::IpAddr>().is_ok() && bits.parse::<u8>().is_ok();
    }
    let host = entry.trim_start_matches('.');
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
}

#[cfg(test)]
mod tests;
