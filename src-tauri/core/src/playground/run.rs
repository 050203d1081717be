//! The run loop: send, then read the body chunk by chunk (each read bounded by the idle
//! timeout, each raced against Stop), decoding SSE with the pull-based `SseDecoder` and
//! normalising with the family's `StreamNormaliser`. Returning drops the body: the
//! connection closes, which is how the upstream generation is cancelled.

use super::outcome::{FailureKind, RunFailure, RunStats, RunStatus, RunSummary};
use super::DEFAULT_IDLE_TIMEOUT_MS;
use super::{terminator, PlaygroundEvent, PlaygroundRequest, WireEvent, WireResponse};
use crate::chat::{
    transcript_of_anthropic, transcript_of_gemini, transcript_of_openai, transcript_of_responses,
    ChatError, ChatEvent, ChatFamily, ChatTranscript, StreamNormaliser,
};
use crate::gateway::{GatewayClient, GatewayError, SentRequest};
use crate::sse::{SseDecoder, SseError, DEFAULT_MAX_EVENT_BYTES};
use futures::StreamExt;
use std::future::Future;
use std::time::{Duration, Instant};

/// The most of a non-stream body read into memory (a JSON answer, or an error page).
const MAX_BODY: usize = 32 * 1024 * 1024;
/// How much of a body the inspector is shown.
const SHOWN_BODY: usize = 256 * 1024;

/// Runs `req` on `client`, telling `emit` what happens as it happens, and returns the summary
/// (the caller sends `Done` once it has stored the turn). `stop` resolving ends the run as
/// `Stopped`, keeping what arrived.
pub async fn run<S, F>(
    client: &GatewayClient,
    req: &PlaygroundRequest,
    stop: S,
    mut emit: F,
) -> RunSummary
where
    S: Future<Output = ()>,
    F: FnMut(PlaygroundEvent),
{
    let family = req.family;
    let gateway = family.gateway_family();
    let path = family.path(&req.model, req.stream);
    // A `Value` always serialises; the bytes are exactly what the raw tab showed.
    let body = serde_json::to_vec(&req.body).unwrap_or_default();
    let sent = client.describe_request(gateway, &path, &body, req.stream);
    emit(PlaygroundEvent::Request {
        request: sent.clone(),
    });
    let idle = Duration::from_millis(
        req.idle_timeout_ms
            .unwrap_or(DEFAULT_IDLE_TIMEOUT_MS)
            .into(),
    );
    let mut run = Run::new(req, sent);
    tokio::pin!(stop);

    let opened = tokio::select! {
        opened = client.open(gateway, &path, body, req.stream) => opened,
        () = &mut stop => {
            run.fail(RunFailure::new(FailureKind::Stopped, "stopped before the gateway answered"));
            return run.finish(client);
        }
    };
    let opened = match opened {
        Ok(opened) => opened,
        Err(e) => {
            run.fail(RunFailure::from_gateway(&e));
            return run.finish(client);
        }
    };
    run.http_status = Some(opened.status);
    run.request_id = opened.request_id();
    emit(PlaygroundEvent::Response {
        response: WireResponse {
            status: opened.status,
            headers: opened.headers.clone(),
            at_ms: ms(opened.head_after),
        },
    });
    let ok = (200..300).contains(&opened.status);
    let retry_after = opened.retry_after();
    let status = opened.status;
    let mut bytes = opened.response.bytes_stream();

    if ok && opened.is_event_stream {
        let mut decoder = SseDecoder::new();
        let mut norm = StreamNormaliser::new(family);
        loop {
            let next = tokio::select! {
                biased;
                () = &mut stop => {
                    run.fail(RunFailure::new(FailureKind::Stopped, "stopped; the answer so far is kept"));
                    break;
                }
                next = tokio::time::timeout(idle, bytes.next()) => next,
            };
            match next {
                Err(_) => {
                    let secs = idle.as_secs_f64();
                    run.fail(RunFailure::new(
                        FailureKind::IdleTimeout,
                        format!("the stream sent nothing for {secs} s (the idle timeout); the answer so far is kept"),
                    ));
                    break;
                }
                Ok(None) => {
                    if decoder.finish() {
                        tracing::debug!("the stream ended inside an event; it was dropped");
                    }
                    if let Err(e) = norm.finish() {
                        run.fail(RunFailure::from_chat(&e));
                    }
                    break;
                }
                Ok(Some(Err(e))) => {
                    let e = ChatError::Stream(SseError::Transport(Box::new(e)));
                    run.fail(RunFailure::from_chat(&e));
                    break;
                }
                Ok(Some(Ok(chunk))) => {
                    run.stats.bytes += chunk.len() as u64;
                    let events = decoder.push(&chunk);
                    // The chunk's complete events are kept even when its tail is too large.
                    let go_on = run.take_events(client, &mut norm, events, &mut emit);
                    if decoder.buffered_len() > DEFAULT_MAX_EVENT_BYTES {
                        let e = ChatError::Stream(SseError::TooLarge {
                            limit: DEFAULT_MAX_EVENT_BYTES,
                        });
                        run.fail(RunFailure::from_chat(&e));
                        break;
                    }
                    if !go_on || norm.is_ended() {
                        break;
                    }
                }
            }
        }
        run.terminator_seen = norm.is_ended()
            || (family == ChatFamily::Gemini && run.transcript.finish_reason.is_some());
    } else {
        let (text, cut) = match read_body(&mut bytes, idle, &mut stop).await {
            Ok(read) => read,
            Err(failure) => {
                run.fail(failure);
                return run.finish(client);
            }
        };
        run.stats.bytes = text.len() as u64;
        // Through the client, which masks its key: an error page may echo it.
        emit(PlaygroundEvent::Body {
            text: client.shown_body(&text, SHOWN_BODY),
        });
        if !ok {
            let e = client.status_error(gateway, status, retry_after, &text);
            run.fail(RunFailure::from_gateway(&e));
        } else if cut {
            run.fail(RunFailure::new(
                FailureKind::Malformed,
                format!("the answer is larger than {} MiB", MAX_BODY >> 20),
            ));
        } else {
            match transcript_of(client, family, &text) {
                Ok(t) => {
                    run.first_token();
                    run.transcript = t;
                    run.terminator_seen = true;
                }
                Err(e) => run.fail(RunFailure::from_gateway(&e)),
            }
        }
    }
    // `bytes` drops here at the latest: the connection closes.
    drop(bytes);
    run.finish(client)
}

