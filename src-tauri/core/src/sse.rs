//! Bytes -> server-sent events, per the WHATWG `text/event-stream` rules, for every streaming
//! route family (OpenAI chat and Responses, Anthropic, Gemini `alt=sse`). It knows lines and
//! fields, not what the data means (see `wire` and `chat`); it must not depend on the gateway.
//!
//! Why not the `eventsource-stream` crate (0.2.3, the usual choice; evaluated, then dropped): it was run
//! against every fixture in `../shared/fixtures` (whole, byte by byte, and in the chunk
//! boundaries of each `NAME.chunks.json`) and matched all 31 event counts of the README table,
//! but it is unfit anyway:
//! - it panics on a stream that starts with a byte-order mark (`&string[1..]` slices inside the
//!   three-byte U+FEFF), which lets any server crash the client; the BOM is part of the spec's
//!   grammar (`stream = [ bom ] *event`);
//! - it never dispatches an event whose blank line is a bare CR at the end of the stream
//!   (`data: x\r\r`, `data: x\n\r`): its parser waits for a possible LF after the last CR;
//! - its line splitting copies the rest of the buffer for every line, so one network chunk of
//!   200,000 comment lines (`sse_edge_comment_lines.sse` scaled up) took 1.3 s (release build);
//! - it offers only a `Stream` adapter, while the app also needs a sync incremental decoder.
//!
//! This decoder works on bytes: a line ends only at CR or LF, which never occur inside a
//! multi-byte UTF-8 sequence, so a character split across network chunks simply waits in the
//! partial-line buffer, and U+2028 is not a line break. Each line is decoded once.

use bytes::Bytes;
use futures::Stream;

/// The UTF-8 byte-order mark a stream may start with (stripped once, at the very start).
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Default bound on what the async adapter buffers for one event before failing: a stream
/// that never ends a line or an event must not exhaust memory.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `message` when the event named none.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The stream's last event ID at dispatch (it persists across events, per the spec).
    pub id: Option<String>,
    /// The stream's reconnection time in milliseconds, as last set by a `retry:` field.
    pub retry: Option<u64>,
}

impl SseEvent {
    /// Whether this is OpenAI's end-of-stream sentinel `data: [DONE]` (it is not JSON).
    pub fn is_done(&self) -> bool {
        is_done(&self.data)
    }
}

/// Whether `data` is OpenAI's `[DONE]` terminator (surrounding whitespace tolerated).
pub fn is_done(data: &str) -> bool {
    data.trim() == "[DONE]"
}

