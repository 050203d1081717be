//! Every fault, as a client sees it (issue 3, item 3). Task faults are covered in tasks.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anyint_sandbox::{Fault, SandboxConfig, DEMO_KEY, FAULT_HEADER};
use common::*;
use serde_json::{json, Value};

fn stream_req(sb: &anyint_sandbox::Sandbox, fault: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{}/openai/v1/chat/completions", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, fault)
        .json(&json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": "Hello"}]}))
}

fn anthropic_stream(sb: &anyint_sandbox::Sandbox, fault: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{}/anthropic/v1/messages", sb.base_url()))
        .header("x-api-key", DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
        .header(FAULT_HEADER, fault)
        .json(&json!({"model": "claude-sonnet-4-6", "max_tokens": 500, "stream": true, "messages": [{"role": "user", "content": "Hello"}]}))
}

#[tokio::test]
async fn reset_breaks_the_body_after_some_content() {
    let sb = sandbox().await;
    let r = stream_req(&sb, "reset").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let mut got = Vec::new();
    let mut r = r;
    let err = loop {
        match r.chunk().await {
            Ok(Some(c)) => got.extend_from_slice(&c),
            Ok(None) => panic!("stream ended cleanly"),
            Err(e) => break e,
        }
    };
    assert!(
        err.is_body() || err.is_decode() || err.is_request(),
        "{err:?}"
    );
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.contains("chat.completion.chunk"),
        "some content before the reset"
    );
    assert!(!text.contains("[DONE]"));
}

#[tokio::test]
async fn stall_goes_silent_then_closes_without_finishing() {
    let config = SandboxConfig {
        stall_duration: Duration::from_millis(600),
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let started = Instant::now();
    let (_, _, body) = post_stream(stream_req(&sb, "stall")).await;
    assert!(started.elapsed() >= Duration::from_millis(550));
    assert!(body.is_err(), "connection closes uncleanly after the stall");
}

#[tokio::test]
async fn stall_trips_a_client_read_timeout() {
    let config = SandboxConfig {
        stall_duration: Duration::from_secs(30),
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let mut r = stream_req(&sb, "stall").send().await.unwrap();
    let mut first = true;
    let outcome = loop {
        match tokio::time::timeout(Duration::from_millis(400), r.chunk()).await {
            Ok(Ok(Some(_))) => first = false,
            Ok(other) => break format!("ended: {other:?}"),
            Err(_) => break "timeout".to_owned(),
        }
    };
    assert!(!first, "some bytes arrived before the stall");
    assert_eq!(outcome, "timeout");
    // Shutting down ends the stalled stream instead of hanging.
    let started = Instant::now();
    sb.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn slow_drip_arrives_in_many_small_pieces_but_decodes() {
    let config = SandboxConfig {
        drip_interval: Duration::from_millis(1),
        default_reply_tokens: 5,
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let mut r = stream_req(&sb, "slow").send().await.unwrap();
    let mut pieces = 0;
    let mut all = Vec::new();
    while let Some(c) = r.chunk().await.unwrap() {
        pieces += 1;
        assert!(c.len() <= 5 * 4, "small pieces");
        all.extend_from_slice(&c);
    }
    assert!(pieces > 20, "{pieces}");
    let events = parse_sse(&String::from_utf8(all).unwrap());
    assert_eq!(events.last().unwrap().data, "[DONE]");
}

#[tokio::test]
async fn malformed_event_is_not_json_but_stream_completes() {
    let sb = sandbox().await;
    let (_, _, body) = post_stream(stream_req(&sb, "malformed")).await;
    let events = parse_sse(&body.unwrap());
    let bad = events
        .iter()
        .filter(|e| e.data != "[DONE]" && serde_json::from_str::<Value>(&e.data).is_err())
        .count();
    assert_eq!(bad, 1);
    assert_eq!(events.last().unwrap().data, "[DONE]");
}

#[tokio::test]
async fn truncate_ends_cleanly_without_terminator() {
    let sb = sandbox().await;
    let (_, _, body) = post_stream(stream_req(&sb, "truncate")).await;
    let events = parse_sse(&body.unwrap());
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.data != "[DONE]"));
    let chunks = json_events(&events);
    assert!(chunks
        .iter()
        .all(|c| c["choices"][0]["finish_reason"].is_null()));
    let (_, _, body) = post_stream(anthropic_stream(&sb, "truncate")).await;
    let names: Vec<String> = parse_sse(&body.unwrap())
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(names.contains(&"content_block_delta".to_owned()));
    assert!(!names.contains(&"message_stop".to_owned()));
}

#[tokio::test]
async fn stream_error_event_in_each_family_shape() {
    let sb = sandbox().await;
    let (_, _, body) = post_stream(anthropic_stream(&sb, "stream-error")).await;
    let events = parse_sse(&body.unwrap());
    let last = events.last().unwrap();
    assert_eq!(last.name, "error");
    let data: Value = serde_json::from_str(&last.data).unwrap();
    assert_eq!(
        data,
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    );
    assert!(events.iter().any(|e| e.name == "content_block_delta"));
    let (_, _, body) = post_stream(stream_req(&sb, "stream-error")).await;
    let events = parse_sse(&body.unwrap());
    let data: Value = serde_json::from_str(&events.last().unwrap().data).unwrap();
    assert_eq!(data["error"]["type"], "server_error");
    let (_, _, body) = post_stream(
        client()
            .post(format!(
                "{}/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
                sb.base_url()
            ))
            .bearer_auth(DEMO_KEY)
            .header(FAULT_HEADER, "stream-error")
            .json(&json!({"contents": [{"parts": [{"text": "hi"}]}]})),
    )
    .await;
    let events = parse_sse(&body.unwrap());
    let data: Value = serde_json::from_str(&events.last().unwrap().data).unwrap();
    assert_eq!(data["error"]["status"], "UNAVAILABLE");
}

#[tokio::test]
async fn rate_limit_fault_is_429_with_retry_after() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "rate-limit")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "rate_limit_exceeded"
    );
}

