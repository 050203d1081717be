//! What the task center's acceptance tests need from the sandbox (issue 9): a create counter
//! that shows duplicates, polls that answer 5xx N times then succeed, artifacts of a chosen size
//! with a known sha256, URLs that expire, per-task durations, and Retry-After on 429.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod media_common;

use std::time::Duration;

use anyint_sandbox::{SandboxConfig, DEMO_KEY, FAULT_HEADER, TASK_MS_HEADER};
use media_common::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn creates_are_counted_per_kind_and_repeats_show_as_duplicates() {
    let sb = fast().await;
    let base = sb.base_url();
    let video = format!("{base}/openai/v1/videos");
    let a = post(&video, &json!({"model": "kling-3.0", "prompt": "one"}))
        .await
        .2;
    let b = post(&video, &json!({"model": "kling-3.0", "prompt": "two"}))
        .await
        .2;
    post(&format!("{base}/suno/generate"), &generate_body()).await;
    post(
        &format!("{base}/transtreams/kling/v1/videos/text2video"),
        &json!({"model_name": "kling-v3", "prompt": "x"}),
    )
    .await;
    assert_eq!(
        post(&video, &json!({"model": "kling-3.0"})).await.0,
        400,
        "refused: not counted"
    );
    let creates = sb.creates();
    assert_eq!(creates["openai-video"], 2);
    assert_eq!(creates["suno:generate"], 1);
    assert_eq!(creates["kling:videos/text2video"], 1);
    assert_eq!((sb.creates_total(), sb.duplicate_creates()), (4, 0));
    assert_ne!(a["id"], b["id"]);
    // The same body again is a second paid task (a new ID), and the sandbox says it repeated.
    let again = post(&video, &json!({"model": "kling-3.0", "prompt": "one"}))
        .await
        .2;
    assert_ne!(again["id"], a["id"], "a re-run is a new task");
    assert_eq!((sb.creates_total(), sb.duplicate_creates()), (5, 1));
}

/// Creates a task with `fault` and returns its poll URL.
async fn create(base: &str, family: &str, fault: &str) -> String {
    let headers = [(FAULT_HEADER, fault), ("X-DashScope-Async", "enable")];
    let send_create = |url: String, body: Value| async move {
        let (s, _, b) = send(&url, DEMO_KEY, &headers, Some(&body)).await;
        assert_eq!(s, 200, "{b}");
        b
    };
    match family {
        "openai" => {
            let b = send_create(
                format!("{base}/openai/v1/videos"),
                json!({"model": "kling-3.0", "prompt": "x"}),
            )
            .await;
            format!("{base}/openai/v1/videos/{}", b["id"].as_str().unwrap())
        }
        "dashscope" => {
            let b = send_create(
                format!("{base}/dashscope/v1/services/aigc/video-generation/video-synthesis"),
                json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "x"}}),
            )
            .await;
            format!(
                "{base}/dashscope/v1/tasks/{}",
                b["output"]["task_id"].as_str().unwrap()
            )
        }
        "kling" => {
            let b = send_create(
                format!("{base}/transtreams/kling/v1/videos/text2video"),
                json!({"model_name": "kling-v3", "prompt": "x"}),
            )
            .await;
            format!(
                "{base}/transtreams/kling/v1/videos/text2video/{}",
                b["data"]["task_id"].as_str().unwrap()
            )
        }
        _ => {
            let b = send_create(format!("{base}/suno/generate"), generate_body()).await;
            format!(
                "{base}/suno/query/task?taskId={}",
                b["data"]["taskId"].as_str().unwrap()
            )
        }
    }
}

#[tokio::test]
async fn poll_5xx_fails_the_first_polls_then_answers() {
    let sb = fast_with(SandboxConfig {
        poll_failures: 3,
        ..Default::default()
    })
    .await;
    for family in ["openai", "dashscope", "kling", "suno"] {
        let poll = create(&sb.base_url(), family, "poll-5xx").await;
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(get(&poll).await.0);
        }
        assert_eq!(statuses, [503, 503, 503, 200, 200], "{family}");
        // A task created without the fault polls normally.
        let plain = create(&sb.base_url(), family, "task-stuck").await;
        assert_eq!(get(&plain).await.0, 200, "{family}");
    }
}

