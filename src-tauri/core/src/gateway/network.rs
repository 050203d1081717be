//! How a gateway client reaches its host: the proxy (none, the system's, the environment's or a
//! manual one), which TLS roots it trusts and its timeouts. `settings` turns what the user saved
//! into a [`Network`]; this module is the one place that turns a `Network` into a
//! `reqwest::Client`, so the app, the CLI and "test connection" cannot disagree.
//!
//! A loopback host (127.0.0.0/8, ::1, `localhost`) is always reached directly, whatever the
//! proxy: the in-process Sandbox must keep working behind a corporate proxy, and a proxy could
//! not reach the user's loopback anyway.

use super::Timeouts;
use crate::keys::ApiKey;
use std::net::IpAddr;
use url::Url;

/// Environment variables a proxy is read from, in the order curl and reqwest honour them.
const HTTPS_PROXY_VARS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const HTTP_PROXY_VARS: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const ALL_PROXY_VARS: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// Which trust store verifies a gateway's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Roots {
    /// The Mozilla roots compiled into the app (webpki-roots): the same everywhere.
    #[default]
    Bundled,
    /// The operating system's store: needed behind a proxy that re-signs TLS with the
    /// company's own CA, which IT installs there.
    Os,
}

/// A proxy to send requests through. The password is held as an [`ApiKey`] so it is never
/// printed and is wiped on drop.
#[derive(Clone, PartialEq)]
pub struct ManualProxy {
    /// `http://`, `https://`, `socks5://` or `socks5h://` with host and port.
    pub url: Url,
    pub username: Option<String>,
    pub password: Option<ApiKey>,
}

