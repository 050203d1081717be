//! The SSE driver shared by every streaming route: writes a family's planned frames with the
//! configured pacing (time-to-first-token, tokens per second) and applies the stream faults
//! (reset, stall, hang, slow drip, malformed JSON, truncation, mid-stream error event) and the
//! wire variants (CRLF line endings, keep-alive comments; see `variants.rs`).

mod writer;

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;
use tokio::time::Instant;

use crate::faults::Fault;
use crate::state::Shared;
use crate::variants::Wire;
pub(crate) use writer::faulty_body;
use writer::Writer;

/// Below this many buffered bytes an unpaced stream keeps batching frames into one write.
const BATCH_BYTES: usize = 16 * 1024;

/// One SSE event.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    event: Option<String>,
    data: String,
    /// Whether this frame carries a generated token (paced by the token rate).
    token: bool,
}

impl Frame {
    /// `data: <json>` with no event name.
    pub(crate) fn data(json: &Value) -> Frame {
        Frame {
            event: None,
            data: json.to_string(),
            token: false,
        }
    }

    /// `event: <name>` + `data: <json>`.
    pub(crate) fn event(name: &str, json: &Value) -> Frame {
        Frame {
            event: Some(name.to_owned()),
            data: json.to_string(),
            token: false,
        }
    }

    /// `data: <text>` verbatim (e.g. `[DONE]`).
    pub(crate) fn raw(text: &str) -> Frame {
        Frame {
            event: None,
            data: text.to_owned(),
            token: false,
        }
    }

    /// Already-serialized data, optionally under an event name.
    pub(crate) fn text(event: Option<&str>, data: String) -> Frame {
        Frame {
            event: event.map(str::to_owned),
            data,
            token: false,
        }
    }

    /// Marks the frame as carrying a token.
    pub(crate) fn token(mut self) -> Frame {
        self.token = true;
        self
    }

    /// Appends the event, every line ending in `eol` (`\n`, or `\r\n` under `crlf`).
    fn encode(&self, out: &mut Vec<u8>, eol: &[u8]) {
        if let Some(e) = &self.event {
            out.extend_from_slice(b"event: ");
            out.extend_from_slice(e.as_bytes());
            out.extend_from_slice(eol);
        }
        for line in self.data.split('\n') {
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(eol);
        }
        out.extend_from_slice(eol);
    }
}

/// A planned stream: its frames (generated lazily, so thousands of concurrent long streams do not
/// hold every frame in memory), how many of them carry tokens, and the family's error event.
pub(crate) struct Plan {
    frames: Box<dyn Iterator<Item = Frame> + Send>,
    tokens: usize,
    /// Where a fault strikes when the stream has no token frames.
    fallback_strike: usize,
    error: Frame,
}

impl Plan {
    /// A plan from a list of frames.
    pub(crate) fn new(frames: Vec<Frame>, error: Frame) -> Plan {
        Plan {
            tokens: frames.iter().filter(|f| f.token).count(),
            fallback_strike: frames.len() / 2,
            frames: Box::new(frames.into_iter()),
            error,
        }
    }

    /// A plan of `head`, then `tokens` token frames made by `make`, then `tail`.
    pub(crate) fn lazy<T, F>(
        head: Vec<Frame>,
        tokens: Vec<T>,
        make: F,
        tail: Vec<Frame>,
        error: Frame,
    ) -> Plan
    where
        T: Send + 'static,
        F: FnMut(T) -> Frame + Send + 'static,
    {
        Plan {
            tokens: tokens.len(),
            fallback_strike: head.len(),
            frames: Box::new(
                head.into_iter()
                    .chain(tokens.into_iter().map(make))
                    .chain(tail),
            ),
            error,
        }
    }
}

/// A serialized JSON event with one string slot, filled per token without rebuilding the JSON.
pub(crate) struct Template {
    pre: String,
    post: String,
}

impl Template {
    /// The slot marker to put in the JSON value where the token goes.
    pub(crate) const SLOT: &'static str = "\u{1}";

    pub(crate) fn new(value: &Value) -> Template {
        let text = value.to_string();
        // serde_json writes the control character U+0001 as the escape `\u0001`.
        match text.split_once("\"\\u0001\"") {
            Some((pre, post)) => Template {
                pre: pre.to_owned(),
                post: post.to_owned(),
            },
            None => Template {
                pre: text,
                post: String::new(),
            },
        }
    }

    /// The event data with `token` (JSON-escaped) in the slot.
    pub(crate) fn fill(&self, token: &str) -> String {
        let escaped = serde_json::to_string(token).unwrap_or_default();
        let mut out = String::with_capacity(self.pre.len() + escaped.len() + self.post.len());
        out.push_str(&self.pre);
        out.push_str(&escaped);
        out.push_str(&self.post);
        out
    }
}

