//! Token counting routes (the playground shows a live count as the prompt changes): Anthropic
//! `messages/count_tokens` and Gemini `:countTokens`, deterministic and moving with the prompt.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anyint_sandbox::DEMO_KEY;
use common::*;
use serde_json::{json, Value};

async fn anthropic_count(sb: &anyint_sandbox::Sandbox, body: &Value) -> (u16, Value) {
    let r = client()
        .post(format!(
            "{}/anthropic/v1/messages/count_tokens",
            sb.base_url()
        ))
        .header("x-api-key", DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn anthropic_body(prompt: &str) -> Value {
    json!({"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": prompt}]})
}

fn gemini_url(sb: &anyint_sandbox::Sandbox, action: &str) -> String {
    format!(
        "{}/gemini/v1beta/models/gemini-2.0-flash:{action}",
        sb.base_url()
    )
}

fn gemini_body(prompt: &str) -> Value {
    json!({"contents": [{"role": "user", "parts": [{"text": prompt}]}]})
}

const SHORT: &str = "Hello";
const LONG: &str = "Hello, please summarise the attached quarterly report in three bullet points.";

#[tokio::test]
async fn anthropic_count_is_deterministic_and_grows_with_the_prompt() {
    let sb = sandbox().await;
    let (status, a) = anthropic_count(&sb, &anthropic_body(SHORT)).await;
    assert_eq!(status, 200);
    assert_eq!(a.as_object().unwrap().len(), 1, "only input_tokens: {a}");
    let (_, again) = anthropic_count(&sb, &anthropic_body(SHORT)).await;
    assert_eq!(a, again);
    let (_, b) = anthropic_count(&sb, &anthropic_body(LONG)).await;
    assert!(b["input_tokens"].as_u64().unwrap() > a["input_tokens"].as_u64().unwrap());
    // The count matches what a real call with the same body reports.
    let mut req = anthropic_body(LONG);
    req["max_tokens"] = json!(64);
    let r = client()
        .post(format!("{}/anthropic/v1/messages", sb.base_url()))
        .header("x-api-key", DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&req)
        .send()
        .await
        .unwrap();
    let msg: Value = r.json().await.unwrap();
    assert_eq!(msg["usage"]["input_tokens"], b["input_tokens"]);
    let (status, _) = anthropic_count(&sb, &json!({"model": "claude-sonnet-4-6"})).await;
    assert_eq!(status, 400, "messages are required");
}

#[tokio::test]
async fn gemini_count_tokens_is_total_tokens_and_grows_with_the_prompt() {
    let sb = sandbox().await;
    let count = |prompt: &'static str| {
        let url = gemini_url(&sb, "countTokens");
        async move { post_bearer(&url, DEMO_KEY, &gemini_body(prompt)).await }
    };
    let (status, _, a) = count(SHORT).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a.as_object().unwrap().len(), 1, "only totalTokens: {a}");
    let (_, _, again) = count(SHORT).await;
    assert_eq!(a, again);
    let (_, _, b) = count(LONG).await;
    assert!(b["totalTokens"].as_u64().unwrap() > a["totalTokens"].as_u64().unwrap());
    let (_, _, reply) = post_bearer(
        &gemini_url(&sb, "generateContent"),
        DEMO_KEY,
        &gemini_body(LONG),
    )
    .await;
    assert_eq!(reply["usageMetadata"]["promptTokenCount"], b["totalTokens"]);
    let (status, _, body) = post_bearer(
        &format!(
            "{}/gemini/v1beta/models/no-such-model:countTokens",
            sb.base_url()
        ),
        DEMO_KEY,
        &gemini_body(SHORT),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["status"], "NOT_FOUND");
}