#[tokio::test]
async fn burst_fails_then_recovers() {
    let sb = sandbox().await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = client()
            .get(format!("{}/anthropic/v1/models", sb.base_url()))
            .header("x-api-key", DEMO_KEY)
            .header("anthropic-version", "2023-06-01")
            .header(FAULT_HEADER, "burst")
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status().is_server_error() {
            assert_eq!(r.json::<Value>().await.unwrap()["type"], "error");
        }
    }
    assert_eq!(statuses, [500, 503, 500, 200, 500]);
}

#[tokio::test]
async fn huge_body_is_valid_json_of_tens_of_mb() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "huge")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.len() > 20 * 1024 * 1024, "{}", bytes.len());
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(v["data"].is_array());
}

#[tokio::test]
async fn wrong_content_type_serves_html_header() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "wrong-content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

#[tokio::test]
async fn unknown_fault_name_is_a_400_and_default_fault_applies_without_header() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "typo")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let sb = sandbox_with(SandboxConfig {
        default_fault: Some(Fault::RateLimit),
        ..Default::default()
    })
    .await;
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
}

fn models_req(sb: &anyint_sandbox::Sandbox, fault: &str) -> reqwest::RequestBuilder {
    client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, fault)
}

#[tokio::test]
async fn json_bodies_can_be_cut_broken_stalled_or_dripped() {
    let config = SandboxConfig {
        stall_duration: Duration::from_millis(300),
        drip_interval: Duration::from_micros(10),
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let (_, _, whole) = post_stream(
        client()
            .get(format!("{}/openai/v1/models", sb.base_url()))
            .bearer_auth(DEMO_KEY),
    )
    .await;
    let whole = whole.unwrap();
    let (s, _, cut) = post_stream(models_req(&sb, "truncate")).await;
    let cut = cut.unwrap();
    assert_eq!(s, 200);
    assert!(cut.len() < whole.len() && whole.starts_with(&cut));
    assert!(serde_json::from_str::<Value>(&cut).is_err());
    let (_, _, bad) = post_stream(models_req(&sb, "malformed")).await;
    assert!(serde_json::from_str::<Value>(&bad.unwrap()).is_err());
    let (_, _, reset) = post_stream(models_req(&sb, "reset")).await;
    assert!(reset.is_err());
    let started = Instant::now();
    let (_, _, stalled) = post_stream(models_req(&sb, "stall")).await;
    assert!(stalled.is_err() && started.elapsed() >= Duration::from_millis(250));
    let (_, _, slow) = post_stream(models_req(&sb, "slow")).await;
    assert_eq!(slow.unwrap(), whole, "a drip still delivers the whole body");
}

#[tokio::test]
async fn wrong_method_is_405_in_the_family_envelope() {
    let sb = sandbox().await;
    let r = client()
        .get(format!("{}/openai/v1/chat/completions", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "method_not_allowed"
    );
    let r = client()
        .delete(format!("{}/anthropic/v1/models", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(r.json::<Value>().await.unwrap()["type"], "error");
}
