//! The task center: submit (row first, then the create request), what one answer does to a
//! task (shared by submit's sync answers and the poller), cancel, and the reads the window
//! needs. Every state change goes through [`state::transition`]; every transition won is sent
//! on the events channel the app handed in.

use super::download::Downloader;
use super::state::{self, Moved};
use super::view::{
    LineageNode, TaskDetail, TaskFilter, TaskPage, TaskRow, TaskTransition, MAX_TASK_PAGE,
};
use super::{Created, PollReport, TaskBackend, TaskState};
use crate::error::DeskError;
use crate::store::{NewPoll, NewTaskRow, Store, StoreError, TaskPatch};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Mutex;
use tokio::sync::mpsc::UnboundedSender;

/// What a task that was `submitting` when the app stopped is told. The create request may or
/// may not have reached the gateway; sending it again could pay twice, so it is not re-sent.
pub const INTERRUPTED_SUBMIT: &str = "The app stopped while submitting this task, so the \
    gateway's answer (and its task id) never arrived. Check the gateway's task list or your \
    balance before re-running: re-running may pay twice.";
/// What a cancelled task says: no family here has a documented cancel route.
pub const LOCAL_CANCEL: &str = "Cancelled here: the app stopped tracking it. The gateway may \
    still finish (and charge for) the task.";

/// States a task is tracked in: what "running" counts in the status bar.
pub const ACTIVE: [TaskState; 4] = [
    TaskState::Submitting,
    TaskState::Queued,
    TaskState::Running,
    TaskState::Partial,
];

/// A submit, as the Desk passes it on.
#[derive(Debug, Clone)]
pub struct SubmitArgs<'a> {
    pub connection_id: &'a str,
    pub route: &'a str,
    pub body: &'a Value,
    pub label: Option<&'a str>,
    pub submission_id: &'a str,
    pub parent_task_id: Option<&'a str>,
    pub rerun_of: Option<&'a str>,
}

/// What applying one answer left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The task's state now (after this call's move, or someone else's).
    pub state: TaskState,
    /// Some files could not be fetched yet and are worth another try.
    pub downloads_pending: bool,
}

#[derive(Debug)]
pub struct TaskCenter {
    store: Store,
    downloader: Downloader,
    events: Mutex<Option<UnboundedSender<TaskTransition>>>,
    /// Tells a running poller about a task it should track.
    tracker: Mutex<Option<UnboundedSender<String>>>,
    /// Answers kept per task: the first and the last this many.
    pub(crate) keep_polls: (u32, u32),
    /// Notifications being shown by this process (`tasks::notices`).
    pub(super) notices: super::notices::Claims,
}

