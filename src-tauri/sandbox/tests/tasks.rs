//! Media task families over loopback: create, poll through the family's own route and status
//! vocabulary to success and to failure, and fetch the artifacts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use anyint_sandbox::{SandboxConfig, DEMO_KEY, FAULT_HEADER, TEAM_B_KEY};
use common::*;
use serde_json::{json, Value};

async fn fast() -> anyint_sandbox::Sandbox {
    sandbox_with(SandboxConfig {
        // Long enough that the first poll still sees the queued phase on a busy machine.
        task_duration: Duration::from_millis(1500),
        ..Default::default()
    })
    .await
}

async fn post_fault(url: &str, body: &Value, fault: Option<&str>) -> Value {
    let mut req = client().post(url).bearer_auth(DEMO_KEY).json(body);
    if url.contains("/video-synthesis") {
        // DashScope's video task needs the async header, as upstream.
        req = req.header("x-dashscope-async", "enable");
    }
    if let Some(f) = fault {
        req = req.header(FAULT_HEADER, f);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

/// Polls `url` until `status_of` is one of `terminal`; returns every status seen (deduplicated).
async fn poll(
    url: &str,
    status_of: impl Fn(&Value) -> String,
    terminal: &[&str],
) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..400 {
        let (s, _, body) = get_bearer(url, DEMO_KEY).await;
        assert_eq!(s, 200, "{body}");
        let status = status_of(&body);
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if terminal.contains(&status.as_str()) {
            return (seen, body);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("never terminal: {seen:?}");
}

async fn fetch(url: &str) -> (u16, String, Vec<u8>) {
    let r = client().get(url).send().await.unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), ct, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn openai_video_to_completed_and_content_is_mp4() {
    let sb = fast().await;
    let base = format!("{}/openai/v1/videos", sb.base_url());
    let created = post_fault(
        &base,
        &json!({"model": "kling-3.0", "prompt": "paper plane", "duration": 5}),
        None,
    )
    .await;
    assert_eq!(created["status"], "queued");
    let id = created["id"].as_str().unwrap();
    let early = client()
        .get(format!("{base}/{id}/content"))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        early.status().as_u16(),
        400,
        "content before completion is a 4xx"
    );
    let (seen, done) = poll(
        &format!("{base}/{id}"),
        |b| b["status"].as_str().unwrap().to_owned(),
        &["completed", "failed"],
    )
    .await;
    assert_eq!(seen.first().unwrap(), "queued");
    assert!(seen.contains(&"in_progress".to_owned()), "{seen:?}");
    assert_eq!(done["status"], "completed");
    assert_eq!(done["progress"], 100);
    let r = client()
        .get(format!("{base}/{id}/content"))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "video/mp4");
    assert_eq!(&r.bytes().await.unwrap()[4..8], b"ftyp");
    // Another key cannot see the task.
    let (s, _, _) = get_bearer(&format!("{base}/{id}"), TEAM_B_KEY).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn openai_video_fail_and_expired_faults() {
    let sb = fast().await;
    let base = format!("{}/openai/v1/videos", sb.base_url());
    let created = post_fault(
        &base,
        &json!({"model": "kling-3.0", "prompt": "x"}),
        Some("task-fail"),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    let (seen, done) = poll(
        &format!("{base}/{id}"),
        |b| b["status"].as_str().unwrap().to_owned(),
        &["completed", "failed"],
    )
    .await;
    assert!(
        seen.contains(&"in_progress".to_owned()),
        "progressed first: {seen:?}"
    );
    assert_eq!(done["status"], "failed");
    assert!(done["error"]["message"].is_string());
    let created = post_fault(
        &base,
        &json!({"model": "kling-3.0", "prompt": "x"}),
        Some("expired"),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    poll(
        &format!("{base}/{id}"),
        |b| b["status"].as_str().unwrap().to_owned(),
        &["completed"],
    )
    .await;
    let r = client()
        .get(format!("{base}/{id}/content"))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn stuck_task_never_finishes() {
    let sb = sandbox_with(SandboxConfig {
        task_duration: Duration::from_millis(50),
        ..Default::default()
    })
    .await;
    let base = format!("{}/openai/v1/videos", sb.base_url());
    let created = post_fault(
        &base,
        &json!({"model": "kling-3.0", "prompt": "x"}),
        Some("task-stuck"),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, _, body) = get_bearer(&format!("{base}/{id}"), DEMO_KEY).await;
    assert_eq!(body["status"], "in_progress");
    assert!(body["progress"].as_u64().unwrap() < 100);
}

#[tokio::test]
async fn dashscope_image_sync_and_video_task() {
    let sb = fast().await;
    let url = format!(
        "{}/dashscope/v1/services/aigc/multimodal-generation/generation",
        sb.base_url()
    );
    let body = post_fault(&url, &json!({"model": "qwen-image-plus", "input": {"messages": [{"role": "user", "content": [{"text": "a cat"}]}]}}), None).await;
    let image = body["output"]["choices"][0]["message"]["content"][0]["image"]
        .as_str()
        .unwrap();
    let (s, ct, bytes) = fetch(image).await;
    assert_eq!((s, ct.as_str()), (200, "image/png"));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(body["usage"]["image_count"], 1);
    let url = format!(
        "{}/dashscope/v1/services/aigc/video-generation/video-synthesis",
        sb.base_url()
    );
    let created = post_fault(
        &url,
        &json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "waves"}}),
        None,
    )
    .await;
    assert_eq!(created["output"]["task_status"], "PENDING");
    let id = created["output"]["task_id"].as_str().unwrap();
    let poll_url = format!("{}/dashscope/v1/tasks/{id}", sb.base_url());
    let (seen, done) = poll(
        &poll_url,
        |b| b["output"]["task_status"].as_str().unwrap().to_owned(),
        &["SUCCEEDED", "FAILED"],
    )
    .await;
    assert_eq!(seen, ["PENDING", "RUNNING", "SUCCEEDED"]);
    let (s, ct, _) = fetch(done["output"]["video_url"].as_str().unwrap()).await;
    assert_eq!((s, ct.as_str()), (200, "video/mp4"));
    let created = post_fault(
        &url,
        &json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "waves"}}),
        Some("task-fail"),
    )
    .await;
    let id = created["output"]["task_id"].as_str().unwrap();
    let (_, done) = poll(
        &format!("{}/dashscope/v1/tasks/{id}", sb.base_url()),
        |b| b["output"]["task_status"].as_str().unwrap().to_owned(),
        &["SUCCEEDED", "FAILED"],
    )
    .await;
    assert_eq!(done["output"]["task_status"], "FAILED");
    assert!(done["output"]["message"].is_string());
    let (_, _, unknown) = get_bearer(
        &format!("{}/dashscope/v1/tasks/nope", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(unknown["output"]["task_status"], "UNKNOWN");
}

#[tokio::test]
async fn kling_video_and_image_tasks_with_their_vocabulary() {
    let sb = fast().await;
    let base = format!("{}/transtreams/kling/v1", sb.base_url());
    let created = post_fault(&format!("{base}/videos/text2video"), &json!({"model_name": "kling-v3", "model": "kling-v3", "mode": "std", "prompt": "night street"}), None).await;
    assert_eq!(
        (created["code"].as_i64(), created["message"].as_str()),
        (Some(0), Some("SUCCEED"))
    );
    assert_eq!(created["data"]["task_status"], "submitted");
    let id = created["data"]["task_id"].as_str().unwrap();
    let (seen, done) = poll(
        &format!("{base}/videos/text2video/{id}"),
        |b| b["data"]["task_status"].as_str().unwrap().to_owned(),
        &["succeed", "failed"],
    )
    .await;
    assert_eq!(seen, ["submitted", "processing", "succeed"]);
    let (s, _, bytes) = fetch(
        done["data"]["task_result"]["videos"][0]["url"]
            .as_str()
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(&bytes[4..8], b"ftyp");
    // A task is only visible through its own kind's poll route.
    let (s, _, body) = get_bearer(&format!("{base}/videos/image2video/{id}"), DEMO_KEY).await;
    assert_eq!(s, 404);
    assert!(body["code"].as_i64().unwrap() != 0);
    let created = post_fault(
        &format!("{base}/images/generations"),
        &json!({"model_name": "kling-v2-1", "prompt": "cat", "n": 2}),
        Some("expired"),
    )
    .await;
    let id = created["data"]["task_id"].as_str().unwrap();
    let (_, done) = poll(
        &format!("{base}/images/generations/{id}"),
        |b| b["data"]["task_status"].as_str().unwrap().to_owned(),
        &["succeed", "failed"],
    )
    .await;
    let images = done["data"]["task_result"]["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        fetch(images[0]["url"].as_str().unwrap()).await.0,
        404,
        "expired artifact"
    );
    let created = post_fault(
        &format!("{base}/videos/omni-video"),
        &json!({"model_name": "kling-v3-omni", "prompt": "x"}),
        Some("task-fail"),
    )
    .await;
    let id = created["data"]["task_id"].as_str().unwrap();
    let (_, done) = poll(
        &format!("{base}/videos/omni-video/{id}"),
        |b| b["data"]["task_status"].as_str().unwrap().to_owned(),
        &["succeed", "failed"],
    )
    .await;
    assert_eq!(done["data"]["task_status"], "failed");
    let r = client()
        .post(format!("{base}/videos/text2video"))
        .bearer_auth(DEMO_KEY)
        .json(&json!({"model_name": "kling-v2-1", "prompt": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn openai_images_and_speech_are_real_files() {
    let sb = fast().await;
    let body = post_fault(
        &format!("{}/openai/v1/images/generations", sb.base_url()),
        &json!({"model": "nano-banana-2", "prompt": "cat", "n": 2}),
        None,
    )
    .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    let (s, ct, bytes) = fetch(body["data"][0]["url"].as_str().unwrap()).await;
    assert_eq!(
        (s, ct.as_str(), &bytes[1..4]),
        (200, "image/png", &b"PNG"[..])
    );
    let r = client()
        .post(format!("{}/openai/v1/audio/speech", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .json(&json!({"model": "tts-1", "input": "hello", "voice": "alloy"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "audio/wav");
    let bytes = r.bytes().await.unwrap();
    assert_eq!((&bytes[..4], &bytes[8..12]), (&b"RIFF"[..], &b"WAVE"[..]));
}

#[tokio::test]
async fn kling_callback_url_receives_the_final_task_object() {
    let sb = fast().await;
    let (hook, mut rx) = receiver().await;
    let created = post_fault(&format!("{}/transtreams/kling/v1/videos/text2video", sb.base_url()),
        &json!({"model_name": "kling-v3", "prompt": "x", "callback_url": hook, "external_task_id": "mine-1"}), None).await;
    let got = collect(&mut rx, 1).await;
    assert_eq!(got[0]["task_id"], created["data"]["task_id"]);
    assert_eq!(got[0]["task_status"], "succeed");
    assert_eq!(got[0]["task_info"]["external_task_id"], "mine-1");
    assert!(got[0]["task_result"]["videos"][0]["url"].is_string());
}
