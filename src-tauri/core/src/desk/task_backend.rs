//! The backend the poller uses per connection: the connection's `TaskClient`, with one thing
//! only the Desk knows added. The in-app Sandbox keeps its tasks in a file in the data dir, so
//! a restarted app finds them again; when it still answers 404 for a task made before (the file
//! was removed or could not be read, or the Sandbox ran without one), that 404 is worded as
//! exactly that (not as "the gateway refused the poll"), so the task page says why and what to
//! do.

use crate::tasks::client::TaskClient;
use crate::tasks::{BackendFailure, Created, PollReport, TaskBackend};
use serde_json::Value;

/// What a task the restarted in-app Sandbox no longer knows says.
pub const SANDBOX_FORGOT: &str = "this task was made on the in-app Sandbox before the app \
    restarted, and the Sandbox no longer knows it (its task file, sandbox/tasks.jsonl in the \
    data dir, was removed, could not be written or read, or no longer holds it). Re-run it \
    (the Sandbox charges nothing).";

#[derive(Debug)]
pub(super) struct DeskBackend {
    pub(super) client: TaskClient,
    /// The connection is the in-app Sandbox (started afresh with the app).
    pub(super) in_app_sandbox: bool,
}

impl DeskBackend {
    fn explain(&self, failure: BackendFailure) -> BackendFailure {
        if self.in_app_sandbox && failure.status == Some(404) {
            BackendFailure {
                message: SANDBOX_FORGOT.to_owned(),
                ..failure
            }
        } else {
            failure
        }
    }
}

impl TaskBackend for DeskBackend {
    async fn create(&self, route: &str, body: &Value) -> Result<Created, BackendFailure> {
        self.client.create(route, body).await
    }

    async fn poll(&self, route: &str, gateway_task_id: &str) -> Result<PollReport, BackendFailure> {
        let polled = self.client.poll(route, gateway_task_id).await;
        polled.map_err(|f| self.explain(f))
    }

    async fn open_content(&self, path: &str) -> Result<reqwest::Response, BackendFailure> {
        let opened = self.client.open_content(path).await;
        opened.map_err(|f| self.explain(f))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::background::BackgroundWork;
    use crate::desk::tasks::tests::desk_on_sandbox_with;
    use crate::tasks::poller::PollerConfig;
    use crate::tasks::view::TaskSubmit;
    use crate::tasks::TaskState;
    use std::time::Duration;

    /// A video task made on a Sandbox started with `config`, then the app "restarts": that
    /// Sandbox stops, a new one starts with the same `config` (a new port), and the poller
    /// runs on the same database until the task is terminal.
    async fn across_a_restart(
        dir: &std::path::Path,
        config: impl Fn() -> anyint_sandbox::SandboxConfig,
    ) -> crate::tasks::view::TaskRow {
        let id = {
            let (desk, sandbox) = desk_on_sandbox_with(dir, config()).await;
            let body = serde_json::json!({"model": "kling-3.0", "prompt": "waves"});
            let row = desk
                .tasks_submit(TaskSubmit {
                    connection_id: None,
                    route: "openai.videos".into(),
                    body,
                    label: None,
                    submission_id: "s".into(),
                    parent_task_id: None,
                })
                .await
                .unwrap();
            assert_eq!(row.state, TaskState::Queued);
            sandbox.shutdown().await;
            row.id
        };
        let (desk, _sandbox) = desk_on_sandbox_with(dir, config()).await;
        let work = BackgroundWork::new(tokio::runtime::Handle::current());
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let fast = PollerConfig::uniform(
            Duration::from_millis(50),
            Duration::from_millis(200),
            Duration::from_secs(60),
        );
        desk.start_task_poller_with(&work, tx, fast).unwrap();
        let mut task = desk.task_detail(&id).unwrap().task;
        for _ in 0..200 {
            if task.state.is_terminal() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            task = desk.task_detail(&id).unwrap().task;
        }
        work.stop().await;
        task
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_the_restarted_in_app_sandbox_forgot_says_so() {
        let dir = tempfile::tempdir().unwrap();
        // No task file: the new Sandbox starts with no tasks.
        let task = across_a_restart(dir.path(), || anyint_sandbox::SandboxConfig {
            task_duration: Duration::from_secs(30),
            ..Default::default()
        })
        .await;
        assert_eq!(task.state, TaskState::Failed);
        let error = task.error.unwrap();
        assert!(error.contains(SANDBOX_FORGOT), "{error}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_the_restarted_sandbox_kept_in_its_task_file_finishes_with_its_video() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sandbox").join("tasks.jsonl");
        let task = across_a_restart(dir.path(), || anyint_sandbox::SandboxConfig {
            task_duration: Duration::from_secs(1),
            task_file: Some(file.clone()),
            ..Default::default()
        })
        .await;
        assert_eq!(task.state, TaskState::Succeeded, "{:?}", task.error);
        assert!(task.error.is_none(), "{:?}", task.error);
    }
}