/// A sync, incremental decoder: feed it network chunks in order with [`SseDecoder::push`].
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of the current line not yet terminated.
    partial: Vec<u8>,
    /// The previous chunk ended with CR: an LF at the start of the next one belongs to it.
    after_cr: bool,
    /// The start of the stream has been checked for a BOM.
    started: bool,
    event_type: String,
    /// `data:` values, each followed by `\n` (the spec's data buffer).
    data: String,
    last_id: Option<String>,
    retry: Option<u64>,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one network chunk and returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        if chunk.is_empty() {
            return out;
        }
        if !self.started {
            // The BOM may itself arrive split; hold bytes until it is decided.
            let mut head = std::mem::take(&mut self.partial);
            head.extend_from_slice(chunk);
            if head.len() < BOM.len() && BOM.starts_with(&head) {
                self.partial = head;
                return out;
            }
            self.started = true;
            let body = head.strip_prefix(BOM).unwrap_or(&head);
            self.scan(body, &mut out);
            return out;
        }
        self.scan(chunk, &mut out);
        out
    }

    /// Ends the stream. Per the spec an event without its closing blank line is discarded;
    /// returns whether such an unterminated event (data already buffered or a `data` line
    /// cut off) was dropped, so callers can report a truncated stream. Resets the decoder.
    pub fn finish(&mut self) -> bool {
        let cut_line_is_data = {
            let line = self.partial.strip_prefix(BOM).unwrap_or(&self.partial);
            let name = line.split(|b| *b == b':').next().unwrap_or_default();
            !line.is_empty() && name == b"data"
        };
        let dropped = !self.data.is_empty() || cut_line_is_data;
        *self = Self::default();
        dropped
    }

    /// Bytes held for the event in progress (the partial line and the data buffer).
    pub fn buffered_len(&self) -> usize {
        self.partial.len() + self.data.len()
    }

    fn scan(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) {
        let mut start = 0;
        if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
            start = 1;
        }
        let mut i = start;
        // memchr finds the next line end many bytes at a time; a byte-by-byte loop was half
        // the decoder's time on 4 KiB chunks (tests/benches/sse_decode.rs).
        while let Some(at) = memchr::memchr2(b'\n', b'\r', &chunk[i..]) {
            i += at;
            let b = chunk[i];
            if self.partial.is_empty() {
                self.line(&chunk[start..i], out);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&chunk[start..i]);
                self.line(&line, out);
                // Keep the allocation for the next partial line.
                line.clear();
                self.partial = line;
            }
            if b == b'\r' {
                match chunk.get(i + 1) {
                    Some(b'\n') => i += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            i += 1;
            start = i;
        }
        self.partial.extend_from_slice(&chunk[start..]);
    }

    fn line(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line[0] == b':' {
            return; // a comment: keep-alives and padding
        }
        let (name, value) = match line.iter().position(|b| *b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match name {
            b"event" => self.event_type = String::from_utf8_lossy(value).into_owned(),
            b"data" => {
                // Valid UTF-8 (nearly always) is copied as is; only invalid bytes take the
                // slower lossy path. Reserving first avoids a second allocation per event for
                // the trailing newline.
                self.data.reserve(value.len() + 1);
                match std::str::from_utf8(value) {
                    Ok(text) => self.data.push_str(text),
                    Err(_) => self.data.push_str(&String::from_utf8_lossy(value)),
                }
                self.data.push('\n');
            }
            b"id" if !value.contains(&0) => {
                let id = String::from_utf8_lossy(value).into_owned();
                self.last_id = (!id.is_empty()).then_some(id);
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // Digits only; a value too large for u64 is ignored like any invalid one.
                if let Ok(ms) = std::str::from_utf8(value).unwrap_or("x").parse() {
                    self.retry = Some(ms);
                }
            }
            _ => {} // unknown fields are ignored, per the spec
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        let event_type = std::mem::take(&mut self.event_type);
        if self.data.is_empty() {
            return; // `event:` without `data:` is not dispatched
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the `\n` after the last data line
        out.push(SseEvent {
            event: if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type
            },
            data,
            id: self.last_id.clone(),
            retry: self.retry,
        });
    }
}

/// Why an event stream stopped early.
#[derive(Debug, thiserror::Error)]
pub enum SseError {
    /// The byte stream failed (connection reset, timeout); the source error is kept.
    #[error("the event stream broke: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// One event grew past the limit without ending.
    #[error("an event grew past {limit} bytes without ending")]
    TooLarge { limit: usize },
}

/// Turns a byte stream (e.g. a reqwest body) into events, bounding one event at
/// [`DEFAULT_MAX_EVENT_BYTES`]. The upstream is owned by the returned stream, so dropping it
/// drops the body and cancels the HTTP request. After an error the stream ends.
pub fn events<S, E>(upstream: S) -> impl Stream<Item = Result<SseEvent, SseError>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    events_with_limit(upstream, DEFAULT_MAX_EVENT_BYTES)
}

/// [`events`] with an explicit per-event byte limit.
pub fn events_with_limit<S, E>(
    upstream: S,
    max_event_bytes: usize,
) -> impl Stream<Item = Result<SseEvent, SseError>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    Events {
        upstream: Box::pin(upstream),
        decoder: SseDecoder::new(),
        ready: Vec::new().into_iter(),
        ended: false,
        limit: max_event_bytes,
    }
}

/// The pull-based adapter: it reads the upstream only when asked for an event and none is
/// decoded yet, so dropping it (Stop) drops the body at once. Written as a plain `Stream`
/// rather than `stream::unfold`, which moved the whole state through a future per event
/// (a third of the async path's time in tests/benches/sse_decode.rs).
struct Events<S> {
    upstream: std::pin::Pin<Box<S>>,
    decoder: SseDecoder,
    ready: std::vec::IntoIter<SseEvent>,
    ended: bool,
    limit: usize,
}

