//! The media families are no more lenient than upstream and accept what the official SDKs send
//! (issue 9): DashScope's async header, each family's unknown-model error, the exhausted
//! balance in every envelope, and `videos.create` as multipart/form-data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod media_common;

use anyint_sandbox::{ExhaustedStatus, SandboxConfig, DEMO_KEY, EXHAUSTED_KEY, FAULT_HEADER};
use media_common::*;
use serde_json::{json, Value};

const DS_VIDEO: &str = "/dashscope/v1/services/aigc/video-generation/video-synthesis";
const DS_IMAGE: &str = "/dashscope/v1/services/aigc/multimodal-generation/generation";
const ASYNC: (&str, &str) = ("X-DashScope-Async", "enable");

fn ds_image_body(size: &str) -> Value {
    json!({"model": "qwen-image-plus", "input": {"messages": [{"role": "user", "content": [{"text": "a cat"}]}]},
        "parameters": {"size": size}})
}

#[tokio::test]
async fn dashscope_video_needs_the_async_header_and_images_refuse_it() {
    let sb = fast().await;
    let url = format!("{}{DS_VIDEO}", sb.base_url());
    let body = json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "waves"}});
    let (s, _, b) = send(&url, DEMO_KEY, &[], Some(&body)).await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(b["code"], "AccessDenied");
    assert_eq!(
        b["message"],
        "current user api does not support synchronous calls"
    );
    assert!(b["request_id"].is_string());
    let (s, _, b) = send(&url, DEMO_KEY, &[ASYNC], Some(&body)).await;
    assert_eq!(
        (s, b["output"]["task_status"].as_str()),
        (200, Some("PENDING"))
    );
    let image = format!("{}{DS_IMAGE}", sb.base_url());
    let (s, _, b) = send(
        &image,
        DEMO_KEY,
        &[ASYNC],
        Some(&ds_image_body("1328*1328")),
    )
    .await;
    assert_eq!((s, b["code"].as_str()), (403, Some("AccessDenied")), "{b}");
    assert_eq!(post(&image, &ds_image_body("1328*1328")).await.0, 200);
}

#[tokio::test]
async fn each_family_rejects_unknown_and_wrong_models_its_own_way() {
    let sb = fast().await;
    let base = sb.base_url();
    let ds = format!("{base}{DS_VIDEO}");
    let (s, _, b) = send(
        &ds,
        DEMO_KEY,
        &[ASYNC],
        Some(&json!({"model": "wan9", "input": {"prompt": "x"}})),
    )
    .await;
    assert_eq!(
        (s, b["code"].as_str(), b["message"].as_str()),
        (400, Some("InvalidParameter"), Some("Model not exist."))
    );
    // An image-to-video model needs its first frame; a Kling model is not a DashScope one.
    let (s, _, b) = send(
        &ds,
        DEMO_KEY,
        &[ASYNC],
        Some(&json!({"model": "wan2.5-i2v-preview", "input": {"prompt": "x"}})),
    )
    .await;
    assert_eq!(s, 400, "{b}");
    assert!(b["message"].as_str().unwrap().contains("img_url"));
    let (s, _, _) = send(
        &ds,
        DEMO_KEY,
        &[ASYNC],
        Some(&json!({"model": "kling-v3", "input": {"prompt": "x"}})),
    )
    .await;
    assert_eq!(s, 400);
    let image = format!("{base}{DS_IMAGE}");
    let (s, _, b) = post(&image, &ds_image_body("1024*1024")).await;
    assert_eq!(
        (s, b["code"].as_str()),
        (400, Some("InvalidParameter")),
        "qwen-image-plus sizes: {b}"
    );
    let kling = format!("{base}/transtreams/kling/v1/images/generations");
    let (s, _, b) = post(&kling, &json!({"model_name": "kling-v0", "prompt": "cat"})).await;
    assert_eq!((s, b["code"].as_i64()), (400, Some(1201)), "{b}");
    let (s, _, b) = post(
        &format!("{base}/openai/v1/videos"),
        &json!({"model": "sora-9", "prompt": "x"}),
    )
    .await;
    assert_eq!(
        (s, b["error"]["type"].as_str()),
        (404, Some("invalid_request_error")),
        "{b}"
    );
}

/// A paid request: family, URL, body and the headers the family needs.
type Paid = (
    &'static str,
    String,
    Value,
    Vec<(&'static str, &'static str)>,
);

