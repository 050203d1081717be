//! The rig the task scenarios share: a Desk on a temp data dir whose Sandbox connection is a
//! new sandbox, with the task poller running at a test cadence (and the callback inbox when a
//! scenario needs it).

use anyint_core::background::BackgroundWork;
use anyint_core::keys::testing::MemoryKeychain;
use anyint_core::keys::ApiKey;
use anyint_core::tasks::poller::PollerConfig;
use anyint_core::{Desk, SandboxEndpoint};
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
    let sandbox = anyint_sandbox::start(config).await.unwrap();
    let endpoint = SandboxEndpoint {
        base_url: sandbox.base_url(),
        key: ApiKey::new(anyint_sandbox::DEMO_KEY).unwrap(),
    };
    let store = anyint_core::store::Store::open(dir.path()).unwrap();
    let desk = Desk::with_parts(
        store,
        MemoryKeychain::new().keychain(),
        Some(endpoint),
        None,
    )
    .unwrap();
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
