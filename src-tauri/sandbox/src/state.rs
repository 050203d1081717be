//! Shared server state: the configuration, per-key rate-limit windows, the shutdown signal that
//! long-lived streams watch so a sandbox never outlives its handle, and the stream counters.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::callbacks::RefusedCallbacks;
use crate::config::SandboxConfig;
use crate::creates::CreateLog;
use crate::streams::StreamStats;
use crate::task_file::TaskFile;
use crate::tasks::{Artifact, Task};
use crate::uploads::Uploads;

/// State shared by every handler.
pub(crate) struct AppState {
    pub config: SandboxConfig,
    /// Request times per key secret within the last minute.
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Flips to `true` when the sandbox shuts down.
    pub shutdown: watch::Receiver<bool>,
    /// Requests seen by the `burst` fault, to fail N then recover.
    pub burst_counter: AtomicU64,
    /// Stored objects by ID (responses), for the GET routes.
    objects: Mutex<HashMap<String, serde_json::Value>>,
    tasks: Mutex<HashMap<String, Task>>,
    artifacts: Mutex<HashMap<String, Artifact>>,
    /// `http://IP:PORT` of this sandbox, for artifact URLs.
    pub base_url: String,
    /// Open streams and streams closed by their client, also read by the [`crate::Sandbox`].
    pub streams: Arc<StreamStats>,
    /// Callbacks not delivered because their URL is not on this machine, also read by the
    /// [`crate::Sandbox`].
    pub refused_callbacks: Arc<RefusedCallbacks>,
    /// Accepted creates, read by the [`crate::Sandbox`].
    pub creates: CreateLog,
    /// Creates so far, mixed into task IDs so equal requests get distinct tasks.
    pub task_seq: AtomicU64,
    /// Polls answered with a 5xx so far, per task created under the `poll-5xx` fault.
    failed_polls: Mutex<HashMap<String, u32>>,
    /// Files taken by `POST /files/upload`, served at `/sandbox/uploads/{id}`.
    pub uploads: Uploads,
    /// Where accepted tasks are kept across restarts, when the config names a file.
    task_file: Option<TaskFile>,
}

pub(crate) type Shared = Arc<AppState>;

const WINDOW: Duration = Duration::from_secs(60);
/// Most stored responses kept at once.
const MAX_STORED: usize = 10_000;

impl AppState {
    pub(crate) fn new(
        config: SandboxConfig,
        shutdown: watch::Receiver<bool>,
        base_url: String,
        streams: Arc<StreamStats>,
        refused_callbacks: Arc<RefusedCallbacks>,
    ) -> Self {
        AppState {
            config,
            windows: Mutex::new(HashMap::new()),
            shutdown,
            burst_counter: AtomicU64::new(0),
            objects: Mutex::new(HashMap::new()),
            tasks: Mutex::new(HashMap::new()),
            artifacts: Mutex::new(HashMap::new()),
            base_url,
            streams,
            refused_callbacks,
            creates: CreateLog::default(),
            task_seq: AtomicU64::new(0),
            failed_polls: Mutex::new(HashMap::new()),
            uploads: Uploads::default(),
            task_file: None,
        }
    }

    /// Opens the config's task file, if any, and takes back the tasks it kept. A file that
    /// cannot be opened is logged and the Sandbox keeps its tasks in memory, as without one.
    pub(crate) fn with_task_file(mut self) -> Self {
        let Some(path) = self.config.task_file.clone() else {
            return self;
        };
        match TaskFile::open(&path, &self.config.keys) {
            Ok((file, tasks)) => {
                tracing::info!(path = %path.display(), tasks = tasks.len(), "sandbox tasks read back");
                self.task_seq = AtomicU64::new(u64::try_from(tasks.len()).unwrap_or(u64::MAX));
                let map = self.tasks.get_mut().unwrap_or_else(|e| e.into_inner());
                for t in tasks {
                    map.insert(t.id.clone(), t);
                }
                self.task_file = Some(file);
            }
            Err(e) => tracing::warn!(path = %path.display(), "sandbox task file not opened: {e}"),
        }
        self
    }

    /// Records one request for `secret` against a rolling one-minute window of `limit` requests.
    /// Returns `Err(seconds)` to wait (for `Retry-After`) when the window is full.
    pub(crate) fn take_request_slot(&self, secret: &str, limit: u32) -> Result<(), u64> {
        let now = Instant::now();
        // A poisoned lock only means another handler panicked; the window data is still usable.
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(secret.to_owned()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            let oldest = window.front().copied().unwrap_or(now);
            let wait = WINDOW.saturating_sub(now.duration_since(oldest));
            // Round up: a client that waits exactly Retry-After seconds must then succeed.
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        window.push_back(now);
        Ok(())
    }

    /// Keeps an object for later retrieval by ID.
    pub(crate) fn store(&self, id: &str, value: serde_json::Value) {
        let mut objects = self.objects.lock().unwrap_or_else(|e| e.into_inner());
        if objects.len() >= MAX_STORED {
            // Bounded memory under load tests; old responses are simply forgotten.
            objects.clear();
        }
        objects.insert(id.to_owned(), value);
    }

    /// A stored object.
    pub(crate) fn stored(&self, id: &str) -> Option<serde_json::Value> {
        let objects = self.objects.lock().unwrap_or_else(|e| e.into_inner());
        objects.get(id).cloned()
    }

    /// Stores a newly accepted task (and keeps it in the task file, when there is one).
    pub(crate) fn put_task(&self, task: Task) {
        if let Some(file) = &self.task_file {
            file.append(&task);
        }
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.insert(task.id.clone(), task);
    }

    pub(crate) fn task(&self, id: &str) -> Option<Task> {
        let tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.get(id).cloned()
    }

    /// The first task `matches` accepts, if any.
    pub(crate) fn task_where(&self, matches: impl Fn(&Task) -> bool) -> Option<Task> {
        let tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.values().find(|t| matches(t)).cloned()
    }

    pub(crate) fn add_artifact(&self, name: &str, artifact: Artifact) {
        let mut artifacts = self.artifacts.lock().unwrap_or_else(|e| e.into_inner());
        artifacts.insert(name.to_owned(), artifact);
    }

    pub(crate) fn artifact(&self, name: &str) -> Option<Artifact> {
        let artifacts = self.artifacts.lock().unwrap_or_else(|e| e.into_inner());
        artifacts.get(name).copied()
    }

    /// Counts one more poll of task `id`; `true` while it is still within the first `limit`
    /// polls (which the `poll-5xx` fault fails).
    pub(crate) fn poll_should_fail(&self, id: &str, limit: u32) -> bool {
        let mut polls = self.failed_polls.lock().unwrap_or_else(|e| e.into_inner());
        let n = polls.entry(id.to_owned()).or_default();
        if *n >= limit {
            return false;
        }
        *n += 1;
        true
    }
}
