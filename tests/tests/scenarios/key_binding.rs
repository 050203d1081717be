//! Issue 10's vault hardening through the `Desk`, against the sandbox on loopback: a key is
//! checked only against its own connection's gateway, `ANYINT_API_KEY` only where a connection
//! opted in, plain http:// to another host only when confirmed, listing reads no secret, a
//! rotation waiting for confirmation survives a restart, and a key can be unbound.

use anyint_core::keys::testing::MemoryKeychain;
use anyint_core::keys::{ApiKey, Environment, KeyMetadata, Outcome};
use anyint_core::{Desk, ErrorCode, KeySource, NewConnection, NewKeyInput, SandboxEndpoint};
use anyint_sandbox::{DEMO_KEY, TEAM_B_KEY};

fn open(dir: &std::path::Path, mem: &MemoryKeychain, sandbox: &anyint_sandbox::Sandbox) -> Desk {
    let endpoint = SandboxEndpoint {
        base_url: sandbox.base_url(),
        key: ApiKey::new(DEMO_KEY).unwrap(),
    };
    let store = anyint_core::store::Store::open(dir).unwrap();
    Desk::with_parts(store, mem.keychain(), Some(endpoint), None).unwrap()
}

fn key_input(label: &str, secret: &str) -> NewKeyInput {
    NewKeyInput {
        meta: KeyMetadata {
            label: label.into(),
            team: None,
            project: None,
            environment: Environment::Prod,
            rotate_by: None,
            expires_at: None,
            notes: None,
        },
        secret: Some(secret.into()),
    }
}

/// A loopback URL nobody listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    format!("http://127.0.0.1:{port}")
}

fn connection(name: &str, base_url: &str) -> NewConnection {
    NewConnection {
        name: name.into(),
        base_url: base_url.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn verify_and_rotation_talk_to_the_key_s_own_connection_not_the_active_one() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), &MemoryKeychain::new(), &sandbox);
    let key = desk.add_key(key_input("Team A prod", DEMO_KEY)).unwrap();
    // Not bound yet: there is no gateway it belongs to, and the active one is not guessed.
    let err = desk.verify_key(&key.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(
        err.to_string().contains("belongs to no connection"),
        "{err}"
    );

    desk.bind_key("sandbox", Environment::Prod, &key.id)
        .unwrap();
    // Another gateway becomes the active connection (one that answers nothing here).
    let elsewhere = desk
        .add_connection(connection("Elsewhere", &dead_url()))
        .unwrap();
    desk.activate(&elsewhere.id).unwrap();
    // The key cannot be bound there either: another host.
    let err = desk
        .bind_key(&elsewhere.id, Environment::Prod, &key.id)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");

    let v = desk.verify_key(&key.id).await.unwrap();
    assert_eq!(
        v.outcome,
        Outcome::Works,
        "verified against the Sandbox: {v:?}"
    );
    let plan = desk
        .plan_rotation(&key.id, TEAM_B_KEY.into())
        .await
        .unwrap();
    assert_eq!(plan.new_verification.outcome, Outcome::Works);
    let done = desk.commit_rotation(&key.id, false).unwrap();
    assert_eq!(done.connections, ["sandbox"]);
    assert_eq!(done.new.connection_id.as_deref(), Some("sandbox"));
}

#[tokio::test]
async fn anyint_api_key_is_used_only_by_connections_that_opt_in() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = anyint_core::store::Store::open(dir.path()).unwrap();
    let env_key = ApiKey::new(TEAM_B_KEY);
    let desk = Desk::with_parts(store, MemoryKeychain::new().keychain(), None, env_key).unwrap();
    let plain = desk
        .add_connection(connection("No opt-in", &sandbox.base_url()))
        .unwrap();
    assert_eq!(plain.key_source, KeySource::Missing);
    assert!(!plain.use_env_key && plain.masked_key.is_none());
    desk.activate(&plain.id).unwrap();
    assert_eq!(
        desk.models(true).await.unwrap_err().code(),
        ErrorCode::NoKey,
        "the variable's key was sent to a connection that did not ask for it"
    );
    // Opting in (an edit) makes it the fallback.
    let opted = desk
        .update_connection(
            &plain.id,
            NewConnection {
                use_env_key: Some(true),
                ..connection("Opted in", &sandbox.base_url())
            },
        )
        .unwrap();
    assert_eq!(opted.key_source, KeySource::EnvironmentVariable);
    assert_eq!(desk.models(true).await.unwrap().models.len(), 4);
    // The Sandbox is not a place for it either: it has its own key, and is not running here.
    desk.activate("sandbox").unwrap();
    assert_eq!(
        desk.models(true).await.unwrap_err().code(),
        ErrorCode::SandboxNotRunning
    );
}

#[tokio::test]
async fn plain_http_to_another_host_needs_a_confirmation() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), &MemoryKeychain::new(), &sandbox);
    let remote = "http://gateway.example.com/v1";
    let err = desk
        .add_connection(connection("Remote", remote))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InsecureHttp, "{err}");
    assert_eq!(desk.connections().unwrap().len(), 1, "nothing was added");
    let added = desk
        .add_connection(NewConnection {
            allow_insecure_http: Some(true),
            ..connection("Remote", remote)
        })
        .unwrap();
    assert!(added.insecure_http, "the connection carries the warning");
    // Loopback http (a local gateway, the Sandbox) needs no confirmation and has no warning.
    let local = desk
        .add_connection(connection("Local", &sandbox.base_url()))
        .unwrap();
    assert!(!local.insecure_http);
    assert!(!desk.connection("sandbox").unwrap().insecure_http);
    // An edit to plain http elsewhere asks again; https needs nothing.
    let err = desk
        .update_connection(&local.id, connection("Local", "http://10.1.2.3:8080"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InsecureHttp);
    let fixed = desk
        .update_connection(
            &added.id,
            connection("Remote", "https://gateway.example.com/v1"),
        )
        .unwrap();
    assert!(!fixed.insecure_http);
}