impl<S, E> Stream for Events<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    type Item = Result<SseEvent, SseError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        loop {
            if let Some(event) = this.ready.next() {
                return Poll::Ready(Some(Ok(event)));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match this.upstream.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    this.ready = this.decoder.push(&chunk).into_iter();
                    if this.decoder.buffered_len() > this.limit {
                        this.ended = true;
                        let limit = this.limit;
                        return Poll::Ready(Some(Err(SseError::TooLarge { limit })));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(SseError::Transport(Box::new(e)))));
                }
                Poll::Ready(None) => {
                    this.ended = true;
                    if this.decoder.finish() {
                        tracing::debug!("event stream ended inside an event; it was dropped");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut d = SseDecoder::new();
        chunks.iter().flat_map(|c| d.push(c)).collect()
    }

    fn bytewise(input: &[u8]) -> Vec<SseEvent> {
        let pieces: Vec<&[u8]> = input.chunks(1).collect();
        all(&pieces)
    }

    #[test]
    fn bom_is_stripped_even_when_split() {
        let input = b"\xEF\xBB\xBFdata: x\n\n";
        for events in [all(&[input]), bytewise(input)] {
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].data, "x");
        }
        // A BOM later in the stream is data, not a marker.
        let events = all(&[b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"]);
        assert_eq!(
            events.len(),
            1,
            "the field name `\\u{{feff}}data` is unknown"
        );
    }

    #[test]
    fn bare_cr_blank_line_at_end_dispatches() {
        for input in [&b"data: x\r\r"[..], b"data: x\n\r", b"data: x\r\n\r\n"] {
            assert_eq!(all(&[input]).len(), 1, "{input:?}");
            assert_eq!(bytewise(input).len(), 1, "{input:?}");
        }
    }

    #[test]
    fn crlf_split_between_chunks_is_one_line_end() {
        let events = all(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, "a\nb");
    }

    #[test]
    fn fields_follow_the_spec() {
        let events = all(&[b"id: 7\nretry: 1500\nevent: ping\ndata\ndata:  two\n: c\n\n"]);
        assert_eq!(events[0].event, "ping");
        assert_eq!(events[0].data, "\n two", "a bare `data` adds an empty line");
        assert_eq!(events[0].id.as_deref(), Some("7"));
        assert_eq!(events[0].retry, Some(1500));
        let next = all(&[b"id: 7\ndata: a\n\nretry: x\ndata: b\n\nid\ndata: c\n\n"]);
        assert_eq!(next[1].id.as_deref(), Some("7"), "the last ID persists");
        assert_eq!(next[1].retry, None, "a non-numeric retry is ignored");
        assert_eq!(next[2].id, None, "an empty id resets it");
    }

    #[test]
    fn finish_reports_a_dropped_event() {
        let mut d = SseDecoder::new();
        assert!(d.push(b"data: a\n\ndata: cut").len() == 1);
        assert!(d.finish());
        assert!(d.push(b"data: a\n").is_empty());
        assert!(d.finish(), "data without its blank line is dropped");
        assert!(d.push(b"data: a\n\n: keep-alive").len() == 1);
        assert!(!d.finish(), "a cut comment is not an event");
    }

    #[test]
    fn many_comment_lines_in_one_chunk_are_linear() {
        let mut input = ":x\n".repeat(200_000).into_bytes();
        input.extend_from_slice(b"data: y\n\n");
        let started = std::time::Instant::now();
        assert_eq!(all(&[&input]).len(), 1);
        // Linear takes milliseconds even in debug builds; the quadratic library took 1.3 s in
        // release for this input. The bound is loose so a busy machine cannot fail it.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn done_sentinel() {
        assert!(is_done("[DONE]"));
        assert!(is_done(" [DONE] "));
        assert!(!is_done("{\"done\":true}"));
    }

    #[tokio::test]
    async fn async_adapter_stops_on_transport_error_and_limits_size() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"data: a\n\ndata: b")),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "reset",
            )),
            Ok(Bytes::from_static(b"\n\n")),
        ];
        let got: Vec<_> = events(futures::stream::iter(chunks)).collect().await;
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[0], Ok(e) if e.data == "a"));
        assert!(matches!(&got[1], Err(SseError::Transport(_))));

        let big = vec![Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; 100]))];
        let got: Vec<_> = events_with_limit(futures::stream::iter(big), 64)
            .collect()
            .await;
        assert!(matches!(
            got.as_slice(),
            [Err(SseError::TooLarge { limit: 64 })]
        ));
    }

    #[tokio::test]
    async fn dropping_the_event_stream_drops_the_upstream() {
        struct Guard(std::sync::Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Guard {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let guard = Guard(dropped.clone());
        let upstream = futures::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(
            b"data: a\n\n",
        ))])
        .chain(futures::stream::pending())
        .map(move |item| {
            let _keep = &guard;
            item
        });
        let mut stream = Box::pin(events(upstream));
        assert!(matches!(stream.next().await, Some(Ok(_))));
        assert!(!dropped.load(std::sync::atomic::Ordering::SeqCst));
        drop(stream);
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    }
}