async fn download(url: &str) -> (u16, Option<String>, Vec<u8>) {
    let r = reqwest::Client::new()
        .get(url)
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    let len = r
        .headers()
        .get("content-length")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), len, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn artifacts_of_a_chosen_size_have_the_sha256_the_sandbox_reports() {
    const SIZE: u64 = 5 * 1024 * 1024 + 3;
    let sb = fast_with(SandboxConfig {
        artifact_size: Some(SIZE),
        ..Default::default()
    })
    .await;
    let (task, _) = song(&sb).await;
    let (_, _, q) = get(&format!("{}/suno/query/task?taskId={task}", sb.base_url())).await;
    let url = q["data"]["response"]["sunoData"][0]["audioUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, len, bytes) = download(&url).await;
    assert_eq!((s, len.as_deref()), (200, Some(SIZE.to_string().as_str())));
    assert_eq!(bytes.len() as u64, SIZE);
    assert_eq!(&bytes[..4], b"RIFF");
    let sha = hex::encode(Sha256::digest(&bytes));
    assert_eq!(sb.artifact_sha256(&url).as_deref(), Some(sha.as_str()));
    let other = q["data"]["response"]["sunoData"][1]["audioUrl"]
        .as_str()
        .unwrap();
    assert_ne!(
        sb.artifact_sha256(other),
        Some(sha),
        "each artifact has its own bytes"
    );
    assert_eq!(
        sb.artifact_sha256(&format!("{}/sandbox/artifacts/nope.wav", sb.base_url())),
        None
    );
    // The video content route streams the same way.
    let v = post(
        &format!("{}/openai/v1/videos", sb.base_url()),
        &json!({"model": "kling-3.0", "prompt": "x"}),
    )
    .await
    .2;
    tokio::time::sleep(TASK * 2).await;
    let content = format!(
        "{}/openai/v1/videos/{}/content",
        sb.base_url(),
        v["id"].as_str().unwrap()
    );
    let (s, _, bytes) = download(&content).await;
    assert_eq!(
        (s, bytes.len() as u64, &bytes[4..8]),
        (200, SIZE, &b"ftyp"[..])
    );
    assert_eq!(
        sb.artifact_sha256(&content),
        Some(hex::encode(Sha256::digest(&bytes)))
    );
}

#[tokio::test]
async fn artifact_urls_expire_after_their_ttl() {
    let sb = fast_with(SandboxConfig {
        artifact_ttl: Some(Duration::from_millis(300)),
        ..Default::default()
    })
    .await;
    let (task, _) = song(&sb).await;
    let (_, _, q) = get(&format!("{}/suno/query/task?taskId={task}", sb.base_url())).await;
    let url = q["data"]["response"]["sunoData"][0]["audioUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(download(&url).await.0, 200, "fresh");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(download(&url).await.0, 404, "expired");
}

#[tokio::test]
async fn a_create_can_set_its_own_duration_in_milliseconds() {
    let sb = anyint_sandbox::start(SandboxConfig {
        task_duration: Duration::from_secs(600),
        ..Default::default()
    })
    .await
    .unwrap();
    let url = format!("{}/openai/v1/videos", sb.base_url());
    let body = json!({"model": "kling-3.0", "prompt": "x"});
    let (_, _, quick) = send(&url, DEMO_KEY, &[(TASK_MS_HEADER, "50")], Some(&body)).await;
    let (_, _, slow) = post(&url, &body).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let status_of = |v: &Value| format!("{url}/{}", v["id"].as_str().unwrap());
    assert_eq!(get(&status_of(&quick)).await.2["status"], "completed");
    assert_eq!(get(&status_of(&slow)).await.2["status"], "queued");
    let (s, _, _) = send(
        &format!("{}/openai/v1/videos", sb.base_url()),
        DEMO_KEY,
        &[(TASK_MS_HEADER, "soon")],
        Some(&body),
    )
    .await;
    assert_eq!(s, 400, "a bad duration is an error, not the default");
}

#[tokio::test]
async fn a_rate_limited_poll_says_when_to_retry() {
    let sb = fast().await;
    let poll = create(&sb.base_url(), "kling", "task-stuck").await;
    let (s, h, b) = send(&poll, DEMO_KEY, &[(FAULT_HEADER, "rate-limit")], None).await;
    assert_eq!((s, h["retry-after"].to_str().unwrap()), (429, "2"), "{b}");
    assert_eq!(b["code"], 1302);
}

#[tokio::test]
async fn an_interrupted_download_resumes_with_a_range_request() {
    const SIZE: u64 = 1024 * 1024 + 11;
    let sb = fast_with(SandboxConfig {
        artifact_size: Some(SIZE),
        ..Default::default()
    })
    .await;
    let (task, _) = song(&sb).await;
    let (_, _, q) = get(&format!("{}/suno/query/task?taskId={task}", sb.base_url())).await;
    let url = q["data"]["response"]["sunoData"][0]["audioUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let whole = download(&url).await.2;
    let client = reqwest::Client::new();
    let r = client
        .get(&url)
        .header("range", "bytes=700000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 206);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 700000-{}/{SIZE}", SIZE - 1).as_str()
    );
    let tail = r.bytes().await.unwrap();
    assert_eq!(tail[..], whole[700_000..], "the rest, byte for byte");
    let r = client
        .get(&url)
        .header("range", format!("bytes={SIZE}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 416);
}
