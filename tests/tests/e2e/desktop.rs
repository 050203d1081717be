//! Desktop integration: a second launch hands over to the first window and exits; the command
//! palette drives the app; the theme choice applies and survives a restart (before the first
//! paint); the window's remembered state stays in the profile's data dir; every screen fits
//! at 125% zoom. Uses `xdotool` (.dev/setup --test) to see the X server's focus.

use crate::harness::{app_binary, App};
use fantoccini::key::Key;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .expect("xdotool on PATH (.dev/setup --test installs it)");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

async fn js(app: &App, script: &str) -> serde_json::Value {
    app.client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("run `{script}`: {e}"))
}

/// Polls `script` until it returns `want` (10 s).
async fn wait_js(app: &App, script: &str, want: serde_json::Value) {
    for _ in 0..100 {
        if js(app, script).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "`{script}` never returned {want}; last: {}",
        js(app, script).await
    );
}

/// Ctrl+K on whatever has focus, then the palette's field; `query` is typed and Enter pressed.
async fn palette(app: &App, query: &str) {
    let chord = format!("{}k{}", char::from(Key::Control), char::from(Key::Null));
    app.client
        .active_element()
        .await
        .expect("a focused element")
        .send_keys(&chord)
        .await
        .expect("send Ctrl+K");
    app.wait_css("#command-palette").await;
    app.type_into("#palette-input", query).await;
    app.press(Key::Enter).await;
    app.wait_gone("#command-palette").await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn a_second_launch_focuses_the_first_window_and_exits() {
    let app = App::launch("second-launch", &[]).await;
    let window = xdotool(&["search", "--onlyvisible", "--name", "^AnyInt Desk$"]);
    assert!(!window.is_empty(), "the app's window is mapped");
    // Give the keyboard to the root window, so the first window has to be brought back.
    let root = xdotool(&["search", "--maxdepth", "0", ""]);
    xdotool(&["windowfocus", &root]);
    wait_js(&app, "return document.hasFocus();", false.into()).await;

    let started = Instant::now();
    let mut second = Command::new(app_binary())
        .env("ANYINT_DESK_DATA_DIR", app.data_dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch the app a second time");
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait for the second launch") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = second.kill();
            panic!("the second launch is still running after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        status.success(),
        "the second launch exits cleanly: {status}"
    );

    wait_js(&app, "return document.hasFocus();", true.into()).await;
    assert_eq!(
        xdotool(&["getwindowfocus"]),
        window,
        "the X focus is on the first window"
    );
    // Still one window, and the first app still answers.
    let windows = xdotool(&["search", "--onlyvisible", "--name", "^AnyInt Desk$"]);
    assert_eq!(windows.lines().count(), 1, "one window: {windows}");
    app.click("#nav-keys").await;
    app.wait_css("#keys-table").await;
    app.screenshot("second-launch-focused").await;

    let log = std::fs::read_to_string(&app.log_path).expect("app log");
    assert!(
        log.contains("launched again"),
        "the first instance saw the second launch"
    );
    // Xvfb has no tray host: the app says so at most once and never panics.
    assert!(!log.contains("panicked"), "no panic in the log");
    assert!(
        log.matches("tray icon").count() <= 1,
        "the tray is mentioned once at most"
    );
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn the_palette_switches_screens_and_the_theme_choice_applies_and_persists() {
    let app = App::launch("palette", &[]).await;
    wait_js(
        &app,
        "return document.documentElement.dataset.themeChoice;",
        "system".into(),
    )
    .await;
    // Xvfb has no desktop settings, so "system" is light here.
    let light = js(
        &app,
        "return getComputedStyle(document.body).backgroundColor;",
    )
    .await;

    palette(&app, "go to keys").await;
    app.wait_css("#keys-table").await;
    wait_js(&app, "return document.activeElement.id;", "nav-keys".into()).await;
    palette(&app, "go to playground").await;
    app.wait_css("#playground-screen").await;
    app.screenshot("palette-playground").await;

    // The palette open, as a person sees it.
    let chord = format!("{}k{}", char::from(Key::Control), char::from(Key::Null));
    app.client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&chord)
        .await
        .expect("Ctrl+K");
    app.type_into("#palette-input", "models").await;
    wait_js(
        &app,
        "return document.querySelector('#palette-list [aria-selected=true]')?.dataset.action;",
        "go:models".into(),
    )
    .await;
    app.screenshot("palette-open").await;
    app.press(Key::Escape).await;
    app.wait_gone("#command-palette").await;

    palette(&app, "theme dark").await;
    wait_js(
        &app,
        "return document.documentElement.dataset.theme;",
        "dark".into(),
    )
    .await;
    let dark = js(
        &app,
        "return getComputedStyle(document.body).backgroundColor;",
    )
    .await;
    assert_ne!(light, dark, "the dark theme changes the page's colours");
    app.screenshot("palette-theme-dark").await;

    // A restart on the same data dir starts dark: the backend hands the choice to the page
    // before its scripts run, so the UI never asks for it (no flash of the light theme).
    // A resize is remembered next to the database (so a fresh data dir, as every other test
    // has, starts from the configured size).
    let state = app.data_dir.path().join("window-state.json");
    let (_, _, width, height) = app.client.get_window_rect().await.expect("window rect");
    assert_eq!(
        (width, height),
        (1200, 760),
        "a fresh profile opens at the configured size"
    );
    app.client
        .set_window_rect(0, 0, 1000, 700)
        .await
        .expect("resize the window");
    let mut saved = String::new();
    for _ in 0..100 {
        saved = std::fs::read_to_string(&state).unwrap_or_default();
        if saved.contains("1000") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        saved.contains("\"width\": 1000"),
        "the new size is saved: {saved}"
    );
    let data_dir = app.close().await;
    let app = App::launch_in("palette-restart", data_dir, &[]).await;
    assert_eq!(
        js(&app, "return document.documentElement.dataset.theme;").await,
        serde_json::Value::from("dark")
    );
    assert_eq!(
        js(
            &app,
            "return getComputedStyle(document.body).backgroundColor;"
        )
        .await,
        dark
    );
    let (_, _, width, height) = app.client.get_window_rect().await.expect("window rect");
    assert_eq!((width, height), (1000, 700), "the restart keeps the size");
    app.screenshot("theme-dark-after-restart").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn every_screen_fits_at_125_percent_zoom() {
    let app = App::launch("zoom", &[]).await;
    js(
        &app,
        "document.documentElement.style.zoom = '1.25'; return true;",
    )
    .await;
    // The configured size, then the smallest the window allows (tauri.conf.json minWidth/Height).
    for (width, height, size) in [(1200, 760, "default"), (760, 480, "smallest")] {
        app.client
            .set_window_rect(0, 0, width, height)
            .await
            .expect("resize the window");
        tokio::time::sleep(Duration::from_millis(300)).await;
        fits(&app, size).await;
    }
    app.close().await;
}

async fn fits(app: &App, size: &str) {
    for screen in ["connections", "keys", "models", "playground"] {
        // A script click: WebDriver's pointer does not know about CSS zoom.
        js(
            app,
            &format!("document.getElementById('nav-{screen}').click(); return true;"),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Nothing wider than the window: no sideways scrolling, no cut-off controls.
        let overflow = js(
            app,
            "const m = document.querySelector('main.content'); \
             const d = document.documentElement; \
             return [m.scrollWidth - m.clientWidth, d.scrollWidth - d.clientWidth];",
        )
        .await;
        app.screenshot(&format!("zoom-125-{size}-{screen}")).await;
        let widest = js(
            app,
            "const w = document.documentElement.clientWidth; \
             const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) { \
               const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; }; \
             return [w, document.documentElement.scrollWidth, window.innerWidth, ...[...document.querySelectorAll('body *')] \
               .filter((e) => e.getBoundingClientRect().right > w + 1 && !scrolls(e)) \
               .slice(0, 8).map((e) => `${e.tagName}#${e.id}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`)];",
        )
        .await;
        assert_eq!(
            overflow,
            serde_json::json!([0, 0]),
            "{screen} overflows sideways at 125% in the {size} window (main, page); too wide: {widest}"
        );
    }
}