/// Reads a whole body, bounded in size, each chunk bounded by the idle timeout.
async fn read_body<B, E, S>(
    bytes: &mut B,
    idle: Duration,
    stop: &mut std::pin::Pin<&mut S>,
) -> Result<(Vec<u8>, bool), RunFailure>
where
    B: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
    S: Future<Output = ()>,
{
    let mut text = Vec::new();
    loop {
        let next = tokio::select! {
            biased;
            () = stop.as_mut() => return Err(RunFailure::new(FailureKind::Stopped, "stopped while the answer was read")),
            next = tokio::time::timeout(idle, bytes.next()) => next,
        };
        match next {
            Err(_) => {
                return Err(RunFailure::new(
                    FailureKind::IdleTimeout,
                    format!(
                        "the answer stalled for {} s (the idle timeout)",
                        idle.as_secs_f64()
                    ),
                ))
            }
            Ok(None) => return Ok((text, false)),
            Ok(Some(Err(e))) => {
                return Err(RunFailure::new(
                    FailureKind::Reset,
                    format!("the connection broke while the answer was read: {e}"),
                ))
            }
            Ok(Some(Ok(chunk))) => {
                if text.len() + chunk.len() > MAX_BODY {
                    return Ok((text, true));
                }
                text.extend_from_slice(&chunk);
            }
        }
    }
}

