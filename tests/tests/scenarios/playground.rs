//! The playground's run against the sandbox, every chat family x every case issue 8 names:
//! plain reply, tool-call round trip, reset mid-stream, truncated, in-stream error, malformed
//! event, 429 with Retry-After, 5xx, slow drip, silent stall. Each case gets its own sandbox
//! with the fault applied to every request, so the client sends exactly what the app sends.

use anyint_core::chat::ChatFamily;
use anyint_core::playground::{
    self, simple_body, FailureKind, PlaygroundEvent, PlaygroundRequest, RunStatus, RunSummary,
};
use anyint_sandbox::{Fault, Sandbox, SandboxConfig, Variant};
use serde_json::{json, Value};
use std::time::Duration;

const FAMILIES: [(ChatFamily, &str); 4] = [
    (ChatFamily::OpenAiChat, "gpt-5"),
    (ChatFamily::OpenAiResponses, "gpt-5"),
    (ChatFamily::Anthropic, "claude-sonnet-4-6"),
    (ChatFamily::Gemini, "gemini-2.5-pro"),
];

async fn sandbox_with(fault: Option<Fault>, variants: Vec<Variant>) -> Sandbox {
    let config = SandboxConfig {
        default_fault: fault,
        default_variants: variants,
        // Enough events before a hang for some text to arrive in every family.
        hang_after_events: 8,
        // A silent stream is detected by the client's idle timeout, set short below.
        stall_duration: Duration::from_secs(30),
        drip_interval: Duration::from_millis(2),
        ..SandboxConfig::default()
    };
    anyint_sandbox::start(config).await.expect("sandbox starts")
}

fn request(family: ChatFamily, model: &str, body: Value, stream: bool) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: format!("{family:?}"),
        family,
        model: model.into(),
        body,
        stream,
        idle_timeout_ms: Some(1_500),
        conversation_id: None,
    }
}

async fn send(sandbox: &Sandbox, req: &PlaygroundRequest) -> (RunSummary, Vec<PlaygroundEvent>) {
    let client = crate::client(&sandbox.base_url(), anyint_sandbox::DEMO_KEY);
    let mut events = Vec::new();
    let summary = tokio::time::timeout(
        Duration::from_secs(30),
        playground::run(&client, req, std::future::pending::<()>(), |e| {
            events.push(e)
        }),
    )
    .await
    .expect("every run ends by itself");
    (summary, events)
}

fn streamed_text(events: &[PlaygroundEvent]) -> String {
    let mut text = String::new();
    for e in events {
        if let PlaygroundEvent::Chunk { chat, .. } = e {
            for c in chat {
                if let anyint_core::chat::ChatEvent::TextDelta { text: t } = c {
                    text.push_str(t);
                }
            }
        }
    }
    text
}

/// A sandbox per family: stateful faults (`burst` counts requests) start afresh for each.
async fn each_family_with(
    fault: Option<Fault>,
    check: impl Fn(ChatFamily, &RunSummary, &[PlaygroundEvent]),
) {
    for (family, model) in FAMILIES {
        let sandbox = sandbox_with(fault, vec![]).await;
        let body = simple_body(
            family,
            model,
            Some("Be brief."),
            Some(200),
            "Tell me about tides.",
            true,
        );
        let (summary, events) = send(&sandbox, &request(family, model, body, true)).await;
        check(family, &summary, &events);
    }
}

