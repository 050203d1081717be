//! Editing a connection, and the rule every add or edit follows for plain `http://`: keys and
//! prompts would cross the network unencrypted, so a URL to a host other than this machine
//! needs the user's explicit confirmation (the Sandbox and other loopback gateways need none).

use super::{ConnectionKind, Desk, NewConnection};
use crate::error::DeskError;
use crate::gateway::parse_base_url;
use crate::store::ConnectionRow;
use std::net::IpAddr;
use url::{Host, Url};

/// Whether `base_url` is plain `http://` to a host that is not loopback. Loopback means
/// `localhost` (and `*.localhost`, which resolvers keep on this machine per RFC 6761),
/// 127.0.0.0/8 and `::1`.
pub fn is_plain_http_remote(base_url: &str) -> bool {
    match Url::parse(base_url) {
        Ok(url) => url.scheme() == "http" && !is_loopback(&url),
        Err(_) => false,
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// Refuses an unconfirmed plain-HTTP URL to another host with `insecure_http`, which the UI
/// answers by asking, then sending `allowInsecureHttp: true`.
pub(super) fn refuse_unconfirmed_http(url: &Url, confirmed: bool) -> Result<(), DeskError> {
    if confirmed || !is_plain_http_remote(url.as_str()) {
        return Ok(());
    }
    Err(DeskError::InsecureHttp(format!(
        "{} is plain http:// to another machine: keys and prompts would travel unencrypted. Use https://, or confirm to keep http://",
        url.host_str().unwrap_or_default()
    )))
}

impl Desk {
    /// Replaces an AnyInt connection's name, base URL and `ANYINT_API_KEY` opt-in, under the
    /// same checks as adding one. A new host is refused while keys belong to the connection
    /// (they are bound to its gateway); the models cache is dropped when the URL changes.
    pub fn update_connection(
        &self,
        id: &str,
        input: NewConnection,
    ) -> Result<super::Connection, DeskError> {
        let store = &self.inner.store;
        let old = store
            .connection(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no connection with id `{id}`")))?;
        if old.kind == ConnectionKind::Sandbox {
            return Err(DeskError::InvalidInput(
                "the Sandbox connection cannot be edited".into(),
            ));
        }
        let name = input.name.trim();
        if name.is_empty() {
            return Err(DeskError::InvalidInput("a connection needs a name".into()));
        }
        let url = parse_base_url(&input.base_url)?;
        refuse_unconfirmed_http(&url, input.allow_insecure_http.unwrap_or(false))?;
        let taken = store
            .connections()?
            .iter()
            .any(|c| c.id != id && c.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(DeskError::InvalidInput(format!(
                "a connection named `{name}` already exists"
            )));
        }
        let base_url = url.as_str().trim_end_matches('/').to_owned();
        if !crate::keys::same_host(&old.base_url, &base_url) {
            // Keys that belong here, and keys bound here that belong to another connection on
            // the same host: either would follow the connection to the new host.
            let bound: Vec<String> = store
                .key_bindings()?
                .into_iter()
                .filter(|(c, _, _)| c == id)
                .map(|(_, _, k)| k)
                .collect();
            let owned: Vec<String> = store
                .key_rows()?
                .into_iter()
                .filter(|k| k.connection_id.as_deref() == Some(id) || bound.contains(&k.id))
                .map(|k| k.label)
                .collect();
            if !owned.is_empty() {
                return Err(DeskError::InvalidInput(format!(
                    "{} belong to this connection's gateway and cannot follow it to another host; add a new connection instead",
                    owned.join(", ")
                )));
            }
        }
        let changed_url = base_url != old.base_url;
        store.update_connection(&ConnectionRow {
            name: name.to_owned(),
            base_url,
            use_env_key: input.use_env_key.unwrap_or(false),
            ..old
        })?;
        if changed_url {
            store.forget_models(id)?;
        }
        self.connection(id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_another_host_is_insecure() {
        for remote in [
            "http://gateway.example.com",
            "http://10.0.0.5:8080/v1",
            "http://[2001:db8::1]",
            "http://localhost.example.com",
        ] {
            assert!(is_plain_http_remote(remote), "{remote}");
        }
        for local in [
            "https://api.anyint.ai",
            "http://127.0.0.1:3000",
            "http://127.8.9.10",
            "http://[::1]:9000",
            "http://localhost:8080",
            "http://LOCALHOST.",
            "http://gateway.localhost",
            "sandbox://local",
        ] {
            assert!(!is_plain_http_remote(local), "{local}");
        }
    }
}
