//! Loopback only, by name too: the sandbox answers a request only when its `Host` names the
//! sandbox itself (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, or the bound address).
//!
//! Binding to loopback keeps other machines out, but not a web page in the user's browser:
//! with DNS rebinding, `evil.example` re-resolves to 127.0.0.1 and the page's scripts then
//! read the sandbox as if it were their own origin. The browser still sends
//! `Host: evil.example`, which is refused here with a plain 421, before any route runs. The
//! same checks tell callbacks whether a URL names this machine (see `callbacks`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The `Host` values the sandbox answers to.
#[derive(Debug)]
pub(crate) struct AllowedHosts {
    names: Vec<String>,
    port: u16,
}

impl AllowedHosts {
    pub(crate) fn for_addr(addr: SocketAddr) -> Arc<Self> {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"].map(String::from).into();
        // Bound to one address (`--host 192.168.1.5`): its literal is the sandbox's own name.
        // An address literal is no rebinding risk; only a domain name can be re-pointed.
        if !addr.ip().is_unspecified() {
            names.push(match addr.ip() {
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
            });
        }
        Arc::new(Self {
            names,
            port: addr.port(),
        })
    }

    fn allows(&self, host: &str) -> bool {
        let (name, port) = split_host_port(host);
        // No port in `Host` means the scheme's default, 80 for the sandbox's plain http.
        let port_ok = match port {
            Some(p) => p.parse::<u16>().ok() == Some(self.port),
            None => self.port == 80,
        };
        port_ok && self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// `host[:port]` or `[v6][:port]` split at the port's colon (not one inside the brackets).
pub(crate) fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, Some(port)),
        _ => (authority, None),
    }
}

/// Middleware around every route: a request not addressed to the sandbox is refused.
pub(crate) async fn guard(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    // HTTP/1.1 carries `Host`; an HTTP/2 request carries the authority in its URI instead.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if host.is_some_and(|h| allowed.allows(h)) {
        return next.run(request).await;
    }
    let port = allowed.port;
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "The sandbox answers only requests addressed to it: Host 127.0.0.1:{port}, \
             localhost:{port} or [::1]:{port}.\n"
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sandboxs_own_names_and_port_are_allowed() {
        let allowed = AllowedHosts::for_addr(SocketAddr::from(([127, 0, 0, 1], 8787)));
        for ok in [
            "127.0.0.1:8787",
            "localhost:8787",
            "LocalHost:8787",
            "[::1]:8787",
        ] {
            assert!(allowed.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:8787",
            "127.0.0.1:9999",
            "127.0.0.1",
            "localhost.evil.example:8787",
            "127.0.0.1.nip.io:8787",
            "[::1]",
            "",
        ] {
            assert!(!allowed.allows(refused), "{refused}");
        }
        let lan = AllowedHosts::for_addr(SocketAddr::from(([192, 168, 1, 5], 80)));
        assert!(lan.allows("192.168.1.5") && lan.allows("127.0.0.1:80"));
        let any = AllowedHosts::for_addr(SocketAddr::from(([0, 0, 0, 0], 80)));
        assert!(!any.allows("0.0.0.0") && any.allows("localhost"));
    }
}
