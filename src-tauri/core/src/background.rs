//! Background work the core owns: every long-running loop (key reminders today; the task
//! poller and the callback inbox next) is started through [`BackgroundWork`], handed a
//! [`Shutdown`] signal, and stopped together by [`BackgroundWork::stop`]. The app keeps the
//! handle in managed state and stops it on exit, so no loop outlives the window or runs
//! detached with no owner (the habit of mini-redis's `shutdown.rs`).
//!
//! The runtime is passed in (the app's, or a test's) so this module stays runtime-agnostic
//! beyond tokio and never depends on tauri.

use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Owns the loops it started. Cheap to clone; clones share the loops.
#[derive(Clone, Debug)]
pub struct BackgroundWork {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    runtime: Handle,
    stop: watch::Sender<bool>,
    loops: Mutex<Vec<(&'static str, JoinHandle<()>)>>,
}

/// A loop's view of the stop signal. `stopped().await` resolves once stop was asked for (at
/// once if it already was), so a loop can `select!` on it beside its own waits.
#[derive(Clone, Debug)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    pub async fn stopped(&mut self) {
        // An error means the owner was dropped: that is a stop too.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }
}

impl BackgroundWork {
    pub fn new(runtime: Handle) -> Self {
        let (stop, _) = watch::channel(false);
        Self {
            inner: Arc::new(Inner {
                runtime,
                stop,
                loops: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Starts `body` on the runtime with its own shutdown signal. `name` is for the log.
    pub fn spawn<F, Fut>(&self, name: &'static str, body: F)
    where
        F: FnOnce(Shutdown) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let shutdown = Shutdown(self.inner.stop.subscribe());
        let handle = self.inner.runtime.spawn(body(shutdown));
        self.loops().push((name, handle));
        tracing::debug!(name, "background loop started");
    }

    /// Names of the loops still running.
    pub fn running(&self) -> Vec<&'static str> {
        self.loops()
            .iter()
            .filter(|(_, h)| !h.is_finished())
            .map(|(name, _)| *name)
            .collect()
    }

    /// Signals every loop to stop and waits until each has returned. A loop that panicked is
    /// logged, not propagated: shutting down must finish.
    pub async fn stop(&self) {
        self.inner.stop.send_replace(true);
        let loops = std::mem::take(&mut *self.loops());
        for (name, handle) in loops {
            match handle.await {
                Ok(()) => tracing::debug!(name, "background loop stopped"),
                Err(e) => tracing::error!(name, "background loop ended badly: {e}"),
            }
        }
    }

    fn loops(&self) -> std::sync::MutexGuard<'_, Vec<(&'static str, JoinHandle<()>)>> {
        // The list is only pushed to and taken whole; a panic cannot leave it half-written.
        self.inner.loops.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[tokio::test]
    async fn stop_signals_every_loop_and_waits_for_it() {
        let work = BackgroundWork::new(Handle::current());
        let cleaned_up = Arc::new(AtomicBool::new(false));
        let flag = cleaned_up.clone();
        work.spawn("forever", move |mut shutdown| async move {
            // A loop that would never end on its own.
            shutdown.stopped().await;
            flag.store(true, Ordering::SeqCst);
        });
        assert_eq!(work.running(), vec!["forever"]);
        work.stop().await;
        assert!(
            cleaned_up.load(Ordering::SeqCst),
            "stop returned before the loop ran its exit path"
        );
        assert!(work.running().is_empty());
    }

    #[tokio::test]
    async fn a_loop_started_after_stop_sees_the_signal_at_once() {
        let work = BackgroundWork::new(Handle::current());
        work.stop().await;
        let (tx, rx) = tokio::sync::oneshot::channel();
        work.spawn("late", move |shutdown| async move {
            let _ = tx.send(shutdown.is_stopped());
        });
        assert!(rx.await.unwrap());
        work.stop().await;
    }
}
