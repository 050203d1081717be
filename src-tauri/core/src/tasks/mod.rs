//! The task center: media and music jobs that outlive a request (contract §3.11, decisions 4-6).
//!
//! The shape, shared by every part of this module:
//! - `routes` names every task route (create, poll, content) per family; `client` speaks them
//!   over a `GatewayClient` and turns each family's answer into the shared types below. It knows
//!   nothing of SQLite.
//! - `state`, `center`, `poller` and `download` own the durable side: the row written before the
//!   create request, one compare-and-set transition function, the poller, the artifacts on disk.
//!   They reach the gateway only through [`TaskBackend`], so they are tested with a double.
//!
//! Never depends on tauri; transitions are reported on a channel the caller hands in.

mod artifacts;
pub mod center;
pub mod client;
pub mod cost;
pub mod download;
pub mod inbox;
pub mod inputs;
pub mod limits;
mod notices;
pub mod poller;
pub mod routes;
pub mod state;
pub mod view;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::future::Future;
use std::time::Duration;
use ts_rs::TS;

/// One internal state machine over every family's vocabulary (decision 5). The family's own
/// word is kept beside it as `raw_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// The row exists; the create request has not been answered yet (or is being reconciled).
    Submitting,
    Queued,
    Running,
    /// Some results exist (Suno `FIRST_SUCCESS`, `TEXT_SUCCESS`), more are coming.
    Partial,
    Succeeded,
    Failed,
    Cancelled,
    /// Finished, but its artifact URLs no longer answer (DashScope's last 24 h).
    Expired,
}

impl TaskState {
    pub const ALL: [TaskState; 8] = [
        Self::Submitting,
        Self::Queued,
        Self::Running,
        Self::Partial,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitting => "submitting",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Partial => "partial",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Terminal states never change again, except succeeded -> expired when the URLs lapse.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Failed | Self::Cancelled | Self::Expired
        )
    }
}

/// What kind of file an artifact is, for the players and the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    Image,
    Video,
    Audio,
    /// Lyrics, timestamps, style text: saved as a `.json` or `.txt` file.
    Text,
}

/// Where an artifact's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArtifactSource {
    /// A URL the family returned. Fetched without any auth header unless it is on the gateway's
    /// own host (issue 9: no key to another host).
    Url { url: String },
    /// A gateway route that needs the key (OpenAI `GET /videos/{id}/content`): path relative to
    /// the family prefix, e.g. `/videos/video_123/content`.
    GatewayContent { path: String },
    /// Bytes inline in the answer (OpenAI `b64_json`, Gemini `inlineData`, lyrics text).
    Inline { mime: String, base64: String },
}

/// One result file a task produced, before it is downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRef {
    pub kind: ArtifactKind,
    pub source: ArtifactSource,
    /// A name the family suggests (a song title, "stem-vocals"): only a hint, sanitised before
    /// it becomes a file name; never the URL's own file name trusted as is.
    pub name_hint: Option<String>,
    /// The family's id for this item (Suno audio id, Kling video id), for lineage and re-download.
    pub item_id: Option<String>,
}

/// What one create or poll answer said, in the shared vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct PollReport {
    pub state: TaskState,
    /// The family's own status word (`in_progress`, `SUCCEEDED`, `FIRST_SUCCESS`, `succeed`).
    pub raw_status: String,
    /// 0..=100 where the family reports it.
    pub progress: Option<f32>,
    pub artifacts: Vec<ArtifactRef>,
    /// The family's failure text (`errorMessage`, `task_status_msg`, `error.message`).
    pub failure: Option<String>,
    /// The answer as received, kept on the task's page.
    pub raw: Value,
}

/// What a create request returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// An async task: poll it by this id.
    Task { gateway_task_id: String, raw: Value },
    /// A sync route (OpenAI images, Gemini image, DashScope image, Suno style/persona/timestamped
    /// lyrics): finished in the answer itself.
    Finished(PollReport),
}

/// Why a create or poll did not give an answer. `retryable` follows decision 6: 429 and 5xx and
/// transport errors back off (honouring `retry_after`); 400/401/403 never retry.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendFailure {
    pub status: Option<u16>,
    pub message: String,
    pub retryable: bool,
    pub retry_after: Option<Duration>,
    /// The gateway's own body (key masked), shown under the message.
    pub raw: Option<String>,
}

/// How the durable side reaches the gateway. `client::TaskClient` is the real one; tests use a
/// double. `route` is a `routes::RouteId` word such as `suno.generate`.
pub trait TaskBackend: Send + Sync {
    fn create(
        &self,
        route: &str,
        body: &Value,
    ) -> impl Future<Output = Result<Created, BackendFailure>> + Send;
    fn poll(
        &self,
        route: &str,
        gateway_task_id: &str,
    ) -> impl Future<Output = Result<PollReport, BackendFailure>> + Send;
    /// Opens an `ArtifactSource::GatewayContent` path with the family's auth, for streaming to
    /// disk. `Url` sources are fetched by `download` itself, with no auth header at all.
    fn open_content(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<reqwest::Response, BackendFailure>> + Send;
}
