//! The byte side of a stream: buffers encoded frames with the wire's line endings and keep-alive
//! comments, sends them to the response body (whole, or dripped a few bytes at a time), and
//! notices when the client has gone or the sandbox is stopping.

use std::io;
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::Frame;
use crate::faults::Fault;
use crate::state::Shared;
use crate::streams::StreamGuard;
use crate::variants::Wire;

/// Size of each piece of a `slow` (drip) stream; small enough to split UTF-8 characters.
const DRIP_PIECE: usize = 5;

type Chunk = Result<Bytes, io::Error>;

pub(super) struct Writer {
    tx: mpsc::Sender<Chunk>,
    pub(super) buf: Vec<u8>,
    shutdown: watch::Receiver<bool>,
    pub(super) drip: Option<Duration>,
    guard: StreamGuard,
    /// `\r\n` under the `crlf` variant, else `\n`.
    eol: &'static [u8],
    /// Under `keep-alive`: a comment before every this-many events.
    keep_alive_every: Option<u64>,
    events: u64,
}

/// Why a wait ended early.
enum Interrupted {
    ClientGone,
    Shutdown,
}

impl Writer {
    /// A writer and the response body it feeds.
    pub(super) fn new(state: &Shared, fault: Option<Fault>, wire: Wire) -> (Writer, Body) {
        let (tx, rx) = mpsc::channel::<Chunk>(16);
        let writer = Writer {
            tx,
            buf: Vec::new(),
            shutdown: state.shutdown.clone(),
            drip: (fault == Some(Fault::Slow)).then_some(state.config.drip_interval),
            guard: StreamGuard::new(&state.streams),
            eol: if wire.crlf { b"\r\n" } else { b"\n" },
            keep_alive_every: wire
                .keep_alive
                .then_some(u64::from(state.config.keep_alive_every.max(1))),
            events: 0,
        };
        let body = Body::from_stream(futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        }));
        (writer, body)
    }

    /// Buffers one event, preceded by a keep-alive comment when one is due.
    pub(super) fn push(&mut self, frame: &Frame) {
        if let Some(every) = self.keep_alive_every {
            if self.events.is_multiple_of(every) {
                // Both spellings seen in the wild; a reader must skip any comment line.
                let text: &[u8] = if (self.events / every).is_multiple_of(2) {
                    b": keep-alive"
                } else {
                    b": ping"
                };
                self.buf.extend_from_slice(text);
                self.buf.extend_from_slice(self.eol);
                self.buf.extend_from_slice(self.eol);
            }
        }
        frame.encode(&mut self.buf, self.eol);
        self.events += 1;
    }

    /// Sends the buffer; `false` when the client went away or the sandbox is stopping.
    pub(super) async fn flush(&mut self) -> bool {
        if self.buf.is_empty() {
            return true;
        }
        let bytes = std::mem::take(&mut self.buf);
        if let Some(interval) = self.drip {
            for piece in bytes.chunks(DRIP_PIECE) {
                if !self.send(Bytes::copy_from_slice(piece)).await || !self.sleep(interval).await {
                    return false;
                }
            }
            return true;
        }
        self.send(Bytes::from(bytes)).await
    }

    async fn send(&mut self, bytes: Bytes) -> bool {
        if self.tx.send(Ok(bytes)).await.is_ok() {
            return true;
        }
        self.note(Interrupted::ClientGone);
        false
    }

    /// Sleeps; `false` if the client went away or the sandbox shut down meanwhile.
    pub(super) async fn sleep(&mut self, duration: Duration) -> bool {
        self.sleep_until(Instant::now() + duration).await
    }

    pub(super) async fn sleep_until(&mut self, deadline: Instant) -> bool {
        match self.wait(Some(deadline)).await {
            None => true,
            Some(why) => {
                self.note(why);
                false
            }
        }
    }

    /// Sends what is buffered, then stays silent with the connection open until the client
    /// goes away or the sandbox stops: a stall that never ends.
    pub(super) async fn hold(&mut self) {
        if self.flush().await {
            if let Some(why) = self.wait(None).await {
                self.note(why);
            }
        }
    }

    /// Waits for `deadline` (forever when `None`); `Some` when interrupted first. The client
    /// is watched too, so a dropped connection is noticed while the stream is quiet, not only
    /// at its next write (a client pressing Stop during a slow drip or a stall).
    async fn wait(&mut self, deadline: Option<Instant>) -> Option<Interrupted> {
        if *self.shutdown.borrow() {
            return Some(Interrupted::Shutdown);
        }
        let timer = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = timer => None,
            _ = self.shutdown.wait_for(|stop| *stop) => Some(Interrupted::Shutdown),
            () = self.tx.closed() => Some(Interrupted::ClientGone),
        }
    }

    fn note(&mut self, why: Interrupted) {
        // Streams torn down by a sandbox shutdown were not closed by their client.
        if matches!(why, Interrupted::ClientGone) && !*self.shutdown.borrow() {
            self.guard.client_closed();
        }
    }

    /// Aborts the response body: hyper then drops the connection without a clean end.
    pub(super) async fn abort(&mut self) {
        let _ = self
            .tx
            .send(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "sandbox fault",
            )))
            .await;
    }
}

/// A non-SSE body with a stream fault applied, so JSON routes can rehearse broken transfers too:
/// `reset` / `stall` break the connection after half the bytes, `hang` sends half and then holds
/// the connection open, `truncate` ends cleanly at half, `malformed` sends the whole length with
/// invalid JSON, `slow` drips the whole body.
pub(crate) fn faulty_body(state: &Shared, bytes: Bytes, fault: Fault) -> Body {
    let (mut w, body) = Writer::new(state, Some(fault), Wire::default());
    let stall = state.config.stall_duration;
    tokio::spawn(async move {
        let half = bytes.get(..bytes.len() / 2).unwrap_or_default().to_vec();
        match fault {
            Fault::Reset | Fault::Stall => {
                w.buf = half;
                let pause = if fault == Fault::Stall {
                    stall
                } else {
                    Duration::from_millis(100)
                };
                if w.flush().await && w.sleep(pause).await {
                    w.abort().await;
                }
            }
            Fault::Hang => {
                w.buf = half;
                w.hold().await;
            }
            Fault::Truncate => {
                w.buf = half;
                let _ = w.flush().await;
            }
            Fault::Malformed => {
                // Same length class as the real body, but a stray comma makes it invalid JSON.
                w.buf = b"{,".to_vec();
                w.buf.extend_from_slice(bytes.get(1..).unwrap_or_default());
                let _ = w.flush().await;
            }
            _ => {
                w.buf = bytes.to_vec();
                let _ = w.flush().await;
            }
        }
    });
    body
}
