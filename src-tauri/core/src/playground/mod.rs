//! The playground's run of one chat request, any family: the exact body goes out, and what
//! comes back is reported as it arrives (the wire: request as sent, response head, every SSE
//! event with its timing; and the normalised [`ChatEvent`]s), then summarised with stats.
//!
//! What it guarantees: a broken stream keeps every token received and says what broke
//! (reset, truncated, in-stream error, malformed event, idle timeout, stopped by the user),
//! with the gateway's own message underneath; no error ever replaces the partial answer. A
//! stream that goes silent longer than the idle timeout ends with a clear error. Stopping
//! drops the response body, which closes the connection and so cancels the generation.
//!
//! Built on `gateway` (HTTP), `sse` (framing) and `chat` (normalising); no UI, no tauri.

mod outcome;
mod prompt;
mod run;
mod simple;
mod tokens;

pub use outcome::{FailureKind, RunFailure, RunStats, RunStatus, RunSummary};
pub use prompt::prompt_of;
pub use run::run;
pub use simple::{simple_body, DEFAULT_MAX_TOKENS};
pub use tokens::count_tokens;

use crate::chat::{ChatEvent, ChatFamily};
use crate::gateway::SentRequest;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The default silence allowed between two chunks of a stream.
pub const DEFAULT_IDLE_TIMEOUT_MS: u32 = 60_000;

/// One playground send: the family, the model and the exact JSON body (the editor's raw tab).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaygroundRequest {
    /// Chosen by the window, so it can stop the run before the first answer arrives.
    pub run_id: String,
    pub family: ChatFamily,
    /// Gemini names the model in the path; the other families read it from the body.
    pub model: String,
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
    /// Stream the answer. Gemini streams by path; the others also need `stream: true` in the
    /// body, which the editor writes (the body is sent exactly as given).
    pub stream: bool,
    /// Ends a stream silent for this long between chunks. Default [`DEFAULT_IDLE_TIMEOUT_MS`].
    pub idle_timeout_ms: Option<u32>,
    /// The conversation the turn belongs to (history); `None` starts one.
    pub conversation_id: Option<String>,
}

/// The response head as received.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Milliseconds from sending to the head.
    pub at_ms: f64,
}

/// One SSE event as received, for the inspector's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WireEvent {
    pub seq: u32,
    /// The `event:` name (`message` when the stream names none).
    pub event: String,
    pub data: String,
    /// Bytes of the event's name and data (the framing is not counted).
    pub bytes: u32,
    /// Milliseconds from sending the request.
    pub at_ms: f64,
    pub since_prev_ms: f64,
}

/// What the window is told while a run goes on, in order. Events of one network chunk travel
/// together, and the app merges a burst of chunks into one message a frame (`anyint_core::batch`),
/// so a fast stream costs one message per frame, not one per token.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum PlaygroundEvent {
    Request {
        request: SentRequest,
    },
    Response {
        response: WireResponse,
    },
    Chunk {
        wire: Vec<WireEvent>,
        chat: Vec<ChatEvent>,
    },
    /// A body that is not an event stream (a JSON answer or an error page), bounded.
    Body {
        text: String,
    },
    Done {
        summary: Box<RunSummary>,
    },
}

/// A stream's chunks merge into one message; the request, response, body and summary do not
/// wait (see `crate::batch`).
impl crate::batch::Batch for PlaygroundEvent {
    fn mergeable(&self) -> bool {
        matches!(self, PlaygroundEvent::Chunk { .. })
    }

    fn absorb(&mut self, next: Self) {
        if let (
            PlaygroundEvent::Chunk { wire, chat },
            PlaygroundEvent::Chunk {
                wire: more_wire,
                chat: more_chat,
            },
        ) = (self, next)
        {
            wire.extend(more_wire);
            chat.extend(more_chat);
        }
    }
}

/// The token the family's stream ends with, as the inspector names it.
pub fn terminator(family: ChatFamily) -> &'static str {
    match family {
        ChatFamily::OpenAiChat => "[DONE]",
        ChatFamily::OpenAiResponses => "response.completed",
        ChatFamily::Anthropic => "message_stop",
        ChatFamily::Gemini => "finishReason",
    }
}
