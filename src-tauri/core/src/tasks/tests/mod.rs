//! Tests of the durable side against a scripted [`TaskBackend`] double and a temp SQLite file.

mod artifacts;
mod center;
mod download;
mod notices;
mod poller;

use super::center::{SubmitArgs, TaskCenter};
use super::poller::Backends;
use super::{
    ArtifactKind, ArtifactRef, ArtifactSource, BackendFailure, Created, PollReport, TaskBackend,
    TaskState,
};
use crate::store::Store;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use tokio::time::Instant;

/// What the double's create does.
#[derive(Clone)]
pub enum CreateMode {
    /// Answers with a new gateway id `gw-N`.
    Task,
    /// Waits for `release` before answering like `Task`.
    Gate(Arc<Notify>),
    Fail(BackendFailure),
    Panic,
    Finished(PollReport),
}

/// A scripted gateway: creates are counted; each gateway id answers its polls from a queue, the
/// last answer repeating.
pub struct Double {
    pub creates: AtomicU32,
    pub created: Notify,
    mode: Mutex<CreateMode>,
    script: Mutex<HashMap<String, VecDeque<Result<PollReport, BackendFailure>>>>,
    default_script: Mutex<Vec<Result<PollReport, BackendFailure>>>,
    pub poll_times: Mutex<Vec<(String, Instant)>>,
    /// Where `open_content` paths go, with the gateway's key.
    pub content_base: Mutex<Option<String>>,
}

impl Double {
    pub fn new(mode: CreateMode) -> Arc<Self> {
        Arc::new(Self {
            creates: AtomicU32::new(0),
            created: Notify::new(),
            mode: Mutex::new(mode),
            script: Mutex::new(HashMap::new()),
            default_script: Mutex::new(vec![Ok(report(TaskState::Succeeded, vec![]))]),
            poll_times: Mutex::new(Vec::new()),
            content_base: Mutex::new(None),
        })
    }

    /// Every task created from now on answers its polls with `answers` in turn.
    pub fn script_all(&self, answers: Vec<Result<PollReport, BackendFailure>>) {
        *self.default_script.lock().unwrap() = answers;
    }

    pub fn polls_of(&self, gateway_id: &str) -> Vec<Instant> {
        self.poll_times
            .lock()
            .unwrap()
            .iter()
            .filter(|(g, _)| g == gateway_id)
            .map(|(_, t)| *t)
            .collect()
    }

    pub fn poll_count(&self) -> usize {
        self.poll_times.lock().unwrap().len()
    }
}

impl TaskBackend for Double {
    async fn create(&self, _route: &str, _body: &Value) -> Result<Created, BackendFailure> {
        let n = self.creates.fetch_add(1, Ordering::SeqCst) + 1;
        self.created.notify_waiters();
        let mode = self.mode.lock().unwrap().clone();
        let answer = match mode {
            CreateMode::Task => None,
            CreateMode::Gate(release) => {
                release.notified().await;
                None
            }
            CreateMode::Fail(f) => return Err(f),
            CreateMode::Panic => panic!("the double's create panics on purpose"),
            CreateMode::Finished(r) => Some(Created::Finished(r)),
        };
        if let Some(answer) = answer {
            return Ok(answer);
        }
        let id = format!("gw-{n}");
        let script = self.default_script.lock().unwrap().clone();
        self.script
            .lock()
            .unwrap()
            .insert(id.clone(), script.into_iter().collect());
        Ok(Created::Task {
            gateway_task_id: id.clone(),
            raw: json!({"id": id}),
        })
    }

    async fn poll(&self, _route: &str, id: &str) -> Result<PollReport, BackendFailure> {
        self.poll_times
            .lock()
            .unwrap()
            .push((id.to_string(), Instant::now()));
        // An await point, as a real request has: lets overlapping polls interleave.
        tokio::task::yield_now().await;
        let mut script = self.script.lock().unwrap();
        let queue = script.entry(id.to_string()).or_insert_with(|| {
            self.default_script
                .lock()
                .unwrap()
                .clone()
                .into_iter()
                .collect()
        });
        if queue.len() > 1 {
            queue.pop_front().unwrap()
        } else {
            queue.front().cloned().unwrap()
        }
    }

    async fn open_content(&self, path: &str) -> Result<reqwest::Response, BackendFailure> {
        let base = self.content_base.lock().unwrap().clone().unwrap();
        reqwest::Client::new()
            .get(format!("{base}{path}"))
            .bearer_auth("sk-gateway-only")
            .send()
            .await
            .map_err(|e| failure(None, &e.to_string(), true))
    }
}

/// Every connection gets the same double.
pub struct OneBackend(pub Arc<Double>);

impl Backends for OneBackend {
    type Backend = Double;
    fn backend(&self, connection_id: &str) -> Result<Arc<Double>, BackendFailure> {
        match connection_id {
            "locked" => Err(failure(None, "the keychain is locked", true)),
            "deleted" => Err(failure(None, "no connection `deleted`", false)),
            _ => Ok(self.0.clone()),
        }
    }
}

pub fn report(state: TaskState, artifacts: Vec<ArtifactRef>) -> PollReport {
    PollReport {
        state,
        raw_status: format!("raw-{}", state.as_str()),
        progress: None,
        artifacts,
        failure: (state == TaskState::Failed).then(|| "content policy".to_string()),
        raw: json!({"status": state.as_str()}),
    }
}

pub fn failure(status: Option<u16>, message: &str, retryable: bool) -> BackendFailure {
    BackendFailure {
        status,
        message: message.into(),
        retryable,
        retry_after: None,
        raw: None,
    }
}

pub fn inline(bytes: &[u8]) -> ArtifactRef {
    use base64::Engine;
    ArtifactRef {
        kind: ArtifactKind::Image,
        source: ArtifactSource::Inline {
            mime: "image/png".into(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        },
        name_hint: None,
        item_id: None,
    }
}

pub fn url_artifact(kind: ArtifactKind, url: String, hint: Option<&str>) -> ArtifactRef {
    ArtifactRef {
        kind,
        source: ArtifactSource::Url { url },
        name_hint: hint.map(str::to_string),
        item_id: None,
    }
}

/// A center over a fresh file-backed store in `dir`, artifacts in `dir/artifacts`.
pub fn center_in(dir: &std::path::Path) -> Arc<TaskCenter> {
    let store = Store::open(dir).unwrap();
    Arc::new(TaskCenter::new(store, dir.join("artifacts")))
}

pub fn args<'a>(submission_id: &'a str, body: &'a Value) -> SubmitArgs<'a> {
    SubmitArgs {
        connection_id: "sandbox",
        route: "suno.generate",
        body,
        label: None,
        submission_id,
        parent_task_id: None,
        rerun_of: None,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
