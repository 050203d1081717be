//! Core events -> desktop notifications. The core's loops decide what is due and record it
//! (each reminder fires once); this file only shows what they raise.

use anyint_core::keys::Reminder;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Shows one key reminder as a desktop notification.
pub fn show_reminder(app: &AppHandle, reminder: Reminder) {
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
