//! Anthropic messages and Gemini generateContent over loopback, JSON and SSE, as a client
//! decodes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use common::*;
use serde_json::{json, Value};

fn chat_url(sb: &anyint_sandbox::Sandbox) -> String {
    format!("{}/openai/v1/chat/completions", sb.base_url())
}

fn anthropic(sb: &anyint_sandbox::Sandbox, path: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{}/anthropic/v1/{path}", sb.base_url()))
        .header("x-api-key", DEMO_KEY)
        .header("anthropic-version", "2023-06-01")
}

#[tokio::test]
async fn anthropic_messages_json_and_stream_agree() {
    let sb = sandbox().await;
    let req = json!({"model": "claude-sonnet-4-6", "max_tokens": 512, "messages": [{"role": "user", "content": "Hello"}]});
    let r = anthropic(&sb, "messages").json(&req).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let msg: Value = r.json().await.unwrap();
    assert_eq!(
        (
            msg["type"].as_str(),
            msg["role"].as_str(),
            msg["stop_reason"].as_str()
        ),
        (Some("message"), Some("assistant"), Some("end_turn"))
    );
    let mut sreq = req.clone();
    sreq["stream"] = json!(true);
    let (_, _, body) = post_stream(anthropic(&sb, "messages").json(&sreq)).await;
    let events = parse_sse(&body.unwrap());
    let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        &names[..3],
        ["message_start", "content_block_start", "ping"]
    );
    assert_eq!(
        &names[names.len() - 3..],
        ["content_block_stop", "message_delta", "message_stop"]
    );
    let data = json_events(&events);
    for (e, d) in events.iter().zip(&data) {
        assert_eq!(d["type"], json!(e.name), "event name matches data.type");
    }
    let text: String = data
        .iter()
        .filter_map(|d| d["delta"]["text"].as_str())
        .collect();
    assert_eq!(json!(text), msg["content"][0]["text"]);
    let delta = data.iter().find(|d| d["type"] == "message_delta").unwrap();
    assert_eq!(delta["delta"]["stop_reason"], "end_turn");
    assert_eq!(
        delta["usage"]["output_tokens"],
        msg["usage"]["output_tokens"]
    );
}

#[tokio::test]
async fn anthropic_tool_use_and_thinking_stream() {
    let sb = sandbox().await;
    let req = json!({"model": "claude-sonnet-4-6", "max_tokens": 1024, "stream": true,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
        "messages": [{"role": "user", "content": "Weather?"}]});
    let (_, _, body) = post_stream(anthropic(&sb, "messages").json(&req)).await;
    let data = json_events(&parse_sse(&body.unwrap()));
    let kinds: Vec<&str> = data
        .iter()
        .filter_map(|d| d["delta"]["type"].as_str())
        .collect();
    for k in [
        "thinking_delta",
        "signature_delta",
        "text_delta",
        "input_json_delta",
    ] {
        assert!(kinds.contains(&k), "{k} missing");
    }
    let json_text: String = data
        .iter()
        .filter_map(|d| d["delta"]["partial_json"].as_str())
        .collect();
    assert!(serde_json::from_str::<Value>(&json_text).unwrap()["city"].is_string());
    let delta = data.iter().find(|d| d["type"] == "message_delta").unwrap();
    assert_eq!(delta["delta"]["stop_reason"], "tool_use");
}

#[tokio::test]
async fn anthropic_max_tokens_required_and_count_tokens() {
    let sb = sandbox().await;
    let r = anthropic(&sb, "messages")
        .json(
            &json!({"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": "x"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["type"],
        "invalid_request_error"
    );
    let r = anthropic(&sb, "messages/count_tokens")
        .json(&json!({"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": "Hello there, how are you?"}]}))
        .send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.json::<Value>().await.unwrap()["input_tokens"]
            .as_u64()
            .unwrap()
            > 0
    );
}

fn gemini_url(sb: &anyint_sandbox::Sandbox, model: &str, action: &str) -> String {
    format!("{}/gemini/v1beta/models/{model}:{action}", sb.base_url())
}

