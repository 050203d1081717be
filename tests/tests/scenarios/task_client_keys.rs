//! A gateway that echoes the key inside its task answers (a 200 with an error code, a poll
//! record, an error page) must not get it into anything the task client hands on: failures,
//! reports, raw bodies. The sandbox never echoes a key, so a wiremock server plays that gateway.

use anyint_core::gateway::GatewayClient;
use anyint_core::keys::ApiKey;
use anyint_core::tasks::client::TaskClient;
use anyint_core::tasks::TaskBackend;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// Test data, not a real key.
const KEY: &str = "sk-test-task-echo-0123456789abcdef";

async fn echoing_gateway() -> MockServer {
    let server = MockServer::start().await;
    let answer =
        |status: u16, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
    Mock::given(method("POST"))
        .and(path("/suno/generate"))
        .respond_with(answer(
            200,
            json!({"code": 401, "msg": format!("Invalid key {KEY}"), "data": null}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/suno/query/task"))
        .respond_with(answer(200, json!({"code": 200, "msg": "success", "data": {"taskId": "t1",
            "status": "SUCCESS", "param": format!("{{\"key\":\"{KEY}\"}}"), "response": {"sunoData": [
            {"id": "a1", "audioUrl": "https://cdn.example.com/a1.mp3", "title": format!("by {KEY}")}]}}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/transtreams/kling/v1/videos/text2video"))
        .respond_with(answer(
            200,
            json!({"code": 1002, "message": format!("bad token Bearer {KEY}")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/openai/v1/videos/v1/content"))
        .respond_with(answer(
            403,
            json!({"error": {"message": format!("key {KEY} may not download")}}),
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_echoed_key_is_masked_in_failures_reports_and_raw_bodies() {
    let server = echoing_gateway().await;
    let gateway = GatewayClient::new(&server.uri(), ApiKey::new(KEY).unwrap()).unwrap();
    let c = TaskClient::new(gateway);
    let song = json!({"customMode": false, "instrumental": false, "model": "V5",
        "prompt": "p", "callBackUrl": "https://cb.example.com"});
    let e = c.create("suno.generate", &song).await.unwrap_err();
    assert_eq!((e.status, e.retryable), (Some(401), false));
    let report = c.poll("suno.generate", "t1").await.unwrap();
    assert_eq!(report.artifacts.len(), 1);
    let kling = json!({"model_name": "kling-v3", "prompt": "p"});
    let k = c.create("kling.text2video", &kling).await.unwrap_err();
    assert!(!k.retryable, "{k:?}");
    let content = c.open_content("/videos/v1/content").await.unwrap_err();
    assert_eq!(content.status, Some(403));
    let all = format!("{e:?} {report:?} {} {k:?} {content:?}", report.raw);
    assert!(!all.contains("0123456789abcdef"), "{all}");
    assert!(
        all.contains("sk-…cdef"),
        "the mask shows where the key was: {all}"
    );
}
