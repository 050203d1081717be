//! The probe's proxy step: a CONNECT tunnel (https gateways), a forwarded request (plain
//! http ones, as reqwest sends them) or the SOCKS5 handshake, with a 407 or a SOCKS5 refusal
//! of the credentials named as proxy authentication.

use super::{fail, host_port, tls, Failure, Io};
use crate::gateway::network::{ManualProxy, Network};
use crate::gateway::Family;
use crate::keys::ApiKey;
use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

/// The most of a proxy's answer head read (a status line and a few headers).
const MAX_PROXY_HEAD: usize = 16 * 1024;

pub(super) async fn through_proxy(
    stream: Box<dyn Io>,
    proxy: &ManualProxy,
    target: &Url,
    network: &Network,
) -> Result<(Box<dyn Io>, String, Option<u16>), Failure> {
    let limit = network.timeouts.connect;
    let (host, port) = host_port(target);
    if proxy.is_socks() {
        let socks = tokio::time::timeout(limit, socks5(stream, proxy, &host, port))
            .await
            .map_err(|_| {
                fail(format!(
                    "the SOCKS5 proxy did not answer within {} s",
                    limit.as_secs()
                ))
            })??;
        return Ok((
            socks,
            format!("the SOCKS5 proxy opened a tunnel to {host}:{port}"),
            None,
        ));
    }
    let mut stream = stream;
    if proxy.url.scheme() == "https" {
        let (proxy_host, _) = host_port(&proxy.url);
        let (tls_stream, _, _) = tls(stream, &proxy_host, network.roots, limit)
            .await
            .map_err(|f| fail(format!("TLS to the proxy failed: {}", f.detail)))?;
        stream = tls_stream;
    }
    let auth = proxy.username.as_ref().map(|user| {
        let password = proxy.password.as_ref().map_or("", ApiKey::expose);
        zeroize::Zeroizing::new(format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        ))
    });
    let auth = auth.as_deref().map_or("", String::as_str);
    // An https gateway is reached through a CONNECT tunnel; a plain-http one by forwarding,
    // exactly as reqwest does. The forwarded probe carries no API key.
    let request = if target.scheme() == "https" {
        format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}\r\n")
    } else {
        let url = format!(
            "{}{}/models",
            target.as_str().trim_end_matches('/'),
            Family::OpenAi.prefix()
        );
        format!("GET {url} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}Connection: close\r\n\r\n")
    };
    let request = zeroize::Zeroizing::new(request);
    let status = tokio::time::timeout(limit, async {
        stream.write_all(request.as_bytes()).await?;
        read_status(&mut stream).await
    })
    .await
    .map_err(|_| {
        fail(format!(
            "the proxy did not answer within {} s",
            limit.as_secs()
        ))
    })?
    .map_err(|e| fail(format!("the proxy broke the exchange: {e}")))?;
    let proxy_failure = |detail: String| Failure {
        detail,
        http_status: Some(status),
    };
    match status {
        407 if proxy.username.is_some() => Err(proxy_failure(
            "proxy authentication failed (HTTP 407): the proxy refused the user name or password"
                .into(),
        )),
        407 => Err(proxy_failure(
            "proxy authentication required (HTTP 407): set the proxy's user name and password"
                .into(),
        )),
        200..=299 if target.scheme() == "https" => Ok((
            stream,
            format!("the proxy opened a tunnel to {host}:{port}"),
            Some(status),
        )),
        502..=504 => Err(proxy_failure(format!(
            "the proxy could not reach {host}:{port} (HTTP {status})"
        ))),
        _ if target.scheme() == "https" => Err(proxy_failure(format!(
            "the proxy refused the tunnel to {host}:{port} (HTTP {status})"
        ))),
        _ => Ok((
            stream,
            format!("the proxy forwarded the request to {host}:{port}"),
            Some(status),
        )),
    }
}

async fn socks5(
    stream: Box<dyn Io>,
    proxy: &ManualProxy,
    host: &str,
    port: u16,
) -> Result<Box<dyn Io>, Failure> {
    use tokio_socks::tcp::Socks5Stream;
    use tokio_socks::Error as SocksError;
    let opened = match (&proxy.username, &proxy.password) {
        (Some(user), password) => {
            let password = password.as_ref().map_or("", ApiKey::expose);
            Socks5Stream::connect_with_password_and_socket(stream, (host, port), user, password)
                .await
        }
        (None, _) => Socks5Stream::connect_with_socket(stream, (host, port)).await,
    };
    match opened {
        Ok(s) => Ok(Box::new(s)),
        Err(SocksError::PasswordAuthFailure(_)) => Err(fail(
            "proxy authentication failed: the SOCKS5 proxy refused the user name or password",
        )),
        Err(SocksError::AuthorizationRequired | SocksError::NoAcceptableAuthMethods) => Err(fail(
            "proxy authentication required: the SOCKS5 proxy wants a user name and password",
        )),
        Err(e) => Err(fail(format!("the SOCKS5 proxy refused: {e}"))),
    }
}

/// Reads an HTTP answer's head and returns its status code.
async fn read_status(stream: &mut Box<dyn Io>) -> std::io::Result<u16> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // Byte by byte: whatever follows the head (a tunnel's TLS) must stay unread.
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 || head.len() >= MAX_PROXY_HEAD {
            break;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .filter(|_| text.starts_with("HTTP/"))
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the answer is not HTTP (is it a SOCKS proxy? use socks5://)",
            )
        })
}
