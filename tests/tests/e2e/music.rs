//! The studios in the real window, against the app's in-process Sandbox (its tasks finish in
//! about 4 s): a song made in the Music studio as a person makes it (custom mode, typed into the
//! form, Submit double-clicked), exactly one task for it, its state reaching "succeeded",
//! exactly one desktop notification for it on the session bus and in dunst's history, its page
//! opened from the studio's link, and its audio playing. Screenshots of each studio are saved.

use crate::harness::{dunst_history_count, App, BusMonitor};
use serde_json::{json, Value};
use std::time::Duration;

const TITLE: &str = "Harbour lights";
const NOTIFICATION: &str = "Song “Harbour lights” is ready";

/// What the task page's `<audio>` is doing: play() is called once (muted: the session may have
/// no sound device, and autoplay rules allow muted playback), then this is read until the
/// element plays or fails.
async fn play_audio(app: &App) -> Value {
    // The element that will play: the asset URL's, or the blob: one the card swaps in when the
    // asset URL is refused (play() on the first would be lost with it).
    let settled = app.player_settled("#task-artifacts audio").await;
    if settled.get("ready").is_none() {
        return settled;
    }
    app.client
        .execute(
            "const a = document.querySelector('#task-artifacts audio');
             if (!a) return false;
             a.muted = true;
             window.__playError = null;
             a.play().catch((e) => { window.__playError = String(e); });
             return true;",
            vec![],
        )
        .await
        .expect("start the player");
    let mut last = Value::Null;
    for _ in 0..100 {
        last = app
            .client
            .execute(
                "const a = document.querySelector('#task-artifacts audio');
                 const broken = document.querySelector('#task-artifacts .player-error');
                 return { paused: a ? a.paused : null, time: a ? a.currentTime : null,
                          readyState: a ? a.readyState : null, mediaError: a && a.error ? a.error.code : null,
                          playError: window.__playError, broken: broken ? broken.textContent.trim() : null };",
                vec![],
            )
            .await
            .expect("read the player");
        let playing =
            last["paused"] == json!(false) && last["time"].as_f64().is_some_and(|t| t > 0.0);
        let failed = !last["mediaError"].is_null()
            || !last["playError"].is_null()
            || !last["broken"].is_null();
        if playing || failed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus, dunst and tauri-driver: run .dev/test-all"]
async fn a_song_from_the_music_studio_notifies_once_and_plays() {
    let scratch = tempfile::tempdir().unwrap();
    let monitor = BusMonitor::start(scratch.path());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let history_before = dunst_history_count(NOTIFICATION);

    let app = App::launch("music", &[]).await;

    // The Media studios first, for their screenshots: each form is built from its route.
    app.click("#nav-media").await;
    app.wait_css("#studio-form[data-route='openai.images'] #sf-prompt")
        .await;
    app.screenshot("studio-image").await;
    app.click("#media-tab-video").await;
    app.wait_css("#studio-form[data-route='openai.videos'] #sf-prompt")
        .await;
    app.screenshot("studio-video").await;

    app.click("#nav-music").await;
    app.wait_css("#studio-form[data-route='suno.generate']")
        .await;
    app.click("#sf-customMode").await;
    app.select("#sf-model", "V4_5").await;
    app.type_into("#sf-title", TITLE).await;
    app.type_into("#sf-style", "dream pop, warm synths").await;
    // Lyrics with line breaks, set at once (WebDriver typing drops the newlines).
    app.set_value(
        "#sf-prompt",
        "[Verse]\nLamps on the water\n[Chorus]\nHarbour lights, lead me home",
    )
    .await;
    // The limit in force for custom mode on V4.5, counted as typed.
    assert_eq!(
        app.text("#sf-style-count").await,
        "22 / 1000",
        "the style counter"
    );
    assert_eq!(
        app.text("#sf-prompt-count").await,
        "64 / 5000",
        "the lyrics counter"
    );
    app.type_into("#sf-callBackUrl", "https://example.invalid/anyint-callback")
        .await;
    app.screenshot("studio-music").await;

    // A double click: two clicks before the first answer.
    app.client
        .execute(
            "const b = document.getElementById('studio-submit'); b.click(); b.click();",
            vec![],
        )
        .await
        .expect("double click Create task");
    let created = app.wait_css("#studio-created[data-task-id]").await;
    let task_id = created
        .attr("data-task-id")
        .await
        .expect("attr")
        .expect("a task id");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let page = app
        .invoke(
            "tasks_list",
            json!({ "filter": { "states": [], "family": null, "route": null, "text": null, "offset": 0, "limit": 50 } }),
        )
        .await;
    assert_eq!(page["total"], 1, "one task for the double click: {page}");
    assert_eq!(page["rows"][0]["id"], json!(task_id));
    assert_eq!(page["rows"][0]["label"], TITLE);
    app.screenshot("studio-music-created").await;

    // Its page, from the studio's link, until it has finished.
    app.click("#studio-open-task").await;
    app.wait_css(&format!("#task-page[data-task-id='{task_id}']"))
        .await;
    let mut state = String::new();
    for _ in 0..600 {
        state = app
            .attrs("#task-page", "data-state")
            .await
            .pop()
            .unwrap_or_default();
        if state == "succeeded" || state == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state, "succeeded", "the song task finishes");

    // Exactly one notification, on the bus and in the daemon's history.
    for _ in 0..300 {
        if monitor.count(NOTIFICATION) >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give a duplicate the time to show itself before counting.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(monitor.count(NOTIFICATION), 1, "one Notify for the song");
    assert_eq!(
        dunst_history_count(NOTIFICATION) - history_before,
        1,
        "dunst received the song's notification once"
    );

    // Its audio plays.
    app.wait_css("#task-artifacts audio").await;
    let player = play_audio(&app).await;
    app.screenshot("studio-music-task").await;
    assert!(
        player["paused"] == json!(false) && player["time"].as_f64().is_some_and(|t| t > 0.0),
        "the song plays: {player}"
    );
    app.close().await;
}