impl std::fmt::Debug for ManualProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualProxy")
            .field("url", &self.url.as_str())
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ManualProxy {
    pub fn is_socks(&self) -> bool {
        self.url.scheme().starts_with("socks")
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum ProxyChoice {
    /// Every request goes straight to its host.
    Direct,
    /// What the OS says: macOS and Windows proxy settings; the proxy environment variables
    /// elsewhere (Linux desktops export their proxy setting into the session's environment).
    #[default]
    System,
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` only.
    Environment,
    Manual(ManualProxy),
}

/// Everything about the network a gateway client needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    pub proxy: ProxyChoice,
    /// Hosts reached directly besides loopback: curl's `NO_PROXY` syntax (a domain matches its
    /// subdomains, IPs and CIDR blocks allowed, `*` matches all).
    pub no_proxy: Vec<String>,
    pub roots: Roots,
    pub timeouts: Timeouts,
}

/// The proxy a request to `target` actually takes under `network`, as "test connection"
/// reports and probes it. `None`: straight to the host.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub proxy: Option<ManualProxy>,
}

impl Network {
    /// A client builder for requests to `base`, with the proxy, roots and timeouts applied.
    pub fn client_builder(&self, base: &Url) -> Result<reqwest::ClientBuilder, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.timeouts.connect)
            // Exactly one store: trusting both would let the bundled set vouch for a host the
            // company's store was chosen to police, and vice versa.
            .tls_built_in_webpki_certs(self.roots == Roots::Bundled)
            .tls_built_in_native_certs(self.roots == Roots::Os);
        if is_loopback(base) {
            return Ok(builder.no_proxy());
        }
        let no_proxy = || reqwest::NoProxy::from_string(&self.no_proxy.join(","));
        match &self.proxy {
            ProxyChoice::Direct => builder = builder.no_proxy(),
            // reqwest's default is the system's proxy; the user's no-proxy list cannot be added
            // to it, so a host on that list is sent directly here instead.
            ProxyChoice::System if self.bypasses(base) => builder = builder.no_proxy(),
            ProxyChoice::System => {}
            ProxyChoice::Environment => {
                builder = builder.no_proxy();
                let env_no_proxy = env_first(&NO_PROXY_VARS).unwrap_or_default();
                let list = format!("{env_no_proxy},{}", self.no_proxy.join(","));
                let excluded = || reqwest::NoProxy::from_string(&list);
                if let Some(url) = env_first(&HTTPS_PROXY_VARS) {
                    builder = builder.proxy(reqwest::Proxy::https(url)?.no_proxy(excluded()));
                }
                if let Some(url) = env_first(&HTTP_PROXY_VARS) {
                    builder = builder.proxy(reqwest::Proxy::http(url)?.no_proxy(excluded()));
                }
                if let Some(url) = env_first(&ALL_PROXY_VARS) {
                    builder = builder.proxy(reqwest::Proxy::all(url)?.no_proxy(excluded()));
                }
            }
            ProxyChoice::Manual(manual) => {
                let mut url = manual.url.clone();
                let mut proxy;
                if manual.is_socks() {
                    // SOCKS5 takes its credentials from the proxy URL itself.
                    if let Some(user) = &manual.username {
                        let _ = url.set_username(user);
                        let _ = url.set_password(manual.password.as_ref().map(ApiKey::expose));
                    }
                    proxy = reqwest::Proxy::all(url.as_str())?;
                } else {
                    proxy = reqwest::Proxy::all(url.as_str())?;
                    if let Some(user) = &manual.username {
                        let password = manual.password.as_ref().map_or("", ApiKey::expose);
                        proxy = proxy.basic_auth(user, password);
                    }
                }
                builder = builder.no_proxy().proxy(proxy.no_proxy(no_proxy()));
            }
        }
        Ok(builder)
    }

    /// The proxy a request to `base` goes through, resolved the way `client_builder` resolves
    /// it. `System` is reported as the environment's proxy (what the OS setting gives on
    /// Linux); on macOS and Windows the probe then tests the direct path.
    pub fn route(&self, base: &Url) -> Route {
        if is_loopback(base) || self.bypasses(base) {
            return Route { proxy: None };
        }
        let proxy = match &self.proxy {
            ProxyChoice::Direct => None,
            ProxyChoice::Manual(m) => Some(m.clone()),
            ProxyChoice::System | ProxyChoice::Environment => {
                let env_no_proxy = env_first(&NO_PROXY_VARS).unwrap_or_default();
                let host = base.host_str().unwrap_or_default();
                if env_no_proxy
                    .split(',')
                    .any(|entry| matches_no_proxy(entry.trim(), host))
                {
                    None
                } else {
                    let vars = if base.scheme() == "https" {
                        &HTTPS_PROXY_VARS
                    } else {
                        &HTTP_PROXY_VARS
                    };
                    env_first(vars)
                        .or_else(|| env_first(&ALL_PROXY_VARS))
                        .and_then(|raw| ManualProxy::from_env_url(&raw))
                }
            }
        };
        Route { proxy }
    }

    /// Whether the user's no-proxy list sends `base` directly.
    fn bypasses(&self, base: &Url) -> bool {
        let host = base.host_str().unwrap_or_default();
        self.no_proxy
            .iter()
            .any(|entry| matches_no_proxy(entry.trim(), host))
    }
}

impl ManualProxy {
    /// A proxy from an environment variable: `host:port` without a scheme means http, as curl
    /// reads it; credentials in the URL are taken apart so the probe can send them.
    fn from_env_url(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("http://{raw}")
        };
        let mut url = Url::parse(&with_scheme).ok()?;
        let username = (!url.username().is_empty()).then(|| url.username().to_owned());
        let password = url.password().and_then(ApiKey::new);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Some(Self {
            url,
            username,
            password,
        })
    }
}

fn env_first(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok())
        .filter(|v| !v.trim().is_empty())
}

/// Whether `base`'s host is this machine.
pub fn is_loopback(base: &Url) -> bool {
    match base.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// One `NO_PROXY` entry against a host, with curl's rules: `*` matches all, a domain (with or
/// without a leading dot) matches itself and its subdomains, an IP or CIDR block matches IPs.
pub fn matches_no_proxy(entry: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let entry = entry.trim();
    if entry.is_empty() {
        return false;
    }
    if entry == "*" {
        return true;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return match entry.split_once('/') {
            Some((net, bits)) => match (net.parse::<IpAddr>(), bits.parse::<u32>()) {
                (Ok(net), Ok(bits)) => in_block(ip, net, bits),
                _ => false,
            },
            None => entry.parse::<IpAddr>().is_ok_and(|e| e == ip),
        };
    }
    let domain = entry.trim_start_matches('.').to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    host == domain || host.ends_with(&format!(".{domain}"))
}

fn in_block(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for s in [
            "http://127.0.0.1:8787",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost:3000",
            "http://api.localhost",
        ] {
            assert!(is_loopback(&url(s)), "{s}");
        }
        for s in [
            "https://api.anyint.ai",
            "http://10.0.0.1",
            "http://localhost.example",
        ] {
            assert!(!is_loopback(&url(s)), "{s}");
        }
    }

    #[test]
    fn no_proxy_entries_follow_curl() {
        assert!(matches_no_proxy("example.com", "example.com"));
        assert!(matches_no_proxy(".example.com", "api.example.com"));
        assert!(matches_no_proxy("example.com", "API.example.com"));
        assert!(!matches_no_proxy("example.com", "notexample.com"));
        assert!(matches_no_proxy("10.0.0.0/8", "10.1.2.3"));
        assert!(!matches_no_proxy("10.0.0.0/8", "11.1.2.3"));
        assert!(matches_no_proxy("192.168.1.7", "192.168.1.7"));
        assert!(matches_no_proxy("fd00::/8", "[fd12::1]"));
        assert!(matches_no_proxy("*", "anything"));
        assert!(!matches_no_proxy("", "anything"));
    }

    #[test]
    fn a_manual_proxy_is_the_route_unless_the_host_is_loopback_or_listed() {
        let proxy = ManualProxy {
            url: url("http://proxy.corp:3128"),
            username: None,
            password: None,
        };
        let network = Network {
            proxy: ProxyChoice::Manual(proxy.clone()),
            no_proxy: vec!["internal.corp".into()],
            ..Network::default()
        };
        assert_eq!(
            network.route(&url("https://api.anyint.ai")).proxy,
            Some(proxy)
        );
        assert_eq!(network.route(&url("http://127.0.0.1:9")).proxy, None);
        assert_eq!(network.route(&url("https://gw.internal.corp")).proxy, None);
        let direct = Network {
            proxy: ProxyChoice::Direct,
            ..Network::default()
        };
        assert_eq!(direct.route(&url("https://api.anyint.ai")).proxy, None);
    }

    #[test]
    fn a_proxy_password_is_never_printed() {
        let proxy = ManualProxy {
            url: url("http://proxy.corp:3128"),
            username: Some("ann".into()),
            password: ApiKey::new("hunter2-secret"),
        };
        let debug = format!(
            "{:?}",
            Network {
                proxy: ProxyChoice::Manual(proxy),
                ..Network::default()
            }
        );
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("ann"), "{debug}");
    }

    #[test]
    fn every_choice_builds_a_client() {
        let manual = |u: &str| {
            ProxyChoice::Manual(ManualProxy {
                url: url(u),
                username: Some("u".into()),
                password: ApiKey::new("p"),
            })
        };
        for proxy in [
            ProxyChoice::Direct,
            ProxyChoice::System,
            ProxyChoice::Environment,
            manual("http://p:1"),
            manual("socks5://p:1"),
        ] {
            for roots in [Roots::Bundled, Roots::Os] {
                let network = Network {
                    proxy: proxy.clone(),
                    roots,
                    ..Network::default()
                };
                let built = network
                    .client_builder(&url("https://api.anyint.ai"))
                    .and_then(reqwest::ClientBuilder::build);
                assert!(built.is_ok(), "{proxy:?} {roots:?}: {built:?}");
            }
        }
    }
}
