//! Async task lifecycles and artifacts shared by every media family (contract §3.11).
//!
//! A task's phase is a pure function of the time since creation and the task's duration
//! ([`crate::SandboxConfig::task_duration`], or `x-sandbox-task-ms` on the create), so progress
//! is deterministic and tests can use milliseconds. Task faults bend that timeline: `task-fail`
//! progresses then fails, `create-fail` fails at once, `task-stuck` never finishes, `expired`
//! makes the finished task's artifact URLs answer 404 (as does
//! [`crate::SandboxConfig::artifact_ttl`] once it has passed), and `poll-5xx` fails the task's
//! first polls. Artifacts are real files generated on request (`large_files.rs` for sized ones).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::artifacts;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::faults::Fault;
use crate::large_files::ArtifactBytes;
use crate::request::Call;
use crate::state::Shared;
use crate::text::{hash, make_id, unix_now, SplitMix64};

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
            Some(Fault::CreateFail) => Phase::Failed,
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
            Phase::Failed if self.fault == Some(Fault::CreateFail) => 0,
            Phase::Failed => (self.fraction() * 60.0) as u8,
            _ => ((self.fraction() * 100.0) as u8).min(95),
        }
    }

    /// When it reached its terminal state (Unix seconds), if it has.
    pub(crate) fn finished_unix(&self) -> Option<u64> {
        if self.fault == Some(Fault::CreateFail) {
            return Some(self.created_unix);
        }
        matches!(self.phase(), Phase::Succeeded | Phase::Failed)
            .then(|| self.created_unix + self.duration.as_secs())
    }

    /// Why a failed task failed, for the families' failure messages.
    pub(crate) fn failure_cause(&self) -> &'static str {
        match self.fault {
            Some(Fault::CreateFail) => "sandbox create-fail fault: the task could not be created",
            _ => "sandbox task-fail fault",
        }
    }

    /// Whether this task's downloads have expired (`expired` fault, or the artifact TTL).
    pub(crate) fn content_expired(&self, state: &Shared) -> bool {
        self.fault == Some(Fault::Expired)
            || state
                .config
                .artifact_ttl
                .is_some_and(|ttl| self.created.elapsed() >= self.duration + ttl)
    }

    /// Artifact URL number `n` of this task (registered on first use).
    pub(crate) fn artifact_url(&self, state: &Shared, n: usize, kind: ArtifactKind) -> String {
        let name = format!("{}-{n}.{}", self.id, kind.extension());
        let expires_at = state
            .config
            .artifact_ttl
            .map(|ttl| self.created + self.duration + ttl);
        state.add_artifact(
            &name,
            Artifact {
                kind,
                seed: self.seed ^ hash(&name),
                expired: self.fault == Some(Fault::Expired),
                expires_at,
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

    pub(crate) fn content_type(self) -> &'static str {
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
    /// Expired from the start (the `expired` fault).
    pub expired: bool,
    /// When the URL stops answering ([`crate::SandboxConfig::artifact_ttl`]).
    pub expires_at: Option<Instant>,
}

impl Artifact {
    pub(crate) fn is_expired(&self) -> bool {
        self.expired || self.expires_at.is_some_and(|t| Instant::now() >= t)
    }
}

/// A fresh task ID with `prefix`: seeded by the sandbox seed and the create's sequence number,
/// so a run is reproducible and two creates with the same body get two tasks (a re-run is a new
/// paid job, not the old one).
pub(crate) fn new_id(state: &Shared, prefix: &str) -> String {
    let n = state.task_seq.fetch_add(1, Ordering::Relaxed);
    let mut rng = SplitMix64::new(state.config.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    loop {
        let id = make_id(prefix, &mut rng);
        if state.task(&id).is_none() {
            return id;
        }
    }
}

/// The `poll-5xx` fault: the task's first [`crate::SandboxConfig::poll_failures`] polls answer
/// 503 (upstream temporarily unavailable) in the family's envelope before the poll answers
/// normally.
pub(crate) fn poll_gate(state: &Shared, family: Family, task: &Task) -> Result<(), ApiError> {
    if task.fault != Some(Fault::Poll5xx) {
        return Ok(());
    }
    if !state.poll_should_fail(&task.id, state.config.poll_failures) {
        return Ok(());
    }
    Err(ApiError::new(
        family,
        ErrorKind::Unavailable,
        "Upstream temporarily unavailable (sandbox poll-5xx fault)",
    ))
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
        duration: call.task_duration.unwrap_or(state.config.task_duration),
        fault: call.fault,
        request,
    };
    state.put_task(task.clone());
    state.creates.record(kind, &call.key.secret, &call.body);
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
    headers: HeaderMap,
) -> Response {
    match state.artifact(&name) {
        Some(a) if !a.is_expired() => {
            let bytes = ArtifactBytes::new(a.kind, a.seed, state.config.artifact_size);
            bytes.respond(a.kind, &headers)
        }
        Some(_) => (StatusCode::NOT_FOUND, "artifact expired").into_response(),
        None => (StatusCode::NOT_FOUND, "no such artifact").into_response(),
    }
}

/// The bytes `url` serves: an artifact URL, or a video's `/content` route.
pub(crate) fn bytes_of(state: &Shared, url: &str) -> Option<ArtifactBytes> {
    let path = url.strip_prefix(&state.base_url).unwrap_or(url);
    let size = state.config.artifact_size;
    if let Some(name) = path.strip_prefix("/sandbox/artifacts/") {
        let a = state.artifact(name)?;
        return Some(ArtifactBytes::new(a.kind, a.seed, size));
    }
    let id = path
        .strip_prefix("/openai/v1/videos/")?
        .strip_suffix("/content")?;
    let task = state.task(id)?;
    Some(ArtifactBytes::new(ArtifactKind::Mp4, task.seed, size))
}
