//! Fault injection (issue 3, item 3): a fault is chosen per request with the header
//! `x-sandbox-fault: NAME`, or for every request with [`crate::SandboxConfig::default_fault`].
//!
//! Faults that change a whole response (429, 5xx bursts, a huge body, a wrong content type) are
//! applied here, in a middleware around every route; stream faults are applied by the SSE driver
//! (`sse.rs`) to streams, and by this middleware to JSON bodies (cut, stalled, hung, dripped or
//! malformed JSON); task faults are applied by the task store (`tasks.rs`) and the poll routes;
//! `exhausted` by the request extractor (`request.rs`), for paid requests only. The middleware
//! also checks the wire-variant headers (`variants.rs`), loosens error bodies under `loose` and
//! moves Suno and Kling errors to HTTP 200 under `suno-http-200` / `kling-http-200`.

use std::str::FromStr;
use std::sync::atomic::Ordering;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::errors::{ApiError, ErrorKind, Family};
use crate::state::Shared;
use crate::variants;

/// The request header that selects a fault.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// Size of the `huge` fault's padding: tens of MB, enough to trip any sane body limit.
const HUGE_PADDING: usize = 32 * 1024 * 1024;

/// Every fault the sandbox can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The connection is reset in the middle of a stream.
    Reset,
    /// The stream sends part of its events, stalls, then the connection closes.
    Stall,
    /// The stream sends its first few events, then goes silent with the connection open until
    /// the client drops it: a stall that never ends.
    Hang,
    /// Slow drip: the stream's bytes arrive a few at a time.
    Slow,
    /// One stream event carries data that is not valid JSON.
    Malformed,
    /// The stream ends cleanly but halfway, without its terminator.
    Truncate,
    /// An error event in the family's shape in the middle of the stream.
    StreamError,
    /// 429 with `Retry-After: 2` in the family's envelope.
    RateLimit,
    /// 500/503 for the next few requests carrying it, then one success, and so on.
    Burst,
    /// A valid JSON body padded to tens of MB.
    Huge,
    /// The body is served as `text/html`.
    WrongContentType,
    /// An async task progresses, then fails.
    TaskFail,
    /// An async task never leaves its running state.
    TaskStuck,
    /// The task succeeds but its artifact URLs answer 404 (expired).
    Expired,
    /// The balance is used up: a paid request (POST) gets
    /// [`crate::SandboxConfig::exhausted_status`] in the family's envelope (Suno code 429).
    Exhausted,
    /// 503 "system maintenance" in the family's envelope (Suno code 455).
    Maintenance,
    /// The create is accepted (a task ID comes back) but the task fails at once: Suno
    /// `CREATE_TASK_FAILED`, `failed` / `FAILED` elsewhere.
    CreateFail,
    /// The task's first [`crate::SandboxConfig::poll_failures`] polls answer 503, then the
    /// polls answer normally. Set on the create request; the polls need no header.
    Poll5xx,
}

impl Fault {
    /// Every fault, in documentation order.
    pub const ALL: [Fault; 18] = [
        Fault::Reset,
        Fault::Stall,
        Fault::Hang,
        Fault::Slow,
        Fault::Malformed,
        Fault::Truncate,
        Fault::StreamError,
        Fault::RateLimit,
        Fault::Burst,
        Fault::Huge,
        Fault::WrongContentType,
        Fault::TaskFail,
        Fault::TaskStuck,
        Fault::Expired,
        Fault::Exhausted,
        Fault::Maintenance,
        Fault::CreateFail,
        Fault::Poll5xx,
    ];

    /// The name used in the header and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Reset => "reset",
            Fault::Stall => "stall",
            Fault::Hang => "hang",
            Fault::Slow => "slow",
            Fault::Malformed => "malformed",
            Fault::Truncate => "truncate",
            Fault::StreamError => "stream-error",
            Fault::RateLimit => "rate-limit",
            Fault::Burst => "burst",
            Fault::Huge => "huge",
            Fault::WrongContentType => "wrong-content-type",
            Fault::TaskFail => "task-fail",
            Fault::TaskStuck => "task-stuck",
            Fault::Expired => "expired",
            Fault::Exhausted => "exhausted",
            Fault::Maintenance => "maintenance",
            Fault::CreateFail => "create-fail",
            Fault::Poll5xx => "poll-5xx",
        }
    }
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Fault::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
                format!("unknown fault `{s}`; known: {}", names.join(", "))
            })
    }
}

