//! "Test connection": walks the path a request takes, one step at a time, and says which step
//! failed and how long each took. DNS (the first hop's name), TCP (to the first hop), the
//! proxy (CONNECT, a forwarded request or the SOCKS5 handshake; a 407 is named), TLS (the
//! gateway's certificate against the chosen roots) and HTTP (the Models route, through the
//! very client the app would use). A step after a failed one is reported as skipped.

use crate::gateway::network::{ManualProxy, Network, Roots};
use crate::gateway::{Family, GatewayClient};
use crate::keys::ApiKey;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use ts_rs::TS;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Dns,
    Tcp,
    Proxy,
    Tls,
    Http,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Ok,
    Failed,
    /// Not run: an earlier step failed.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    pub step: Step,
    pub status: StepStatus,
    pub millis: u32,
    pub detail: String,
    /// The HTTP status where one was seen: the proxy's (407: it wants credentials) or the
    /// gateway's Models route.
    pub http_status: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionTest {
    /// The base URL tested.
    pub target: String,
    /// The proxy the request went through (no credentials), or `None`: direct.
    pub via: Option<String>,
    pub steps: Vec<StepReport>,
    pub ok: bool,
    pub failed_step: Option<Step>,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

struct Failure {
    detail: String,
    http_status: Option<u16>,
}

fn fail(detail: impl Into<String>) -> Failure {
    Failure {
        detail: detail.into(),
        http_status: None,
    }
}

/// Collects the steps as they run.
struct Walk {
    steps: Vec<StepReport>,
}

impl Walk {
    async fn run<T, F>(&mut self, step: Step, work: F) -> Option<T>
    where
        F: std::future::Future<Output = Result<(T, String, Option<u16>), Failure>>,
    {
        let started = Instant::now();
        let outcome = work.await;
        let millis = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        let (value, status, detail, http_status) = match outcome {
            Ok((v, detail, code)) => (Some(v), StepStatus::Ok, detail, code),
            Err(f) => (None, StepStatus::Failed, f.detail, f.http_status),
        };
        self.steps.push(StepReport {
            step,
            status,
            millis,
            detail,
            http_status,
        });
        value
    }

    fn finish(
        mut self,
        target: &Url,
        via: Option<&ManualProxy>,
        planned: &[Step],
    ) -> ConnectionTest {
        for step in planned {
            if !self.steps.iter().any(|s| s.step == *step) {
                self.steps.push(StepReport {
                    step: *step,
                    status: StepStatus::Skipped,
                    millis: 0,
                    detail: "not run: an earlier step failed".into(),
                    http_status: None,
                });
            }
        }
        let failed_step = self
            .steps
            .iter()
            .find(|s| s.status == StepStatus::Failed)
            .map(|s| s.step);
        ConnectionTest {
            target: target.as_str().trim_end_matches('/').to_owned(),
            via: via.map(|p| p.url.as_str().trim_end_matches('/').to_owned()),
            ok: failed_step.is_none(),
            failed_step,
            steps: self.steps,
        }
    }
}

/// Tests the path to `base_url` under `network`, sending `key` (if any) on the Models route.
pub async fn test_connection(
    base_url: &str,
    key: Option<ApiKey>,
    network: &Network,
) -> Result<ConnectionTest, crate::gateway::GatewayError> {
    let target = crate::gateway::parse_base_url(base_url)?;
    let route = network.route(&target);
    let proxy = route.proxy.as_ref();
    let https = target.scheme() == "https";
    let mut planned = vec![Step::Dns, Step::Tcp];
    if proxy.is_some() {
        planned.push(Step::Proxy);
    }
    if https {
        planned.push(Step::Tls);
    }
    planned.push(Step::Http);

    let mut walk = Walk { steps: Vec::new() };
    let connect = network.timeouts.connect;
    let (target_host, target_port) = host_port(&target);
    let (hop_host, hop_port) =
        proxy.map_or((target_host.clone(), target_port), |p| host_port(&p.url));

    let done = |walk: Walk| walk.finish(&target, proxy, &planned);
    let Some(addrs) = walk
        .run(Step::Dns, resolve(&hop_host, hop_port, connect))
        .await
    else {
        return Ok(done(walk));
    };
    let Some(tcp) = walk.run(Step::Tcp, open_tcp(&addrs, connect)).await else {
        return Ok(done(walk));
    };
    let mut stream: Box<dyn Io> = Box::new(tcp);
    if let Some(p) = proxy {
        let through = walk
            .run(Step::Proxy, through_proxy(stream, p, &target, network))
            .await;
        let Some(through) = through else {
            return Ok(done(walk));
        };
        stream = through;
    }
    if https {
        let handshake = walk
            .run(Step::Tls, tls(stream, &target_host, network.roots, connect))
            .await;
        if handshake.is_none() {
            return Ok(done(walk));
        }
    }
    walk.run(Step::Http, models_route(&target, key, network))
        .await;
    Ok(done(walk))
}

fn host_port(url: &Url) -> (String, u16) {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    (host, url.port_or_known_default().unwrap_or(443))
}

async fn resolve(
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<(Vec<SocketAddr>, String, Option<u16>), Failure> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok((
            vec![SocketAddr::new(ip, port)],
            format!("{host} is an IP address"),
            None,
        ));
    }
    let found = tokio::time::timeout(limit, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| {
            fail(format!(
                "no answer for `{host}` within {} s",
                limit.as_secs()
            ))
        })?
        .map_err(|e| fail(format!("cannot resolve `{host}`: {e}")))?;
    let addrs: Vec<SocketAddr> = found.collect();
    if addrs.is_empty() {
        return Err(fail(format!("`{host}` has no address")));
    }
    let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
    Ok((addrs, format!("{host} → {}", shown.join(", ")), None))
}

