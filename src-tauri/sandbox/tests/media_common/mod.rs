//! Helpers shared by the media and music tests of issue 9: one request function with headers,
//! and a completed song to act on.
#![allow(dead_code)]

use std::time::Duration;

use anyint_sandbox::{Sandbox, SandboxConfig, DEMO_KEY};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

/// A loopback callback URL nobody listens on: the sandbox's delivery fails quietly.
pub const NOWHERE: &str = "http://127.0.0.1:9/callback";

/// How long every task takes in these tests.
pub const TASK: Duration = Duration::from_millis(200);

pub async fn fast_with(config: SandboxConfig) -> Sandbox {
    anyint_sandbox::start(SandboxConfig {
        task_duration: TASK,
        ..config
    })
    .await
    .expect("sandbox starts")
}

pub async fn fast() -> Sandbox {
    fast_with(SandboxConfig::default()).await
}

/// Sends one request with a Bearer `key` and extra `headers`; a GET when `body` is `None`.
pub async fn send(
    url: &str,
    key: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> (u16, HeaderMap, Value) {
    let client = reqwest::Client::new();
    let mut req = match body {
        Some(b) => client.post(url).json(b),
        None => client.get(url),
    };
    req = req.bearer_auth(key);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

pub async fn post(url: &str, body: &Value) -> (u16, HeaderMap, Value) {
    send(url, DEMO_KEY, &[], Some(body)).await
}

pub async fn get(url: &str) -> (u16, HeaderMap, Value) {
    send(url, DEMO_KEY, &[], None).await
}

/// A valid simple-mode `/suno/generate` body.
pub fn generate_body() -> Value {
    json!({"customMode": false, "instrumental": false, "model": "V5",
        "prompt": "A bright summer pop song", "callBackUrl": NOWHERE})
}

/// Polls `/suno/query/{query}?taskId=` until its status is not running; returns the data.
pub async fn settle(sb: &Sandbox, query: &str, id: &str) -> Value {
    for _ in 0..200 {
        let url = format!("{}/suno/query/{query}?taskId={id}", sb.base_url());
        let (s, _, body) = get(&url).await;
        assert_eq!(s, 200, "{body}");
        let status = body["data"]["status"].as_str().unwrap_or("").to_owned();
        if !["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS"].contains(&status.as_str()) {
            return body["data"].clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("task {id} never settled");
}

/// A completed song: its task ID and its first audio ID.
pub async fn song(sb: &Sandbox) -> (String, String) {
    let (s, _, c) = post(
        &format!("{}/suno/generate", sb.base_url()),
        &generate_body(),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    let id = c["data"]["taskId"].as_str().expect("taskId").to_owned();
    let data = settle(sb, "task", &id).await;
    assert_eq!(data["status"], "SUCCESS");
    let audio = data["response"]["sunoData"][0]["id"]
        .as_str()
        .expect("audio id")
        .to_owned();
    (id, audio)
}
