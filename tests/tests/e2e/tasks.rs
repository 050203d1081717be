//! The task center in the real window, against the app's in-process Sandbox: a song and an
//! image created through the app's real `task_submit` command (what a studio's Submit sends;
//! the studios themselves are not built yet), seen finishing in the Tasks table, their
//! artifacts played from disk through the asset protocol, exactly one desktop notification
//! per task on the session bus (dunst), a click on it opening the task, a re-run from the
//! task's page, and no notification repeated after a restart on the same data dir. Then a song
//! still running when the app closes, finished after the restart.

use crate::harness::{dunst_history_count, App, BusMonitor};
use anyint_core::store::Store;
use serde_json::{json, Value};
use std::process::Command;
use std::time::Duration;

const SONG_TITLE: &str = "Song “Night drive” is ready";
const IMAGE_TITLE: &str = "Image “Lighthouse at dawn” is ready";

fn submit_song(submission: &str) -> Value {
    json!({ "submit": {
        "connectionId": null,
        "route": "suno.generate",
        "body": {
            "customMode": false,
            "instrumental": false,
            "model": "V4_5",
            "prompt": "a synthwave song about a night drive",
            "callBackUrl": "https://example.invalid/anyint-callback"
        },
        "label": "Night drive",
        "submissionId": submission,
        "parentTaskId": null
    }})
}

fn submit_image(submission: &str) -> Value {
    json!({ "submit": {
        "connectionId": null,
        "route": "openai.images",
        "body": { "model": "nano-banana-2", "prompt": "a lighthouse at dawn", "n": 1, "size": "1024x1024" },
        "label": "Lighthouse at dawn",
        "submissionId": submission,
        "parentTaskId": null
    }})
}