async fn open_tcp(
    addrs: &[SocketAddr],
    limit: Duration,
) -> Result<(TcpStream, String, Option<u16>), Failure> {
    let mut last = String::new();
    for addr in addrs {
        match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => return Ok((stream, format!("connected to {addr}"), None)),
            Ok(Err(e)) => last = format!("{addr}: {e}"),
            Err(_) => last = format!("{addr}: no answer within {} s", limit.as_secs()),
        }
    }
    Err(fail(format!("cannot open a TCP connection ({last})")))
}

async fn tls(
    stream: Box<dyn Io>,
    host: &str,
    roots: Roots,
    limit: Duration,
) -> Result<(Box<dyn Io>, String, Option<u16>), Failure> {
    use tokio_rustls::rustls;
    let mut store = rustls::RootCertStore::empty();
    match roots {
        Roots::Bundled => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Roots::Os => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(fail(
                    "the operating system's certificate store has no usable roots",
                ));
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(format!("TLS setup: {e}")))?
        .with_root_certificates(store)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| fail(format!("`{host}` is not a TLS server name: {e}")))?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let which = match roots {
        Roots::Bundled => "the bundled roots",
        Roots::Os => "the OS certificate store",
    };
    match tokio::time::timeout(limit, connector.connect(name, stream)).await {
        Ok(Ok(s)) => Ok((
            Box::new(s),
            format!("{host}'s certificate is trusted by {which}"),
            None,
        )),
        Ok(Err(e)) => Err(fail(format!(
            "TLS handshake with {host} failed ({which}): {e}"
        ))),
        Err(_) => Err(fail(format!(
            "no TLS answer from {host} within {} s",
            limit.as_secs()
        ))),
    }
}

async fn models_route(
    target: &Url,
    key: Option<ApiKey>,
    network: &Network,
) -> Result<((), String, Option<u16>), Failure> {
    let http = network
        .client_builder(target)
        .and_then(reqwest::ClientBuilder::build)
        .map_err(|e| fail(format!("cannot build the HTTP client: {e}")))?;
    let url = format!(
        "{}{}/models",
        target.as_str().trim_end_matches('/'),
        Family::OpenAi.prefix()
    );
    let mut request = http.get(&url).timeout(network.timeouts.request);
    if let Some(key) = &key {
        let client = GatewayClient::with_network(target.as_str(), key.clone(), network)
            .map_err(|e| fail(e.to_string()))?;
        let headers = client
            .auth_headers(Family::OpenAi)
            .map_err(|e| fail(e.to_string()))?;
        request = request.headers(headers);
    }
    let response = request.send().await.map_err(|e| {
        let host = target.host_str().unwrap_or_default();
        let err = crate::gateway::GatewayError::from_reqwest(host, e, network.timeouts.request);
        fail(match &key {
            Some(k) => k.scrub(&err.to_string()).into_owned(),
            None => err.to_string(),
        })
    })?;
    let status = response.status().as_u16();
    let detail =
        match status {
            200..=299 => format!("the Models route answered HTTP {status}"),
            401 => return Err(Failure {
                detail:
                    "the gateway answered HTTP 401: the key was rejected (the network path works)"
                        .into(),
                http_status: Some(status),
            }),
            _ if key.is_none() => {
                return Err(Failure {
                    detail: format!(
                        "the gateway answered HTTP {status} (no key was sent: bind one in Keys)"
                    ),
                    http_status: Some(status),
                })
            }
            _ => {
                return Err(Failure {
                    detail: format!("the Models route answered HTTP {status}"),
                    http_status: Some(status),
                })
            }
        };
    Ok(((), detail, Some(status)))
}

#[path = "probe_proxy.rs"]
mod proxy;
use proxy::through_proxy;

#[cfg(test)]
#[path = "probe_tests.rs"]
mod tests;
