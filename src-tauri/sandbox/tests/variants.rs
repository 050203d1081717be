//! Wire variants (issue 8, item 10): the bytes each one puts on the wire, and that the stream
//! still carries the same events once a tolerant reader has taken the variant in its stride.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anyint_sandbox::{SandboxConfig, Variant, FAULT_HEADER, TOKEN_RATE_HEADER, VARIANT_HEADER};
use common::*;
use serde_json::{json, Value};

async fn body_of(req: reqwest::RequestBuilder) -> String {
    let (status, _, body) = post_stream(req).await;
    let body = body.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// Every `\n` is the end of a `\r\n`, and no `\r` stands alone.
fn assert_all_crlf(text: &str) {
    let stripped = text.replace("\r\n", "");
    assert!(
        !stripped.contains('\n') && !stripped.contains('\r'),
        "a line not ended by CRLF in {text:?}"
    );
}

#[tokio::test]
async fn crlf_ends_every_line_of_every_chat_stream_in_crlf() {
    let sb = sandbox().await;
    for family in CHAT_STREAMS {
        let plain = body_of(chat_stream(&sb, family, &[])).await;
        assert!(!plain.contains('\r'), "{family}: LF without the variant");
        let crlf = body_of(chat_stream(&sb, family, &[(VARIANT_HEADER, "crlf")])).await;
        assert!(crlf.contains("\r\n\r\n"), "{family}: blank line is CRLF");
        assert!(crlf.starts_with("event: ") || crlf.starts_with("data: "));
        assert_all_crlf(&crlf);
        let (a, b) = (parse_sse(&plain), parse_sse(&crlf.replace("\r\n", "\n")));
        assert!(!a.is_empty());
        assert_eq!(names(&a), names(&b), "{family}: same events");
    }
}

#[tokio::test]
async fn keep_alive_comments_come_first_and_every_n_events() {
    let sb = sandbox_with(SandboxConfig {
        keep_alive_every: 3,
        ..Default::default()
    })
    .await;
    for family in CHAT_STREAMS {
        let plain = parse_sse(&body_of(chat_stream(&sb, family, &[])).await);
        let body = body_of(chat_stream(&sb, family, &[(VARIANT_HEADER, "keep-alive")])).await;
        assert!(body.starts_with(": keep-alive\n\n"), "{family}: {body:.40}");
        let lines: Vec<&str> = body.split('\n').collect();
        let comments: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with(':'))
            .collect();
        let events = parse_sse(&body);
        assert_eq!(comments.len(), events.len().div_ceil(3), "{family}");
        assert!(lines.contains(&": ping"), "{family}: both spellings");
        // Interleaved: exactly three events between two comments.
        let between = lines[comments[0]..comments[1]]
            .iter()
            .filter(|l| l.starts_with("data:"))
            .count();
        assert_eq!(between, 3, "{family}");
        assert_eq!(names(&events), names(&plain), "{family}: same events");
    }
}

#[tokio::test]
async fn variants_combine_with_each_other_and_with_faults() {
    let sb = sandbox().await;
    let body = body_of(chat_stream(
        &sb,
        "anthropic",
        &[(VARIANT_HEADER, "crlf, keep-alive")],
    ))
    .await;
    assert!(body.starts_with(": keep-alive\r\n\r\nevent: message_start\r\n"));
    assert_all_crlf(&body);
    let body = body_of(chat_stream(
        &sb,
        "openai",
        &[(VARIANT_HEADER, "crlf"), (FAULT_HEADER, "stream-error")],
    ))
    .await;
    assert_all_crlf(&body);
    let events = parse_sse(&body.replace("\r\n", "\n"));
    let last: Value = serde_json::from_str(&events.last().unwrap().data).unwrap();
    assert_eq!(last["error"]["type"], "server_error");
}

#[tokio::test]
async fn default_variants_apply_without_a_header_and_none_opts_out() {
    let sb = sandbox_with(SandboxConfig {
        default_variants: vec![Variant::Crlf],
        ..Default::default()
    })
    .await;
    let body = body_of(chat_stream(&sb, "gemini", &[])).await;
    assert!(body.contains("\r\n\r\n"));
    assert_all_crlf(&body);
    let body = body_of(chat_stream(&sb, "gemini", &[(VARIANT_HEADER, "none")])).await;
    assert!(!body.contains('\r'));
}

#[tokio::test]
async fn unknown_variant_or_bad_token_rate_is_a_400_in_the_family_envelope() {
    let sb = sandbox().await;
    let (status, _, body) = post_stream(chat_stream(
        &sb,
        "anthropic",
        &[(VARIANT_HEADER, "crlf, typo")],
    ))
    .await;
    assert_eq!(status, 400);
    let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(body["error"]["message"].as_str().unwrap().contains("typo"));
    for rate in ["0", "-1", "fast"] {
        let (status, _, _) =
            post_stream(chat_stream(&sb, "openai", &[(TOKEN_RATE_HEADER, rate)])).await;
        assert_eq!(status, 400, "{rate}");
    }
}

