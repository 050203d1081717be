//! Scenarios: the core against the sandbox gateway over loopback (and, where the sandbox
//! cannot misbehave in the needed way, against a wiremock server). One binary, a module each.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod advisor;
mod callback_inbox;
mod chat_families;
mod compare;
mod desk;
mod fallback;
mod fallback_desk;
mod key_binding;
mod key_echo;
mod models_errors;
mod models_pagination;
mod playground;
mod proxy;
mod redirects;
mod sandbox_load;
mod snippets;
mod task_client_keys;
mod task_client_variants;
mod task_clients;
mod task_ledger;
mod task_rig;
mod task_uploads;

#[path = "../support/forward_proxy.rs"]
mod forward_proxy;

use anyint_core::gateway::GatewayClient;
use anyint_core::keys::ApiKey;
use anyint_sandbox::{Sandbox, SandboxConfig};

pub async fn sandbox() -> Sandbox {
    anyint_sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts on loopback")
}

/// A `Desk` on a fresh database in `dir` whose Sandbox connection is a sandbox started with
/// `config` (the demo key): what the model-choice scenarios run against.
pub async fn desk_on(dir: &std::path::Path, config: SandboxConfig) -> (anyint_core::Desk, Sandbox) {
    let sandbox = anyint_sandbox::start(config)
        .await
        .expect("sandbox starts on loopback");
    let endpoint = anyint_core::SandboxEndpoint {
        base_url: sandbox.base_url(),
        key: ApiKey::new(anyint_sandbox::DEMO_KEY).expect("non-empty key"),
    };
    let store = anyint_core::store::Store::open(dir).expect("the database opens");
    let desk = anyint_core::Desk::with_parts(
        store,
        anyint_core::keys::testing::MemoryKeychain::new().keychain(),
        Some(endpoint),
        None,
    )
    .expect("the desk assembles");
    (desk, sandbox)
}

pub fn client(base_url: &str, key: &str) -> GatewayClient {
    GatewayClient::new(base_url, ApiKey::new(key).expect("non-empty key")).expect("valid base URL")
}
