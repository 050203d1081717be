//! AI Music (`/suno/*`) over loopback: envelopes, the query progression, artifacts, sync helpers
//! and callbacks arriving at a local receiver in order (bare, wrapped, duplicated, failed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use anyint_sandbox::{CallbackEnvelope, SandboxConfig, DEMO_KEY, FAULT_HEADER, PLAN_KEY};
use common::*;
use serde_json::{json, Value};

async fn fast(envelope: CallbackEnvelope, duplicates: bool) -> anyint_sandbox::Sandbox {
    sandbox_with(SandboxConfig {
        task_duration: Duration::from_millis(400),
        callback_envelope: envelope,
        callback_duplicates: duplicates,
        ..Default::default()
    })
    .await
}

/// A loopback callback URL nobody listens on: the sandbox's delivery fails quietly.
const NOWHERE: &str = "http://127.0.0.1:9/callback";

fn generate_body(callback: &str) -> Value {
    json!({"customMode": false, "instrumental": false, "model": "V5", "prompt": "A bright summer pop song", "callBackUrl": callback})
}

#[tokio::test]
async fn generate_polls_through_every_state_and_serves_audio() {
    let sb = fast(CallbackEnvelope::Bare, false).await;
    let (url, mut rx) = receiver().await;
    let (s, _, created) = post_bearer(
        &format!("{}/suno/generate", sb.base_url()),
        DEMO_KEY,
        &generate_body(&url),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        (created["code"].as_i64(), created["msg"].as_str()),
        (Some(200), Some("success"))
    );
    let id = created["data"]["taskId"].as_str().unwrap().to_owned();
    let mut seen: Vec<String> = Vec::new();
    let mut last = Value::Null;
    for _ in 0..100 {
        let (_, _, body) = get_bearer(
            &format!("{}/suno/query/task?taskId={id}", sb.base_url()),
            DEMO_KEY,
        )
        .await;
        let status = body["data"]["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        last = body;
        if status == "SUCCESS" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        seen,
        ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    );
    let song = &last["data"]["response"]["sunoData"][0];
    assert_eq!(last["data"]["type"], "GENERATE");
    let r = client()
        .get(song["audioUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "audio/wav");
    assert_eq!(&r.bytes().await.unwrap()[..4], b"RIFF");
    let r = client()
        .get(song["imageUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    let calls = collect(&mut rx, 3).await;
    let kinds: Vec<&str> = calls
        .iter()
        .map(|c| c["callbackType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "first", "complete"]);
    assert_eq!(calls[2]["task_id"], json!(id));
    assert!(
        calls[2]["data"][0]["audio_url"]
            .as_str()
            .unwrap()
            .starts_with("http"),
        "snake_case in callbacks"
    );
    // Follow-ups on the completed song: WAV export, cover art, stems.
    for (route, query, key) in [
        ("wav-generate", "wav", "audio_wav_url"),
        ("mp4-generate", "mp4", "videoUrl"),
        ("split-stem", "vocal-removal", "drumsUrl"),
    ] {
        let (_, _, c) = post_bearer(
            &format!("{}/suno/{route}", sb.base_url()),
            DEMO_KEY,
            &json!({"taskId": id, "audioId": song["id"], "callBackUrl": NOWHERE}),
        )
        .await;
        let tid = c["data"]["taskId"].as_str().unwrap().to_owned();
        tokio::time::sleep(Duration::from_millis(450)).await;
        let (_, _, q) = get_bearer(
            &format!("{}/suno/query/{query}?taskId={tid}", sb.base_url()),
            DEMO_KEY,
        )
        .await;
        assert_eq!(q["data"]["status"], "SUCCESS", "{route}");
        assert!(q["data"]["response"][key].is_string(), "{route}: {q}");
    }
    let (_, _, c) = post_bearer(
        &format!("{}/suno/generate-cover", sb.base_url()),
        DEMO_KEY,
        &json!({"taskId": id, "callBackUrl": NOWHERE}),
    )
    .await;
    let tid = c["data"]["taskId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, _, q) = get_bearer(
        &format!("{}/suno/query/cover?taskId={tid}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(q["data"]["response"]["images"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn wrapped_and_duplicated_callbacks() {
    let sb = fast(CallbackEnvelope::Wrapped, true).await;
    let (url, mut rx) = receiver().await;
    post_bearer(
        &format!("{}/suno/generate", sb.base_url()),
        DEMO_KEY,
        &generate_body(&url),
    )
    .await;
    let calls = collect(&mut rx, 6).await;
    let kinds: Vec<&str> = calls
        .iter()
        .map(|c| c["data"]["callbackType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["text", "text", "first", "first", "complete", "complete"]
    );
    assert!(calls
        .iter()
        .all(|c| c["code"] == 200 && c["msg"].is_string()));
    assert_eq!(calls[4], calls[5], "duplicates are identical");
}

#[tokio::test]
async fn failed_music_task_polls_failure_and_sends_error_callback() {
    let sb = fast(CallbackEnvelope::Bare, false).await;
    let (url, mut rx) = receiver().await;
    let r = client()
        .post(format!("{}/suno/generate", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "task-fail")
        .json(&generate_body(&url))
        .send()
        .await
        .unwrap();
    let id = r.json::<Value>().await.unwrap()["data"]["taskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let calls = collect(&mut rx, 3).await;
    let kinds: Vec<&str> = calls
        .iter()
        .map(|c| c["callbackType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "first", "error"]);
    let (_, _, q) = get_bearer(
        &format!("{}/suno/query/task?taskId={id}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(q["data"]["status"], "GENERATE_AUDIO_FAILED");
    assert!(q["data"]["errorMessage"].is_string());
}

#[tokio::test]
async fn lyrics_task_and_sync_helpers() {
    let sb = fast(CallbackEnvelope::Bare, false).await;
    let (_, _, c) = post_bearer(
        &format!("{}/suno/generate-lyrics", sb.base_url()),
        DEMO_KEY,
        &json!({"prompt": "rain", "callBackUrl": NOWHERE}),
    )
    .await;
    let tid = c["data"]["taskId"].as_str().unwrap().to_owned();
    let (_, _, q) = get_bearer(
        &format!("{}/suno/query/lyrics?taskId={tid}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(q["data"]["status"], "PENDING");
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, _, q) = get_bearer(
        &format!("{}/suno/query/lyrics?taskId={tid}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert!(q["data"]["response"]["lyricsData"][0]["text"]
        .as_str()
        .unwrap()
        .contains("[Chorus]"));
    // Polled through the wrong query route, the task is not found.
    let (s, _, _) = get_bearer(
        &format!("{}/suno/query/task?taskId={tid}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _, body) = post_bearer(
        &format!("{}/suno/style-generate", sb.base_url()),
        DEMO_KEY,
        &json!({"content": "Pop, Mysterious"}),
    )
    .await;
    assert_eq!(s, 200);
    assert!(body["data"]["result"]
        .as_str()
        .unwrap()
        .starts_with("Pop, Mysterious"));
    // Timestamped lyrics need a completed song and one of its audio IDs.
    let (_, _, song) = post_bearer(
        &format!("{}/suno/generate", sb.base_url()),
        DEMO_KEY,
        &generate_body(NOWHERE),
    )
    .await;
    let song = song["data"]["taskId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, _, body) = post_bearer(
        &format!("{}/suno/timestamped-lyrics", sb.base_url()),
        DEMO_KEY,
        &json!({"taskId": song, "audioId": format!("{song}-0")}),
    )
    .await;
    assert!(!body["data"]["alignedWords"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn music_errors_use_the_code_msg_data_envelope() {
    let sb = fast(CallbackEnvelope::Bare, false).await;
    let url = format!("{}/suno/generate", sb.base_url());
    let (s, _, body) = post_bearer(
        &url,
        DEMO_KEY,
        &json!({"customMode": false, "instrumental": false, "model": "V5", "prompt": "x"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_i64()),
        (400, Some(400)),
        "callBackUrl is required"
    );
    assert!(body["data"].is_null() && body["msg"].is_string());
    let (s, _, body) = post_bearer(&url, "sk-wrong", &generate_body("http://127.0.0.1:9/x")).await;
    assert_eq!((s, body["code"].as_i64()), (401, Some(401)));
    let (s, _, body) = post_bearer(&url, PLAN_KEY, &generate_body("http://127.0.0.1:9/x")).await;
    assert_eq!(
        (s, body["code"].as_i64()),
        (403, Some(403)),
        "plan key has no music models"
    );
    let long = "x".repeat(501);
    let (_, _, body) = post_bearer(&url, DEMO_KEY, &json!({"customMode": false, "instrumental": false, "model": "V5", "prompt": long, "callBackUrl": "http://127.0.0.1:9/x"})).await;
    assert_eq!(body["code"], 413);
    let (s, _, _) = post_bearer(
        &format!("{}/suno/wav-generate", sb.base_url()),
        DEMO_KEY,
        &json!({"taskId": "nope", "audioId": "a", "callBackUrl": NOWHERE}),
    )
    .await;
    assert_eq!(s, 400, "source task must exist and be complete");
}

#[tokio::test]
async fn upload_routes_need_an_upload_url_and_poll_through_query_task() {
    let sb = fast(CallbackEnvelope::Bare, false).await;
    let url = format!("{}/suno/upload-cover", sb.base_url());
    let (s, _, _) = post_bearer(
        &url,
        DEMO_KEY,
        &json!({"customMode": false, "instrumental": true, "model": "V4_5"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _, c) = post_bearer(&url, DEMO_KEY, &json!({"uploadUrl": "https://example.com/a.mp3", "customMode": false, "instrumental": true, "model": "V4_5", "prompt": "jazz", "callBackUrl": NOWHERE})).await;
    assert_eq!(s, 200);
    let tid = c["data"]["taskId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, _, q) = get_bearer(
        &format!("{}/suno/query/task?taskId={tid}", sb.base_url()),
        DEMO_KEY,
    )
    .await;
    assert_eq!(
        (q["data"]["status"].as_str(), q["data"]["type"].as_str()),
        (Some("SUCCESS"), Some("UPLOAD_COVER"))
    );
    let (s, _, _) = post_bearer(
        &format!("{}/suno/not-a-route", sb.base_url()),
        DEMO_KEY,
        &json!({}),
    )
    .await;
    assert_eq!(s, 404);
}
