//! The `Desk` facade over a real SQLite file and the sandbox on loopback: what the app's
//! commands do, without a window.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used)]

use anyint_core::keys::testing::MemoryKeychain;
use anyint_core::keys::ApiKey;
use anyint_core::{ConnectionKind, Desk, NewConnection, SandboxEndpoint};

async fn desk_with_sandbox(dir: &std::path::Path) -> (Desk, anyint_sandbox::Sandbox) {
    let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let endpoint = SandboxEndpoint {
        base_url: sandbox.base_url(),
        key: ApiKey::new(anyint_sandbox::DEMO_KEY).unwrap(),
    };
    let store = anyint_core::store::Store::open(dir).unwrap();
    (
        Desk::with_parts(
            store,
            MemoryKeychain::new().keychain(),
            Some(endpoint),
            None,
        )
        .unwrap(),
        sandbox,
    )
}

#[tokio::test]
async fn first_start_lands_on_the_sandbox_and_lists_its_models() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, sandbox) = desk_with_sandbox(dir.path()).await;
    let active = desk.active().unwrap();
    assert_eq!(active.kind, ConnectionKind::Sandbox);
    assert_eq!(active.base_url, sandbox.base_url());
    assert!(active.masked_key.is_some());

    let view = desk.models(false).await.unwrap();
    assert!(!view.from_cache);
    assert_eq!(view.models.len(), anyint_sandbox::catalogue().len());

    // The second read comes from the cache, even with the gateway gone.
    sandbox.shutdown().await;
    let cached = desk.models(false).await.unwrap();
    assert!(cached.from_cache);
    assert_eq!(cached.models, view.models);
    // A refresh must go to the gateway, and says clearly that it is not there.
    assert_eq!(desk.models(true).await.unwrap_err().code(), "unreachable");
}

#[tokio::test]
async fn connections_are_added_validated_switched_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (desk, _sandbox) = desk_with_sandbox(dir.path()).await;
        let bad = desk.add_connection(NewConnection {
            name: "Prod".into(),
            base_url: "not a url".into(),
        });
        assert_eq!(bad.unwrap_err().code(), "invalid_input");
        let empty = desk.add_connection(NewConnection {
            name: "  ".into(),
            base_url: "https://api.anyint.ai".into(),
        });
        assert_eq!(empty.unwrap_err().code(), "invalid_input");

        let prod = desk
            .add_connection(NewConnection {
                name: "Prod".into(),
                base_url: "https://api.anyint.ai/".into(),
            })
            .unwrap();
        assert_eq!(prod.base_url, "https://api.anyint.ai");
        assert_eq!(prod.kind, ConnectionKind::Anyint);
        assert!(!prod.active);
        let dup = desk.add_connection(NewConnection {
            name: "prod".into(),
            base_url: "https://gateway.api.anyint.ai".into(),
        });
        assert_eq!(dup.unwrap_err().code(), "invalid_input");

        desk.activate(&prod.id).unwrap();
        // No ANYINT_API_KEY in this Desk: the models call says so instead of sending nothing.
        assert_eq!(desk.models(true).await.unwrap_err().code(), "no_key");
        assert_eq!(desk.activate("nope").unwrap_err().code(), "not_found");
    }
    let (desk, _sandbox) = desk_with_sandbox(dir.path()).await;
    let all = desk.connections().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].kind,
        ConnectionKind::Sandbox,
        "the sandbox is listed first"
    );
    assert!(all[1].active && all[1].name == "Prod");
}

#[tokio::test]
async fn an_anyint_connection_uses_the_environment_key() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let store = anyint_core::store::Store::open(dir.path()).unwrap();
    let env_key = ApiKey::new(anyint_sandbox::TEAM_B_KEY);
    let desk = Desk::with_parts(store, MemoryKeychain::new().keychain(), None, env_key).unwrap();
    let conn = desk
        .add_connection(NewConnection {
            name: "Local gateway".into(),
            base_url: sandbox.base_url(),
        })
        .unwrap();
    desk.activate(&conn.id).unwrap();
    assert_eq!(desk.active().unwrap().key_source, "ANYINT_API_KEY");
    let view = desk.models(true).await.unwrap();
    assert_eq!(view.models.len(), 4, "TEAM_B_KEY sees its allowlist only");
    // The sandbox row says it is not running rather than failing the whole list.
    let sandbox_row = &desk.connections().unwrap()[0];
    assert_eq!(sandbox_row.key_source, "Sandbox not running");
}