impl TaskCenter {
    pub fn new(store: Store, artifacts_dir: PathBuf) -> Self {
        Self {
            store,
            downloader: Downloader::new(artifacts_dir),
            events: Mutex::new(None),
            tracker: Mutex::new(None),
            keep_polls: (5, 20),
            notices: super::notices::Claims::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn downloader(&self) -> &Downloader {
        &self.downloader
    }

    /// Where transitions are reported from now on.
    pub fn set_events(&self, events: UnboundedSender<TaskTransition>) {
        *lock(&self.events) = Some(events);
    }

    pub(crate) fn set_tracker(&self, tracker: Option<UnboundedSender<String>>) {
        *lock(&self.tracker) = tracker;
    }

    fn emit(&self, moved: Moved) -> bool {
        match moved {
            Moved::Won(t) => {
                if let Some(tx) = lock(&self.events).as_ref() {
                    // A closed receiver (the window went away) must not stop the task center.
                    let _ = tx.send(t);
                }
                true
            }
            Moved::Lost | Moved::Refused => false,
        }
    }

    /// The one way this file changes a task's state: [`state::transition`], then report it.
    pub(crate) fn transition(
        &self,
        id: &str,
        from: TaskState,
        to: TaskState,
        patch: &TaskPatch,
    ) -> Result<bool, StoreError> {
        let moved = state::transition(&self.store, id, from, to, patch, &now())?;
        Ok(self.emit(moved))
    }

    /// Writes the row (state `submitting`), then sends the create request. The same
    /// `submission_id` again returns the first task and sends nothing.
    pub async fn submit<B: TaskBackend>(
        &self,
        backend: &B,
        args: &SubmitArgs<'_>,
    ) -> Result<TaskRow, DeskError> {
        if args.route.trim().is_empty() || !args.route.contains('.') {
            return Err(DeskError::InvalidInput(format!(
                "`{}` is not a task route (expected e.g. `suno.generate`)",
                args.route
            )));
        }
        if args.submission_id.trim().is_empty() {
            return Err(DeskError::InvalidInput(
                "a submission id is required (one per click)".into(),
            ));
        }
        if !args.body.is_object() {
            return Err(DeskError::InvalidInput(
                "the task body must be a JSON object".into(),
            ));
        }
        let id = new_task_id();
        let label = state::label_for(args.label, args.route, args.body);
        let model = state::model_of(args.body);
        let now = now();
        let (row, created) = self.store.insert_task(&NewTaskRow {
            id: &id,
            submission_id: args.submission_id,
            connection_id: args.connection_id,
            route: args.route,
            family: state::family_of(args.route),
            model: model.as_deref(),
            label: &label,
            request: args.body,
            parent_task_id: args.parent_task_id,
            rerun_of: args.rerun_of,
            now: &now,
        })?;
        if !created {
            return Ok(row);
        }
        match backend.create(args.route, args.body).await {
            Ok(Created::Task {
                gateway_task_id,
                raw,
            }) => {
                self.record(&id, None, None, None, &raw, None)?;
                let patch = TaskPatch {
                    gateway_task_id: Some(gateway_task_id),
                    ..TaskPatch::default()
                };
                self.transition(&id, TaskState::Submitting, TaskState::Queued, &patch)?;
                if let Some(tx) = lock(&self.tracker).as_ref() {
                    let _ = tx.send(id.clone());
                }
            }
            Ok(Created::Finished(report)) => {
                self.apply_report(backend, &id, TaskState::Submitting, &report, true)
                    .await?;
            }
            Err(failure) => {
                let message = match failure.status {
                    Some(status) => format!("the gateway refused the task (HTTP {status}): {}", failure.message),
                    // Refused before sending (the client's own checks): nothing went out.
                    None if !failure.retryable => failure.message.clone(),
                    // No answer at all: the request may or may not have arrived.
                    None => format!(
                        "no answer from the gateway ({}); if it did arrive, the gateway may still run it: check before re-running",
                        failure.message
                    ),
                };
                let body = failure.raw.clone().map_or(Value::Null, Value::String);
                self.record(&id, failure.status, None, None, &body, Some(&message))?;
                let patch = TaskPatch {
                    error: Some(message),
                    ..TaskPatch::default()
                };
                self.transition(&id, TaskState::Submitting, TaskState::Failed, &patch)?;
            }
        }
        self.task(&id)
    }

    /// Records one answer on the task's page (bounded per task).
    pub(crate) fn record(
        &self,
        id: &str,
        http_status: Option<u16>,
        raw_status: Option<&str>,
        state: Option<TaskState>,
        body: &Value,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = now();
        let poll = NewPoll {
            at: &now,
            http_status,
            raw_status,
            state,
            body,
            error,
        };
        let (first, last) = self.keep_polls;
        self.store.record_task_poll(id, &poll, first, last)
    }

    /// What one answer does to a task last seen in `seen`: its artifacts recorded and fetched,
    /// then the move to the answer's state. A success becomes `succeeded` only once its files
    /// are on disk (or `expired` if their URLs lapsed); while a fetch is worth retrying the task
    /// stays where it is, unless `give_up` (the deadline passed): then it is `succeeded` with
    /// the failure noted on the file.
    pub(crate) async fn apply_report<B: TaskBackend>(
        &self,
        backend: &B,
        id: &str,
        seen: TaskState,
        report: &PollReport,
        give_up: bool,
    ) -> Result<Applied, StoreError> {
        let quiet = report.artifacts.is_empty()
            && report.state == seen
            && !seen.is_terminal()
            && seen != TaskState::Submitting;
        if quiet {
            // The common answer ("still running"): one commit, no file work, no re-read.
            let at = now();
            let poll = NewPoll {
                at: &at,
                http_status: None,
                raw_status: Some(&report.raw_status),
                state: Some(report.state),
                body: &report.raw,
                error: report.failure.as_deref(),
            };
            let touch = (seen, Some(report.raw_status.as_str()), report.progress);
            let state =
                self.store
                    .record_task_poll_and_touch(id, &poll, self.keep_polls, Some(touch))?;
            return Ok(Applied {
                state: state.unwrap_or(TaskState::Cancelled),
                downloads_pending: false,
            });
        }
        self.record(
            id,
            None,
            Some(&report.raw_status),
            Some(report.state),
            &report.raw,
            report.failure.as_deref(),
        )?;
        self.merge_artifacts(id, report)?;
        let mut target = report.state;
        let mut patch = TaskPatch {
            raw_status: Some(report.raw_status.clone()),
            progress: report.progress,
            error: report.failure.clone(),
            gateway_task_id: None,
        };
        let mut downloads_pending = false;
        if matches!(
            target,
            TaskState::Partial | TaskState::Running | TaskState::Succeeded
        ) {
            let fetched = self.fetch_artifacts(backend, id).await?;
            downloads_pending = fetched.retry_later;
            if target == TaskState::Succeeded {
                if let Some(why) = fetched.expired {
                    target = TaskState::Expired;
                    patch.error = Some(why);
                } else if fetched.retry_later && !give_up {
                    // Not done until the files are: stay, and let the poller come back.
                    target = seen;
                    patch.error = None;
                } else if let Some(why) = fetched.failed {
                    patch.error = Some(format!("finished, but a file could not be saved: {why}"));
                    downloads_pending = false;
                }
            }
        }
        if target == seen || target == TaskState::Submitting {
            self.store.touch_task(
                id,
                seen,
                patch.raw_status.as_deref(),
                patch.progress,
                &now(),
            )?;
        } else {
            self.transition(id, seen, target, &patch)?;
        }
        let state = self.store.task(id)?.map_or(target, |t| t.state);
        Ok(Applied {
            state,
            downloads_pending,
        })
    }

    /// A callback payload arrived (the user's server or the local inbox passed it on). It is
    /// kept on the task's page (once: the same payload again is a duplicate) and makes the
    /// poller ask the gateway now; it never changes the task's state itself, because a callback
    /// can be forged, stale or out of order and the poll answer is the truth (issue 9, §7).
    /// `None` when no task here has the gateway id the payload names.
    pub fn callback_received(&self, payload: &Value) -> Result<Option<CallbackSeen>, StoreError> {
        const ID_AT: [&str; 7] = [
            "/data/task_id",
            "/data/taskId",
            "/task_id",
            "/taskId",
            "/output/task_id",
            "/data/id",
            "/id",
        ];
        let ids = ID_AT
            .iter()
            .filter_map(|p| payload.pointer(p).and_then(Value::as_str));
        let mut found = None;
        for gateway_id in ids {
            if let Some(id) = self.store.task_id_by_gateway_id(gateway_id)? {
                found = Some(id);
                break;
            }
        }
        let Some(task_id) = found else {
            return Ok(None);
        };
        let duplicate = self.store.task_has_callback(&task_id, payload)?;
        if !duplicate {
            self.record(&task_id, None, Some("callback"), None, payload, None)?;
        }
        if let Some(tx) = lock(&self.tracker).as_ref() {
            let _ = tx.send(task_id.clone());
        }
        Ok(Some(CallbackSeen { task_id, duplicate }))
    }

    /// Marks every task left `submitting` by a crash as failed with [`INTERRUPTED_SUBMIT`]
    /// (never re-sent), and restarts downloads that were under way. Run once on start, before
    /// the poller.
    pub fn reconcile_on_start(&self) -> Result<u32, StoreError> {
        self.store.reset_downloading_artifacts(&now())?;
        let mut failed = 0;
        for task in self.store.tasks_in_states(&[TaskState::Submitting])? {
            let patch = TaskPatch {
                error: Some(INTERRUPTED_SUBMIT.into()),
                raw_status: Some("unknown".into()),
                ..TaskPatch::default()
            };
            if self.transition(&task.id, TaskState::Submitting, TaskState::Failed, &patch)? {
                failed += 1;
            }
        }
        Ok(failed)
    }

    /// Stops tracking a task (state `cancelled`). Nothing is sent: see [`LOCAL_CANCEL`].
    pub fn cancel(&self, id: &str) -> Result<TaskRow, DeskError> {
        // A poll may move the task between the read and the write: try again from the new
        // state, a few times, rather than report a cancel that did not happen.
        for _ in 0..5 {
            let task = self.task(id)?;
            if task.state.is_terminal() {
                return Err(DeskError::InvalidInput(format!(
                    "the task is already {}; nothing to cancel",
                    task.state.as_str()
                )));
            }
            let patch = TaskPatch {
                error: Some(LOCAL_CANCEL.into()),
                ..TaskPatch::default()
            };
            if self.transition(id, task.state, TaskState::Cancelled, &patch)? {
                return self.task(id);
            }
        }
        Err(DeskError::InvalidInput(
            "the task kept changing; try cancelling again".into(),
        ))
    }

    pub fn task(&self, id: &str) -> Result<TaskRow, DeskError> {
        self.store
            .task(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no task with id `{id}`")))
    }

    pub fn detail(&self, id: &str) -> Result<TaskDetail, DeskError> {
        let mut task = self.task(id)?;
        self.price_rows(std::slice::from_mut(&mut task))?;
        let request = self.store.task_request(id)?.unwrap_or(Value::Null);
        let (polls, poll_count) = self.store.task_polls(id)?;
        let artifacts = self
            .store
            .task_artifacts(id)?
            .into_iter()
            .map(|a| a.view)
            .collect();
        Ok(TaskDetail {
            can_cancel: !task.state.is_terminal(),
            cancel_is_local: true,
            task,
            request,
            polls,
            poll_count,
            artifacts,
        })
    }

    pub fn list(&self, filter: &TaskFilter) -> Result<TaskPage, DeskError> {
        let mut page = self
            .store
            .list_tasks(filter, filter.limit.min(MAX_TASK_PAGE))?;
        self.price_rows(&mut page.rows)?;
        Ok(page)
    }

    /// The tree `id` belongs to, from its furthest ancestor down.
    pub fn lineage(&self, id: &str) -> Result<LineageNode, DeskError> {
        let root = self
            .store
            .task_lineage_root(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no task with id `{id}`")))?;
        let rows = self.store.task_subtree(&root)?;
        build_tree(&root, &rows)
            .ok_or_else(|| DeskError::NotFound(format!("no task with id `{id}`")))
    }

    pub fn running_count(&self) -> Result<u32, DeskError> {
        Ok(self.store.count_tasks_in(&ACTIVE)?)
    }

    pub fn unnotified_terminal_tasks(&self) -> Result<Vec<TaskRow>, DeskError> {
        Ok(self.store.unnotified_terminal_tasks()?)
    }

    /// Records that the task's notification was shown (or is not wanted): true the first time.
    /// Call it after showing; `claim_notice` decides who shows it.
    pub fn mark_notified(&self, id: &str) -> Result<bool, DeskError> {
        let won = self.store.mark_task_notified(id, &now())?;
        self.notices.release(id);
        Ok(won)
    }
}

/// Which task a callback was for, and whether the same payload had come before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackSeen {
    pub task_id: String,
    pub duplicate: bool,
}

fn build_tree(id: &str, rows: &[TaskRow]) -> Option<LineageNode> {
    let task = rows.iter().find(|r| r.id == id)?.clone();
    let children = rows
        .iter()
        .filter(|r| r.parent_task_id.as_deref() == Some(id) && r.id != id)
        .filter_map(|r| build_tree(&r.id, rows))
        .collect();
    Some(LineageNode { task, children })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain slots: a panic elsewhere cannot leave them half-written.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn now() -> String {
    crate::desk::now()
}

/// 64 random bits from the clock and a counter: unique within one database.
fn new_task_id() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let digest = Sha256::digest(format!("{nanos}\0{n}\0{}", std::process::id()).as_bytes());
    format!("task-{}", hex::encode(&digest[..8]))
}
