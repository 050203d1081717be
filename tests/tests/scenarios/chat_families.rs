//! Chat through the core, per family (OpenAI chat, Responses, Anthropic, Gemini), against the
//! sandbox over loopback: `GatewayClient` + `sse` + `wire` + `chat`. The sandbox's reply is a
//! function of its seed and the request's text (not of `stream`), so a stream and a JSON call
//! must normalise to the same answer. Stream faults must keep the partial answer.

use super::{client, sandbox};
use anyint_core::chat::{self, ChatError, ChatFamily, ChatOutcome, ChatTranscript};
use anyint_core::gateway::GatewayClient;
use anyint_core::wire::anthropic::MessagesRequest;
use anyint_core::wire::gemini::GenerateContentRequest;
use anyint_core::wire::openai_chat::ChatCompletionRequest;
use anyint_core::wire::openai_responses::ResponsesRequest;
use anyint_sandbox::{Fault, SandboxConfig, DEMO_KEY};
use serde_json::Value;

const FAMILIES: [ChatFamily; 4] = [
    ChatFamily::OpenAiChat,
    ChatFamily::OpenAiResponses,
    ChatFamily::Anthropic,
    ChatFamily::Gemini,
];
const PROMPT: &str = "Explain the gateway in one paragraph.";

/// The model and the request body of `family`, built with the core's wire types.
fn request(family: ChatFamily, stream: bool) -> (&'static str, Value) {
    let body = match family {
        ChatFamily::OpenAiChat => {
            let r = ChatCompletionRequest::new("gpt-5", PROMPT);
            serde_json::to_value(if stream { r.streaming() } else { r })
        }
        ChatFamily::OpenAiResponses => {
            let mut r = ResponsesRequest::new("gpt-5", PROMPT);
            r.stream = stream.then_some(true);
            serde_json::to_value(r)
        }
        ChatFamily::Anthropic => {
            let mut r = MessagesRequest::new("claude-sonnet-4-6", 512, PROMPT);
            r.stream = stream.then_some(true);
            serde_json::to_value(r)
        }
        // Gemini streams by route, not by a body flag.
        ChatFamily::Gemini => serde_json::to_value(GenerateContentRequest::new(PROMPT)),
    };
    let model = match family {
        ChatFamily::OpenAiChat | ChatFamily::OpenAiResponses => "gpt-5",
        ChatFamily::Anthropic => "claude-sonnet-4-6",
        ChatFamily::Gemini => "gemini-2.0-flash",
    };
    (model, body.unwrap())
}

async fn streamed(c: &GatewayClient, family: ChatFamily) -> ChatOutcome {
    let (model, body) = request(family, true);
    let events = chat::stream(c, family, model, &body).await.unwrap();
    chat::collect(events).await
}

async fn completed(c: &GatewayClient, family: ChatFamily) -> ChatTranscript {
    let (model, body) = request(family, false);
    chat::complete(c, family, model, &body).await.unwrap()
}

async fn faulty(fault: Fault) -> anyint_sandbox::Sandbox {
    let config = SandboxConfig {
        default_fault: Some(fault),
        ..SandboxConfig::default()
    };
    anyint_sandbox::start(config).await.unwrap()
}

#[tokio::test]
async fn each_family_streams_the_same_answer_it_returns_as_json() {
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), DEMO_KEY);
    for family in FAMILIES {
        let outcome = streamed(&c, family).await;
        assert!(outcome.error.is_none(), "{family:?}: {:?}", outcome.error);
        let stream = outcome.transcript;
        let json = completed(&c, family).await;
        assert!(!stream.text.is_empty(), "{family:?}: empty stream text");
        assert_eq!(stream.text, json.text, "{family:?}: stream and JSON differ");
        assert!(
            stream.finish_reason.is_some(),
            "{family:?}: no finish reason"
        );
        assert_eq!(stream.finish_reason, json.finish_reason, "{family:?}");
        assert!(stream.usage.output_tokens.is_some(), "{family:?}: no usage");
        assert_eq!(
            stream.usage.output_tokens, json.usage.output_tokens,
            "{family:?}"
        );
        assert!(stream.tool_calls.is_empty() && stream.gateway_error.is_none());
    }
}

#[tokio::test]
async fn a_reset_stream_keeps_the_partial_answer_with_the_error() {
    let full = sandbox().await;
    let broken = faulty(Fault::Reset).await;
    let (ok, bad) = (
        client(&full.base_url(), DEMO_KEY),
        client(&broken.base_url(), DEMO_KEY),
    );
    for family in FAMILIES {
        let whole = streamed(&ok, family).await.transcript.text;
        let outcome = streamed(&bad, family).await;
        assert!(
            matches!(outcome.error, Some(ChatError::Stream(_))),
            "{family:?}: {:?}",
            outcome.error
        );
        let partial = outcome.transcript.text;
        assert!(
            !partial.is_empty() && partial.len() < whole.len(),
            "{family:?}: {partial:?}"
        );
        assert!(
            whole.starts_with(&partial),
            "{family:?}: the partial text is a prefix"
        );
    }
}

#[tokio::test]
async fn an_error_event_mid_stream_is_reported_after_the_partial_answer() {
    let broken = faulty(Fault::StreamError).await;
    let c = client(&broken.base_url(), DEMO_KEY);
    for family in FAMILIES {
        let outcome = streamed(&c, family).await;
        assert!(
            matches!(outcome.error, Some(ChatError::Upstream { .. })),
            "{family:?}: {:?}",
            outcome.error
        );
        assert!(outcome.transcript.gateway_error.is_some());
        assert!(
            !outcome.transcript.text.is_empty(),
            "{family:?}: tokens before the error are kept"
        );
    }
}

#[tokio::test]
async fn a_stream_cut_short_without_its_end_is_truncated_not_finished() {
    let broken = faulty(Fault::Truncate).await;
    let c = client(&broken.base_url(), DEMO_KEY);
    for family in FAMILIES {
        let outcome = streamed(&c, family).await;
        assert!(
            matches!(outcome.error, Some(ChatError::Truncated { family: f }) if f == family),
            "{family:?}: {:?}",
            outcome.error
        );
        assert!(outcome.transcript.finish_reason.is_none());
        assert!(!outcome.transcript.text.is_empty());
    }
}

#[tokio::test]
async fn malformed_json_in_a_stream_is_a_decode_error_keeping_the_text() {
    let broken = faulty(Fault::Malformed).await;
    let c = client(&broken.base_url(), DEMO_KEY);
    for family in FAMILIES {
        let outcome = streamed(&c, family).await;
        assert!(
            matches!(outcome.error, Some(ChatError::Decode { .. })),
            "{family:?}: {:?}",
            outcome.error
        );
        assert!(!outcome.transcript.text.is_empty(), "{family:?}");
    }
}
