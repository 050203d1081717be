//! The task center's transitions, on their way out of the core: each one goes to the window
//! (the Tasks table and the status bar listen over an `ipc::Channel`), and each terminal one
//! becomes exactly one desktop notification. "Exactly one" is the core's (`tasks::notices`):
//! the notification is owed from the terminal transition on (durable, in the same write), this
//! process claims it once (so overlapping transitions and the start-up sweep of tasks that
//! finished while the app was closed show it once), shows it, and only then marks it shown.
//! A kill before the mark leaves it owed: the next start shows it, once.
//!
//! Clicks: tauri-plugin-notification 2.8 reports a click on a desktop notification (`tap`; on
//! Linux the freedesktop `default` action, which it declares once a handler is registered) to
//! `Notification::on_action`. The task id rides in the notification's `extra`; the handler
//! raises and focuses the window and hands the id to the window, which opens that task's page.
//! A click that arrives before the window listens (the page is still loading) is kept and
//! handed over when it subscribes. Servers that do not report clicks (or report them only
//! while the popup shows) just leave the app where it was: every task is in Tasks anyway.
//!
//! The window listens with a channel rather than a Tauri event, so the capability needs no
//! `core:event` permission (see the contract tests).

use crate::events::{show_task_notice, TaskNotice, TASK_ID_EXTRA};
use anyint_core::background::Shutdown;
use anyint_core::tasks::view::{TaskRow, TaskTransition};
use anyint_core::Desk;
use std::sync::{Mutex, MutexGuard};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::mpsc::UnboundedReceiver;

/// The window's subscriptions. There is one window; a reload subscribes again, and the latest
/// subscription replaces the one before it (whose page is gone).
#[derive(Default)]
pub struct TaskFeed {
    transitions: Mutex<Option<Channel<TaskTransition>>>,
    clicks: Mutex<Clicks>,
}

#[derive(Default)]
struct Clicks {
    channel: Option<Channel<String>>,
    /// A click nobody was listening for yet.
    pending: Option<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Only whole values are stored; a panic cannot leave one half-written.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl TaskFeed {
    pub fn watch_transitions(&self, channel: Channel<TaskTransition>) {
        *lock(&self.transitions) = Some(channel);
    }

    /// Subscribes to clicks; returns a click that came before anyone listened.
    pub fn watch_clicks(&self, channel: Channel<String>) -> Option<String> {
        let mut clicks = lock(&self.clicks);
        clicks.channel = Some(channel);
        clicks.pending.take()
    }

    fn send_transition(&self, t: &TaskTransition) {
        let mut slot = lock(&self.transitions);
        if let Some(channel) = slot.as_ref() {
            if let Err(e) = channel.send(t.clone()) {
                tracing::debug!("the window stopped listening to task transitions: {e}");
                *slot = None;
            }
        }
    }

    fn send_click(&self, task_id: String) {
        let mut clicks = lock(&self.clicks);
        let sent = match clicks.channel.as_ref() {
            Some(channel) => channel.send(task_id.clone()).is_ok(),
            None => false,
        };
        if !sent {
            clicks.channel = None;
            clicks.pending = Some(task_id);
        }
    }
}

/// Registers the click handler. Call before the first notification is shown: the plugin only
/// reports clicks on notifications shown while a handler exists.
pub fn handle_clicks<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |performed| {
        if performed.action_id() != "tap" {
            return;
        }
        raise_window(&handle);
        let task_id = performed
            .notification()
            .and_then(|n| n.extra().get(TASK_ID_EXTRA))
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        if let (Some(task_id), Some(feed)) = (task_id, handle.try_state::<TaskFeed>()) {
            feed.send_click(task_id);
        }
    });
    if let Err(e) = registered {
        tracing::warn!("clicks on notifications will not open their task: {e}");
    }
}

fn raise_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        // Each can fail on its own (no window manager, say); the rest still helps.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The loop behind the feed: first the notifications owed from before (tasks that finished
/// while the app was closed, or whose notification a crash swallowed before it was marked),
/// then every transition as the core reports it, until the app stops.
pub async fn forward<R: Runtime>(
    app: AppHandle<R>,
    desk: Desk,
    mut transitions: UnboundedReceiver<TaskTransition>,
    mut shutdown: Shutdown,
    on_running: impl Fn(u32) + Send,
) {
    let report_running = |desk: &Desk| match desk.tasks_running_count() {
        Ok(n) => on_running(n),
        Err(e) => tracing::debug!("could not count running tasks: {e}"),
    };
    report_running(&desk);
    let owed = {
        let desk = desk.clone();
        tokio::task::spawn_blocking(move || desk.unnotified_terminal_tasks()).await
    };
    match owed {
        Ok(Ok(rows)) => {
            for row in rows {
                announce_row(&app, &desk, &row).await;
            }
        }
        Ok(Err(e)) => tracing::warn!(code = %e.code(), "could not list owed notifications: {e}"),
        Err(e) => tracing::error!("listing owed notifications panicked: {e}"),
    }
    loop {
        let t = tokio::select! {
            _ = shutdown.stopped() => break,
            t = transitions.recv() => match t {
                Some(t) => t,
                None => break,
            },
        };
        if let Some(feed) = app.try_state::<TaskFeed>() {
            feed.send_transition(&t);
        }
        report_running(&desk);
        if let Some(notice) = TaskNotice::of(&t) {
            announce(&app, &desk, &t.task_id, notice).await;
        }
    }
}