#[tokio::test]
async fn loose_openai_chunks_vary_their_shape_but_carry_the_same_reply() {
    let sb = sandbox().await;
    let plain = json_events(&parse_sse(&body_of(chat_stream(&sb, "openai", &[])).await));
    let body = body_of(chat_stream(&sb, "openai", &[(VARIANT_HEADER, "loose")])).await;
    let events = parse_sse(&body);
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let loose = json_events(&events);
    assert_eq!(loose.len(), plain.len());
    // `created` is a float on the wire, not only after parsing.
    assert!(body.contains(".5,\"model\""), "{body:.300}");
    assert!(loose.iter().all(|c| c["created"].is_f64()));
    assert!(loose.iter().any(|c| c.get("id").is_none()));
    assert!(loose
        .iter()
        .any(|c| c["choices"][0].is_object() && c["choices"][0].get("index").is_none()));
    assert!(loose.iter().all(|c| c.get("usage") != Some(&Value::Null)));
    let text = |chunks: &[Value]| -> String {
        chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect()
    };
    assert_eq!(text(&loose), text(&plain));
    let (last, last_plain) = (loose.last().unwrap(), plain.last().unwrap());
    assert_eq!(last["choices"], json!([{"delta": {}}]));
    assert_eq!(last_plain["choices"], json!([]));
    let usage = &last["usage"];
    assert!(usage.get("total_tokens").is_none());
    assert!(usage["completion_tokens_details"].is_null());
    assert_eq!(
        usage["completion_tokens"],
        last_plain["usage"]["completion_tokens"]
    );
}

#[tokio::test]
async fn loose_error_bodies_carry_the_code_as_a_string() {
    let sb = sandbox().await;
    let body = body_of(chat_stream(
        &sb,
        "openai",
        &[(VARIANT_HEADER, "loose"), (FAULT_HEADER, "stream-error")],
    ))
    .await;
    let last: Value = serde_json::from_str(&parse_sse(&body).last().unwrap().data).unwrap();
    assert_eq!(last["error"]["code"], "503");
    let body = body_of(chat_stream(
        &sb,
        "gemini",
        &[(VARIANT_HEADER, "loose"), (FAULT_HEADER, "stream-error")],
    ))
    .await;
    let last: Value = serde_json::from_str(&parse_sse(&body).last().unwrap().data).unwrap();
    assert_eq!(last["error"]["code"], "503");
    // Whole-response errors too: a bad key, and a rate limit in the Gemini envelope.
    let r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth("sk-wrong")
        .header(VARIANT_HEADER, "loose")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "401");
    assert_eq!(body["error"]["type"], "authentication_error");
    let (status, _, body) = post_stream(chat_stream(
        &sb,
        "gemini",
        &[(VARIANT_HEADER, "loose"), (FAULT_HEADER, "rate-limit")],
    ))
    .await;
    assert_eq!(status, 429);
    let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
    assert_eq!(
        (&body["error"]["code"], &body["error"]["status"]),
        (&json!("429"), &json!("RESOURCE_EXHAUSTED"))
    );
    // Without the variant the Gemini code stays a number.
    let (_, _, body) =
        post_stream(chat_stream(&sb, "gemini", &[(FAULT_HEADER, "rate-limit")])).await;
    let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], 429);
}

#[tokio::test]
async fn token_rate_header_drips_one_request_slowly() {
    let sb = sandbox_with(SandboxConfig {
        default_reply_tokens: 6,
        ..Default::default()
    })
    .await;
    let fast = body_of(chat_stream(&sb, "anthropic", &[])).await;
    let started = Instant::now();
    let mut r = chat_stream(&sb, "anthropic", &[(TOKEN_RATE_HEADER, "20")])
        .send()
        .await
        .unwrap();
    let mut pieces = 0;
    let mut all = Vec::new();
    while let Some(c) = r.chunk().await.unwrap() {
        pieces += 1;
        all.extend_from_slice(&c);
    }
    // Six tokens at 20 per second: five gaps of 50 ms after the first token.
    assert!(
        started.elapsed() >= Duration::from_millis(240),
        "{:?}",
        started.elapsed()
    );
    assert!(pieces >= 6, "tokens arrive one by one: {pieces}");
    let slow = String::from_utf8(all).unwrap();
    assert_eq!(names(&parse_sse(&slow)), names(&parse_sse(&fast)));
}
