//! The rig the task scenarios share: a Desk on a temp data dir whose Sandbox connection is a
//! new sandbox, with the task poller running at a test cadence (and the callback inbox when a
//! scenario needs it).

use anyint_core::background::BackgroundWork;
use anyint_core::tasks::poller::PollerConfig;
use anyint_core::Desk;
use anyint_sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

pub struct Rig {
    pub desk: Desk,
    pub work: BackgroundWork,
    pub sandbox: Sandbox,
    _dir: tempfile::TempDir,
}

/// Polls start every `first` and back off to `max`; `inbox` also starts the callback inbox.
pub async fn start(config: SandboxConfig, first: Duration, max: Duration, inbox: bool) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let (desk, sandbox) = crate::desk_on(dir.path(), config).await;
    let work = BackgroundWork::new(tokio::runtime::Handle::current());
    let (events, _) = tokio::sync::mpsc::unbounded_channel();
    let cadence = PollerConfig::uniform(first, max, Duration::from_secs(120));
    desk.start_task_poller_with(&work, events, cadence).unwrap();
    if inbox {
        desk.start_callback_inbox(&work);
    }
    Rig {
        desk,
        work,
        sandbox,
        _dir: dir,
    }
}
