//! The sandbox's own streams, one streaming and one JSON call per family, decoded with the
//! same SSE decoder (network chunks, byte by byte, and the async adapter must agree) and the
//! same wire types as the SDK fixtures, with each family's structural invariants: OpenAI chat
//! ends with `[DONE]`, Responses runs created -> completed, Anthropic runs message_start ->
//! message_stop, Gemini has no terminator and its last chunk has finishReason + usageMetadata.
//! These need no fixtures: they run everywhere.

use super::{decode_payloads, round_trip, Wire};
use anyint_core::gateway::{Family, GatewayClient};
use anyint_core::keys::ApiKey;
use anyint_core::sse::{self, SseDecoder, SseEvent};
use anyint_core::wire::{anthropic, gemini, openai_chat, openai_responses};
use anyint_sandbox::{Sandbox, SandboxConfig, DEMO_KEY};
use futures::TryStreamExt;
use serde_json::{json, Value};

struct Loopback {
    _sandbox: Sandbox,
    client: GatewayClient,
}

async fn loopback() -> Loopback {
    let sandbox = anyint_sandbox::start(SandboxConfig::default())
        .await
        .unwrap();
    let client = GatewayClient::new(&sandbox.base_url(), ApiKey::new(DEMO_KEY).unwrap()).unwrap();
    Loopback {
        _sandbox: sandbox,
        client,
    }
}

impl Loopback {
    /// Streams `body` and decodes it three ways; all must give the same events.
    async fn events(&self, family: Family, path: &str, body: Value) -> Vec<SseEvent> {
        let stream = self.client.post_stream(family, path, &body).await.unwrap();
        let chunks: Vec<_> = stream.try_collect().await.unwrap();
        let mut decoder = SseDecoder::new();
        let events: Vec<SseEvent> = chunks.iter().flat_map(|c| decoder.push(c)).collect();
        assert!(!decoder.finish(), "{path}: the sandbox closes every event");
        let bytes: Vec<u8> = chunks.concat();
        let mut decoder = SseDecoder::new();
        let bytewise: Vec<SseEvent> = bytes
            .iter()
            .flat_map(|b| decoder.push(std::slice::from_ref(b)))
            .collect();
        assert_eq!(events, bytewise, "{path}: byte-by-byte decode differs");
        let replay = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
        let via_async: Vec<SseEvent> = sse::events(replay).try_collect().await.unwrap();
        assert_eq!(events, via_async, "{path}: async adapter differs");
        assert!(!events.is_empty(), "{path}: no events");
        events
    }

    async fn json(&self, family: Family, path: &str, body: Value) -> String {
        let value: Value = self.client.post_json(family, path, &body).await.unwrap();
        value.to_string()
    }
}

