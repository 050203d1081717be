//! Prints SSE decode throughput: the core's `anyint_core::sse` (the sync `SseDecoder::push`
//! loop, and the async `sse::events` adapter) against the `eventsource-stream` crate, on the
//! same bytes cut into the same chunks (4 KiB and 64 KiB). The input is realistic OpenAI chat
//! completion streams of 2,000 tokens each (role chunk, 2,000 content chunks, finish chunk,
//! usage chunk, `[DONE]`), repeated to about 50 MB and read as one byte stream. Reported as
//! MB/s (10^6 bytes) and the ratio core/eventsource-stream (issue 8: >= 2x and >= 500 MB/s).
//! Figures to compare runs, never asserted. Both async decoders are driven the same way: a
//! `futures::stream::iter` over the prepared `Bytes` chunks, on `futures::executor::block_on`.
//! Run (release): `cargo bench -p anyint-tests --bench sse_decode`.

// A benchmark, like the test crates: a broken setup may panic with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anyint_core::sse::{self, SseDecoder};
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::hint::black_box;
use std::time::Instant;

const TOKENS: usize = 2_000;
/// Events of one stream: role chunk, the tokens, finish chunk, usage chunk, `[DONE]`.
const EVENTS_PER_STREAM: usize = TOKENS + 4;
const TARGET_BYTES: usize = 50_000_000;
const PASSES: usize = 5;
const CHUNK_SIZES: [usize; 2] = [4 * 1024, 64 * 1024];

/// Token texts as a model streams them: leading spaces, punctuation, a newline, a quote and
/// non-ASCII text, so the JSON has escapes and multi-byte characters split across chunks.
const WORDS: [&str; 16] = [
    " the",
    " stream",
    " of",
    " tokens",
    ",",
    " and",
    " a",
    " quote: \\\"ok\\\"",
    " café",
    " 数据",
    ".\\n\\n",
    " Then",
    " it",
    " goes",
    " on",
    " —",
];

/// What a decoder saw: events, data bytes, and (when asked) a digest of every name and data.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Seen {
    events: u64,
    data_bytes: u64,
    digest: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decoder {
    CoreSync,
    CoreAsync,
    EventsourceStream,
}

impl Decoder {
    const ALL: [Decoder; 3] = [
        Decoder::CoreSync,
        Decoder::CoreAsync,
        Decoder::EventsourceStream,
    ];

    fn name(self) -> &'static str {
        match self {
            Decoder::CoreSync => "core SseDecoder::push (sync)",
            Decoder::CoreAsync => "core sse::events (async)",
            Decoder::EventsourceStream => "eventsource-stream 0.2.3 (async)",
        }
    }

    /// Decodes `chunks` once. With `hash`, also digests every event (the warm-up pass only,
    /// so the timed passes measure decoding and nothing else).
    fn run(self, chunks: Vec<Bytes>, hash: bool) -> Seen {
        let mut seen = Seen::default();
        let mut hasher = DefaultHasher::new();
        let mut note = |event: &str, data: &str| {
            seen.events += 1;
            seen.data_bytes += data.len() as u64;
            if hash {
                event.hash(&mut hasher);
                data.hash(&mut hasher);
            }
        };
        match self {
            Decoder::CoreSync => {
                let mut decoder = SseDecoder::new();
                for chunk in &chunks {
                    for e in decoder.push(chunk) {
                        note(&e.event, &e.data);
                    }
                }
                assert!(!decoder.finish(), "the input ends on an event boundary");
            }
            Decoder::CoreAsync => {
                let upstream =
                    futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
                futures::executor::block_on(async {
                    let mut events = std::pin::pin!(sse::events(upstream));
                    while let Some(e) = events.next().await {
                        let e = e.expect("no transport errors in a replay");
                        note(&e.event, &e.data);
                    }
                });
            }
            Decoder::EventsourceStream => {
                let upstream =
                    futures::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
                futures::executor::block_on(async {
                    let mut events = upstream.eventsource();
                    while let Some(e) = events.next().await {
                        let e = e.expect("valid UTF-8 and SSE");
                        note(&e.event, &e.data);
                    }
                });
            }
        }
        seen.digest = if hash { hasher.finish() } else { 0 };
        black_box(seen)
    }
}