/// Starts streaming `plan` and returns the `text/event-stream` response.
pub(crate) fn respond(state: &Shared, plan: Plan, fault: Option<Fault>, wire: Wire) -> Response {
    let (writer, body) = Writer::new(state, fault, wire);
    let pacing = Pacing {
        first_token_delay: state.config.first_token_delay,
        token_rate: wire.token_rate,
        stall: state.config.stall_duration,
        hang_after: state.config.hang_after_events,
    };
    tokio::spawn(drive(writer, plan, fault, pacing));
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Timing of a stream, and where the timed faults strike.
struct Pacing {
    first_token_delay: Duration,
    token_rate: Option<f64>,
    stall: Duration,
    /// Events sent before the `hang` fault goes silent.
    hang_after: usize,
}

async fn drive(mut w: Writer, plan: Plan, fault: Option<Fault>, pacing: Pacing) {
    // The fault strikes at the middle token, so the client has seen some content first.
    let strike_token = plan.tokens / 2;
    let mut token_ordinal = 0;
    let paced =
        pacing.token_rate.is_some() || !pacing.first_token_delay.is_zero() || w.drip.is_some();
    let mut first_token_at: Option<Instant> = None;
    let mut tokens_sent = 0u32;
    let hang = fault == Some(Fault::Hang);
    for (i, frame) in plan.frames.enumerate() {
        if hang && i == pacing.hang_after {
            w.hold().await;
            return;
        }
        let strike = if plan.tokens > 0 {
            frame.token && token_ordinal == strike_token
        } else {
            i == plan.fallback_strike
        };
        if frame.token {
            token_ordinal += 1;
        }
        if strike {
            match fault {
                Some(Fault::Reset) => {
                    // Give the client time to read what was sent: a reset discards data still
                    // unread in its socket buffer, and the point is a break *after* content.
                    if w.flush().await && w.sleep(Duration::from_millis(100)).await {
                        w.abort().await;
                    }
                    return;
                }
                Some(Fault::Stall) => {
                    if w.flush().await && w.sleep(pacing.stall).await {
                        w.abort().await;
                    }
                    return;
                }
                Some(Fault::Truncate) => {
                    let _ = w.flush().await;
                    return;
                }
                Some(Fault::StreamError) => {
                    w.push(&plan.error);
                    let _ = w.flush().await;
                    return;
                }
                Some(Fault::Malformed) => {
                    // A JSON object cut short, as a buggy proxy would forward it.
                    w.push(&Frame {
                        event: frame.event.clone(),
                        data: "{\"sandbox\": \"malformed".into(),
                        token: false,
                    });
                }
                _ => {}
            }
        }
        if frame.token {
            let start = match first_token_at {
                Some(t) => t,
                None => {
                    if !w.flush().await {
                        return;
                    }
                    let t = Instant::now() + pacing.first_token_delay;
                    first_token_at = Some(t);
                    t
                }
            };
            // Scheduled from the first token so the average rate does not drift.
            let due = match pacing.token_rate {
                Some(rate) => start + Duration::from_secs_f64(f64::from(tokens_sent) / rate),
                None => start,
            };
            if due > Instant::now() && !w.sleep_until(due).await {
                return;
            }
            tokens_sent += 1;
        }
        w.push(&frame);
        if (paced || w.buf.len() >= BATCH_BYTES) && !w.flush().await {
            return;
        }
    }
    if hang {
        // A plan shorter than `hang_after` still never finishes.
        w.hold().await;
        return;
    }
    let _ = w.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_fill_escapes_and_matches_a_fresh_serialization() {
        let make = |t: &str| json!({"choices": [{"delta": {"content": t}}], "id": "x"});
        let template = Template::new(&make(Template::SLOT));
        for token in [
            "plain",
            " quote\" and \\ slash",
            "line\nbreak",
            "数据 café",
            "\u{2028}",
        ] {
            assert_eq!(template.fill(token), make(token).to_string(), "{token:?}");
        }
    }

    #[test]
    fn frames_encode_as_sse() {
        let mut out = Vec::new();
        Frame::event("ping", &json!({"type": "ping"})).encode(&mut out, b"\n");
        Frame::raw("[DONE]").encode(&mut out, b"\n");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "event: ping\ndata: {\"type\":\"ping\"}\n\ndata: [DONE]\n\n"
        );
    }

    #[test]
    fn frames_encode_with_crlf_on_every_line() {
        let mut out = Vec::new();
        Frame::text(Some("x"), "a\nb".into()).encode(&mut out, b"\r\n");
        assert_eq!(out, b"event: x\r\ndata: a\r\ndata: b\r\n\r\n");
    }
}