fn names(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

/// Each event's name equals its payload's `type` (Responses and Anthropic name their events).
fn assert_typed(events: &[SseEvent]) {
    for ev in events {
        let v: Value = serde_json::from_str(&ev.data).unwrap();
        assert_eq!(v["type"], ev.event.as_str());
    }
}

#[tokio::test]
async fn openai_chat_streams_and_json_decode() {
    let lb = loopback().await;
    let body = json!({"model": "gpt-5", "messages": [{"role": "user", "content": "Say hello"}],
        "stream": true, "stream_options": {"include_usage": true}});
    let events = lb.events(Family::OpenAi, "/chat/completions", body).await;
    assert!(names(&events).iter().all(|n| *n == "message"));
    assert!(events.last().unwrap().is_done(), "ends with [DONE]");
    decode_payloads(Wire::OpenAiChat, &events, "sandbox chat stream");
    let chunks: Vec<openai_chat::ChatCompletionChunk> = events[..events.len() - 1]
        .iter()
        .map(|e| serde_json::from_str(&e.data).unwrap())
        .collect();
    assert!(chunks.iter().any(|c| c
        .choices
        .iter()
        .any(|ch| ch.finish_reason == Some(openai_chat::FinishReason::Stop))));
    let usage_chunk = chunks.last().unwrap();
    assert!(
        usage_chunk.choices.is_empty() && usage_chunk.usage.is_some(),
        "include_usage adds a last usage chunk"
    );

    let json = lb
        .json(
            Family::OpenAi,
            "/chat/completions",
            json!({"model": "gpt-5", "messages": [{"role": "user", "content": "Say hello"}]}),
        )
        .await;
    let done = round_trip::<openai_chat::ChatCompletion>(&json);
    assert!(!done.choices[0].message.text().is_empty());
}

#[tokio::test]
async fn openai_chat_tool_call_deltas_join_into_json() {
    let lb = loopback().await;
    let tool = json!({"type": "function", "function": {"name": "get_weather", "parameters":
        {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}});
    let body = json!({"model": "gpt-5", "messages": [{"role": "user", "content": "Weather?"}], "tools": [tool], "stream": true});
    let events = lb.events(Family::OpenAi, "/chat/completions", body).await;
    decode_payloads(Wire::OpenAiChat, &events, "sandbox tool stream");
    let mut arguments = String::new();
    for ev in events.iter().filter(|e| !e.is_done()) {
        let chunk: openai_chat::ChatCompletionChunk = serde_json::from_str(&ev.data).unwrap();
        for call in chunk
            .choices
            .iter()
            .flat_map(|c| c.delta.tool_calls.iter().flatten())
        {
            arguments.push_str(
                call.function
                    .as_ref()
                    .and_then(|f| f.arguments.as_deref())
                    .unwrap_or(""),
            );
        }
    }
    let args: Value = serde_json::from_str(&arguments).expect("joined arguments are JSON");
    assert!(args["city"].is_string(), "{args}");
}

#[tokio::test]
async fn openai_responses_streams_and_json_decode() {
    let lb = loopback().await;
    let events = lb
        .events(
            Family::OpenAi,
            "/responses",
            json!({"model": "gpt-5", "input": "Say hello", "stream": true}),
        )
        .await;
    let n = names(&events);
    assert_eq!(
        (n[0], n[n.len() - 1]),
        ("response.created", "response.completed")
    );
    assert_typed(&events);
    decode_payloads(Wire::Responses, &events, "sandbox responses stream");

    let json = lb
        .json(
            Family::OpenAi,
            "/responses",
            json!({"model": "gpt-5", "input": "Say hello"}),
        )
        .await;
    let response = round_trip::<openai_responses::Response>(&json);
    assert_eq!(response.status, openai_responses::ResponseStatus::Completed);
    assert!(!response.output_text().is_empty());
}

#[tokio::test]
async fn anthropic_streams_and_json_decode() {
    let lb = loopback().await;
    let tool = json!({"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}});
    for body in [
        json!({"model": "claude-sonnet-4-6", "max_tokens": 256, "messages": [{"role": "user", "content": "Say hello"}], "stream": true}),
        json!({"model": "claude-sonnet-4-6", "max_tokens": 256, "messages": [{"role": "user", "content": "Weather?"}],
            "thinking": {"type": "enabled", "budget_tokens": 1024}, "tools": [tool], "stream": true}),
    ] {
        let events = lb.events(Family::Anthropic, "/messages", body).await;
        let n = names(&events);
        assert_eq!((n[0], n[n.len() - 1]), ("message_start", "message_stop"));
        assert_typed(&events);
        decode_payloads(Wire::Anthropic, &events, "sandbox anthropic stream");
    }
    let json = lb.json(Family::Anthropic, "/messages", json!({"model": "claude-sonnet-4-6", "max_tokens": 256, "messages": [{"role": "user", "content": "Say hello"}]})).await;
    let message = round_trip::<anthropic::Message>(&json);
    assert_eq!(message.stop_reason, Some(anthropic::StopReason::EndTurn));
    assert!(!message.text().is_empty());
}

#[tokio::test]
async fn gemini_streams_and_json_decode() {
    let lb = loopback().await;
    let body = json!({"contents": [{"role": "user", "parts": [{"text": "Say hello"}]}]});
    let events = lb
        .events(
            Family::Gemini,
            "/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
            body.clone(),
        )
        .await;
    assert!(names(&events).iter().all(|n| *n == "message"));
    assert!(
        !events.iter().any(SseEvent::is_done),
        "Gemini streams have no terminator"
    );
    decode_payloads(Wire::Gemini, &events, "sandbox gemini stream");
    let last: gemini::GenerateContentResponse =
        serde_json::from_str(&events.last().unwrap().data).unwrap();
    assert!(
        last.candidates[0].finish_reason.is_some(),
        "the last chunk finishes"
    );
    assert!(
        last.usage_metadata.is_some(),
        "the last chunk has usageMetadata"
    );

    let json = lb
        .json(
            Family::Gemini,
            "/models/gemini-2.0-flash:generateContent",
            body,
        )
        .await;
    let response = round_trip::<gemini::GenerateContentResponse>(&json);
    assert!(!response.text().is_empty());
}