#[tokio::test]
async fn a_plain_reply_streams_whole_with_stats_in_every_family() {
    each_family_with(None, |family, s, events| {
        assert_eq!(s.status, RunStatus::Complete, "{family:?}: {:?}", s.failure);
        assert!(!s.transcript.text.is_empty(), "{family:?}");
        assert_eq!(
            streamed_text(events),
            s.transcript.text,
            "{family:?}: the stream is the answer"
        );
        assert!(s.terminator_seen, "{family:?} saw its terminator");
        assert!(s.transcript.finish_reason.is_some(), "{family:?}");
        assert!(
            s.transcript.usage.output_tokens.is_some(),
            "{family:?} reported usage"
        );
        assert!(
            s.stats.ttft_ms.is_some() && s.stats.tokens_per_s.is_some(),
            "{family:?}"
        );
        assert_eq!(s.http_status, Some(200));
        // The request as sent carries the masked key only.
        let headers = format!("{:?}", s.request.headers);
        assert!(
            !headers.contains(anyint_sandbox::DEMO_KEY) && headers.contains('…'),
            "{headers}"
        );
        assert!(matches!(
            events.first(),
            Some(PlaygroundEvent::Request { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn a_reset_keeps_the_partial_answer_and_says_so() {
    each_family_with(Some(Fault::Reset), |family, s, events| {
        assert_eq!(s.status, RunStatus::Partial, "{family:?}: {:?}", s.failure);
        assert_eq!(
            s.failure.as_ref().map(|f| f.kind),
            Some(FailureKind::Reset),
            "{family:?}"
        );
        assert!(!s.transcript.text.is_empty(), "{family:?} kept its tokens");
        assert_eq!(streamed_text(events), s.transcript.text);
    })
    .await;
}

#[tokio::test]
async fn a_truncated_stream_is_reported_as_truncated() {
    each_family_with(Some(Fault::Truncate), |family, s, _| {
        assert_eq!(
            s.failure.as_ref().map(|f| f.kind),
            Some(FailureKind::Truncated),
            "{family:?}"
        );
        assert!(!s.terminator_seen, "{family:?}");
        assert_eq!(s.status, RunStatus::Partial);
    })
    .await;
}

#[tokio::test]
async fn an_in_stream_error_keeps_the_text_before_it_with_the_gateways_words() {
    each_family_with(Some(Fault::StreamError), |family, s, _| {
        let f = s.failure.as_ref().expect("a failure");
        assert_eq!(f.kind, FailureKind::InStreamError, "{family:?}: {f:?}");
        assert!(
            f.gateway_message.as_deref().is_some_and(|m| !m.is_empty()),
            "{family:?}"
        );
        assert!(!s.transcript.text.is_empty(), "{family:?}");
    })
    .await;
}

#[tokio::test]
async fn a_malformed_event_stops_the_run_and_keeps_what_came_before() {
    each_family_with(Some(Fault::Malformed), |family, s, _| {
        assert_eq!(
            s.failure.as_ref().map(|f| f.kind),
            Some(FailureKind::Malformed),
            "{family:?}: {:?}",
            s.failure
        );
    })
    .await;
}

#[tokio::test]
async fn a_429_is_an_http_failure_with_retry_after_and_the_families_message() {
    each_family_with(Some(Fault::RateLimit), |family, s, events| {
        let f = s.failure.as_ref().expect("a failure");
        assert_eq!(
            (f.kind, f.status, f.retry_after_s),
            (FailureKind::Http, Some(429), Some(2)),
            "{family:?}"
        );
        assert!(f.gateway_message.is_some(), "{family:?}");
        assert_eq!(s.status, RunStatus::Failed);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, PlaygroundEvent::Body { .. })),
            "the error body is shown"
        );
    })
    .await;
}

#[tokio::test]
async fn a_5xx_is_an_http_failure_in_every_family() {
    each_family_with(Some(Fault::Burst), |family, s, _| {
        let f = s.failure.as_ref().expect("a failure");
        assert_eq!(f.kind, FailureKind::Http, "{family:?}");
        assert!(f.status.is_some_and(|st| st >= 500), "{family:?}: {f:?}");
    })
    .await;
}

#[tokio::test]
async fn a_slow_drip_still_arrives_whole() {
    each_family_with(Some(Fault::Slow), |family, s, _| {
        assert_eq!(s.status, RunStatus::Complete, "{family:?}: {:?}", s.failure);
        assert!(s.stats.events > 1);
    })
    .await;
}

#[tokio::test]
async fn a_silent_stall_ends_on_the_idle_timeout_with_the_partial_answer() {
    each_family_with(Some(Fault::Hang), |family, s, _| {
        let f = s.failure.as_ref().expect("a failure");
        assert_eq!(f.kind, FailureKind::IdleTimeout, "{family:?}: {f:?}");
        assert!(f.message.contains("1.5 s"), "{}", f.message);
    })
    .await;
}

#[tokio::test]
async fn tolerant_variants_read_like_the_reference_format() {
    let sandbox = sandbox_with(
        None,
        vec![Variant::Crlf, Variant::KeepAlive, Variant::Loose],
    )
    .await;
    for (family, model) in FAMILIES {
        let body = simple_body(family, model, None, Some(100), "Hello there", true);
        let (s, _) = send(&sandbox, &request(family, model, body, true)).await;
        assert_eq!(s.status, RunStatus::Complete, "{family:?}: {:?}", s.failure);
        assert!(s.transcript.usage.output_tokens.is_some() || family != ChatFamily::OpenAiChat);
    }
}

#[tokio::test]
async fn a_non_stream_answer_reads_the_same_way() {
    let sandbox = sandbox_with(None, vec![]).await;
    for (family, model) in FAMILIES {
        let body = simple_body(family, model, None, Some(100), "Hello there", false);
        let (s, events) = send(&sandbox, &request(family, model, body, false)).await;
        assert_eq!(s.status, RunStatus::Complete, "{family:?}: {:?}", s.failure);
        assert!(!s.transcript.text.is_empty() && s.terminator_seen);
        assert!(events
            .iter()
            .any(|e| matches!(e, PlaygroundEvent::Body { .. })));
    }
}

/// The tool loop in each family's own shape: declare a tool, get the call rebuilt from its
/// deltas, answer it, and get text back.
#[tokio::test]
async fn a_tool_call_round_trip_completes_in_every_family() {
    let sandbox = sandbox_with(None, vec![]).await;
    let schema =
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]});
    for (family, model) in FAMILIES {
        let mut body = simple_body(family, model, None, Some(200), "Weather in Oslo?", true);
        let obj = body.as_object_mut().expect("an object");
        match family {
            ChatFamily::OpenAiChat => obj.insert("tools".into(), json!([{"type": "function", "function": {"name": "weather", "description": "Weather now", "parameters": schema}}])),
            ChatFamily::OpenAiResponses => obj.insert("tools".into(), json!([{"type": "function", "name": "weather", "description": "Weather now", "parameters": schema}])),
            ChatFamily::Anthropic => obj.insert("tools".into(), json!([{"name": "weather", "description": "Weather now", "input_schema": schema}])),
            ChatFamily::Gemini => obj.insert("tools".into(), json!([{"functionDeclarations": [{"name": "weather", "description": "Weather now", "parameters": schema}]}])),
        };
        let (first, _) = send(&sandbox, &request(family, model, body.clone(), true)).await;
        assert_eq!(
            first.status,
            RunStatus::Complete,
            "{family:?}: {:?}",
            first.failure
        );
        let call = first
            .transcript
            .tool_calls
            .first()
            .unwrap_or_else(|| panic!("{family:?} called no tool"));
        assert_eq!(call.name.as_deref(), Some("weather"));
        let args: Value = serde_json::from_str(&call.arguments)
            .unwrap_or_else(|e| panic!("{family:?} arguments {}: {e}", call.arguments));
        assert!(args.is_object());
        let id = call.id.clone().unwrap_or_default();
        let obj = body.as_object_mut().expect("an object");
        match family {
            ChatFamily::OpenAiChat => {
                let messages = obj["messages"].as_array_mut().expect("messages");
                messages.push(json!({"role": "assistant", "tool_calls": [{"id": id, "type": "function", "function": {"name": "weather", "arguments": call.arguments}}]}));
                messages.push(json!({"role": "tool", "tool_call_id": id, "content": "4 °C, rain"}));
            }
            ChatFamily::OpenAiResponses => {
                let prompt = obj["input"].as_str().unwrap_or_default().to_owned();
                obj.insert("input".into(), json!([
                    {"role": "user", "content": prompt},
                    {"type": "function_call", "call_id": id, "name": "weather", "arguments": call.arguments},
                    {"type": "function_call_output", "call_id": id, "output": "4 °C, rain"},
                ]));
            }
            ChatFamily::Anthropic => {
                let messages = obj["messages"].as_array_mut().expect("messages");
                messages.push(json!({"role": "assistant", "content": [{"type": "tool_use", "id": id, "name": "weather", "input": args}]}));
                messages.push(json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": id, "content": "4 °C, rain"}]}));
            }
            ChatFamily::Gemini => {
                let contents = obj["contents"].as_array_mut().expect("contents");
                contents.push(json!({"role": "model", "parts": [{"functionCall": {"name": "weather", "args": args}}]}));
                contents.push(json!({"role": "user", "parts": [{"functionResponse": {"name": "weather", "response": {"result": "4 °C, rain"}}}]}));
            }
        }
        let (second, _) = send(&sandbox, &request(family, model, body, true)).await;
        assert_eq!(
            second.status,
            RunStatus::Complete,
            "{family:?}: {:?}",
            second.failure
        );
        assert!(
            second.transcript.tool_calls.is_empty(),
            "{family:?} answers the result with text"
        );
        assert!(!second.transcript.text.is_empty(), "{family:?}");
    }
}

/// Stop drops the body: the sandbox sees the connection closed, and the partial text stays.
#[tokio::test]
async fn stop_closes_the_connection_and_keeps_the_partial_text() {
    let sandbox = sandbox_with(Some(Fault::Hang), vec![]).await;
    let client = crate::client(&sandbox.base_url(), anyint_sandbox::DEMO_KEY);
    let body = simple_body(
        ChatFamily::Anthropic,
        "claude-sonnet-4-6",
        None,
        Some(200),
        "Long story",
        true,
    );
    let mut req = request(ChatFamily::Anthropic, "claude-sonnet-4-6", body, true);
    req.idle_timeout_ms = Some(60_000);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<()>();
    let mut first_tx = Some(first_tx);
    let run = playground::run(
        &client,
        &req,
        async {
            let _ = stop_rx.await;
        },
        |e| {
            let text = matches!(&e, PlaygroundEvent::Chunk { chat, .. }
            if chat.iter().any(|c| matches!(c, anyint_core::chat::ChatEvent::TextDelta { .. })));
            if text {
                if let Some(tx) = first_tx.take() {
                    let _ = tx.send(());
                }
            }
        },
    );
    let stopper = async {
        first_rx.await.expect("some text before the hang");
        let _ = stop_tx.send(());
    };
    let (summary, ()) = tokio::time::timeout(Duration::from_secs(20), async {
        tokio::join!(run, stopper)
    })
    .await
    .expect("the stop ends the run");
    assert_eq!(
        summary.failure.as_ref().map(|f| f.kind),
        Some(FailureKind::Stopped)
    );
    assert_eq!(summary.status, RunStatus::Partial);
    assert!(
        sandbox
            .wait_for_closed_streams(1, Duration::from_secs(5))
            .await,
        "the sandbox never saw the connection close"
    );
}
