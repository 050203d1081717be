//! Key reminders reach the desktop's notification daemon (dunst, in the test's D-Bus session):
//! a key whose rotate-by date is two days away raises exactly one notification.

use crate::harness::{App, BusMonitor};
use std::time::Duration;

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus, dunst and tauri-driver: run .dev/test-all"]
async fn a_key_due_in_two_days_raises_one_desktop_notification() {
    let scratch = tempfile::tempdir().unwrap();
    let monitor = BusMonitor::start(scratch.path());
    // dbus-monitor needs a moment to register its match rule.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let app = App::launch("reminders", &[]).await;
    app.click("#nav-keys").await;
    app.type_into("#key-label", "Reminder probe").await;
    app.select("#key-environment", "staging").await;
    app.type_into("#key-secret", anyint_sandbox::PLAN_KEY).await;
    let due = time::OffsetDateTime::now_utc().date() + time::Duration::days(2);
    // A date input takes no typed keys reliably in WebKit; set it as the picker would.
    app.client
        .execute(
            "const el = document.getElementById('key-rotate-by');
             el.value = arguments[0];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::json!(due.to_string())],
        )
        .await
        .expect("set the rotate-by date");
    app.click("#key-add").await;
    app.wait_css("#keys-table tr[data-key-id]").await;

    let needle = "Reminder probe";
    for _ in 0..50 {
        if monitor.count(needle) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(monitor.count(needle), 1, "one Notify call naming the key");
    let log = std::fs::read_to_string(&monitor.log).unwrap();
    assert!(log.contains("in 2 days"), "the body says when: {log}");

    // Saving the key again re-runs the reminder check (as the hourly timer would): the 3-day
    // threshold has already fired for this date, so nothing new may be shown.
    app.click("#keys-table tr[data-key-id] button.key-edit")
        .await;
    app.type_into("#edit-project", "re-check").await;
    app.click("#edit-save").await;
    app.wait_gone("#edit-form").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        monitor.count(needle),
        1,
        "no second notification for the same threshold"
    );
    app.screenshot("reminder").await;
    app.close().await;
}
