//! The backend the poller uses per connection: the connection's `TaskClient`, with one thing
//! only the Desk knows added. The in-app Sandbox keeps its tasks in memory, so after the app
//! restarts it answers 404 for every task made before; that 404 is worded as exactly that
//! (not as "the gateway refused the poll"), so the task page says why and what to do.

use crate::tasks::client::TaskClient;
use crate::tasks::{BackendFailure, Created, PollReport, TaskBackend};
use serde_json::Value;

/// What a task the restarted in-app Sandbox no longer knows says.
pub const SANDBOX_FORGOT: &str = "this task was made on the in-app Sandbox before the app \
    restarted; the Sandbox keeps its tasks in memory only, so it no longer knows this one. \
    Re-run it (the Sandbox charges nothing).";

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
    use crate::tasks::poller::PollerConfig;
    use crate::tasks::view::TaskSubmit;
    use crate::tasks::TaskState;
    use crate::Desk;
    use std::time::Duration;

    async fn desk_with_new_sandbox(dir: &std::path::Path) -> (Desk, anyint_sandbox::Sandbox) {
        crate::desk::tasks::tests::desk_on_sandbox_for(dir, Duration::from_secs(30)).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_the_restarted_in_app_sandbox_forgot_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let (desk, sandbox) = desk_with_new_sandbox(dir.path()).await;
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
        // The app starts again: a new Sandbox (a new port, no tasks), the same database.
        let (desk, _sandbox) = desk_with_new_sandbox(dir.path()).await;
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
        assert_eq!(task.state, TaskState::Failed);
        let error = task.error.unwrap();
        assert!(error.contains(SANDBOX_FORGOT), "{error}");
        work.stop().await;
    }
}