/// One paid request per family, for the exhausted-balance checks.
fn paid(base: &str) -> Vec<Paid> {
    vec![
        (
            "openai",
            format!("{base}/openai/v1/chat/completions"),
            json!({"model": "gpt-5", "messages": [{"role": "user", "content": "hi"}]}),
            vec![],
        ),
        (
            "anthropic",
            format!("{base}/anthropic/v1/messages"),
            json!({"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}),
            vec![("anthropic-version", "2023-06-01")],
        ),
        (
            "gemini",
            format!("{base}/gemini/v1beta/models/gemini-2.0-flash:generateContent"),
            json!({"contents": [{"parts": [{"text": "hi"}]}]}),
            vec![],
        ),
        (
            "dashscope",
            format!("{base}{DS_VIDEO}"),
            json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "x"}}),
            vec![ASYNC],
        ),
        (
            "kling",
            format!("{base}/transtreams/kling/v1/videos/text2video"),
            json!({"model_name": "kling-v3", "prompt": "x"}),
            vec![],
        ),
        (
            "suno",
            format!("{base}/suno/generate"),
            generate_body(),
            vec![],
        ),
    ]
}

/// The family's error word in an exhausted-balance body.
fn word(family: &str, b: &Value) -> String {
    match family {
        "openai" => b["error"]["code"].as_str().unwrap().to_owned(),
        "anthropic" => b["error"]["type"].as_str().unwrap().to_owned(),
        "gemini" => b["error"]["status"].as_str().unwrap().to_owned(),
        "dashscope" => b["code"].as_str().unwrap().to_owned(),
        _ => b["code"].to_string(),
    }
}

#[tokio::test]
async fn an_exhausted_balance_answers_the_configured_status_in_each_envelope() {
    for status in ExhaustedStatus::ALL {
        let sb = fast_with(SandboxConfig {
            exhausted_status: status,
            ..Default::default()
        })
        .await;
        for (family, url, body, headers) in paid(&sb.base_url()) {
            let (s, _, b) = send(&url, EXHAUSTED_KEY, &headers, Some(&body)).await;
            assert_eq!(s, status.code(), "{family}: {b}");
            let expected = match (family, status) {
                ("openai", _) => "insufficient_quota",
                ("anthropic", ExhaustedStatus::PaymentRequired) => "billing_error",
                ("anthropic", ExhaustedStatus::Forbidden) => "permission_error",
                ("anthropic", _) => "rate_limit_error",
                ("gemini", ExhaustedStatus::PaymentRequired) => "FAILED_PRECONDITION",
                ("gemini", ExhaustedStatus::Forbidden) => "PERMISSION_DENIED",
                ("gemini", _) => "RESOURCE_EXHAUSTED",
                ("dashscope", _) => "Arrearage",
                ("kling", _) => "1102",
                _ => "429",
            };
            assert_eq!(word(family, &b), expected, "{family} under {status:?}: {b}");
            // The same with the `exhausted` fault on a key that has money.
            let mut with_fault = headers.clone();
            with_fault.push((FAULT_HEADER, "exhausted"));
            assert_eq!(
                send(&url, DEMO_KEY, &with_fault, Some(&body)).await.0,
                status.code(),
                "{family}"
            );
            assert_eq!(
                send(&url, DEMO_KEY, &headers, Some(&body)).await.0,
                200,
                "{family} with money"
            );
        }
        // Free requests still work: the models list and a poll.
        let (s, _, _) = send(
            &format!("{}/openai/v1/models", sb.base_url()),
            EXHAUSTED_KEY,
            &[],
            None,
        )
        .await;
        assert_eq!(s, 200);
        let (s, _, _) = send(
            &format!("{}/suno/query/task?taskId=nope", sb.base_url()),
            EXHAUSTED_KEY,
            &[],
            None,
        )
        .await;
        assert_eq!(
            s, 404,
            "a poll is answered (not found), not refused for the balance"
        );
    }
}

/// A `videos.create` body as the official OpenAI Python SDK (httpx) sends it.
fn sdk_form(boundary: &str, file_type: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [
        ("model", "kling-3.0"),
        ("prompt", "A paper airplane"),
        ("seconds", "8"),
        ("size", "720x1280"),
    ] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"input_reference\"; filename=\"first.png\"\r\nContent-Type: {file_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(&[0x89, b'P', b'N', b'G', 0, 1, 2, 3]);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn videos_create_takes_the_sdk_multipart_form() {
    let sb = fast().await;
    let url = format!("{}/openai/v1/videos", sb.base_url());
    let boundary = "5e6b3b1c0f0a4c0c9a1f3e9d0b7c2a11";
    let form = |file_type: &str| {
        reqwest::Client::new()
            .post(&url)
            .bearer_auth(DEMO_KEY)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(sdk_form(boundary, file_type))
    };
    let r = form("image/png").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let video: Value = r.json().await.unwrap();
    assert_eq!(
        (
            video["status"].as_str(),
            video["seconds"].as_str(),
            video["size"].as_str()
        ),
        (Some("queued"), Some("8"), Some("720x1280")),
        "{video}"
    );
    assert_eq!(sb.creates()["openai-video"], 1);
    let r = form("text/plain").send().await.unwrap();
    assert_eq!(
        r.status().as_u16(),
        400,
        "a reference must be an image or video"
    );
    // A form elsewhere is still not JSON (upstream takes forms only where it documents them).
    let r = reqwest::Client::new()
        .post(format!("{}/openai/v1/chat/completions", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(sdk_form(boundary, "image/png"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}
