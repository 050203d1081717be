//! Start-up timing: until the page says its first screen is shown, the app logs each step of its
//! start (setup, Sandbox, database, window, tray, background work) and each command the page
//! sends, as milliseconds since `main` started; then the first screen itself. People can read
//! where a slow start went in the log, and the start-up benchmark (`.dev/bench-startup`) times
//! the last line's arrival.

use super::Ctx;
use crate::error::IpcError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Called first thing in `run`: the zero of the start-up time.
pub(crate) fn record_start() {
    STARTED.get_or_init(Instant::now);
}

/// A step of the start, logged with its time since `main` (nothing once the first screen shows).
pub(crate) fn mark(step: std::fmt::Arguments<'_>) {
    if SHOWN.load(Ordering::Relaxed) {
        return;
    }
    let ms = STARTED.get().map(|t| t.elapsed().as_millis());
    tracing::info!(since_start_ms = ms, "start-up: {step}");
}

/// Logs once per process: a page reload (or a second call) says nothing new about start-up.
pub fn first_screen_shown(_ctx: &Ctx) -> Result<(), IpcError> {
    if !SHOWN.swap(true, Ordering::Relaxed) {
        let ms = STARTED.get().map(|t| t.elapsed().as_millis());
        tracing::info!(since_start_ms = ms, "first screen shown");
    }
    Ok(())
}
