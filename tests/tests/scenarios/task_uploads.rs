//! Local files as task inputs against the sandbox (issue 9 part 5): a WAV on disk becomes an
//! upload-cover song (hosted through the gateway's file route first, the row recording the
//! file's name, size and sha256, never its bytes), re-run uploads it again; a gateway without
//! the file route refuses with a message and leaves no task; an image goes to OpenAI
//! `videos.create` as a multipart part and to Kling image2video as base64.

use anyint_core::tasks::inputs::{TaskFileRef, FILE_KEY, HOSTED_KEY};
use anyint_core::tasks::view::{TaskFilter, TaskSubmit};
use anyint_core::tasks::TaskState;
use anyint_core::{Desk, ErrorCode};
use anyint_sandbox::SandboxConfig;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

use crate::task_rig::{self, Rig};

async fn rig(config: SandboxConfig) -> Rig {
    task_rig::start(
        config,
        Duration::from_millis(100),
        Duration::from_millis(300),
        false,
    )
    .await
}

fn fast() -> SandboxConfig {
    SandboxConfig {
        task_duration: Duration::from_millis(500),
        ..SandboxConfig::default()
    }
}

/// A mono 8-bit WAV of `seconds` of silence at 2 kHz, as a file a user would pick.
fn wav(seconds: u32) -> Vec<u8> {
    let (rate, data) = (2000u32, 2000u32 * seconds);
    let mut b = b"RIFF".to_vec();
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt \x10\0\0\0\x01\0\x01\0");
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(b"\x01\0\x08\0data");
    b.extend_from_slice(&data.to_le_bytes());
    b.resize(44 + data as usize, 128);
    b
}

fn submit(route: &str, body: Value, submission: &str) -> TaskSubmit {
    TaskSubmit {
        connection_id: None,
        route: route.into(),
        body,
        label: Some("Local file".into()),
        submission_id: submission.into(),
        parent_task_id: None,
    }
}

async fn finished(desk: &Desk, id: &str) -> TaskState {
    for _ in 0..400 {
        let task = desk.task_detail(id).unwrap().task;
        if task.state.is_terminal() {
            return task.state;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {id} did not finish");
}

fn cover_body(file: &TaskFileRef) -> Value {
    json!({"uploadUrl": file.marker(), "customMode": false, "instrumental": true,
        "model": "V4_5", "prompt": "a slow piano cover", "callBackUrl": "https://example.com/cb"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_wav_becomes_an_upload_cover_song_and_a_rerun_uploads_it_again() {
    let rig = rig(fast()).await;
    let bytes = wav(20);
    let file = rig
        .desk
        .task_input_bytes("My demo.wav", "audio/wav", &bytes)
        .unwrap();
    assert!((file.seconds.unwrap() - 20.0).abs() < 0.01);
    let row = rig
        .desk
        .tasks_submit(submit("suno.upload_cover", cover_body(&file), "c1"))
        .await
        .unwrap();
    assert_eq!(finished(&rig.desk, &row.id).await, TaskState::Succeeded);
    let detail = rig.desk.task_detail(&row.id).unwrap();
    assert!(!detail.artifacts.is_empty());

    // The row names the file and where it was hosted; its bytes are not in the database.
    let request = rig.desk.store().task_request(&row.id).unwrap().unwrap();
    let kept = &request["uploadUrl"];
    assert_eq!(kept[FILE_KEY]["name"], "My demo.wav");
    assert_eq!(kept[FILE_KEY]["size"], bytes.len());
    assert_eq!(
        kept[FILE_KEY]["sha256"],
        hex::encode(Sha256::digest(&bytes))
    );
    let hosted = kept[HOSTED_KEY].as_str().unwrap().to_owned();
    assert_eq!(
        rig.sandbox.uploaded(&hosted).as_deref(),
        Some(bytes.as_slice())
    );
    assert!(
        !request.to_string().contains("UklGR"),
        "the WAV's base64 is in the row"
    );

    let again = rig.desk.task_rerun(&row.id, "c2").await.unwrap();
    assert_ne!(again.id, row.id);
    assert_eq!(finished(&rig.desk, &again.id).await, TaskState::Succeeded);
    let rerun = rig.desk.store().task_request(&again.id).unwrap().unwrap();
    assert_eq!(
        rerun["uploadUrl"][FILE_KEY]["sha256"],
        kept[FILE_KEY]["sha256"]
    );
    assert!(rerun["uploadUrl"][HOSTED_KEY].is_string());
    rig.work.stop().await;
}

#[tokio::test]
async fn a_gateway_without_the_file_route_says_so_and_no_task_is_written() {
    let rig = rig(SandboxConfig {
        file_uploads: false,
        ..fast()
    })
    .await;
    let file = rig.desk.task_input_bytes("demo.wav", "", &wav(5)).unwrap();
    let err = rig
        .desk
        .tasks_submit(submit("suno.upload_cover", cover_body(&file), "c1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let text = err.to_string();
    assert!(
        text.contains(
            "/uploadUrl: this gateway has no upload route; host the file and paste its URL"
        ),
        "{text}"
    );
    assert_eq!(
        rig.desk.tasks_list(&TaskFilter::default()).unwrap().total,
        0
    );
    // Too long for V4_5ALL: refused before any upload.
    let long = rig.desk.task_input_bytes("long.wav", "", &wav(61)).unwrap();
    let mut body = cover_body(&long);
    body["model"] = json!("V4_5ALL");
    let err = rig
        .desk
        .tasks_submit(submit("suno.upload_cover", body, "c2"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at most 1:00"), "{err}");
    rig.work.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_image_reaches_openai_videos_as_a_part_and_kling_as_base64() {
    let rig = rig(fast()).await;
    let png = b"\x89PNG\r\n\x1a\n-a-frame-".to_vec();
    let file = rig
        .desk
        .task_input_bytes("frame.png", "image/png", &png)
        .unwrap();
    let video = json!({"model": "kling-3.0", "prompt": "the frame comes alive", "duration": 5,
        "input_reference": file.marker()});
    let row = rig
        .desk
        .tasks_submit(submit("openai.videos", video, "v1"))
        .await
        .unwrap();
    assert_eq!(row.state, TaskState::Queued, "{:?}", row.error);
    assert_eq!(finished(&rig.desk, &row.id).await, TaskState::Succeeded);

    let kling = json!({"model_name": "kling-v3", "prompt": "slow zoom", "image": file.marker()});
    let row = rig
        .desk
        .tasks_submit(submit("kling.image2video", kling, "k1"))
        .await
        .unwrap();
    assert_eq!(row.state, TaskState::Queued, "{:?}", row.error);
    assert_eq!(finished(&rig.desk, &row.id).await, TaskState::Succeeded);
    rig.work.stop().await;
}
