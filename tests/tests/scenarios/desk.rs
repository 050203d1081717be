//! The `Desk` facade over a real SQLite file and the sandbox on loopback: what the app's
//! commands do, without a window.

use anyint_core::keys::testing::MemoryKeychain;
use anyint_core::keys::ApiKey;
use anyint_core::{ConnectionKind, Desk, ErrorCode, KeySource, NewConnection, SandboxEndpoint};

async fn desk_with_sandbox(dir: &std::path::Path) -> (Desk, anyint_sandbox::Sandbox) {
    desk_with(dir, anyint_sandbox::SandboxConfig::default()).await
}

async fn desk_with(
    dir: &std::path::Path,
    config: anyint_sandbox::SandboxConfig,
) -> (Desk, anyint_sandbox::Sandbox) {
    let sandbox = anyint_sandbox::start(config).await.unwrap();
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
    assert_eq!(
        desk.models(true).await.unwrap_err().code(),
        ErrorCode::Unreachable
    );
}

#[tokio::test]
async fn connections_are_added_validated_switched_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (desk, _sandbox) = desk_with_sandbox(dir.path()).await;
        let bad = desk.add_connection(NewConnection {
            name: "Prod".into(),
            base_url: "not a url".into(),
            use_env_key: None,
            allow_insecure_http: None,
        });
        assert_eq!(bad.unwrap_err().code(), ErrorCode::InvalidInput);
        let empty = desk.add_connection(NewConnection {
            name: "  ".into(),
            base_url: "https://api.anyint.ai".into(),
            use_env_key: None,
            allow_insecure_http: None,
        });
        assert_eq!(empty.unwrap_err().code(), ErrorCode::InvalidInput);

        let prod = desk
            .add_connection(NewConnection {
                name: "Prod".into(),
                base_url: "https://api.anyint.ai/".into(),
                use_env_key: None,
                allow_insecure_http: None,
            })
            .unwrap();
        assert_eq!(prod.base_url, "https://api.anyint.ai");
        assert_eq!(prod.kind, ConnectionKind::Anyint);
        assert!(!prod.active);
        let dup = desk.add_connection(NewConnection {
            name: "prod".into(),
            base_url: "https://gateway.api.anyint.ai".into(),
            use_env_key: None,
            allow_insecure_http: None,
        });
        assert_eq!(dup.unwrap_err().code(), ErrorCode::InvalidInput);

        desk.activate(&prod.id).unwrap();
        // No ANYINT_API_KEY in this Desk: the models call says so instead of sending nothing.
        assert_eq!(
            desk.models(true).await.unwrap_err().code(),
            ErrorCode::NoKey
        );
        assert_eq!(
            desk.activate("nope").unwrap_err().code(),
            ErrorCode::NotFound
        );
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
            use_env_key: Some(true),
            allow_insecure_http: None,
        })
        .unwrap();
    desk.activate(&conn.id).unwrap();
    assert_eq!(
        desk.active().unwrap().key_source,
        KeySource::EnvironmentVariable
    );
    let view = desk.models(true).await.unwrap();
    assert_eq!(view.models.len(), 4, "TEAM_B_KEY sees its allowlist only");
    // The sandbox row says it is not running rather than failing the whole list.
    let sandbox_row = &desk.connections().unwrap()[0];
    assert_eq!(sandbox_row.key_source, KeySource::Missing);
    // ...and using it says so, not that a key is missing.
    desk.activate("sandbox").unwrap();
    assert_eq!(
        desk.models(true).await.unwrap_err().code(),
        ErrorCode::SandboxNotRunning
    );
}

fn dated_key(label: &str, secret: &str, rotate_by: time::Date) -> anyint_core::NewKeyInput {
    anyint_core::NewKeyInput {
        meta: anyint_core::keys::KeyMetadata {
            label: label.into(),
            team: None,
            project: None,
            environment: anyint_core::keys::Environment::Dev,
            rotate_by: Some(rotate_by.to_string()),
            expires_at: None,
            notes: None,
        },
        secret: Some(secret.into()),
    }
}

/// The loop is woken by the write itself (the hourly period here is far beyond the test's
/// bound), and `stop` ends it: what the app does on exit.
#[tokio::test]
async fn the_reminder_loop_wakes_on_key_writes_and_stops_on_shutdown() {
    use anyint_core::background::BackgroundWork;
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk_with_sandbox(dir.path()).await;
    let work = BackgroundWork::new(tokio::runtime::Handle::current());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    desk.start_reminders(&work, anyint_core::desk::REMINDER_CHECK_EVERY, move |r| {
        let _ = tx.send(r);
    });
    assert_eq!(work.running(), vec!["key reminders"]);

    let soon = anyint_core::desk::today() + time::Duration::days(2);
    desk.add_key(dated_key("Soon", "sk-test-reminder-loop-0001", soon))
        .unwrap();
    let reminder = tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
        .await
        .expect("the add did not wake the reminder loop")
        .unwrap();
    assert_eq!((reminder.label.as_str(), reminder.threshold), ("Soon", 3));

    work.stop().await;
    assert!(work.running().is_empty(), "the loop outlived stop()");
    // With the loop gone, its sender is dropped: nothing can be raised any more.
    assert!(rx.recv().await.is_none());
}

/// Stop by id from another call (what the window's Stop does), a second run under a live id
/// refused, and the stopped turn stored with what arrived.
#[tokio::test]
async fn a_run_is_stopped_by_its_id_and_its_partial_turn_is_stored() {
    use anyint_core::chat::ChatFamily;
    use anyint_core::playground::{simple_body, PlaygroundEvent, PlaygroundRequest, RunStatus};
    let dir = tempfile::tempdir().unwrap();
    let config = anyint_sandbox::SandboxConfig {
        default_fault: Some(anyint_sandbox::Fault::Hang),
        hang_after_events: 8,
        ..Default::default()
    };
    let (desk, _sandbox) = desk_with(dir.path(), config).await;
    let model = "claude-sonnet-4-6";
    let req = PlaygroundRequest {
        run_id: "run-1".into(),
        family: ChatFamily::Anthropic,
        model: model.into(),
        body: simple_body(
            ChatFamily::Anthropic,
            model,
            None,
            Some(200),
            "A story about tides",
            true,
        ),
        stream: true,
        idle_timeout_ms: Some(60_000),
        conversation_id: None,
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let running = {
        let desk = desk.clone();
        let req = req.clone();
        tokio::spawn(async move {
            desk.playground_send(req, move |e| {
                if matches!(e, PlaygroundEvent::Chunk { .. }) {
                    let _ = tx.send(());
                }
            })
            .await
        })
    };
    rx.recv().await.expect("the run streams");
    let twin = desk.playground_send(req.clone(), |_| {}).await;
    assert_eq!(twin.unwrap_err().code(), ErrorCode::InvalidInput);
    assert!(desk.playground_stop("run-1"), "the run is found by its id");
    let summary = running.await.unwrap().unwrap();
    assert_eq!(summary.status, RunStatus::Partial);
    let turn = desk
        .history_turn(summary.turn_id.as_deref().expect("stored"))
        .unwrap();
    assert_eq!(turn.prompt, "A story about tides");
    assert!(
        !desk.playground_stop("run-1"),
        "a finished run is no longer registered"
    );
}
