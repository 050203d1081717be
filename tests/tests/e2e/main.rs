//! End to end: the built app in a real window, driven through WebDriver (`tauri-driver` in
//! front of WebKitWebDriver), with a temp data dir and its in-process Sandbox gateway.
//!
//! These tests need a display, a D-Bus session and the built app, so they are `#[ignore]`d in
//! a plain `cargo test`; `.dev/test-all` provides all three and runs them with `--ignored`.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod compare;
mod desktop;
mod harness;
mod key_vault;
mod model_choice;
mod models_screen;
mod music;
mod playground;
mod reminders;
mod secret_scan;
mod settings;
mod task_crash;
mod tasks;

#[path = "../support/forward_proxy.rs"]
mod forward_proxy;