fn transcript_of(
    client: &GatewayClient,
    family: ChatFamily,
    body: &[u8],
) -> Result<ChatTranscript, GatewayError> {
    let decode = |e: serde_json::Error| client.decode_error(e, body);
    Ok(match family {
        ChatFamily::OpenAiChat => {
            transcript_of_openai(&serde_json::from_slice(body).map_err(decode)?)
        }
        ChatFamily::OpenAiResponses => {
            transcript_of_responses(&serde_json::from_slice(body).map_err(decode)?)
        }
        ChatFamily::Anthropic => {
            transcript_of_anthropic(&serde_json::from_slice(body).map_err(decode)?)
        }
        ChatFamily::Gemini => transcript_of_gemini(&serde_json::from_slice(body).map_err(decode)?),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The run's state as it goes: what the summary is built from.
struct Run {
    run_id: String,
    family: ChatFamily,
    model: String,
    request: SentRequest,
    started: Instant,
    last_event: Instant,
    first_token: Option<Instant>,
    /// When the last piece of answer arrived: speed is measured between the first and the
    /// last, so a silence before an idle timeout or a Stop does not dilute it.
    last_token: Option<Instant>,
    transcript: ChatTranscript,
    deltas: u64,
    stats: RunStats,
    failure: Option<RunFailure>,
    terminator_seen: bool,
    http_status: Option<u16>,
    request_id: Option<String>,
    conversation_id: Option<String>,
}

impl Run {
    fn new(req: &PlaygroundRequest, request: SentRequest) -> Self {
        let now = Instant::now();
        Self {
            run_id: req.run_id.clone(),
            family: req.family,
            model: req.model.clone(),
            request,
            started: now,
            last_event: now,
            first_token: None,
            last_token: None,
            transcript: ChatTranscript::default(),
            deltas: 0,
            stats: RunStats::default(),
            failure: None,
            terminator_seen: false,
            http_status: None,
            request_id: None,
            conversation_id: req.conversation_id.clone(),
        }
    }

    /// The first failure is the one reported: later ones follow from it.
    fn fail(&mut self, failure: RunFailure) {
        self.failure.get_or_insert(failure);
    }

    fn first_token(&mut self) {
        self.first_token.get_or_insert_with(Instant::now);
    }

    /// Normalises one chunk's events and emits them together. False when the stream cannot
    /// go on (a malformed event): what came before it is kept.
    fn take_events<F: FnMut(PlaygroundEvent)>(
        &mut self,
        client: &GatewayClient,
        norm: &mut StreamNormaliser,
        events: Vec<crate::sse::SseEvent>,
        emit: &mut F,
    ) -> bool {
        let mut wire = Vec::with_capacity(events.len());
        let mut chat = Vec::new();
        let mut go_on = true;
        for mut event in events {
            // A gateway may echo the key inside the stream (an error event quoting it): it is
            // masked before the inspector, the answer or the history can see it.
            if let std::borrow::Cow::Owned(masked) = client.scrub(&event.data) {
                event.data = masked;
            }
            let now = Instant::now();
            wire.push(WireEvent {
                seq: self.stats.events,
                bytes: u32::try_from(event.event.len() + event.data.len()).unwrap_or(u32::MAX),
                at_ms: ms(now - self.started),
                since_prev_ms: ms(now - self.last_event),
                event: event.event.clone(),
                data: event.data.clone(),
            });
            self.stats.events += 1;
            self.last_event = now;
            match norm.push(&event) {
                Ok(out) => {
                    for e in &out {
                        self.note(e);
                    }
                    chat.extend(out);
                }
                Err(e) => {
                    self.fail(RunFailure::from_chat(&e));
                    go_on = false;
                    break;
                }
            }
        }
        if !wire.is_empty() || !chat.is_empty() {
            emit(PlaygroundEvent::Chunk { wire, chat });
        }
        go_on
    }

    fn note(&mut self, event: &ChatEvent) {
        match event {
            ChatEvent::TextDelta { .. }
            | ChatEvent::ThinkingDelta { .. }
            | ChatEvent::Refusal { .. }
            | ChatEvent::ToolCallDelta { .. } => {
                self.first_token();
                self.last_token = Some(Instant::now());
                self.deltas += 1;
            }
            ChatEvent::GatewayError { message } => {
                let e = ChatError::Upstream {
                    message: message.clone(),
                };
                self.fail(RunFailure::from_chat(&e));
            }
            _ => {}
        }
        self.transcript.apply(event);
    }

    /// The summary. `Done` is the caller's to send: it stores the turn first. The failure's
    /// text is masked with the client's key: an HTTP error is already, but an error event
    /// inside a stream carries the gateway's words as they came.
    fn finish(mut self, client: &GatewayClient) -> RunSummary {
        if let Some(failure) = &mut self.failure {
            failure.message = client.scrub(&failure.message).into_owned();
            if let Some(said) = &mut failure.gateway_message {
                *said = client.scrub(said).into_owned();
            }
        }
        let end = Instant::now();
        self.stats.total_ms = ms(end - self.started);
        self.stats.ttft_ms = self.first_token.map(|t| ms(t - self.started));
        let (tokens, estimated) = match self.transcript.usage.output_tokens {
            Some(n) => (n, false),
            None => (self.deltas, true),
        };
        self.stats.tokens_estimated = estimated;
        // Only a stream has a speed: a JSON answer arrives whole, and deltas that all came in
        // one instant say nothing about the rate.
        self.stats.tokens_per_s = match (self.first_token, self.last_token) {
            (Some(first), Some(last)) if last > first && tokens > 0 => {
                Some(tokens as f64 / (last - first).as_secs_f64())
            }
            _ => None,
        };
        let got_something = self.first_token.is_some();
        let status = match (&self.failure, got_something) {
            (None, _) => RunStatus::Complete,
            (Some(_), true) => RunStatus::Partial,
            (Some(_), false) => RunStatus::Failed,
        };
        RunSummary {
            run_id: self.run_id,
            family: self.family,
            model: self.model,
            status,
            transcript: self.transcript,
            stats: self.stats,
            failure: self.failure,
            terminator: terminator(self.family).to_owned(),
            terminator_seen: self.terminator_seen,
            http_status: self.http_status,
            request_id: self.request_id,
            request: self.request,
            turn_id: None,
            conversation_id: self.conversation_id,
        }
    }
}
