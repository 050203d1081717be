//! The task center as the app and the CLI use it: submit on a connection (checked against the
//! route's documented fields first, so a bad form never becomes a row), the Tasks table and a
//! task's page, cancel, re-run, lineage, the running count, the poller (started once, after
//! interrupted submits are reconciled) and the notification bookkeeping. Each task is polled
//! with the key of the connection it was submitted on.

use super::task_backend::DeskBackend;
use super::Desk;
use crate::background::BackgroundWork;
use crate::error::DeskError;
use crate::tasks::center::{SubmitArgs, TaskCenter};
use crate::tasks::client::TaskClient;
use crate::tasks::limits::validate;
use crate::tasks::poller::{Backends, PollerConfig, TaskPoller};
use crate::tasks::routes::RouteId;
use crate::tasks::view::{
    LineageNode, TaskDetail, TaskFilter, TaskPage, TaskRow, TaskSubmit, TaskTransition,
};
use crate::tasks::BackendFailure;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// The setting that holds a chosen artifacts folder (Settings); absent means the default.
/// A connection's client is rebuilt after this long, so a rotated or re-bound key is picked
/// up without a restart, while thousands of polls share one connection pool.
const CLIENT_REUSE: Duration = Duration::from_secs(60);

/// The task center for a store, saving to `<data dir>/artifacts` until `Desk::open` points it
/// at the Settings folder (`sync_artifacts_dir`).
pub(super) fn task_center(store: &crate::store::Store) -> Result<Arc<TaskCenter>, DeskError> {
    Ok(Arc::new(TaskCenter::new(
        store.clone(),
        default_artifacts_dir(store),
    )))
}

fn default_artifacts_dir(store: &crate::store::Store) -> PathBuf {
    // An in-memory store (tests) has no data dir: a per-process folder under the temp dir.
    store.data_dir().map_or_else(
        || std::env::temp_dir().join(format!("anyint-desk-artifacts-{}", std::process::id())),
        |dir| dir.join("artifacts"),
    )
}

/// Each connection's [`TaskClient`], built the way every other request's client is.
struct DeskBackends {
    desk: Desk,
    clients: Mutex<HashMap<String, (Instant, Arc<DeskBackend>)>>,
}

impl Backends for DeskBackends {
    type Backend = DeskBackend;

    fn backend(&self, connection_id: &str) -> Result<Arc<DeskBackend>, BackendFailure> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((made, client)) = clients.get(connection_id) {
            if made.elapsed() < CLIENT_REUSE {
                return Ok(client.clone());
            }
        }
        let gateway = self
            .desk
            .client(connection_id)
            .map_err(|e| BackendFailure {
                status: None,
                // A deleted connection will not come back; a missing key or a locked keychain may.
                retryable: !matches!(e, DeskError::NotFound(_)),
                message: e.to_string(),
                retry_after: None,
                raw: None,
            })?;
        let client = Arc::new(DeskBackend {
            client: TaskClient::new(gateway),
            in_app_sandbox: connection_id == super::SANDBOX_ID,
        });
        clients.insert(connection_id.to_string(), (Instant::now(), client.clone()));
        Ok(client)
    }
}

impl Desk {
    pub fn task_center(&self) -> &Arc<TaskCenter> {
        &self.inner.tasks
    }

    /// Submits on the given connection (the active one when absent). The same submission id
    /// twice gives the first task back without sending anything.
    pub async fn tasks_submit(&self, submit: TaskSubmit) -> Result<TaskRow, DeskError> {
        let connection_id = match submit.connection_id.clone() {
            Some(id) => id,
            None => self.active()?.id,
        };
        let route = check_route(&submit.route, &submit.body)?;
        if let Some(parent) = submit.parent_task_id.as_deref() {
            self.inner.tasks.task(parent)?;
        }
        let gateway = self.client(&connection_id)?;
        let fingerprint = gateway.key_fingerprint();
        let inputs = self.task_inputs();
        let client = TaskClient::new(gateway).with_inputs(inputs.clone());
        // A local file for a URL-only field is hosted first: before the row, so a gateway
        // without a file route leaves no task behind.
        let body = client.upload_files(route, &submit.body, &inputs).await?;
        let args = SubmitArgs {
            connection_id: &connection_id,
            route: route.as_str(),
            body: &body,
            label: submit.label.as_deref(),
            submission_id: &submit.submission_id,
            parent_task_id: submit.parent_task_id.as_deref(),
            rerun_of: None,
        };
        let row = self.inner.tasks.submit(&client, &args).await?;
        // The usage ledger counts the task (issue 11); see `model_choice::record_task_usage`.
        self.record_task_usage(&row, &submit.body, fingerprint);
        Ok(row)
    }