/// One OpenAI chat completion stream of [`TOKENS`] tokens, as the gateway sends it.
fn one_stream(n: usize, out: &mut Vec<u8>) {
    let id = format!("chatcmpl-{n:08x}");
    let head = format!(
        r#"data: {{"id":"{id}","object":"chat.completion.chunk","created":1,"model":"gpt-5","choices":[{{"index":0,"delta":"#
    );
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(
        br#"{"role":"assistant","content":"","refusal":null},"finish_reason":null}]}"#,
    );
    out.extend_from_slice(b"\n\n");
    for t in 0..TOKENS {
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(br#"{"content":""#);
        out.extend_from_slice(WORDS[(t * 7 + n) % WORDS.len()].as_bytes());
        out.extend_from_slice(br#""},"finish_reason":null}]}"#);
        out.extend_from_slice(b"\n\n");
    }
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(br#"{},"finish_reason":"stop"}]}"#);
    out.extend_from_slice(b"\n\n");
    let usage = format!(
        r#"data: {{"id":"{id}","object":"chat.completion.chunk","created":1,"model":"gpt-5","choices":[],"usage":{{"prompt_tokens":6,"completion_tokens":{TOKENS},"total_tokens":{}}}}}"#,
        TOKENS + 6
    );
    out.extend_from_slice(usage.as_bytes());
    out.extend_from_slice(b"\n\n");
    out.extend_from_slice(b"data: [DONE]\n\n");
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / secs / 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

fn main() {
    if cfg!(debug_assertions) {
        println!("note: a debug build; run with `cargo bench` for release figures");
    }
    let mut body = Vec::with_capacity(TARGET_BYTES + (1 << 20));
    let mut streams = 0;
    while body.len() < TARGET_BYTES {
        one_stream(streams, &mut body);
        streams += 1;
    }
    let body = Bytes::from(body);
    let expected = (streams * EVENTS_PER_STREAM) as u64;
    println!(
        "input: {streams} OpenAI chat streams x {EVENTS_PER_STREAM} events ({TOKENS} tokens) = \
         {expected} events, {:.2} MB; one warm-up (checked) + median of {PASSES} passes",
        body.len() as f64 / 1e6
    );
    let mut summary = Vec::new();
    for size in CHUNK_SIZES {
        let chunks: Vec<Bytes> = (0..body.len())
            .step_by(size)
            .map(|at| body.slice(at..(at + size).min(body.len())))
            .collect();
        println!("\nchunks of {} KiB ({} chunks):", size / 1024, chunks.len());
        // Warm-up, with every event digested: all three must see the same events.
        let warm: Vec<Seen> = Decoder::ALL
            .iter()
            .map(|d| d.run(chunks.clone(), true))
            .collect();
        let mut times = vec![Vec::new(); Decoder::ALL.len()];
        let mut counts = vec![0u64; Decoder::ALL.len()];
        for _ in 0..PASSES {
            // Interleaved, so a drift in the machine's load hits every decoder alike.
            for (i, d) in Decoder::ALL.iter().enumerate() {
                let input = chunks.clone();
                let started = Instant::now();
                let seen = d.run(input, false);
                times[i].push(started.elapsed().as_secs_f64());
                counts[i] = seen.events;
            }
        }
        let speeds: Vec<f64> = times
            .iter()
            .map(|t| mb_per_s(body.len(), median(t.clone())))
            .collect();
        for (i, d) in Decoder::ALL.iter().enumerate() {
            let (lo, hi) = times[i]
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), t| (lo.min(*t), hi.max(*t)));
            println!(
                "  {:<34} {:>8.1} MB/s  (passes {:.0}..{:.0} ms)  events {}",
                d.name(),
                speeds[i],
                lo * 1e3,
                hi * 1e3,
                counts[i]
            );
        }
        let same = warm.iter().all(|w| *w == warm[0]) && warm[0].events == expected;
        if same {
            println!(
                "  events: all three saw the same {} events ({} data bytes, same digest)",
                warm[0].events, warm[0].data_bytes
            );
        } else {
            for (d, w) in Decoder::ALL.iter().zip(&warm) {
                println!(
                    "  events DIFFER: {:<34} {} events, {} data bytes, digest {:016x} (expected {expected})",
                    d.name(),
                    w.events,
                    w.data_bytes,
                    w.digest
                );
            }
        }
        let (sync, asy, lib) = (speeds[0], speeds[1], speeds[2]);
        println!(
            "  ratio core async / eventsource-stream: {:.2}x (target >= 2x: {})",
            asy / lib,
            verdict(asy / lib >= 2.0)
        );
        println!(
            "  ratio core sync  / eventsource-stream: {:.2}x (target >= 2x: {})",
            sync / lib,
            verdict(sync / lib >= 2.0)
        );
        println!(
            "  core >= 500 MB/s: async {} ({asy:.0}), sync {} ({sync:.0})",
            verdict(asy >= 500.0),
            verdict(sync >= 500.0)
        );
        summary.push((size, sync, asy, lib));
    }
    println!();
    for (size, sync, asy, lib) in summary {
        println!(
            "{:>2} KiB chunks: core sync {sync:.0} MB/s, core async {asy:.0} MB/s, \
             eventsource-stream {lib:.0} MB/s; core async/eventsource-stream {:.2}x",
            size / 1024,
            asy / lib
        );
    }
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}
