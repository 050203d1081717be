//! Core events -> desktop notifications: key rotation and expiry reminders, checked at start
//! and then hourly. The core decides what is due (and records it, so each fires once).

use anyint_core::Desk;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Today's date for reminders. UTC: the `time` crate cannot read the local offset safely in a
/// multi-threaded process, and a reminder a few hours early is harmless.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

pub fn spawn_reminders(app: AppHandle, desk: Desk) {
    tauri::async_runtime::spawn(async move {
        loop {
            notify_due_reminders(&app, &desk);
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Shows one notification per reminder that became due and was never shown. Also called when
/// a key's dates change, so a date set inside a threshold does not wait for the next hour.
pub fn notify_due_reminders(app: &AppHandle, desk: &Desk) {
    let due = match desk.due_reminders(today()) {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(code = e.code(), "checking key reminders failed: {e}");
            return;
        }
    };
    for reminder in due {
        let shown = app
            .notification()
            .builder()
            .title("AnyInt Desk: key reminder")
            .body(reminder.message())
            .show();
        if let Err(e) = shown {
            tracing::warn!("could not show a key reminder: {e}");
        }
    }
}