async fn announce_row<R: Runtime>(app: &AppHandle<R>, desk: &Desk, row: &TaskRow) {
    let notice = TaskNotice::new(&row.route, &row.label, row.state, row.error.as_deref());
    if let Some(notice) = notice {
        announce(app, desk, &row.id, notice).await;
    }
}

/// Shows `notice` if the task's notification is owed and no one else here is showing it, then
/// marks it shown.
async fn announce<R: Runtime>(app: &AppHandle<R>, desk: &Desk, task_id: &str, notice: TaskNotice) {
    let claim = {
        let (desk, id) = (desk.clone(), task_id.to_owned());
        // SQLite and the store lock: off the async workers.
        tokio::task::spawn_blocking(move || desk.claim_task_notice(&id)).await
    };
    match claim {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => {
            tracing::debug!(task_id, "already notified");
            return;
        }
        Ok(Err(e)) => {
            tracing::warn!(task_id, code = %e.code(), "could not claim the notice: {e}");
            return;
        }
        Err(e) => {
            tracing::error!(task_id, "claiming the notice panicked: {e}");
            return;
        }
    }
    // Settings can turn notifications off: the task still counts as notified, so turning
    // them back on does not replay old ones.
    let shown = if desk.notifications_enabled().unwrap_or(true) {
        show_task_notice(app, task_id, &notice)
    } else {
        tracing::debug!(task_id, "notifications are off in Settings");
        true
    };
    if !shown {
        // Still owed: the next start tries again.
        desk.release_task_notice(task_id);
        return;
    }
    let mark = {
        let (desk, id) = (desk.clone(), task_id.to_owned());
        tokio::task::spawn_blocking(move || desk.mark_task_notified(&id)).await
    };
    match mark {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(task_id, code = %e.code(), "could not mark notified: {e}"),
        Err(e) => tracing::error!(task_id, "marking notified panicked: {e}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tauri::ipc::InvokeResponseBody;

    /// A channel that records what it is sent, or fails like one whose page is gone.
    fn channel<T: tauri::ipc::IpcResponse>(
        seen: &Arc<Mutex<Vec<String>>>,
        works: bool,
    ) -> Channel<T> {
        let seen = seen.clone();
        Channel::new(move |body| {
            if !works {
                return Err(tauri::Error::WebviewNotFound);
            }
            if let InvokeResponseBody::Json(json) = body {
                lock(&seen).push(json);
            }
            Ok(())
        })
    }

    #[test]
    fn a_click_before_the_window_listens_waits_for_it_once() {
        let feed = TaskFeed::default();
        feed.send_click("t1".into());
        let seen = Arc::new(Mutex::new(Vec::new()));
        assert_eq!(feed.watch_clicks(channel(&seen, true)), Some("t1".into()));
        feed.send_click("t2".into());
        assert_eq!(*lock(&seen), ["\"t2\""]);
        assert_eq!(
            feed.watch_clicks(channel(&seen, true)),
            None,
            "handed over once"
        );
    }

    #[test]
    fn a_click_the_gone_page_cannot_take_is_kept_for_the_next_one() {
        let feed = TaskFeed::default();
        let seen = Arc::new(Mutex::new(Vec::new()));
        assert_eq!(feed.watch_clicks(channel(&seen, false)), None);
        feed.send_click("t3".into());
        assert_eq!(feed.watch_clicks(channel(&seen, true)), Some("t3".into()));
    }

    #[test]
    fn the_latest_subscription_gets_the_transitions() {
        use anyint_core::tasks::TaskState;
        let feed = TaskFeed::default();
        let (old, new) = (
            Arc::new(Mutex::new(Vec::new())),
            Arc::new(Mutex::new(Vec::new())),
        );
        feed.watch_transitions(channel(&old, true));
        feed.watch_transitions(channel(&new, true));
        feed.send_transition(&TaskTransition {
            task_id: "t1".into(),
            from: TaskState::Running,
            to: TaskState::Succeeded,
            label: "Night drive".into(),
            family: "suno".into(),
            route: "suno.generate".into(),
            error: None,
        });
        assert!(
            lock(&old).is_empty(),
            "a reloaded page's channel is replaced"
        );
        assert_eq!(lock(&new).len(), 1);
        assert!(
            lock(&new)[0].contains("\"taskId\":\"t1\""),
            "{:?}",
            lock(&new)
        );
    }
}
