//! A run's events reach the window's channel merged to about one message a frame
//! (`anyint_core::batch`). Tauri's channel runs one script in the webview per message, and at
//! 2,000 tokens/s one message per network chunk kept the page busy with deliveries instead of
//! drawing.

use anyint_core::batch::{self, Batch};
use std::future::Future;
use tauri::ipc::{Channel, IpcResponse};
use tokio::sync::mpsc::unbounded_channel;

/// The emitter to hand the core, and the delivery to run beside it (`tokio::join!`): it ends
/// once the emitter is dropped (the run is over) and everything it took has gone out. `gone`
/// is called once, the first time the window is not listening any more.
pub fn batched<E>(
    channel: Channel<E>,
    gone: impl FnOnce() + Send,
) -> (impl FnMut(E) + Send, impl Future<Output = ()> + Send)
where
    E: Batch + IpcResponse + Send,
{
    let (tx, rx) = unbounded_channel();
    // The receiver lives as long as the delivery, which outlives the run: a send cannot fail.
    let emit = move |event: E| {
        let _ = tx.send(event);
    };
    let mut gone = Some(gone);
    let deliver = batch::forward(rx, batch::FRAME, move |event| {
        if let Err(e) = channel.send(event) {
            if let Some(gone) = gone.take() {
                tracing::warn!("the window stopped listening to a run; stopping it: {e}");
                gone();
            }
        }
    });
    (emit, deliver)
}
