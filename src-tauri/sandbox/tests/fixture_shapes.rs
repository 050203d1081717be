//! The sandbox's streams carry the fields a decoder relies on, exactly where the official SDK
//! fixtures in `../shared/fixtures` carry them (read in place, never copied). Each check names the
//! JSON pointers that must exist in BOTH the fixture's events and the sandbox's events of the same
//! type, so a wrong pointer list fails too. When the fixtures are absent each test says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use anyint_sandbox::DEMO_KEY;
use common::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Option<Vec<Value>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "fixtures absent: {} not found, skipping this check",
            path.display()
        );
        return None;
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Some(
        parse_sse(&text)
            .into_iter()
            .filter(|e| e.data != "[DONE]")
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect(),
    )
}

/// Every pointer exists in at least one event selected by `select` in both lists.
fn assert_same_fields(
    what: &str,
    fixture: &[Value],
    ours: &[Value],
    select: impl Fn(&Value) -> bool,
    pointers: &[&str],
) {
    for (side, events) in [("fixture", fixture), ("sandbox", ours)] {
        let chosen: Vec<&Value> = events.iter().filter(|e| select(e)).collect();
        assert!(!chosen.is_empty(), "{what}: no {side} event selected");
        for p in pointers {
            assert!(
                chosen.iter().any(|e| e.pointer(p).is_some()),
                "{what}: {side} lacks {p}"
            );
        }
    }
}

async fn stream(req: reqwest::RequestBuilder) -> Vec<Value> {
    let (_, _, body) = post_stream(req).await;
    json_events(&parse_sse(&body.unwrap()))
}

