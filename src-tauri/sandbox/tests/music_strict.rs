//! `/suno/*` is no more lenient than upstream (issue 9): `callBackUrl` on every task route,
//! `audioId` wherever a song is named, the route's own required fields, model checks, the
//! per-model length limits, and tasks that end in `CREATE_TASK_FAILED`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod media_common;

use anyint_sandbox::{Sandbox, FAULT_HEADER};
use common::{collect, receiver};
use media_common::*;
use serde_json::{json, Value};

/// A valid body for every task route, acting on the song `(task, audio)` where it needs one.
fn task_bodies(task: &str, audio: &str) -> Vec<(&'static str, Value)> {
    let up = "https://example.com/source.mp3";
    vec![
        ("generate", generate_body()),
        (
            "extend",
            json!({"defaultParamFlag": false, "audioId": audio, "model": "V5", "callBackUrl": NOWHERE}),
        ),
        (
            "upload-cover",
            json!({"uploadUrl": up, "customMode": false, "instrumental": true, "model": "V4_5", "prompt": "jazz", "callBackUrl": NOWHERE}),
        ),
        (
            "upload-extend",
            json!({"uploadUrl": up, "defaultParamFlag": false, "model": "V4_5", "prompt": "more", "callBackUrl": NOWHERE}),
        ),
        (
            "add-instrumental",
            json!({"uploadUrl": up, "title": "T", "tags": "piano", "negativeTags": "metal", "callBackUrl": NOWHERE}),
        ),
        (
            "add-vocals",
            json!({"uploadUrl": up, "prompt": "la la", "title": "T", "style": "pop", "negativeTags": "metal", "callBackUrl": NOWHERE}),
        ),
        (
            "generate-lyrics",
            json!({"prompt": "rain", "callBackUrl": NOWHERE}),
        ),
        (
            "generate-cover",
            json!({"taskId": task, "callBackUrl": NOWHERE}),
        ),
        (
            "wav-generate",
            json!({"taskId": task, "audioId": audio, "callBackUrl": NOWHERE}),
        ),
        (
            "vocal-removal",
            json!({"taskId": task, "audioId": audio, "callBackUrl": NOWHERE}),
        ),
        (
            "split-stem",
            json!({"taskId": task, "audioId": audio, "callBackUrl": NOWHERE}),
        ),
        (
            "mp4-generate",
            json!({"taskId": task, "audioId": audio, "callBackUrl": NOWHERE}),
        ),
        (
            "replace-section",
            json!({"taskId": task, "audioId": audio, "prompt": "new words", "tags": "pop",
            "title": "T", "infillStartS": 10.0, "infillEndS": 20.0, "callBackUrl": NOWHERE}),
        ),
    ]
}

fn without(body: &Value, field: &str) -> Value {
    let mut b = body.clone();
    b.as_object_mut().unwrap().remove(field);
    b
}

async fn suno(sb: &Sandbox, route: &str, body: &Value) -> (u16, Value) {
    let (s, _, b) = post(&format!("{}/suno/{route}", sb.base_url()), body).await;
    (s, b)
}

#[tokio::test]
async fn every_task_route_requires_a_callback_url() {
    let sb = fast().await;
    let (task, audio) = song(&sb).await;
    for (route, body) in task_bodies(&task, &audio) {
        let (s, b) = suno(&sb, route, &without(&body, "callBackUrl")).await;
        assert_eq!((s, b["code"].as_i64()), (400, Some(400)), "{route}: {b}");
        assert!(
            b["msg"].as_str().unwrap().contains("callBackUrl"),
            "{route}: {b}"
        );
        let (s, b) = suno(&sb, route, &body).await;
        assert_eq!(s, 200, "{route} with callBackUrl: {b}");
    }
    assert_eq!(
        sb.creates_total(),
        1 + 13,
        "refused creates are not counted"
    );
}

#[tokio::test]
async fn routes_that_name_a_song_require_its_audio_id() {
    let sb = fast().await;
    let (task, audio) = song(&sb).await;
    let (other_task, other_audio) = song(&sb).await;
    let mut bodies: Vec<(&str, Value)> = task_bodies(&task, &audio)
        .into_iter()
        .filter(|(_, b)| b.get("audioId").is_some())
        .collect();
    bodies.push((
        "timestamped-lyrics",
        json!({"taskId": task, "audioId": audio}),
    ));
    bodies.push((
        "generate-persona",
        json!({"taskId": task, "audioId": audio, "name": "Nova", "description": "airy alto"}),
    ));
    assert_eq!(bodies.len(), 8);
    for (route, body) in bodies {
        let (s, b) = suno(&sb, route, &without(&body, "audioId")).await;
        assert_eq!(s, 400, "{route} without audioId: {b}");
        assert!(
            b["msg"].as_str().unwrap().contains("audioId"),
            "{route}: {b}"
        );
        let mut wrong = body.clone();
        wrong["audioId"] = json!("no-such-audio-0");
        assert_eq!(
            suno(&sb, route, &wrong).await.0,
            400,
            "{route}: unknown audioId"
        );
        if body.get("taskId").is_some() {
            // A song of another task is not a song of this one.
            let mut mixed = body.clone();
            mixed["audioId"] = json!(other_audio);
            assert_eq!(
                suno(&sb, route, &mixed).await.0,
                400,
                "{route}: audioId of {other_task}"
            );
        }
        let (s, b) = suno(&sb, route, &body).await;
        assert_eq!(s, 200, "{route}: {b}");
    }
}

