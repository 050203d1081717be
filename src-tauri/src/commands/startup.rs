//! Start-up timing: when the page says its first screen is shown, the app logs how long that
//! took since `main` started. People can read it in the log when the app feels slow to open,
//! and the start-up benchmark (`.dev/bench-startup`) times the line's arrival.

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

/// Logs once per process: a page reload (or a second call) says nothing new about start-up.
pub fn first_screen_shown(_ctx: &Ctx) -> Result<(), IpcError> {
    if !SHOWN.swap(true, Ordering::Relaxed) {
        let ms = STARTED.get().map(|t| t.elapsed().as_millis());
        tracing::info!(since_start_ms = ms, "first screen shown");
    }
    Ok(())
}