#[tokio::test]
async fn openai_chat_chunks_match_fixture_fields() {
    let (Some(text), Some(tool)) = (
        fixture("openai/chat_stream_text.sse"),
        fixture("openai/chat_stream_tool_call_single.sse"),
    ) else {
        return;
    };
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/chat/completions", sb.base_url());
    let ours = stream(client().post(&url).bearer_auth(DEMO_KEY).json(
        &json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": "hi"}]}),
    ))
    .await;
    let all = |_: &Value| true;
    assert_same_fields(
        "chat text",
        &text,
        &ours,
        all,
        &[
            "/id",
            "/object",
            "/created",
            "/model",
            "/choices/0/index",
            "/choices/0/delta",
            "/choices/0/finish_reason",
            "/choices/0/delta/role",
            "/choices/0/delta/content",
        ],
    );
    let ours_tool = stream(client().post(&url).bearer_auth(DEMO_KEY).json(&json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}))).await;
    assert_same_fields(
        "chat tool call",
        &tool,
        &ours_tool,
        |e| e.pointer("/choices/0/delta/tool_calls").is_some(),
        &[
            "/choices/0/delta/tool_calls/0/index",
            "/choices/0/delta/tool_calls/0/id",
            "/choices/0/delta/tool_calls/0/type",
            "/choices/0/delta/tool_calls/0/function/name",
            "/choices/0/delta/tool_calls/0/function/arguments",
        ],
    );
    let finish = |v: &[Value]| {
        v.iter()
            .filter_map(|e| e["choices"][0]["finish_reason"].as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(finish(&tool), finish(&ours_tool));
}

#[tokio::test]
async fn anthropic_events_match_fixture_fields() {
    let (Some(basic), Some(tool), Some(thinking)) = (
        fixture("anthropic/messages_stream_basic.sse"),
        fixture("anthropic/messages_stream_tool_use.sse"),
        fixture("anthropic/messages_stream_thinking_signature.sse"),
    ) else {
        return;
    };
    let sb = sandbox().await;
    let ours = stream(client().post(format!("{}/anthropic/v1/messages", sb.base_url())).header("x-api-key", DEMO_KEY).header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-sonnet-4-6", "max_tokens": 1000, "stream": true, "thinking": {"type": "enabled", "budget_tokens": 500},
            "tools": [{"name": "f", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
            "messages": [{"role": "user", "content": "hi"}]}))).await;
    let fixtures: Vec<Value> = basic.into_iter().chain(tool).chain(thinking).collect();
    let of = |t: &'static str| move |e: &Value| e["type"] == t;
    assert_same_fields(
        "message_start",
        &fixtures,
        &ours,
        of("message_start"),
        &[
            "/message/id",
            "/message/type",
            "/message/role",
            "/message/content",
            "/message/model",
            "/message/stop_reason",
            "/message/usage/input_tokens",
            "/message/usage/output_tokens",
        ],
    );
    assert_same_fields(
        "content_block_start",
        &fixtures,
        &ours,
        of("content_block_start"),
        &["/index", "/content_block/type"],
    );
    assert_same_fields("ping", &fixtures, &ours, of("ping"), &["/type"]);
    assert_same_fields(
        "content_block_stop",
        &fixtures,
        &ours,
        of("content_block_stop"),
        &["/index"],
    );
    assert_same_fields(
        "message_delta",
        &fixtures,
        &ours,
        of("message_delta"),
        &["/delta/stop_reason", "/usage/output_tokens"],
    );
    for (delta, field) in [
        ("text_delta", "/delta/text"),
        ("input_json_delta", "/delta/partial_json"),
        ("thinking_delta", "/delta/thinking"),
        ("signature_delta", "/delta/signature"),
    ] {
        assert_same_fields(
            delta,
            &fixtures,
            &ours,
            move |e| e["delta"]["type"] == delta,
            &["/index", field],
        );
    }
    let blocks = |v: &[Value]| {
        let mut b: Vec<String> = v
            .iter()
            .filter_map(|e| {
                e.pointer("/content_block/type")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect();
        b.sort();
        b.dedup();
        b
    };
    assert_eq!(blocks(&fixtures), blocks(&ours), "same content block kinds");
}

#[tokio::test]
async fn gemini_chunks_match_fixture_fields() {
    let (Some(long), Some(usage), Some(call)) = (
        fixture("gemini/stream_basic_reply_long.sse"),
        fixture("gemini/stream_search_grounding_usage.sse"),
        fixture("gemini/stream_function_call.sse"),
    ) else {
        return;
    };
    let sb = sandbox().await;
    let url = format!(
        "{}/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
        sb.base_url()
    );
    let ours = stream(
        client()
            .post(&url)
            .bearer_auth(DEMO_KEY)
            .json(&json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]})),
    )
    .await;
    let fixtures: Vec<Value> = long.into_iter().chain(usage).collect();
    assert_same_fields(
        "gemini text",
        &fixtures,
        &ours,
        |_| true,
        &[
            "/candidates/0/content/parts/0/text",
            "/candidates/0/index",
            "/candidates/0/finishReason",
            "/usageMetadata/promptTokenCount",
            "/usageMetadata/candidatesTokenCount",
            "/usageMetadata/totalTokenCount",
        ],
    );
    let ours_call = stream(client().post(&url).bearer_auth(DEMO_KEY).json(&json!({"contents": [{"parts": [{"text": "hi"}]}],
        "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]}]}))).await;
    assert_same_fields(
        "gemini function call",
        &call,
        &ours_call,
        |_| true,
        &[
            "/candidates/0/content/parts/0/functionCall/name",
            "/candidates/0/content/parts/0/functionCall/args",
        ],
    );
}

#[tokio::test]
async fn responses_events_match_fixture_fields() {
    let Some(doc) = fixture("openai/responses_stream_doc_example.sse") else {
        return;
    };
    let sb = sandbox().await;
    let ours = stream(
        client()
            .post(format!("{}/openai/v1/responses", sb.base_url()))
            .bearer_auth(DEMO_KEY)
            .json(&json!({"model": "gpt-5", "input": "hi", "stream": true})),
    )
    .await;
    let names = |v: &[Value]| {
        v.iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .fold(Vec::<String>::new(), |mut acc, n| {
                if acc.last() != Some(&n) {
                    acc.push(n);
                }
                acc
            })
    };
    assert_eq!(names(&doc), names(&ours), "same event sequence");
    let of = |t: &'static str| move |e: &Value| e["type"] == t;
    assert_same_fields(
        "response.created",
        &doc,
        &ours,
        of("response.created"),
        &[
            "/response/id",
            "/response/object",
            "/response/status",
            "/response/output",
            "/response/model",
        ],
    );
    assert_same_fields(
        "output_text.delta",
        &doc,
        &ours,
        of("response.output_text.delta"),
        &["/item_id", "/output_index", "/content_index", "/delta"],
    );
    assert_same_fields(
        "output_item.added",
        &doc,
        &ours,
        of("response.output_item.added"),
        &[
            "/output_index",
            "/item/id",
            "/item/type",
            "/item/role",
            "/item/content",
        ],
    );
    assert_same_fields(
        "completed",
        &doc,
        &ours,
        of("response.completed"),
        &[
            "/response/status",
            "/response/output/0/content/0/text",
            "/response/usage/input_tokens",
            "/response/usage/output_tokens",
        ],
    );
}