async fn wait_for_count(monitor: &BusMonitor, needle: &str, want: usize) {
    for _ in 0..300 {
        if monitor.count(needle) >= want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give a duplicate the time to show itself before counting.
    tokio::time::sleep(Duration::from_millis(1500)).await;
}

async fn row_state(app: &App, id: &str) -> String {
    app.attrs(
        &format!("#tasks-list .task-row[data-task-id='{id}']"),
        "data-state",
    )
    .await
    .pop()
    .unwrap_or_default()
}

async fn wait_row_state(app: &App, id: &str, want: &str) {
    for _ in 0..600 {
        if row_state(app, id).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "task {id} never showed `{want}` in the table; it shows `{}`",
        row_state(app, id).await
    );
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus, dunst and tauri-driver: run .dev/test-all"]
async fn tasks_finish_in_the_table_with_one_notification_each_and_play_from_disk() {
    let scratch = tempfile::tempdir().unwrap();
    let monitor = BusMonitor::start(scratch.path());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let history_before = dunst_history_count(SONG_TITLE);

    let app = App::launch("tasks", &[]).await;
    // Anything the CSP refuses (a player's file, say) is recorded, to be named on failure.
    app.client
        .execute(
            "window.__cspViolations = [];
             document.addEventListener('securitypolicyviolation', (e) =>
               window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));",
            vec![],
        )
        .await
        .expect("watch CSP violations");
    app.click("#nav-tasks").await;
    app.wait_css("#tasks-table").await;

    let song = app.invoke("task_submit", submit_song("e2e-song-1")).await;
    let song_id = song["id"].as_str().expect("a task id").to_owned();
    // The same submission id again (a double click) gives the same task back.
    let again = app.invoke("task_submit", submit_song("e2e-song-1")).await;
    assert_eq!(again["id"], song["id"], "one submission, one task");

    app.wait_css(&format!("#tasks-list .task-row[data-task-id='{song_id}']"))
        .await;
    wait_row_state(&app, &song_id, "succeeded").await;
    app.wait_text("#status-running", "no task running", |t| {
        t == "No task running"
    })
    .await;
    wait_for_count(&monitor, SONG_TITLE, 1).await;
    assert_eq!(monitor.count(SONG_TITLE), 1, "one Notify for the song");

    // A click on the song's notification opens its page, from another screen.
    app.click("#nav-models").await;
    if click_the_only_popup() {
        app.wait_css(&format!("#task-page[data-task-id='{song_id}']"))
            .await;
    } else {
        panic!("dunst shows no single popup to click: `dunstctl count displayed` is not 1");
    }
    app.wait_css(&format!(
        "#task-page[data-task-id='{song_id}'][data-state='succeeded']"
    ))
    .await;
    let state = app.player_settled("#task-artifacts audio").await;
    // From the asset protocol, or (WebKitGTK cannot play media from it, tauri#3725) the same
    // file fetched over it into a blob: URL.
    let src = state["src"].as_str().unwrap_or_default();
    assert!(
        src.starts_with("asset://localhost/")
            || src.starts_with("http://asset.localhost/")
            || src.starts_with("blob:"),
        "the song plays from the asset protocol: {state}"
    );
    app.screenshot("task-song").await;
    let csp = app
        .client
        .execute("return window.__cspViolations ?? [];", vec![])
        .await
        .expect("read CSP violations");
    assert!(
        state.get("ready").is_some(),
        "the saved song loads in <audio>: {state}; CSP violations: {csp}"
    );

    // An image, shown in the viewer from disk.
    let image = app.invoke("task_submit", submit_image("e2e-image-1")).await;
    let image_id = image["id"].as_str().expect("a task id").to_owned();
    app.click("#task-back").await;
    wait_row_state(&app, &image_id, "succeeded").await;
    app.screenshot("tasks-table").await;
    wait_for_count(&monitor, IMAGE_TITLE, 1).await;
    assert_eq!(monitor.count(IMAGE_TITLE), 1, "one Notify for the image");
    app.click(&format!("#tasks-list .task-row[data-task-id='{image_id}']"))
        .await;
    app.wait_css("#task-artifacts img").await;
    let state = app.player_settled("#task-artifacts img").await;
    assert!(
        state.get("ready").is_some(),
        "the saved image is drawn: {state}"
    );
    app.screenshot("task-image").await;

    // Music lineage: a WAV made from the song is its child in the song's tree.
    let detail = app
        .invoke("task_detail", json!({ "taskId": song_id }))
        .await;
    let gateway_id = detail["task"]["gatewayTaskId"]
        .as_str()
        .expect("the song's gateway id");
    let audio_id = detail["artifacts"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|a| a["itemId"].as_str())
        .expect("the song's audio id");
    let wav = app
        .invoke(
            "task_submit",
            json!({ "submit": {
                "connectionId": null,
                "route": "suno.wav",
                "body": { "taskId": gateway_id, "audioId": audio_id,
                          "callBackUrl": "https://example.invalid/anyint-callback" },
                "label": "Night drive (WAV)",
                "submissionId": "e2e-wav-1",
                "parentTaskId": song_id
            }}),
        )
        .await;
    let wav_id = wav["id"].as_str().expect("a task id").to_owned();
    app.click("#task-back").await;
    wait_row_state(&app, &wav_id, "succeeded").await;
    app.click(&format!("#tasks-list .task-row[data-task-id='{song_id}']"))
        .await;
    app.wait_css(&format!("#lineage-tree [data-lineage-id='{wav_id}']"))
        .await;
    app.screenshot("task-lineage").await;

    // Re-run the song from its page: a new task, finishing with its own notification.
    app.click("#task-back").await;
    app.click(&format!("#tasks-list .task-row[data-task-id='{song_id}']"))
        .await;
    app.click("#task-rerun").await;
    let rerun_id = loop {
        let shown = app.attrs("#task-page", "data-task-id").await;
        match shown.first() {
            Some(id) if id != &song_id => break id.clone(),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    app.wait_css(&format!(
        "#task-page[data-task-id='{rerun_id}'][data-state='succeeded']"
    ))
    .await;
    wait_for_count(&monitor, SONG_TITLE, 2).await;
    assert_eq!(
        monitor.count(SONG_TITLE),
        2,
        "one more Notify, for the re-run"
    );
    assert_eq!(
        dunst_history_count(SONG_TITLE) - history_before,
        2,
        "the daemon received one song notification per task"
    );

    // A restart on the same data dir resumes nothing and owes nothing: no notification again.
    let data_dir = app.close().await;
    let app = App::launch_in("tasks-restart", data_dir, &[]).await;
    app.click("#nav-tasks").await;
    wait_row_state(&app, &rerun_id, "succeeded").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        monitor.count(SONG_TITLE),
        2,
        "nothing repeated after a restart"
    );
    assert_eq!(
        monitor.count(IMAGE_TITLE),
        1,
        "nothing repeated after a restart"
    );
    app.close().await;
}

/// A song started on the in-app Sandbox, the app closed while it runs and started again on the
/// same data dir: the Sandbox kept the task in its task file, the poller resumes it, and it
/// finishes with one notification and its file on disk (it used to fail as "forgotten").
#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus, dunst and tauri-driver: run .dev/test-all"]
async fn a_song_running_when_the_app_closes_finishes_after_the_restart() {
    let scratch = tempfile::tempdir().unwrap();
    let monitor = BusMonitor::start(scratch.path());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Long enough to outlast the close; the restarted Sandbox reads the same length back.
    let env = [("ANYINT_SANDBOX_TASK_SECS", "10")];
    let app = App::launch("tasks-kept", &env).await;
    let song = app.invoke("task_submit", submit_song("e2e-kept-1")).await;
    let id = song["id"].as_str().expect("a task id").to_owned();
    let data_dir = app.close().await;
    let left = Store::open(data_dir.path())
        .unwrap()
        .task(&id)
        .unwrap()
        .expect("the task's row")
        .state;
    assert!(
        !left.is_terminal(),
        "the song must still run when the app closes: {left:?}"
    );

    let app = App::launch_in("tasks-kept-restart", data_dir, &env).await;
    app.click("#nav-tasks").await;
    wait_row_state(&app, &id, "succeeded").await;
    wait_for_count(&monitor, SONG_TITLE, 1).await;
    assert_eq!(
        monitor.count(SONG_TITLE),
        1,
        "one notification, after the restart"
    );
    // Its files on disk (saved as they are fetched, right after the transition).
    let mut detail = Value::Null;
    for _ in 0..100 {
        detail = app.invoke("task_detail", json!({ "taskId": id })).await;
        let files = detail["artifacts"].as_array().cloned().unwrap_or_default();
        if !files.is_empty() && files.iter().all(|f| f["path"].is_string()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let files = detail["artifacts"].as_array().expect("artifacts");
    assert!(!files.is_empty(), "{detail}");
    for f in files {
        let path = f["path"]
            .as_str()
            .unwrap_or_else(|| panic!("not saved: {f}"));
        assert!(std::path::Path::new(path).is_file(), "{path}");
    }
    assert_eq!(detail["task"]["state"], "succeeded", "{detail}");
    assert!(detail["task"]["error"].is_null(), "{detail}");
    app.close().await;
}

/// Invokes dunst's default action on the one popup displayed (as a click on it would).
/// False when dunst shows none (it timed out), or more than one (which one is `0` is dunst's).
fn click_the_only_popup() -> bool {
    let displayed = Command::new("dunstctl")
        .args(["count", "displayed"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(0);
    displayed == 1
        && Command::new("dunstctl")
            .args(["action", "0"])
            .status()
            .is_ok_and(|s| s.success())
}
