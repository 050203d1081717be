//! Helpers shared by the sandbox's loopback tests.
#![allow(dead_code)]

use anyint_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    anyint_sandbox::start(config).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// GET with a Bearer key; returns status, headers and the JSON body (Null when not JSON).
pub async fn get_bearer(url: &str, key: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let r = client()
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

/// POST JSON with a Bearer key.
pub async fn post_bearer(
    url: &str,
    key: &str,
    body: &Value,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let r = client()
        .post(url)
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

pub fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect()
}

/// One dispatched SSE event: name (default "message") and joined data.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: String,
    pub data: String,
}

/// A small spec-following SSE parser (LF line endings, which is what the sandbox writes).
/// Returns the events and whether the text ended on an event boundary.
pub fn parse_sse(text: &str) -> Vec<Event> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut data: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if line.is_empty() {
            if !data.is_empty() {
                let n = if name.is_empty() {
                    "message".to_owned()
                } else {
                    name.clone()
                };
                out.push(Event {
                    name: n,
                    data: data.join("\n"),
                });
            }
            name.clear();
            data.clear();
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
        } else if let Some(v) = line.strip_prefix("event:") {
            name = v.trim_start().to_owned();
        }
    }
    out
}

/// POST and read the whole streamed body as text (errors if the connection broke).
pub async fn post_stream(
    req: reqwest::RequestBuilder,
) -> (
    u16,
    reqwest::header::HeaderMap,
    Result<String, reqwest::Error>,
) {
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await)
}

pub fn json_events(events: &[Event]) -> Vec<Value> {
    events
        .iter()
        .filter(|e| e.data != "[DONE]")
        .map(|e| serde_json::from_str(&e.data).expect("event data is JSON"))
        .collect()
}

/// A minimal HTTP receiver: every POST body is sent on the channel, answered with 200.
pub async fn receiver() -> (String, mpsc::UnboundedReceiver<Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = sock.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len: usize = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap())
                            })
                            .unwrap();
                        if buf.len() >= end + 4 + len {
                            tx.send(serde_json::from_slice(&buf[end + 4..end + 4 + len]).unwrap())
                                .unwrap();
                            break;
                        }
                    }
                    if n == 0 {
                        break;
                    }
                }
                sock.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                )
                .await
                .unwrap();
            });
        }
    });
    (url, rx)
}

pub async fn collect(rx: &mut mpsc::UnboundedReceiver<Value>, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    while out.len() < n {
        out.push(
            tokio::time::timeout(Duration::from_secs(5), rx.recv())
                .await
                .expect("callback in time")
                .unwrap(),
        );
    }
    out
}

/// The four chat stream families: OpenAI chat completions, OpenAI Responses, Anthropic messages,
/// Gemini streamGenerateContent.
pub const CHAT_STREAMS: [&str; 4] = ["openai", "responses", "anthropic", "gemini"];

/// A streaming chat request (prompt "Hello") to one of [`CHAT_STREAMS`], with `headers` added.
pub fn chat_stream(
    sb: &anyint_sandbox::Sandbox,
    family: &str,
    headers: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let base = sb.base_url();
    let key = anyint_sandbox::DEMO_KEY;
    let messages = serde_json::json!([{"role": "user", "content": "Hello"}]);
    let mut req = match family {
        "openai" => client()
            .post(format!("{base}/openai/v1/chat/completions"))
            .bearer_auth(key)
            .json(&serde_json::json!({"model": "gpt-5", "stream": true,
                "stream_options": {"include_usage": true}, "messages": messages})),
        "responses" => client()
            .post(format!("{base}/openai/v1/responses"))
            .bearer_auth(key)
            .json(&serde_json::json!({"model": "gpt-5", "stream": true, "input": "Hello"})),
        "anthropic" => client()
            .post(format!("{base}/anthropic/v1/messages"))
            .header("x-api-key", key)
            .header("anthropic-version", "2023-06-01")
            .json(
                &serde_json::json!({"model": "claude-sonnet-4-6", "max_tokens": 500,
                "stream": true, "messages": messages}),
            ),
        "gemini" => client()
            .post(format!(
                "{base}/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
            ))
            .bearer_auth(key)
            .json(
                &serde_json::json!({"contents": [{"role": "user", "parts": [{"text": "Hello"}]}]}),
            ),
        other => panic!("unknown chat stream family {other}"),
    };
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req
}

/// Event names of a parsed stream, for comparing two streams whose timestamps may differ.
pub fn names(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.name.clone()).collect()
}