    /// Sends a task's request again as a new task (a new submission on purpose), on the same
    /// connection, with the same label and parent.
    pub async fn task_rerun(&self, id: &str, submission_id: &str) -> Result<TaskRow, DeskError> {
        let task = self.inner.tasks.task(id)?;
        let body = self
            .inner
            .store
            .task_request(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no task with id `{id}`")))?;
        let route = check_route(&task.route, &body)?;
        let gateway = self.client(&task.connection_id)?;
        let fingerprint = gateway.key_fingerprint();
        let inputs = self.task_inputs();
        let client = TaskClient::new(gateway).with_inputs(inputs.clone());
        // Hosted files are uploaded again: the URL the first run got may have expired.
        let body = client.upload_files(route, &body, &inputs).await?;
        let args = SubmitArgs {
            connection_id: &task.connection_id,
            route: route.as_str(),
            body: &body,
            label: Some(&task.label),
            submission_id,
            parent_task_id: task.parent_task_id.as_deref(),
            rerun_of: Some(id),
        };
        let row = self.inner.tasks.submit(&client, &args).await?;
        self.record_task_usage(&row, &body, fingerprint);
        Ok(row)
    }

    pub fn tasks_list(&self, filter: &TaskFilter) -> Result<TaskPage, DeskError> {
        self.inner.tasks.list(filter)
    }

    pub fn task_detail(&self, id: &str) -> Result<TaskDetail, DeskError> {
        self.inner.tasks.detail(id)
    }

    /// Stops tracking the task; no family here has a cancel route, so the gateway may still
    /// finish it (the task's error says so).
    pub fn task_cancel(&self, id: &str) -> Result<TaskRow, DeskError> {
        self.inner.tasks.cancel(id)
    }

    pub fn task_lineage(&self, id: &str) -> Result<LineageNode, DeskError> {
        self.inner.tasks.lineage(id)
    }

    /// Tasks submitting, queued, running or partial: the status bar's count.
    pub fn tasks_running_count(&self) -> Result<u32, DeskError> {
        self.inner.tasks.running_count()
    }

    /// Fetches again the files of a task not saved yet (failed or pending), with its
    /// connection's client for gateway content.
    pub async fn task_redownload(&self, id: &str) -> Result<TaskDetail, DeskError> {
        let task = self.inner.tasks.task(id)?;
        let client = TaskClient::new(self.client(&task.connection_id)?);
        self.inner.tasks.fetch_artifacts(&client, id).await?;
        self.inner.tasks.detail(id)
    }

    /// Terminal tasks whose notification is still owed (also after a crash).
    pub fn unnotified_terminal_tasks(&self) -> Result<Vec<TaskRow>, DeskError> {
        self.inner.tasks.unnotified_terminal_tasks()
    }

    /// True when this caller should show the task's notification now (it is owed and no one
    /// here is showing it); then show it and call `mark_task_notified` (`tasks::notices`).
    pub fn claim_task_notice(&self, id: &str) -> Result<bool, DeskError> {
        self.inner.tasks.claim_notice(id)
    }

    /// Showing the claimed notification failed: it stays owed.
    pub fn release_task_notice(&self, id: &str) {
        self.inner.tasks.release_notice(id)
    }

    /// Records the notification as shown (true the first time), after showing it.
    pub fn mark_task_notified(&self, id: &str) -> Result<bool, DeskError> {
        self.inner.tasks.mark_notified(id)
    }

    /// New files go to the Settings folder from now on (saved files stay where they are).
    pub(super) fn sync_artifacts_dir(&self) -> Result<(), DeskError> {
        let dir = self.artifacts_dir()?;
        self.inner.tasks.downloader().set_dir(dir);
        Ok(())
    }

    /// Reconciles tasks a crash left `submitting`, then starts the poller under `work` with the
    /// standard cadence. Every transition (these included) is sent on `events`.
    pub fn start_task_poller(
        &self,
        work: &BackgroundWork,
        events: UnboundedSender<TaskTransition>,
    ) -> Result<(), DeskError> {
        self.start_task_poller_with(work, events, PollerConfig::default())
    }

    /// [`Desk::start_task_poller`] with another cadence (tests, the CLI's `task wait`).
    pub fn start_task_poller_with(
        &self,
        work: &BackgroundWork,
        events: UnboundedSender<TaskTransition>,
        config: PollerConfig,
    ) -> Result<(), DeskError> {
        let center = self.inner.tasks.clone();
        center.set_events(events);
        center.reconcile_on_start()?;
        let backends = DeskBackends {
            desk: self.clone(),
            clients: Mutex::new(HashMap::new()),
        };
        TaskPoller::start(center, backends, config, work)?;
        Ok(())
    }
}

/// A known route, and a body with the route's documented fields and limits.
fn check_route(route: &str, body: &serde_json::Value) -> Result<RouteId, DeskError> {
    let id = RouteId::parse(route)
        .ok_or_else(|| DeskError::InvalidInput(format!("`{route}` is not a task route")))?;
    validate(id, body).map_err(|problems| {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        DeskError::InvalidInput(format!("not sent: {}", words.join("; ")))
    })?;
    Ok(id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(super) mod tests {
    use super::*;
    use crate::keys::testing::MemoryKeychain;
    use crate::keys::ApiKey;
    use crate::store::Store;
    use crate::tasks::view::ArtifactState;
    use crate::tasks::TaskState;
    use crate::SandboxEndpoint;
    use serde_json::json;
    use std::path::Path;

    async fn desk_on_sandbox(dir: &Path) -> (Desk, anyint_sandbox::Sandbox) {
        desk_on_sandbox_for(dir, Duration::from_millis(300)).await
    }

    /// A Desk on `dir` whose Sandbox connection is a new sandbox with tasks of `task_duration`.
    pub(in crate::desk) async fn desk_on_sandbox_for(
        dir: &Path,
        task_duration: Duration,
    ) -> (Desk, anyint_sandbox::Sandbox) {
        let config = anyint_sandbox::SandboxConfig {
            task_duration,
            ..Default::default()
        };
        desk_on_sandbox_with(dir, config).await
    }

    /// A Desk on `dir` whose Sandbox connection is a new sandbox started with `config`.
    pub(in crate::desk) async fn desk_on_sandbox_with(
        dir: &Path,
        config: anyint_sandbox::SandboxConfig,
    ) -> (Desk, anyint_sandbox::Sandbox) {
        let sandbox = anyint_sandbox::start(config).await.unwrap();
        let endpoint = SandboxEndpoint {
            base_url: sandbox.base_url(),
            key: ApiKey::new(anyint_sandbox::DEMO_KEY).unwrap(),
        };
        let desk = Desk::with_parts(
            Store::open(dir).unwrap(),
            MemoryKeychain::new().keychain(),
            Some(endpoint),
            None,
        )
        .unwrap();
        (desk, sandbox)
    }

    fn video(submission_id: &str) -> TaskSubmit {
        TaskSubmit {
            connection_id: None,
            route: "openai.videos".into(),
            body: json!({"model": "kling-3.0", "prompt": "a fox in the snow", "duration": 5}),
            label: Some("Fox".into()),
            submission_id: submission_id.into(),
            parent_task_id: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_video_on_the_sandbox_is_polled_to_its_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (desk, _sandbox) = desk_on_sandbox(dir.path()).await;
        let work = BackgroundWork::new(tokio::runtime::Handle::current());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let fast = PollerConfig::uniform(
            Duration::from_millis(50),
            Duration::from_millis(200),
            Duration::from_secs(60),
        );
        desk.start_task_poller_with(&work, tx, fast).unwrap();
        let row = desk.tasks_submit(video("click-1")).await.unwrap();
        assert_eq!(row.state, TaskState::Queued, "{:?}", row.error);
        let again = desk.tasks_submit(video("click-1")).await.unwrap();
        assert_eq!(again.id, row.id, "a double click made two tasks");
        let done = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                let t = rx.recv().await.unwrap();
                if t.to.is_terminal() {
                    return t;
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(done.to, TaskState::Succeeded, "{:?}", done.error);
        assert_eq!(done.label, "Fox");
        let detail = desk.task_detail(&row.id).unwrap();
        let file = &detail.artifacts[0];
        assert_eq!(file.state, ArtifactState::Saved);
        let bytes = std::fs::read(file.path.as_ref().unwrap()).unwrap();
        use sha2::{Digest, Sha256};
        assert_eq!(
            file.sha256.as_deref(),
            Some(hex::encode(Sha256::digest(&bytes)).as_str())
        );
        assert!(file
            .path
            .as_ref()
            .unwrap()
            .starts_with(&*desk.artifacts_dir().unwrap().to_string_lossy()));
        assert_eq!(desk.tasks_running_count().unwrap(), 0);
        assert!(desk.mark_task_notified(&row.id).unwrap());
        assert!(desk.unnotified_terminal_tasks().unwrap().is_empty());
        // Re-run: a new task from the same request, on purpose.
        let rerun = desk.task_rerun(&row.id, "click-2").await.unwrap();
        assert_ne!(rerun.id, row.id);
        assert_eq!(rerun.rerun_of.as_deref(), Some(row.id.as_str()));
        work.stop().await;
    }

    #[tokio::test]
    async fn a_bad_form_is_refused_before_any_row_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (desk, _sandbox) = desk_on_sandbox(dir.path()).await;
        let mut bad = video("s");
        bad.body = json!({"model": "kling-3.0"});
        let err = desk.tasks_submit(bad).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        let mut unknown = video("s2");
        unknown.route = "nope.nothing".into();
        assert!(desk.tasks_submit(unknown).await.is_err());
        assert_eq!(desk.tasks_list(&TaskFilter::default()).unwrap().total, 0);
    }

    #[tokio::test]
    async fn the_settings_folder_is_where_new_artifacts_go() {
        let dir = tempfile::tempdir().unwrap();
        let (desk, _sandbox) = desk_on_sandbox(dir.path()).await;
        let elsewhere = dir.path().join("elsewhere");
        let mut update = crate::settings::SettingsUpdate {
            settings: desk.settings().unwrap().settings,
            proxy_password: crate::settings::PasswordChange::Keep,
        };
        update.settings.artifacts_dir = Some(elsewhere.to_string_lossy().into_owned());
        desk.save_settings(update).unwrap();
        assert_eq!(desk.artifacts_dir().unwrap(), elsewhere);
        assert_eq!(desk.task_center().downloader().dir(), elsewhere);
    }

    #[tokio::test]
    async fn artifacts_are_fetched_through_the_network_settings_save() {
        use crate::gateway::network::ProxyChoice;
        let dir = tempfile::tempdir().unwrap();
        let (desk, _sandbox) = desk_on_sandbox(dir.path()).await;
        let downloads = || desk.task_center().downloader().network();
        assert_eq!(downloads(), desk.network().unwrap());
        let mut update = crate::settings::SettingsUpdate {
            settings: desk.settings().unwrap().settings,
            proxy_password: crate::settings::PasswordChange::Keep,
        };
        update.settings.proxy.mode = crate::settings::ProxyMode::Manual;
        update.settings.proxy.url = "http://127.0.0.1:3128".into();
        desk.save_settings(update).unwrap();
        let ProxyChoice::Manual(proxy) = downloads().proxy else {
            panic!("downloads do not use the saved proxy: {:?}", downloads());
        };
        assert_eq!(proxy.url.as_str(), "http://127.0.0.1:3128/");
        assert_eq!(downloads(), desk.network().unwrap());
    }
}
