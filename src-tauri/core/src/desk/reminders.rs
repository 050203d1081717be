//! The reminder loop: checks for due rotate-by and expiry reminders at start, every hour, and
//! right after any write that changes key dates (add, edit, rotation, hand-off import), so a
//! date set inside a threshold does not wait for the next hour. The core decides what is due
//! and records it (each fires once); the caller's `raise` shows it (a desktop notification).

use super::Desk;
use crate::background::BackgroundWork;
use crate::error::DeskError;
use crate::keys::Reminder;
use std::time::Duration;

/// How often the loop looks again when nothing changed: dates move by days.
pub const REMINDER_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Today's date for reminders: the user's local date (see [`crate::keys::local_today`]; the
/// TZ database through `jiff`, not `time`'s local offset, which is unsound to read once the
/// process has threads).
pub fn today() -> time::Date {
    crate::keys::local_today()
}

impl Desk {
    /// Reminders due `today` that were never raised; each is marked raised as it is returned.
    pub fn due_reminders(&self, today: time::Date) -> Result<Vec<Reminder>, DeskError> {
        Ok(self.inner.vault.due_reminders(today)?)
    }

    /// Starts the reminder loop under `work`; it ends when `work` is stopped.
    pub fn start_reminders<F>(&self, work: &BackgroundWork, every: Duration, raise: F)
    where
        F: Fn(Reminder) + Send + Sync + 'static,
    {
        let desk = self.clone();
        work.spawn("key reminders", move |mut shutdown| async move {
            loop {
                // SQLite and the store lock are quick, but keep them off the async workers.
                let check = desk.clone();
                match tokio::task::spawn_blocking(move || check.due_reminders(today())).await {
                    Ok(Ok(due)) => due.into_iter().for_each(&raise),
                    Ok(Err(e)) => {
                        tracing::warn!(code = %e.code(), "checking key reminders failed: {e}")
                    }
                    Err(e) => tracing::error!("the reminder check panicked: {e}"),
                }
                tokio::select! {
                    _ = shutdown.stopped() => break,
                    _ = tokio::time::sleep(every) => {}
                    _ = desk.inner.key_dates_changed.notified() => {}
                }
            }
        });
    }

    /// Wakes the reminder loop (a stored permit, so a change made mid-check is not missed).
    pub(super) fn key_dates_changed(&self) {
        self.inner.key_dates_changed.notify_one();
    }
}
