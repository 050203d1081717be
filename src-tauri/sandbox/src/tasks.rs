//! Async task lifecycles and artifacts shared by every media family (contract §3.11).
//!
//! A task's phase is a pure function of the time since creation and the configured task duration,
//! so progress is deterministic and tests can use milliseconds. Task faults bend that timeline:
//! `task-fail` progresses then fails, `task-stuck` never finishes, `expired` makes the finished
//! task's artifact URLs answer 404. Artifacts are tiny real files generated on request.

use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::artifacts;
use crate::faults::Fault;
use crate::request::Call;
use crate::state::Shared;
use crate::text::{hash, unix_now};

/// Where a task is in its life, before each family names it in its own vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// One async task.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub id: String,
    /// Which route family and kind created it (a task is only visible through its own polls).
    pub kind: String,
    pub model: String,
    /// The key secret that created it; other keys get "not found".
    pub owner: String,
    pub created: Instant,
    pub created_unix: u64,
    pub duration: Duration,
    pub fault: Option<Fault>,
    pub request: Value,
    pub seed: u64,
}

impl Task {
    /// Fraction of the lifetime elapsed, in `[0, 1]`.
    pub(crate) fn fraction(&self) -> f64 {
        if self.duration.is_zero() {
            return 1.0;
        }
        (self.created.elapsed().as_secs_f64() / self.duration.as_secs_f64()).min(1.0)
    }

    pub(crate) fn phase(&self) -> Phase {
        let f = self.fraction();
        match self.fault {
            Some(Fault::TaskStuck) if f < 0.15 => Phase::Queued,
            Some(Fault::TaskStuck) => Phase::Running,
            _ if f >= 1.0 && self.fault == Some(Fault::TaskFail) => Phase::Failed,
            _ if f >= 1.0 => Phase::Succeeded,
            _ if f < 0.15 => Phase::Queued,
            _ => Phase::Running,
        }
    }

    /// Progress percentage; a stuck task creeps towards but never reaches 100.
    pub(crate) fn progress(&self) -> u8 {
        match self.phase() {
            Phase::Succeeded => 100,
            Phase::Failed => (self.fraction() * 60.0) as u8,
            _ => ((self.fraction() * 100.0) as u8).min(95),
        }
    }

    /// When it reached its terminal state (Unix seconds), if it has.
    pub(crate) fn finished_unix(&self) -> Option<u64> {
        matches!(self.phase(), Phase::Succeeded | Phase::Failed)
            .then(|| self.created_unix + self.duration.as_secs())
    }

    /// Artifact URL number `n` of this task (registered on first use).
    pub(crate) fn artifact_url(&self, state: &Shared, n: usize, kind: ArtifactKind) -> String {
        let name = format!("{}-{n}.{}", self.id, kind.extension());
        state.add_artifact(
            &name,
            Artifact {
                kind,
                seed: self.seed ^ hash(&name),
                expired: self.fault == Some(Fault::Expired),
            },
        );
        format!("{}/sandbox/artifacts/{name}", state.base_url)
    }
}

/// Kind of generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArtifactKind {
    Png,
    Wav,
    Mp4,
}

impl ArtifactKind {
    fn extension(self) -> &'static str {
        match self {
            ArtifactKind::Png => "png",
            ArtifactKind::Wav => "wav",
            ArtifactKind::Mp4 => "mp4",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ArtifactKind::Png => "image/png",
            ArtifactKind::Wav => "audio/wav",
            ArtifactKind::Mp4 => "video/mp4",
        }
    }

    /// The file's bytes (small, real, deterministic).
    pub(crate) fn bytes(self, seed: u64) -> Vec<u8> {
        match self {
            ArtifactKind::Png => artifacts::png(seed, 64),
            ArtifactKind::Wav => artifacts::wav(2),
            ArtifactKind::Mp4 => artifacts::mp4(5),
        }
    }
}

/// A registered artifact; the bytes are generated when it is fetched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Artifact {
    pub kind: ArtifactKind,
    pub seed: u64,
    pub expired: bool,
}

/// Creates and stores a task owned by the call's key, with the fault the call asked for; returns
/// a copy.
pub(crate) fn create(
    state: &Shared,
    call: &Call,
    id: String,
    kind: &str,
    model: &str,
    request: Value,
) -> Task {
    let task = Task {
        seed: state.config.seed ^ hash(&id),
        id,
        kind: kind.to_owned(),
        model: model.to_owned(),
        owner: call.key.secret.clone(),
        created: Instant::now(),
        created_unix: unix_now(),
        duration: state.config.task_duration,
        fault: call.fault,
        request,
    };
    state.put_task(task.clone());
    task
}

/// A task visible to `owner` through a poll route of one of `kinds`.
pub(crate) fn find(state: &Shared, id: &str, owner: &str, kinds: &[&str]) -> Option<Task> {
    state
        .task(id)
        .filter(|t| t.owner == owner && kinds.contains(&t.kind.as_str()))
}

/// `GET /sandbox/artifacts/{name}`: public like a CDN URL (no key), 404 once "expired".
pub(crate) async fn serve_artifact(
    State(state): State<Shared>,
    Path(name): Path<String>,
) -> Response {
    match state.artifact(&name) {
        Some(a) if !a.expired => (
            [(header::CONTENT_TYPE, a.kind.content_type())],
            a.kind.bytes(a.seed),
        )
            .into_response(),
        Some(_) => (StatusCode::NOT_FOUND, "artifact expired").into_response(),
        None => (StatusCode::NOT_FOUND, "no such artifact").into_response(),
    }
}
