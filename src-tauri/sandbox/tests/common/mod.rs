//! Helpers shared by the sandbox's loopback tests.
#![allow(dead_code)]

use anyint_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

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
