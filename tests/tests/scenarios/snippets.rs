//! Code export against the sandbox: the curl snippet of each family, run by bash with the key
//! only in `ANYINT_API_KEY`, must get the same answer the core gets for the same request. The
//! sandbox's reply is a function of its seed and the request's text, so the two must agree.

use super::{client, sandbox};
use anyint_core::chat::{self, ChatFamily, ChatTranscript, StreamNormaliser};
use anyint_core::snippets::{self, SnippetLang, SnippetRequest};
use anyint_core::sse::SseEvent;
use anyint_core::wire::{anthropic, gemini, openai_chat, openai_responses};
use anyint_sandbox::DEMO_KEY;
use serde_json::{json, Value};
use std::process::Command;

/// Quotes, `$`, backticks and a newline: the shell must pass them through untouched, or the
/// sandbox would answer a different text than the core sent.
const PROMPT: &str = "Explain the gateway: it's \"$HOME\" `id` $(echo x)\nin one line.";

/// The model and the body the playground would send for `family`, non-stream.
fn request(family: ChatFamily) -> (&'static str, Value) {
    match family {
        ChatFamily::OpenAiChat => (
            "gpt-5",
            json!({"model": "gpt-5", "messages": [{"role": "user", "content": PROMPT}]}),
        ),
        ChatFamily::OpenAiResponses => ("gpt-5", json!({"model": "gpt-5", "input": PROMPT})),
        ChatFamily::Anthropic => (
            "claude-sonnet-4-6",
            json!({
                "model": "claude-sonnet-4-6",
                "max_tokens": 512,
                "messages": [{"role": "user", "content": PROMPT}]
            }),
        ),
        ChatFamily::Gemini => (
            "gemini-2.0-flash",
            json!({"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}),
        ),
    }
}

/// Runs a snippet with bash off the async runtime (the sandbox serves on it meanwhile). The
/// key reaches the child only through its environment.
async fn run_in_bash(code: String) -> String {
    let output = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg("-c")
            .arg(code)
            .env("ANYINT_API_KEY", DEMO_KEY)
            .output()
            .expect("bash runs")
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The curl output decoded as `family`'s answer and normalised like the core's own.
fn transcript_of(family: ChatFamily, answer: &str) -> ChatTranscript {
    fn decode<T: serde::de::DeserializeOwned>(family: ChatFamily, answer: &str) -> T {
        serde_json::from_str(answer).unwrap_or_else(|e| panic!("{family:?}: {e}: {answer}"))
    }
    match family {
        ChatFamily::OpenAiChat => {
            chat::transcript_of_openai(&decode::<openai_chat::ChatCompletion>(family, answer))
        }
        ChatFamily::OpenAiResponses => {
            chat::transcript_of_responses(&decode::<openai_responses::Response>(family, answer))
        }
        ChatFamily::Anthropic => {
            chat::transcript_of_anthropic(&decode::<anthropic::Message>(family, answer))
        }
        ChatFamily::Gemini => {
            chat::transcript_of_gemini(&decode::<gemini::GenerateContentResponse>(family, answer))
        }
    }
}

#[tokio::test]
async fn each_familys_curl_export_gets_the_answer_the_core_gets() {
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), DEMO_KEY);
    for family in [
        ChatFamily::OpenAiChat,
        ChatFamily::OpenAiResponses,
        ChatFamily::Anthropic,
        ChatFamily::Gemini,
    ] {
        let (model, body) = request(family);
        let req = SnippetRequest {
            family,
            base_url: sandbox.base_url(),
            model: model.to_owned(),
            body: body.clone(),
            stream: false,
        };
        let code = snippets::snippet(&req, SnippetLang::Curl);
        assert!(!code.contains(DEMO_KEY), "{code}");
        let from_curl = transcript_of(family, &run_in_bash(code).await);
        let from_core = chat::complete(&c, family, model, &body).await.unwrap();
        assert!(!from_core.text.is_empty(), "{family:?}: empty answer");
        assert_eq!(from_curl.text, from_core.text, "{family:?}");
        assert_eq!(
            from_curl.finish_reason, from_core.finish_reason,
            "{family:?}"
        );
    }
}

#[tokio::test]
async fn a_streaming_curl_export_ends_with_done_and_streams_the_same_text() {
    let sandbox = sandbox().await;
    let c = client(&sandbox.base_url(), DEMO_KEY);
    let (model, mut body) = request(ChatFamily::OpenAiChat);
    body["stream"] = json!(true);
    let req = SnippetRequest {
        family: ChatFamily::OpenAiChat,
        base_url: sandbox.base_url(),
        model: model.to_owned(),
        body: body.clone(),
        stream: true,
    };
    let code = snippets::snippet(&req, SnippetLang::Curl);
    assert!(code.starts_with("curl -sS -N "), "{code}");
    let out = run_in_bash(code).await;
    assert!(out.contains("data: [DONE]"), "{out}");

    // The captured stream, read by the core's own normaliser, says what the core streams.
    // (OpenAI chat events are one `data:` line each, with no `event:` name.)
    let mut norm = StreamNormaliser::new(ChatFamily::OpenAiChat);
    let mut from_curl = ChatTranscript::default();
    for data in out.lines().filter_map(|l| l.strip_prefix("data: ")) {
        let event = SseEvent {
            event: "message".to_owned(),
            data: data.to_owned(),
            id: None,
            retry: None,
        };
        norm.push(&event)
            .unwrap()
            .iter()
            .for_each(|e| from_curl.apply(e));
    }
    assert!(norm.is_ended(), "the stream ended with its terminator");
    let live = chat::stream(&c, ChatFamily::OpenAiChat, model, &body)
        .await
        .unwrap();
    let from_core = chat::collect(live).await;
    assert!(from_core.error.is_none(), "{:?}", from_core.error);
    assert!(!from_core.transcript.text.is_empty());
    assert_eq!(from_curl.text, from_core.transcript.text);
}
