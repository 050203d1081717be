//! A gateway that echoes the presented key back in its errors ("Invalid key sk-…") must not
//! put it into anything the app logs or shows: the error, the playground's failure and body.
//! The sandbox never echoes a key, so a wiremock server plays that gateway.

use anyint_core::chat::ChatFamily;
use anyint_core::gateway::{Family, GatewayError};
use anyint_core::models::list_models;
use anyint_core::playground::{self, simple_body, PlaygroundEvent, PlaygroundRequest};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// Test data, not a real key.
const KEY: &str = "sk-test-echoed-back-0123456789abcdef";
const MASKED: &str = "sk-…cdef";

/// The key as the request presented it, in whichever header its family uses.
fn presented(req: &Request) -> String {
    let header = |name: &str| {
        req.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    header("x-api-key")
        .or_else(|| header("authorization").map(|v| v.trim_start_matches("Bearer ").to_owned()))
        .unwrap_or_default()
}

/// Answers every request 401 with the key quoted in the message and the body.
async fn echoing_gateway() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|req: &Request| {
            let key = presented(req);
            ResponseTemplate::new(401).set_body_json(serde_json::json!({
                "error": {
                    "message": format!("Invalid key {key}"),
                    "type": "authentication_error",
                    "presented": format!("Bearer {key}"),
                }
            }))
        })
        .mount(&server)
        .await;
    server
}

fn request(family: ChatFamily, model: &str, stream: bool) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: "echo".into(),
        family,
        model: model.into(),
        body: simple_body(family, model, None, Some(20), "hi", stream),
        stream,
        idle_timeout_ms: None,
        conversation_id: None,
    }
}

#[tokio::test]
async fn models_errors_mask_an_echoed_key() {
    let gateway = echoing_gateway().await;
    let client = crate::client(&gateway.uri(), KEY);
    for family in [Family::OpenAi, Family::Anthropic] {
        let e = list_models(&client, family).await.unwrap_err();
        let GatewayError::Status {
            message, raw_body, ..
        } = &e
        else {
            panic!("{family:?}: expected a 401, got {e:?}");
        };
        let all = format!("{e}\n{e:?}\n{raw_body}");
        assert!(!all.contains(KEY), "{family:?} leaked the key: {all}");
        assert_eq!(message, &format!("Invalid key {MASKED}"), "{family:?}");
        assert!(raw_body.contains(&format!("Bearer {MASKED}")), "{raw_body}");
    }
}

#[tokio::test]
async fn playground_runs_mask_an_echoed_key_stream_or_not() {
    let gateway = echoing_gateway().await;
    let client = crate::client(&gateway.uri(), KEY);
    for (family, model) in [
        (ChatFamily::OpenAiChat, "gpt-5"),
        (ChatFamily::OpenAiResponses, "gpt-5"),
        (ChatFamily::Anthropic, "claude-sonnet-4-6"),
        (ChatFamily::Gemini, "gemini-2.5-pro"),
    ] {
        for stream in [false, true] {
            let mut events = Vec::new();
            let summary = playground::run(
                &client,
                &request(family, model, stream),
                std::future::pending::<()>(),
                |e| events.push(e),
            )
            .await;
            let case = format!("{family:?} stream={stream}");
            let failure = summary.failure.clone().expect("a 401 fails the run");
            assert_eq!(failure.status, Some(401), "{case}");
            assert_eq!(
                failure.gateway_message.as_deref(),
                Some(format!("Invalid key {MASKED}").as_str()),
                "{case}"
            );
            let body = events.iter().find_map(|e| match e {
                PlaygroundEvent::Body { text } => Some(text.clone()),
                _ => None,
            });
            assert!(
                body.is_some_and(|b| b.contains(MASKED)),
                "{case}: {events:?}"
            );
            let all = serde_json::to_string(&(&events, &summary)).unwrap();
            assert!(!all.contains(KEY), "{case} leaked the key: {all}");
        }
    }
}

/// An error event inside a 200 stream carries the gateway's words as they came; the run's
/// failure masks them too.
#[tokio::test]
async fn an_in_stream_error_masks_an_echoed_key_everywhere_the_window_sees() {
    let gateway = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|req: &Request| {
            let message = format!("key {} was revoked", presented(req));
            let frame = serde_json::json!({"error": {"message": message}});
            ResponseTemplate::new(200)
                .set_body_raw(format!("data: {frame}\n\n"), "text/event-stream")
        })
        .mount(&gateway)
        .await;
    let client = crate::client(&gateway.uri(), KEY);
    let mut events = Vec::new();
    let summary = playground::run(
        &client,
        &request(ChatFamily::OpenAiChat, "gpt-5", true),
        std::future::pending::<()>(),
        |e| events.push(e),
    )
    .await;
    // Not in the wire timeline, the normalised events or the transcript either.
    let everything = format!(
        "{}{}",
        serde_json::to_string(&events).expect("events serialise"),
        serde_json::to_string(&summary).expect("the summary serialises")
    );
    assert!(!everything.contains(KEY), "the key reached the window");
    assert!(everything.contains(MASKED));
    let failure = summary.failure.expect("the error event fails the run");
    assert_eq!(
        failure.gateway_message.as_deref(),
        Some(format!("key {MASKED} was revoked").as_str())
    );
    assert!(!failure.message.contains(KEY), "{}", failure.message);
}
