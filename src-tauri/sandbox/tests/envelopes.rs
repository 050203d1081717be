//! The route extractors take the error family from the path: every route must still answer a bad
//! key in its own family's envelope, and routes with sub-routes must say 404 for an unknown one
//! before they look at the key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{client, sandbox};
use serde_json::{json, Value};

/// Where each family's 401 body keeps its code, and the value it has there.
fn unauthorized(family: &str) -> (&'static str, Value) {
    match family {
        "openai" => ("/error/code", json!("invalid_api_key")),
        "anthropic" => ("/error/type", json!("authentication_error")),
        "dashscope" => ("/code", json!("InvalidApiKey")),
        "suno" => ("/code", json!(401)),
        other => panic!("no 401 shape for {other}"),
    }
}

async fn send(method: &str, url: &str, key: &str) -> (u16, Value) {
    let request = if method == "GET" {
        client().get(url)
    } else {
        client().post(url).json(&json!({}))
    };
    let r = request
        .bearer_auth(key)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_extracted_route_rejects_a_bad_key_in_its_family_envelope() {
    let sb = sandbox().await;
    let b = sb.base_url();
    let routes = [
        ("GET", "openai", "/openai/v1/models"),
        ("GET", "anthropic", "/anthropic/v1/models"),
        ("POST", "openai", "/openai/v1/chat/completions"),
        ("POST", "openai", "/openai/v1/embeddings"),
        ("POST", "openai", "/openai/v1/moderations"),
        ("POST", "anthropic", "/anthropic/v1/messages"),
        ("POST", "anthropic", "/anthropic/v1/messages/count_tokens"),
        ("POST", "openai", "/openai/v1/responses"),
        ("GET", "openai", "/openai/v1/responses/resp_x"),
        ("POST", "openai", "/openai/v1/videos"),
        ("GET", "openai", "/openai/v1/videos/video_x"),
        ("GET", "openai", "/openai/v1/videos/video_x/content"),
        ("POST", "openai", "/openai/v1/images/generations"),
        ("POST", "openai", "/openai/v1/audio/speech"),
        (
            "POST",
            "dashscope",
            "/dashscope/v1/services/aigc/multimodal-generation/generation",
        ),
        (
            "POST",
            "dashscope",
            "/dashscope/v1/services/aigc/video-generation/video-synthesis",
        ),
        ("GET", "dashscope", "/dashscope/v1/tasks/x"),
        ("GET", "suno", "/suno/query/task?taskId=x"),
        ("POST", "suno", "/suno/style-generate"),
    ];
    for (method, family, path) in routes {
        let (status, body) = send(method, &format!("{b}{path}"), "sk-wrong").await;
        let (pointer, expected) = unauthorized(family);
        assert_eq!(status, 401, "{method} {path}: {body}");
        assert_eq!(
            body.pointer(pointer),
            Some(&expected),
            "{method} {path}: {body}"
        );
    }
}

#[tokio::test]
async fn unknown_sub_routes_are_404_before_the_key_is_checked() {
    let sb = sandbox().await;
    let b = sb.base_url();
    let routes = [
        (
            "POST",
            "/gemini/v1beta/models/gemini-2.0-flash:nope",
            "/error/status",
            json!("NOT_FOUND"),
        ),
        (
            "POST",
            "/gemini/v1beta/models/no-action",
            "/error/status",
            json!("NOT_FOUND"),
        ),
        (
            "POST",
            "/transtreams/kling/v1/videos/nope",
            "/code",
            json!(1203),
        ),
        (
            "GET",
            "/transtreams/kling/v1/videos/nope/task_x",
            "/code",
            json!(1203),
        ),
        ("POST", "/suno/nope", "/code", json!(404)),
    ];
    for (method, path, pointer, expected) in routes {
        let (status, body) = send(method, &format!("{b}{path}"), "sk-wrong").await;
        assert_eq!(status, 404, "{method} {path}: {body}");
        assert_eq!(
            body.pointer(pointer),
            Some(&expected),
            "{method} {path}: {body}"
        );
    }
}
