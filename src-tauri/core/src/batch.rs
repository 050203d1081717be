//! A stream's events to the window at most once per frame. A 2,000 tokens/s stream arrives as
//! about a thousand network chunks a second, and each message to the webview is a script run
//! in its process (Tauri's channel evaluates one per message): the window spent its frames on
//! delivery. [`forward`] sends the first event of a burst at once (the first token shows with
//! no added delay), then merges what follows for up to one `window` and sends it as one
//! message. Events that cannot merge (a run's start, its end) flush what is held and go at
//! once, in order. Nothing is held past the window, so a stream that pauses still shows every
//! token it sent.

use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// About one 60 Hz frame: the window draws at most this often anyway.
pub const FRAME: Duration = Duration::from_millis(16);

/// An event of a stream that the window is sent in batches.
pub trait Batch: Sized {
    /// May this event wait (at most one window) to travel with the ones after it? A stream's
    /// chunk may; a run's start or end goes at once.
    fn mergeable(&self) -> bool;
    /// Appends `next` to `self`; both are mergeable.
    fn absorb(&mut self, next: Self);
}

/// Delivers what `events` receives to `sink`, merging bursts (see the module header), in
/// order. Ends when every sender is dropped, after delivering what it holds.
pub async fn forward<E: Batch>(
    mut events: UnboundedReceiver<E>,
    window: Duration,
    mut sink: impl FnMut(E),
) {
    let mut held: Option<E> = None;
    // When the last batch left: the first chunk after a quiet window goes at once.
    let mut last_sent: Option<Instant> = None;
    loop {
        let received = match (held.is_some(), last_sent) {
            (true, Some(at)) => match tokio::time::timeout_at(at + window, events.recv()).await {
                Ok(received) => received,
                Err(_) => {
                    if let Some(batch) = held.take() {
                        sink(batch);
                        last_sent = Some(Instant::now());
                    }
                    continue;
                }
            },
            _ => events.recv().await,
        };
        let Some(event) = received else { break };
        if !event.mergeable() {
            if let Some(batch) = held.take() {
                sink(batch);
                last_sent = Some(Instant::now());
            }
            sink(event);
            continue;
        }
        match held.as_mut() {
            Some(batch) => batch.absorb(event),
            None => held = Some(event),
        }
        let now = Instant::now();
        if last_sent.is_none_or(|at| now >= at + window) {
            if let Some(batch) = held.take() {
                sink(batch);
                last_sent = Some(now);
            }
        }
    }
    if let Some(batch) = held.take() {
        sink(batch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc::unbounded_channel;

    /// A chunk of numbers, or a marker that must not wait.
    #[derive(Debug, PartialEq)]
    enum Ev {
        Chunk(Vec<u32>),
        End,
    }

    impl Batch for Ev {
        fn mergeable(&self) -> bool {
            matches!(self, Ev::Chunk(_))
        }
        fn absorb(&mut self, next: Self) {
            if let (Ev::Chunk(a), Ev::Chunk(b)) = (self, next) {
                a.extend(b);
            }
        }
    }

    /// Runs `forward` beside a producer that sends `(delay before, event)` pairs; returns what
    /// the sink got, each with the (paused) time it got it, in ms from the start.
    async fn run(script: Vec<(u64, Ev)>) -> Vec<(u64, Ev)> {
        let (tx, rx) = unbounded_channel();
        let start = Instant::now();
        let mut got = Vec::new();
        let produce = async move {
            for (delay, ev) in script {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                tx.send(ev).expect("forward is running");
            }
        };
        let deliver = forward(rx, FRAME, |ev| {
            let at = u64::try_from(start.elapsed().as_millis()).expect("short test");
            got.push((at, ev));
        });
        tokio::join!(produce, deliver);
        got
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_chunk_goes_at_once_and_a_burst_goes_once_per_frame() {
        // A chunk every millisecond for 40 ms, then the end.
        let mut script: Vec<(u64, Ev)> = (0..40)
            .map(|i| (u64::from(i > 0), Ev::Chunk(vec![i])))
            .collect();
        script.push((0, Ev::End));
        let got = run(script).await;
        assert_eq!(
            got[0],
            (0, Ev::Chunk(vec![0])),
            "no delay for the first token"
        );
        let times: Vec<u64> = got.iter().map(|(at, _)| *at).collect();
        assert_eq!(times, vec![0, 16, 32, 39, 39], "{got:?}");
        // Every number arrives once, in order, and the end comes last.
        let numbers: Vec<u32> = got
            .iter()
            .flat_map(|(_, ev)| match ev {
                Ev::Chunk(n) => n.clone(),
                Ev::End => Vec::new(),
            })
            .collect();
        assert_eq!(numbers, (0..40).collect::<Vec<_>>());
        assert_eq!(got.last().map(|(_, ev)| ev), Some(&Ev::End));
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_chunk_is_not_kept_past_the_window_when_the_stream_pauses() {
        // Two chunks 1 ms apart, then 5 s of silence: the second must not wait for the end.
        let got = run(vec![
            (0, Ev::Chunk(vec![1])),
            (1, Ev::Chunk(vec![2])),
            (5000, Ev::End),
        ])
        .await;
        assert_eq!(
            got,
            vec![
                (0, Ev::Chunk(vec![1])),
                (16, Ev::Chunk(vec![2])),
                (5001, Ev::End)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_event_that_cannot_wait_flushes_what_is_held_first() {
        let got = run(vec![
            (0, Ev::Chunk(vec![1])),
            (2, Ev::Chunk(vec![2])),
            (2, Ev::End),
        ])
        .await;
        assert_eq!(
            got,
            vec![
                (0, Ev::Chunk(vec![1])),
                (4, Ev::Chunk(vec![2])),
                (4, Ev::End)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn what_is_held_when_the_senders_go_is_still_delivered() {
        let (tx, rx) = unbounded_channel();
        tx.send(Ev::Chunk(vec![1])).expect("open");
        tx.send(Ev::Chunk(vec![2])).expect("open");
        tx.send(Ev::Chunk(vec![3])).expect("open");
        drop(tx);
        let mut got = Vec::new();
        forward(rx, FRAME, |ev| got.push(ev)).await;
        assert_eq!(got, vec![Ev::Chunk(vec![1]), Ev::Chunk(vec![2, 3])]);
    }
}
