//! A small HTTP proxy on loopback for the proxy tests (scenarios and e2e): it answers CONNECT
//! (tunnels) and absolute-form requests (plain-http forwarding), and reaches only the hosts it
//! was given, each mapped to a loopback address. A name it maps need not exist in DNS at all,
//! so a gateway "reachable only through the proxy" is one whose host is mapped here.
//!
//! With credentials set it demands `Proxy-Authorization: Basic …` and answers 407 otherwise.
//! Every request line it receives is recorded, so a test can prove what went through it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_HEAD: usize = 64 * 1024;

#[derive(Clone)]
pub struct ForwardProxy {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        if Arc::strong_count(&self.task) == 1 {
            self.task.abort();
        }
    }
}

impl ForwardProxy {
    /// Starts the proxy: `hosts` maps `host:port` (as requested) to where it really is.
    /// `basic` is the expected `user:password`, if the proxy wants credentials.
    pub async fn start(hosts: HashMap<String, SocketAddr>, basic: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let expected = basic.map(|b| base64_encode(b.as_bytes()));
        let hosts = Arc::new(hosts);
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (hosts, log, expected) = (hosts.clone(), log.clone(), expected.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &hosts, &log, expected.as_deref()).await;
                });
            }
        });
        Self {
            addr,
            seen,
            task: Arc::new(task),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines received so far (`CONNECT host:port HTTP/1.1`, `GET http://… HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("log").clone()
    }
}

async fn serve(
    mut client: TcpStream,
    hosts: &HashMap<String, SocketAddr>,
    log: &Mutex<Vec<String>>,
    expected_auth: Option<&str>,
) -> std::io::Result<()> {
    let head = read_head(&mut client).await?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    log.lock().expect("log").push(request_line.clone());
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    if let Some(expected) = expected_auth {
        // The scheme is case-insensitive (RFC 7235), the token is not.
        let given = headers
            .iter()
            .find(|(n, _)| n == "proxy-authorization")
            .and_then(|(_, v)| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .map(|(_, token)| token.trim());
        if given != Some(expected) {
            let answer = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            return client.write_all(answer.as_bytes()).await;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if method == "CONNECT" {
        let Some(upstream) = hosts.get(target) else {
            return bad_gateway(&mut client).await;
        };
        let mut upstream = TcpStream::connect(upstream).await?;
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: `GET http://host:port/path HTTP/1.1`.
    let Some(rest) = target.strip_prefix("http://") else {
        return bad_gateway(&mut client).await;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let Some(upstream_addr) = hosts.get(&authority) else {
        return bad_gateway(&mut client).await;
    };
    let mut upstream = TcpStream::connect(upstream_addr).await?;
    // Origin form to the upstream, its own Host (a mapping proxy, like a reverse proxy), and
    // one request per connection so every request is seen here.
    let path = if path.is_empty() { "/" } else { path };
    let mut forwarded =
        format!("{method} {path} HTTP/1.1\r\nHost: {upstream_addr}\r\nConnection: close\r\n");
    for (name, value) in &headers {
        if !matches!(
            name.as_str(),
            "host" | "connection" | "proxy-connection" | "proxy-authorization" | "keep-alive"
        ) {
            forwarded.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    forwarded.push_str("\r\n");
    upstream.write_all(forwarded.as_bytes()).await?;
    // A body, if any, follows the head on the client's side; the answer comes back whole.
    let (mut from_client, mut to_client) = client.split();
    let (mut from_up, mut to_up) = upstream.split();
    let up = tokio::io::copy(&mut from_client, &mut to_up);
    let down = async {
        let copied = tokio::io::copy(&mut from_up, &mut to_client).await;
        let _ = to_client.shutdown().await;
        copied
    };
    tokio::select! {
        r = down => { r?; }
        _ = up => {}
    }
    Ok(())
}

async fn bad_gateway(client: &mut TcpStream) -> std::io::Result<()> {
    client
        .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .await
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < MAX_HEAD {
        if stream.read(&mut byte).await? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    Ok(head)
}

fn base64_encode(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}
