//! The local callback inbox against the sandbox: the sandbox delivers a Suno task's callbacks
//! (bare and wrapped, each twice) to the inbox on loopback; every payload is recorded, the
//! second copy of each stage as a duplicate, and the task's state still comes from its polls:
//! a forged "complete" for a task the gateway says is running does not finish it. A Kling task's
//! `callback_url` gets the task object, recorded as Kling's envelope.

use anyint_core::tasks::inbox::CallbackEnvelope as Recorded;
use anyint_core::tasks::view::TaskSubmit;
use anyint_core::tasks::TaskState;
use anyint_core::Desk;
use anyint_sandbox::{CallbackEnvelope, SandboxConfig};
use serde_json::json;
use std::time::Duration;

use crate::task_rig::{self, Rig};

async fn rig(config: SandboxConfig) -> Rig {
    task_rig::start(
        config,
        Duration::from_millis(150),
        Duration::from_millis(400),
        true,
    )
    .await
}

async fn submit_song(desk: &Desk, callback_url: &str, submission: &str) -> String {
    let body = json!({"customMode": false, "instrumental": false, "model": "V4_5",
        "prompt": "A night drive through neon rain", "callBackUrl": callback_url});
    let task = desk
        .tasks_submit(TaskSubmit {
            connection_id: None,
            route: "suno.generate".into(),
            body,
            label: Some("Night drive".into()),
            submission_id: submission.into(),
            parent_task_id: None,
        })
        .await
        .unwrap();
    task.id
}

/// Waits (bounded) until `done` holds; the bound only stops a broken run from hanging.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn delivered_twice_each_stage_once(envelope: CallbackEnvelope, recorded: Recorded) {
    let rig = rig(SandboxConfig {
        task_duration: Duration::from_millis(1200),
        callback_envelope: envelope,
        callback_duplicates: true,
        ..SandboxConfig::default()
    })
    .await;
    // On by default beside a running Sandbox, and the Sandbox (active) can reach it.
    let status = rig.desk.callback_inbox_status().unwrap();
    assert!(status.enabled);
    let url = rig
        .desk
        .callback_inbox_url()
        .unwrap()
        .expect("a URL to prefill");
    assert_eq!(status.url.as_deref(), Some(url.as_str()));
    let id = submit_song(&rig.desk, &url, "song-1").await;
    until("six callbacks (three stages, each twice)", || {
        rig.desk.task_callbacks(&id).unwrap().len() >= 6
    })
    .await;
    until("the poll to finish the task", || {
        rig.desk.task_detail(&id).unwrap().task.state.is_terminal()
    })
    .await;
    let records = rig.desk.task_callbacks(&id).unwrap();
    assert_eq!(records.len(), 6, "{records:#?}");
    assert!(records.iter().all(|r| r.envelope == recorded));
    let firsts: Vec<_> = records
        .iter()
        .filter(|r| r.duplicate_of.is_none())
        .map(|r| r.event.as_str())
        .collect();
    assert_eq!(firsts, ["text", "first", "complete"]);
    for dup in records.iter().filter(|r| r.duplicate_of.is_some()) {
        let first = records
            .iter()
            .find(|r| Some(r.n) == dup.duplicate_of)
            .expect("a duplicate points at a recorded first");
        assert_eq!(
            (first.event.as_str(), &first.raw),
            (dup.event.as_str(), &dup.raw)
        );
    }
    // Each first went on to the task's page once; the copies did not.
    let detail = rig.desk.task_detail(&id).unwrap();
    let handed_on = detail
        .polls
        .iter()
        .filter(|p| p.raw_status.as_deref() == Some("callback"))
        .count();
    assert_eq!(handed_on, 3);
    assert_eq!(detail.task.state, TaskState::Succeeded);
    rig.work.stop().await;
}

#[tokio::test]
async fn bare_suno_callbacks_are_recorded_once_each_with_duplicates_marked() {
    delivered_twice_each_stage_once(CallbackEnvelope::Bare, Recorded::Bare).await;
}

#[tokio::test]
async fn wrapped_suno_callbacks_are_recorded_once_each_with_duplicates_marked() {
    delivered_twice_each_stage_once(CallbackEnvelope::Wrapped, Recorded::Wrapped).await;
}

#[tokio::test]
async fn a_kling_task_object_callback_is_recorded_as_kling() {
    let rig = rig(SandboxConfig {
        task_duration: Duration::from_millis(600),
        ..SandboxConfig::default()
    })
    .await;
    let url = rig.desk.callback_inbox_url().unwrap().unwrap();
    let task = rig
        .desk
        .tasks_submit(TaskSubmit {
            connection_id: None,
            route: "kling.text2video".into(),
            body: json!({"model_name": "kling-v3", "prompt": "A paper boat in the rain",
                "mode": "std", "duration": "5", "callback_url": url}),
            label: None,
            submission_id: "clip-1".into(),
            parent_task_id: None,
        })
        .await
        .unwrap();
    until("the Kling callback", || {
        !rig.desk.task_callbacks(&task.id).unwrap().is_empty()
    })
    .await;
    let records = rig.desk.task_callbacks(&task.id).unwrap();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(records[0].envelope, Recorded::Kling);
    assert_eq!(records[0].event, "succeed");
    assert_eq!(records[0].gateway_task_id, task.gateway_task_id);
    rig.work.stop().await;
}

#[tokio::test]
async fn a_callback_claiming_success_does_not_finish_a_task_the_poll_says_is_running() {
    let rig = rig(SandboxConfig {
        // Long enough that every poll during the test answers "running".
        task_duration: Duration::from_secs(600),
        ..SandboxConfig::default()
    })
    .await;
    let url = rig.desk.callback_inbox_url().unwrap().unwrap();
    let id = submit_song(&rig.desk, &url, "song-2").await;
    let gateway = rig
        .desk
        .task_detail(&id)
        .unwrap()
        .task
        .gateway_task_id
        .unwrap();
    until("a first poll", || {
        rig.desk.task_detail(&id).unwrap().poll_count >= 2
    })
    .await;
    let polls_before = rig.desk.task_detail(&id).unwrap().poll_count;
    let forged = json!({"code": 200, "msg": "All generated successfully.", "data": {
        "callbackType": "complete", "task_id": gateway,
        "data": [{"id": "forged", "audio_url": "http://127.0.0.1:9/forged.mp3"}]}});
    let http = reqwest::Client::new();
    let answer = http.post(&url).json(&forged).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    // The callback makes a poll, and the poll (running) is what the task says.
    until("the poll the callback asked for", || {
        rig.desk.task_detail(&id).unwrap().poll_count > polls_before + 1
    })
    .await;
    let detail = rig.desk.task_detail(&id).unwrap();
    assert!(
        matches!(detail.task.state, TaskState::Queued | TaskState::Running),
        "a callback set the state: {:?}",
        detail.task.state
    );
    assert!(
        detail.artifacts.is_empty(),
        "the forged URL became an artifact"
    );
    let records = rig.desk.task_callbacks(&id).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].claimed_status.as_deref(), Some("complete"));
    // Switched off: no longer listening, the record stays, no URL to prefill.
    let off = rig.desk.set_callback_inbox(false).unwrap();
    assert_eq!((off.enabled, off.url, off.prefill_url), (false, None, None));
    assert!(http.post(&url).json(&forged).send().await.is_err());
    assert_eq!(rig.desk.task_callbacks(&id).unwrap().len(), 1);
    rig.work.stop().await;
}
