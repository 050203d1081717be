//! Core events -> desktop notifications. The core's loops decide what is due and record it
//! (each reminder fires once); this file only shows what they raise.

use anyint_core::keys::Reminder;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// Shows one key reminder as a desktop notification.
pub fn show_reminder(app: &AppHandle, reminder: Reminder) {
    // Off in Settings: the reminder is still recorded by the core and listed in Keys.
    let enabled = app
        .try_state::<anyint_core::Desk>()
        .is_none_or(|desk| desk.notifications_enabled().unwrap_or(true));
    if !enabled {
        tracing::info!("key reminder not shown: notifications are off in Settings");
        return;
    }
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
