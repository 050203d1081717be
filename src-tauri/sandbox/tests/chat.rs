//! Chat families over loopback: OpenAI chat completions, Anthropic messages, Gemini, with and
//! without streaming, as a client decodes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anyint_sandbox::{SandboxConfig, DEMO_KEY, PLAN_KEY, TEAM_B_KEY};
use common::*;
use serde_json::{json, Value};

fn chat_url(sb: &anyint_sandbox::Sandbox) -> String {
    format!("{}/openai/v1/chat/completions", sb.base_url())
}

#[tokio::test]
async fn openai_chat_json_is_deterministic_per_seed() {
    let sb = sandbox_with(SandboxConfig {
        seed: 7,
        ..Default::default()
    })
    .await;
    let req = json!({"model": "gpt-5", "messages": [{"role": "user", "content": "Hello"}]});
    let (status, _, a) = post_bearer(&chat_url(&sb), DEMO_KEY, &req).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["object"], "chat.completion");
    assert_eq!(a["choices"][0]["message"]["role"], "assistant");
    assert_eq!(a["choices"][0]["finish_reason"], "stop");
    let text = a["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(!text.is_empty());
    let u = &a["usage"];
    assert_eq!(
        u["total_tokens"],
        json!(u["prompt_tokens"].as_u64().unwrap() + u["completion_tokens"].as_u64().unwrap())
    );
    let (_, _, b) = post_bearer(&chat_url(&sb), DEMO_KEY, &req).await;
    assert_eq!(
        b["choices"][0]["message"]["content"],
        a["choices"][0]["message"]["content"]
    );
    let other = sandbox_with(SandboxConfig {
        seed: 8,
        ..Default::default()
    })
    .await;
    let (_, _, c) = post_bearer(&chat_url(&other), DEMO_KEY, &req).await;
    assert_ne!(
        c["choices"][0]["message"]["content"],
        a["choices"][0]["message"]["content"]
    );
}

#[tokio::test]
async fn openai_chat_stream_ends_with_done_and_usage_chunk() {
    let sb = sandbox().await;
    let req = json!({"model": "gpt-5", "stream": true, "stream_options": {"include_usage": true},
        "messages": [{"role": "user", "content": "Hello"}]});
    let (status, headers, body) = post_stream(
        client()
            .post(chat_url(&sb))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let events = parse_sse(&body.unwrap());
    assert_eq!(events.last().unwrap().data, "[DONE]");
    let chunks = json_events(&events);
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    let finish: Vec<&Value> = chunks
        .iter()
        .map(|c| &c["choices"][0]["finish_reason"])
        .filter(|f| !f.is_null())
        .collect();
    assert_eq!(finish, [&json!("stop")]);
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert!(usage["usage"]["completion_tokens"].as_u64().unwrap() > 0);
    // The streamed text equals the non-streamed text for the same request.
    let mut plain = req.clone();
    plain["stream"] = json!(false);
    let (_, _, full) = post_bearer(&chat_url(&sb), DEMO_KEY, &plain).await;
    assert_eq!(full["choices"][0]["message"]["content"], json!(text));
}

#[tokio::test]
async fn openai_tool_call_arguments_arrive_split_and_reassemble() {
    let sb = sandbox().await;
    let req = json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": "Weather in Paris?"}],
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}}}]});
    let (_, _, body) = post_stream(
        client()
            .post(chat_url(&sb))
            .bearer_auth(DEMO_KEY)
            .json(&req),
    )
    .await;
    let chunks = json_events(&parse_sse(&body.unwrap()));
    let calls: Vec<&Value> = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["tool_calls"].get(0))
        .collect();
    assert!(calls.len() > 2, "arguments split across chunks");
    assert_eq!(calls[0]["function"]["name"], "get_weather");
    assert!(calls[0]["id"].as_str().unwrap().starts_with("call_"));
    let args: String = calls
        .iter()
        .filter_map(|c| c["function"]["arguments"].as_str())
        .collect();
    let parsed: Value = serde_json::from_str(&args).unwrap();
    assert!(parsed["city"].is_string() && parsed["days"].is_u64());
    let finish: Vec<&Value> = chunks
        .iter()
        .map(|c| &c["choices"][0]["finish_reason"])
        .filter(|f| !f.is_null())
        .collect();
    assert_eq!(finish, [&json!("tool_calls")]);
}

#[tokio::test]
async fn openai_max_tokens_gives_finish_reason_length() {
    let sb = sandbox().await;
    let req =
        json!({"model": "gpt-5", "max_tokens": 3, "messages": [{"role": "user", "content": "x"}]});
    let (_, _, body) = post_bearer(&chat_url(&sb), DEMO_KEY, &req).await;
    assert_eq!(body["choices"][0]["finish_reason"], "length");
    assert_eq!(body["usage"]["completion_tokens"], 3);
}

#[tokio::test]
async fn chat_errors_400_403_404_in_each_envelope() {
    let sb = sandbox().await;
    let msgs = json!([{"role": "user", "content": "hi"}]);
    let (s, _, b) = post_bearer(
        &chat_url(&sb),
        TEAM_B_KEY,
        &json!({"model": "claude-opus-4-6", "messages": msgs}),
    )
    .await;
    assert_eq!(
        (s, b["error"]["type"].as_str()),
        (403, Some("permission_error"))
    );
    let (s, _, b) = post_bearer(
        &chat_url(&sb),
        PLAN_KEY,
        &json!({"model": "nano-banana-2", "messages": msgs}),
    )
    .await;
    assert_eq!(
        (s, b["error"]["type"].as_str()),
        (403, Some("permission_error"))
    );
    let (s, _, _) = post_bearer(
        &chat_url(&sb),
        DEMO_KEY,
        &json!({"model": "no-such-model", "messages": msgs}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _, b) = post_bearer(&chat_url(&sb), DEMO_KEY, &json!({"model": "gpt-5"})).await;
    assert_eq!(
        (s, b["error"]["type"].as_str()),
        (400, Some("invalid_request_error"))
    );
    let r = client()
        .post(chat_url(&sb))
        .bearer_auth(DEMO_KEY)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let r = client()
        .post(format!("{}/anthropic/v1/messages", sb.base_url()))
        .header("x-api-key", TEAM_B_KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-opus-4-6", "max_tokens": 10, "messages": msgs}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["type"],
        "permission_error"
    );
    let (s, _, b) = post_bearer(
        &format!(
            "{}/gemini/v1beta/models/claude-opus-4-6:generateContent",
            sb.base_url()
        ),
        TEAM_B_KEY,
        &json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}),
    )
    .await;
    assert_eq!(
        (s, b["error"]["status"].as_str()),
        (403, Some("PERMISSION_DENIED"))
    );
}