#[tokio::test]
async fn each_route_requires_its_upstream_fields() {
    let sb = fast().await;
    let (task, audio) = song(&sb).await;
    let bodies: std::collections::HashMap<&str, Value> =
        task_bodies(&task, &audio).into_iter().collect();
    for (route, field) in [
        ("generate", "model"),
        ("generate", "customMode"),
        ("extend", "defaultParamFlag"),
        ("extend", "model"),
        ("upload-cover", "instrumental"),
        ("upload-extend", "defaultParamFlag"),
        ("add-instrumental", "tags"),
        ("add-instrumental", "negativeTags"),
        ("add-vocals", "style"),
        ("add-vocals", "prompt"),
        ("replace-section", "infillEndS"),
        ("replace-section", "tags"),
    ] {
        let (s, b) = suno(&sb, route, &without(&bodies[route], field)).await;
        assert_eq!(s, 400, "{route} without {field}: {b}");
        assert!(
            b["msg"].as_str().unwrap().contains(field),
            "{route}/{field}: {b}"
        );
    }
    // Custom mode with vocals needs lyrics in `prompt`; an instrumental does not.
    let custom = json!({"customMode": true, "instrumental": false, "model": "V5", "style": "pop",
        "title": "T", "callBackUrl": NOWHERE});
    assert_eq!(suno(&sb, "generate", &custom).await.0, 400);
    let mut instrumental = custom.clone();
    instrumental["instrumental"] = json!(true);
    assert_eq!(suno(&sb, "generate", &instrumental).await.0, 200);
    // One cover per song task: a repeat names the existing cover task.
    let (s, first) = suno(&sb, "generate-cover", &bodies["generate-cover"]).await;
    assert_eq!(s, 200);
    let (s, again) = suno(&sb, "generate-cover", &bodies["generate-cover"]).await;
    assert_eq!((s, again["code"].as_i64()), (400, Some(400)), "{again}");
    assert_eq!(again["data"]["taskId"], first["data"]["taskId"]);
    // The replaced window is 6-60 s.
    let mut short = bodies["replace-section"].clone();
    short["infillEndS"] = json!(12.0);
    assert_eq!(suno(&sb, "replace-section", &short).await.0, 400);
}

#[tokio::test]
async fn models_and_lengths_are_checked_per_version() {
    let sb = fast().await;
    let mut body = generate_body();
    body["model"] = json!("V9");
    let (s, b) = suno(&sb, "generate", &body).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (400, Some(400)),
        "unknown model: {b}"
    );
    let custom = |model: &str, style_len: usize| {
        json!({"customMode": true, "instrumental": true, "model": model, "style": "s".repeat(style_len),
            "title": "T", "callBackUrl": NOWHERE})
    };
    let (s, b) = suno(&sb, "generate", &custom("V4", 201)).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (400, Some(413)),
        "V4 style over 200: {b}"
    );
    assert_eq!(suno(&sb, "generate", &custom("V5", 201)).await.0, 200);
    assert_eq!(
        suno(&sb, "generate", &custom("V5", 1001)).await.1["code"],
        413
    );
    let mut title = custom("V5", 10);
    title["title"] = json!("t".repeat(81));
    assert_eq!(suno(&sb, "generate", &title).await.1["code"], 413);
    // Extend must use the source song's model (the song was made with V5).
    let (_, audio) = song(&sb).await;
    let extend =
        json!({"defaultParamFlag": false, "audioId": audio, "model": "V4", "callBackUrl": NOWHERE});
    let (s, b) = suno(&sb, "extend", &extend).await;
    assert_eq!(s, 400, "{b}");
    assert!(b["msg"].as_str().unwrap().contains("model"), "{b}");
}

#[tokio::test]
async fn create_fail_ends_in_create_task_failed_with_an_error_callback() {
    let sb = fast().await;
    let (hook, mut rx) = receiver().await;
    let mut body = generate_body();
    body["callBackUrl"] = json!(hook);
    let (s, _, c) = send(
        &format!("{}/suno/generate", sb.base_url()),
        anyint_sandbox::DEMO_KEY,
        &[(FAULT_HEADER, "create-fail")],
        Some(&body),
    )
    .await;
    assert_eq!(s, 200, "the create itself is accepted: {c}");
    let id = c["data"]["taskId"].as_str().unwrap();
    let (_, _, q) = get(&format!("{}/suno/query/task?taskId={id}", sb.base_url())).await;
    assert_eq!(q["data"]["status"], "CREATE_TASK_FAILED", "at once: {q}");
    assert!(q["data"]["errorMessage"].is_string());
    let calls = collect(&mut rx, 1).await;
    assert_eq!(calls[0]["callbackType"], "error");
    // The other families fail at once too.
    let (_, _, v) = send(
        &format!("{}/openai/v1/videos", sb.base_url()),
        anyint_sandbox::DEMO_KEY,
        &[(FAULT_HEADER, "create-fail")],
        Some(&json!({"model": "kling-3.0", "prompt": "x"})),
    )
    .await;
    assert_eq!(v["status"], "failed", "{v}");
}
