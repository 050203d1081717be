//! Bookkeeping of streamed response bodies, so a test can check from outside what the sandbox saw
//! (issue 8: "a test shows the sandbox sees the connection closed" when the client presses Stop).
//!
//! A stream is any body the SSE driver writes: every chat stream, and a JSON body under a stream
//! fault. It is *open* while its driver runs, and *closed by the client* when the driver noticed
//! the client had gone (the body was dropped) before the stream was finished.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// Counters shared by the server and the [`crate::Sandbox`] handle.
#[derive(Debug)]
pub(crate) struct StreamStats {
    open: watch::Sender<usize>,
    closed_by_client: watch::Sender<u64>,
}

impl StreamStats {
    pub(crate) fn new() -> Arc<StreamStats> {
        Arc::new(StreamStats {
            open: watch::Sender::new(0),
            closed_by_client: watch::Sender::new(0),
        })
    }

    pub(crate) fn open(&self) -> usize {
        *self.open.borrow()
    }

    pub(crate) fn closed_by_client(&self) -> u64 {
        *self.closed_by_client.borrow()
    }

    /// Waits until at least `n` streams were closed by their client; `false` on timeout.
    pub(crate) async fn wait_closed(&self, n: u64, timeout: Duration) -> bool {
        let mut rx = self.closed_by_client.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|closed| *closed >= n))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Waits until at most `n` streams are open; `false` on timeout.
    pub(crate) async fn wait_open_at_most(&self, n: usize, timeout: Duration) -> bool {
        let mut rx = self.open.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|open| *open <= n))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// One open stream: counted from creation until it finishes or is dropped.
pub(crate) struct StreamGuard {
    stats: Arc<StreamStats>,
    finished: bool,
}

impl StreamGuard {
    pub(crate) fn new(stats: &Arc<StreamStats>) -> StreamGuard {
        stats.open.send_modify(|n| *n += 1);
        StreamGuard {
            stats: Arc::clone(stats),
            finished: false,
        }
    }

    /// The client went away before the stream ended. Counted once per stream.
    pub(crate) fn client_closed(&mut self) {
        if !self.finished {
            self.finish();
            self.stats.closed_by_client.send_modify(|n| *n += 1);
        }
    }

    fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            // Closed before the closed counter moves, so a test that saw the counter move
            // also sees the stream gone from the open count.
            self.stats.open.send_modify(|n| *n = n.saturating_sub(1));
        }
    }
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_open_until_dropped_and_a_client_close_counts_once() {
        let stats = StreamStats::new();
        let mut a = StreamGuard::new(&stats);
        let b = StreamGuard::new(&stats);
        assert_eq!(stats.open(), 2);
        a.client_closed();
        a.client_closed();
        assert_eq!((stats.open(), stats.closed_by_client()), (1, 1));
        drop(a);
        drop(b);
        assert_eq!((stats.open(), stats.closed_by_client()), (0, 1));
    }
}