#[tokio::test]
async fn listing_a_team_s_keys_reads_no_secret() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mem = MemoryKeychain::new();
    let desk = open(dir.path(), &mem, &sandbox);
    let mut first = None;
    for i in 0..200 {
        let k = desk
            .add_key(key_input(
                &format!("Key {i:03}"),
                &format!("sk-scale-{i:06}-abcdefghij"),
            ))
            .unwrap();
        first.get_or_insert(k.id);
    }
    desk.bind_key("sandbox", Environment::Prod, first.as_deref().unwrap())
        .unwrap();
    let before = mem.secret_reads();
    assert_eq!(desk.keys().unwrap().len(), 200);
    desk.connections().unwrap();
    desk.needs_attention(anyint_core::desk::today()).unwrap();
    desk.pending_rotations().unwrap();
    println!(
        "secret reads for listing 200 keys: {}",
        mem.secret_reads() - before
    );
    assert_eq!(mem.secret_reads() - before, 0);
}

#[tokio::test]
async fn a_rotation_waiting_for_confirmation_survives_a_restart() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mem = MemoryKeychain::new();
    let old_id = {
        let desk = open(dir.path(), &mem, &sandbox);
        let key = desk.add_key(key_input("Team A prod", DEMO_KEY)).unwrap();
        desk.bind_key("sandbox", Environment::Prod, &key.id)
            .unwrap();
        desk.plan_rotation(&key.id, TEAM_B_KEY.into())
            .await
            .unwrap();
        key.id
    };
    let desk = open(dir.path(), &mem, &sandbox);
    let pending = desk.pending_rotations().unwrap();
    assert_eq!(
        pending.len(),
        1,
        "the plan is still there after the restart"
    );
    assert_eq!(pending[0].old.id, old_id);
    assert_eq!(
        pending[0].new_fingerprint,
        ApiKey::new(TEAM_B_KEY).unwrap().fingerprint()
    );
    let done = desk.commit_rotation(&old_id, false).unwrap();
    assert_eq!(done.connections, ["sandbox"]);
    // The Sandbox connection now uses Team B's key.
    assert_eq!(desk.models(true).await.unwrap().models.len(), 4);
    assert!(desk.pending_rotations().unwrap().is_empty());
}

#[tokio::test]
async fn a_key_is_unbound_and_its_record_lists_who_uses_it() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), &MemoryKeychain::new(), &sandbox);
    let key = desk.add_key(key_input("Team B", TEAM_B_KEY)).unwrap();
    let conn = desk
        .bind_key("sandbox", Environment::Prod, &key.id)
        .unwrap();
    assert!(matches!(conn.key_source, KeySource::Vault { .. }));
    let listed = &desk.keys().unwrap()[0];
    assert_eq!(listed.used_by.len(), 1);
    assert_eq!(listed.used_by[0].connection_name, "Sandbox");
    assert_eq!(listed.used_by[0].environment, Environment::Prod);
    assert_eq!(desk.models(true).await.unwrap().models.len(), 4);

    let conn = desk.unbind_key("sandbox", Environment::Prod).unwrap();
    assert_eq!(
        conn.key_source,
        KeySource::Sandbox,
        "back to the Sandbox's own key"
    );
    assert!(desk.keys().unwrap()[0].used_by.is_empty());
    // The cache of Team B's models went with the binding.
    let view = desk.models(false).await.unwrap();
    assert!(!view.from_cache);
    assert_eq!(view.models.len(), anyint_sandbox::catalogue().len());
    // The key can be deleted now that nothing uses it.
    desk.delete_key(&key.id, true).unwrap();
}

/// Editing a connection to another host would take its keys along: refused while any key
/// belongs to it or is bound to it; a new path on the same host is fine.
#[tokio::test]
async fn a_connection_with_keys_cannot_move_to_another_host() {
    let sandbox = crate::sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), &MemoryKeychain::new(), &sandbox);
    let home = desk
        .add_connection(connection("Home", "https://gw.example.com"))
        .unwrap();
    let twin = desk
        .add_connection(connection("Twin", "https://gw.example.com/v1"))
        .unwrap();
    let key = desk.add_key(key_input("Team A prod", DEMO_KEY)).unwrap();
    desk.bind_key(&home.id, Environment::Prod, &key.id).unwrap();
    desk.bind_key(&twin.id, Environment::Prod, &key.id).unwrap();
    for id in [&home.id, &twin.id] {
        let err = desk
            .update_connection(id, connection("Moved", "https://evil.example.net"))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(err.to_string().contains("Team A prod"), "{err}");
    }
    assert_eq!(
        desk.connection(&twin.id).unwrap().base_url,
        "https://gw.example.com/v1"
    );
    let renamed = desk
        .update_connection(&twin.id, connection("Twin v2", "https://gw.example.com/v2"))
        .unwrap();
    assert_eq!(renamed.name, "Twin v2");
    // Unbound from the twin, the twin may move (the key still belongs to Home).
    desk.unbind_key(&twin.id, Environment::Prod).unwrap();
    desk.update_connection(&twin.id, connection("Twin", "https://other.example.org"))
        .unwrap();
}
