//! A redirect never carries the key to another host: reqwest drops `Authorization` across
//! origins but not Anthropic's `x-api-key`, so the client follows same-origin hops only.

use anyint_core::chat::ChatFamily;
use anyint_core::playground::{self, simple_body, FailureKind, PlaygroundRequest, RunStatus};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request(family: ChatFamily) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: "redirect".into(),
        family,
        model: "claude-sonnet-4-6".into(),
        body: simple_body(family, "claude-sonnet-4-6", None, Some(50), "hi", false),
        stream: false,
        idle_timeout_ms: None,
        conversation_id: None,
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/anthropic/v1/messages"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .mount(&gateway)
        .await;
    for family in [ChatFamily::Anthropic, ChatFamily::OpenAiChat] {
        let client = crate::client(&gateway.uri(), "sk-test-redirect-never-leaves-0001");
        let summary = playground::run(
            &client,
            &request(family),
            std::future::pending::<()>(),
            |_| {},
        )
        .await;
        if family == ChatFamily::Anthropic {
            assert_eq!(summary.status, RunStatus::Failed);
            let f = summary.failure.expect("the 307 is the answer");
            assert_eq!((f.kind, f.status), (FailureKind::Http, Some(307)));
        }
    }
    let received = elsewhere.received_requests().await.unwrap_or_default();
    assert!(
        received.is_empty(),
        "the other host got {} request(s); headers: {:?}",
        received.len(),
        received
            .iter()
            .map(|r| r.headers.clone())
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed() {
    let gateway = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/anthropic/v1/messages"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", "/moved/v1/messages"))
        .mount(&gateway)
        .await;
    let answer = serde_json::json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6",
        "content": [{"type": "text", "text": "moved fine"}],
        "stop_reason": "end_turn", "usage": {"input_tokens": 3, "output_tokens": 2}
    });
    Mock::given(method("POST"))
        .and(path("/moved/v1/messages"))
        .and(wiremock::matchers::header_exists("x-api-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&gateway)
        .await;
    let client = crate::client(&gateway.uri(), "sk-test-redirect-same-origin-0001");
    let summary = playground::run(
        &client,
        &request(ChatFamily::Anthropic),
        std::future::pending::<()>(),
        |_| {},
    )
    .await;
    assert_eq!(summary.status, RunStatus::Complete, "{:?}", summary.failure);
    assert_eq!(summary.transcript.text, "moved fine");
}
