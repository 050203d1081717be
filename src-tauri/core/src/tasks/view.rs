//! What the window sees of the task center: rows for the Tasks table, one task's page, the list
//! filter and its page, the music lineage tree, and the transition event the app turns into a
//! desktop notification. Plain data; the store fills it, `desk::tasks` hands it out.

use super::{ArtifactKind, TaskState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most rows one list call returns, so one IPC reply stays small (the table virtualises and
/// asks for pages).
pub const MAX_TASK_PAGE: u32 = 500;

impl ArtifactKind {
    pub const ALL: [ArtifactKind; 4] = [Self::Image, Self::Video, Self::Audio, Self::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a task cost: what the gateway said (Suno credits), or else the user's price table
/// applied to what the task made (`tasks::cost`). `None`: no price for its model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskCost {
    pub amount: f64,
    /// `credits`, `USD`...: the gateway's own unit, or the price's currency.
    pub unit: String,
    /// How it was reckoned: "reported by the gateway", "2 images × 0.04".
    pub basis: String,
}

/// One row of the Tasks table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskRow {
    pub id: String,
    /// The connection it was submitted on; polled with that connection's key.
    pub connection_id: String,
    /// A route id such as `suno.generate`.
    pub route: String,
    /// The part of the route before the dot: `suno`, `openai`, `dashscope`, `kling`.
    pub family: String,
    /// The body's `model` (or `mv` for Suno), when it has one.
    pub model: Option<String>,
    /// The user's label, or the prompt's first words: what notifications call the task.
    pub label: String,
    pub state: TaskState,
    /// The family's own status word (`in_progress`, `FIRST_SUCCESS`...), shown on hover.
    pub raw_status: Option<String>,
    /// 0..=100 where the family reports it.
    pub progress: Option<f32>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339: the last state change or poll answer.
    pub updated_at: String,
    /// RFC 3339, once terminal.
    pub finished_at: Option<String>,
    /// The gateway's id, once the create request was answered.
    pub gateway_task_id: Option<String>,
    /// Why it failed, expired or was cancelled, in words.
    pub error: Option<String>,
    pub artifact_count: u32,
    /// The task this one derives from (extend, cover, stems... of a song): the lineage edge.
    pub parent_task_id: Option<String>,
    /// The task this is a re-run of (same parameters, a new submission on purpose).
    pub rerun_of: Option<String>,
    pub cost: Option<TaskCost>,
}

/// Where an artifact is on its way to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactState {
    /// Known, not fetched yet (or to be fetched again after a restart).
    Pending,
    Downloading,
    /// On disk under `path`, checksum recorded.
    Saved,
    /// The URL no longer answers (403/404/410): re-run the task to get a new one.
    Expired,
    /// Fetching failed for another reason; `error` says which.
    Failed,
}

impl ArtifactState {
    pub const ALL: [ArtifactState; 5] = [
        Self::Pending,
        Self::Downloading,
        Self::Saved,
        Self::Expired,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Downloading => "downloading",
            Self::Saved => "saved",
            Self::Expired => "expired",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One result file of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactView {
    /// 0-based position among the task's artifacts.
    pub index: u32,
    pub kind: ArtifactKind,
    pub state: ArtifactState,
    /// Absolute path on disk, once saved (inside the artifacts folder).
    pub path: Option<String>,
    /// The sanitised file name it is (or will be) saved under.
    pub file_name: String,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    /// Hex sha256 of the saved bytes.
    pub sha256: Option<String>,
    pub mime: Option<String>,
    /// Where it came from: the URL for a URL source, the gateway path for gateway content,
    /// `inline` for bytes in the answer.
    pub source: String,
    /// The family's id for this item (Suno audio id...).
    pub item_id: Option<String>,
    pub error: Option<String>,
}

/// One recorded poll (or create) answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskPollView {
    /// 0-based count of answers for this task; gaps mean middle answers were dropped.
    pub seq: u32,
    /// RFC 3339.
    pub at: String,
    /// HTTP status when the answer was a failure with one.
    pub http_status: Option<u16>,
    /// The family's status word, when the answer had one.
    pub raw_status: Option<String>,
    /// The shared state it mapped to, when it was an answer (not a failure).
    pub state: Option<TaskState>,
    /// The answer's body as received (or the failure's text).
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
    pub error: Option<String>,
}

/// A task's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetail {
    pub task: TaskRow,
    /// The body exactly as sent (re-run resends it).
    #[ts(type = "unknown")]
    pub request: serde_json::Value,
    /// The answers kept: the first few and the last few of each task.
    pub polls: Vec<TaskPollView>,
    /// How many answers were received in all (more than `polls.len()` when some were dropped).
    pub poll_count: u32,
    pub artifacts: Vec<ArtifactView>,
    /// Cancel is offered (the task is not terminal).
    pub can_cancel: bool,
    /// Cancel only stops tracking: the gateway may still finish (and charge for) the task.
    pub cancel_is_local: bool,
}

/// Which tasks the table shows. Every field narrows; empty means "any".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskFilter {
    pub states: Vec<TaskState>,
    pub family: Option<String>,
    pub route: Option<String>,
    /// Matched (case-insensitively) in the label, model, route and gateway task id.
    pub text: Option<String>,
    pub offset: u32,
    /// Cut to [`MAX_TASK_PAGE`].
    pub limit: u32,
}

impl Default for TaskFilter {
    fn default() -> Self {
        Self {
            states: Vec::new(),
            family: None,
            route: None,
            text: None,
            offset: 0,
            limit: 100,
        }
    }
}

/// One page of the table, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskPage {
    pub rows: Vec<TaskRow>,
    /// How many match the filter in all.
    pub total: u32,
}

/// A task and everything derived from it (music lineage).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineageNode {
    pub task: TaskRow,
    pub children: Vec<LineageNode>,
}

/// A state change, reported on the channel the app hands the poller. The app turns each
/// terminal one into exactly one notification, then calls `mark_notified`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskTransition {
    pub task_id: String,
    pub from: TaskState,
    pub to: TaskState,
    pub label: String,
    pub family: String,
    pub route: String,
    /// The failure text, for "Video failed: content policy".
    pub error: Option<String>,
}

/// A submit from the window or the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskSubmit {
    /// The connection to submit on; the active one when absent.
    pub connection_id: Option<String>,
    pub route: String,
    /// The create body, sent as is.
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
    /// A name for the task; the prompt's first words when absent.
    pub label: Option<String>,
    /// Made once per click by the window: the same id twice gives the first task back.
    pub submission_id: String,
    /// The task this derives from (extend a song...).
    pub parent_task_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_state_words_round_trip() {
        for s in ArtifactState::ALL {
            assert_eq!(ArtifactState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ArtifactState::parse("gone"), None);
    }

    #[test]
    fn filter_fields_are_optional() {
        let f: TaskFilter = serde_json::from_str(r#"{"states":["queued"]}"#).unwrap();
        assert_eq!(f.states, vec![TaskState::Queued]);
        assert_eq!(f.limit, 100);
    }
}