/// The fault for a request: its header, else the sandbox default. An unparsable header is an
/// error so a typo in a test does not silently test the happy path.
pub(crate) fn requested(state: &Shared, headers: &HeaderMap) -> Result<Option<Fault>, String> {
    match headers.get(FAULT_HEADER) {
        Some(v) => v
            .to_str()
            .map_err(|_| "x-sandbox-fault is not ASCII".to_owned())?
            .parse()
            .map(Some),
        None => Ok(state.config.default_fault),
    }
}

/// The fault for a request inside a handler (the middleware already rejected bad names).
pub(crate) fn of(state: &Shared, headers: &HeaderMap) -> Option<Fault> {
    requested(state, headers).ok().flatten()
}

/// Middleware applying the whole-response faults around every route, and the `loose` variant's
/// error bodies (so every error, whichever handler or extractor made it, is loosened alike).
pub(crate) async fn middleware(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let family = Family::from_path(req.uri().path());
    let checked = requested(&state, req.headers())
        .and_then(|f| variants::requested(&state, req.headers()).map(|w| (f, w)));
    let (fault, wire) = match checked {
        Ok(both) => both,
        Err(msg) => return ApiError::new(family, ErrorKind::InvalidRequest, msg).into_response(),
    };
    let response = apply(&state, family, fault, req, next).await;
    let failed = response.status().is_client_error() || response.status().is_server_error();
    let response = if wire.loose && failed {
        loosen_error(response).await
    } else {
        response
    };
    variants::business_status(family, wire, response)
}

async fn apply(
    state: &Shared,
    family: Family,
    fault: Option<Fault>,
    req: Request,
    next: Next,
) -> Response {
    match fault {
        Some(Fault::RateLimit) => {
            return ApiError::new(family, ErrorKind::RateLimit, "Rate limit exceeded")
                .with_retry_after(2)
                .into_response();
        }
        Some(Fault::Maintenance) => {
            let e = ApiError::new(family, ErrorKind::Unavailable, "System maintenance");
            // AnyInt music code 455: "system maintenance".
            let e = if family == Family::Suno {
                e.with_code(455)
            } else {
                e
            };
            return e.into_response();
        }
        Some(Fault::Burst) => {
            let len = u64::from(state.config.burst_len);
            let n = state.burst_counter.fetch_add(1, Ordering::Relaxed) % (len + 1);
            if n < len {
                // Alternate 500 and 503 so clients see both transient kinds.
                let kind = if n.is_multiple_of(2) {
                    ErrorKind::Server
                } else {
                    ErrorKind::Unavailable
                };
                return ApiError::new(
                    family,
                    kind,
                    "Upstream temporarily unavailable (sandbox burst)",
                )
                .into_response();
            }
        }
        _ => {}
    }
    let response = next.run(req).await;
    match fault {
        Some(
            f @ (Fault::Reset
            | Fault::Stall
            | Fault::Hang
            | Fault::Slow
            | Fault::Truncate
            | Fault::Malformed),
        ) if is_json(&response) => {
            let (mut parts, body) = response.into_parts();
            let Ok(bytes) = to_bytes(body, 64 * 1024 * 1024).await else {
                return ApiError::new(family, ErrorKind::Server, "body too large").into_response();
            };
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, crate::sse::faulty_body(state, bytes, f))
        }
        Some(Fault::Huge) => pad_json(response).await,
        Some(Fault::WrongContentType) => {
            let mut response = response;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        _ => response,
    }
}

/// Rewrites a JSON error body with [`crate::errors::loosen`].
async fn loosen_error(response: Response) -> Response {
    if !is_json(&response) {
        return response;
    }
    let status = response.status().as_u16();
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    crate::errors::loosen(&mut value, status);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Pads a JSON object body with a `sandbox_padding` string so it stays valid but is huge.
async fn pad_json(response: Response) -> Response {
    if !is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024 * 1024).await else {
        return ApiError::new(Family::OpenAi, ErrorKind::Server, "body too large").into_response();
    };
    let mut value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert(
            "sandbox_padding".into(),
            Value::String("x".repeat(HUGE_PADDING)),
        );
    }
    let out = serde_json::to_vec(&value).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Fault::ALL {
            assert_eq!(f.name().parse::<Fault>(), Ok(f));
        }
        assert!("nope".parse::<Fault>().is_err());
    }
}
