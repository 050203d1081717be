//! How a run ended: the summary the window shows under the answer and the history stores.

use crate::chat::{ChatError, ChatFamily, ChatTranscript};
use crate::gateway::{GatewayError, SentRequest};
use crate::sse::SseError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

// Deserialize: a saved comparison keeps its columns' status and stats (`store::comparisons`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunStatus {
    /// The answer ended the way the family ends one.
    Complete,
    /// Something arrived, then the run broke or was stopped: what arrived is kept.
    Partial,
    /// Nothing of an answer arrived (an HTTP error, an unreachable gateway).
    Failed,
}

/// What broke, in the words the UI shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FailureKind {
    /// The gateway answered with a non-2xx status.
    Http,
    Unreachable,
    /// No response head within the request timeout.
    Timeout,
    /// The connection broke mid-stream.
    Reset,
    /// The stream ended without the family's terminator or a finish reason.
    Truncated,
    /// `event: error`, an error object in the stream, or a failed Responses run.
    InStreamError,
    /// An event that is not the family's JSON (or a JSON answer that is not).
    Malformed,
    /// The stream went silent longer than the idle timeout.
    IdleTimeout,
    /// The user pressed Stop.
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunFailure {
    pub kind: FailureKind,
    /// What happened, for people.
    pub message: String,
    /// The gateway's own words, when it said any (its error envelope's message).
    pub gateway_message: Option<String>,
    pub status: Option<u16>,
    #[ts(type = "number | null")]
    pub retry_after_s: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunStats {
    /// From sending to the first piece of answer (text, thinking or a tool call).
    pub ttft_ms: Option<f64>,
    pub total_ms: f64,
    /// Output tokens per second after the first token.
    pub tokens_per_s: Option<f64>,
    /// True when the family reported no output count and `tokens_per_s` counts deltas.
    pub tokens_estimated: bool,
    pub events: u32,
    /// Far below 2^53: `number` is exact in TypeScript.
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub run_id: String,
    pub family: ChatFamily,
    pub model: String,
    pub status: RunStatus,
    pub transcript: ChatTranscript,
    pub stats: RunStats,
    pub failure: Option<RunFailure>,
    /// What ends this family's stream, and whether it came (a non-stream answer: `true`).
    pub terminator: String,
    pub terminator_seen: bool,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    pub request: SentRequest,
    /// The stored turn and its conversation, once the history has it.
    pub turn_id: Option<String>,
    pub conversation_id: Option<String>,
}

impl RunFailure {
    pub(super) fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            gateway_message: None,
            status: None,
            retry_after_s: None,
        }
    }

    /// A failure before or instead of an answer: the gateway's error, kept whole.
    pub(super) fn from_gateway(e: &GatewayError) -> Self {
        let kind = match e {
            GatewayError::Status { .. } => FailureKind::Http,
            GatewayError::Timeout { .. } => FailureKind::Timeout,
            GatewayError::Decode { .. } => FailureKind::Malformed,
            GatewayError::Transport { .. } => FailureKind::Reset,
            _ => FailureKind::Unreachable,
        };
        let (gateway_message, status, retry_after_s) = match e {
            GatewayError::Status {
                message,
                status,
                retry_after,
                ..
            } => (
                Some(message.clone()),
                Some(*status),
                retry_after.map(|d| d.as_secs()),
            ),
            _ => (None, None, None),
        };
        Self {
            kind,
            message: e.to_string(),
            gateway_message,
            status,
            retry_after_s,
        }
    }

    /// A failure of the stream after the head: what broke, in the family's terms.
    pub(super) fn from_chat(e: &ChatError) -> Self {
        match e {
            ChatError::Gateway(g) => Self::from_gateway(g),
            ChatError::Stream(SseError::Transport(_)) => Self::new(
                FailureKind::Reset,
                format!("the connection broke mid-stream: {e}"),
            ),
            ChatError::Stream(SseError::TooLarge { .. }) | ChatError::Decode { .. } => {
                Self::new(FailureKind::Malformed, e.to_string())
            }
            ChatError::Upstream { message } => Self {
                gateway_message: Some(message.clone()),
                ..Self::new(
                    FailureKind::InStreamError,
                    "the gateway reported an error inside the stream",
                )
            },
            ChatError::Truncated { .. } => Self::new(FailureKind::Truncated, e.to_string()),
        }
    }
}