#[tokio::test]
async fn gemini_stream_has_cumulative_usage_and_one_finish_reason() {
    let sb = sandbox().await;
    let req = json!({"contents": [{"role": "user", "parts": [{"text": "Hello"}]}]});
    let (_, _, body) = post_stream(
        client()
            .post(gemini_url(
                &sb,
                "gemini-3-flash-preview",
                "streamGenerateContent?alt=sse",
            ))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    let events = parse_sse(&body.unwrap());
    assert!(events
        .iter()
        .all(|e| e.name == "message" && e.data != "[DONE]"));
    let data = json_events(&events);
    let counts: Vec<u64> = data
        .iter()
        .map(|d| d["usageMetadata"]["candidatesTokenCount"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] < w[1]),
        "cumulative: {counts:?}"
    );
    assert_eq!(
        data.iter()
            .filter(|d| d["candidates"][0].get("finishReason").is_some())
            .count(),
        1
    );
    assert_eq!(
        data.last().unwrap()["candidates"][0]["finishReason"],
        "STOP"
    );
    let (s, _, full) = post_bearer(
        &gemini_url(&sb, "gemini-3-flash-preview", "generateContent"),
        DEMO_KEY,
        &req,
    )
    .await;
    assert_eq!(s, 200);
    let text: String = data
        .iter()
        .filter_map(|d| d["candidates"][0]["content"]["parts"][0]["text"].as_str())
        .collect();
    assert_eq!(
        full["candidates"][0]["content"]["parts"][0]["text"],
        json!(text)
    );
    assert_eq!(
        full["usageMetadata"]["candidatesTokenCount"],
        json!(counts.last().unwrap())
    );
}

#[tokio::test]
async fn gemini_image_output_and_function_call() {
    let sb = sandbox().await;
    let url = gemini_url(&sb, "gemini-3.1-flash-image-preview", "generateContent");
    let req = json!({"contents": [{"parts": [{"text": "a cat"}]}], "generationConfig": {"responseModalities": ["TEXT", "IMAGE"]}});
    let (s, _, body) = post_bearer(&url, DEMO_KEY, &req).await;
    assert_eq!(s, 200, "{body}");
    let parts = body["candidates"][0]["content"]["parts"]
        .as_array()
        .unwrap();
    let image = parts.iter().find_map(|p| p.get("inlineData")).unwrap();
    assert_eq!(image["mimeType"], "image/png");
    assert!(
        image["data"].as_str().unwrap().starts_with("iVBORw0KGgo"),
        "base64 of the PNG signature"
    );
    let (s, _, body) = post_bearer(
        &url,
        DEMO_KEY,
        &json!({"contents": [{"parts": [{"text": "a cat"}]}]}),
    )
    .await;
    assert_eq!(
        (s, body["error"]["status"].as_str()),
        (400, Some("INVALID_ARGUMENT"))
    );
    let req = json!({"contents": [{"parts": [{"text": "weather"}]}],
        "tools": [{"functionDeclarations": [{"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]}]});
    let (_, _, body) = post_bearer(
        &gemini_url(&sb, "gemini-2.0-flash", "generateContent"),
        DEMO_KEY,
        &req,
    )
    .await;
    let call = &body["candidates"][0]["content"]["parts"][0]["functionCall"];
    assert_eq!(call["name"], "get_weather");
    assert!(call["args"]["city"].is_string());
}

#[tokio::test]
async fn token_rate_and_first_token_delay_pace_the_stream() {
    let config = SandboxConfig {
        token_rate: Some(100.0),
        first_token_delay: std::time::Duration::from_millis(200),
        default_reply_tokens: 20,
        ..Default::default()
    };
    let sb = sandbox_with(config).await;
    let req = json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": "Hello"}]});
    let started = std::time::Instant::now();
    let (_, _, body) = post_stream(
        client()
            .post(chat_url(&sb))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    let elapsed = started.elapsed();
    assert!(body.is_ok());
    // 200 ms before the first token, then 19 gaps of 10 ms.
    assert!(
        elapsed >= std::time::Duration::from_millis(380),
        "{elapsed:?}"
    );
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?}");
}
