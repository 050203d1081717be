//! Settings' proxy end to end without a window: a gateway whose host does not resolve is
//! reachable only through a local forwarding proxy; with the proxy set in Settings the desk's
//! requests (and "test connection") get through, without it they fail at DNS. A proxy that
//! wants credentials answers 407 until the password saved in the keychain is right.

use crate::forward_proxy::ForwardProxy;
use anyint_core::keys::testing::MemoryKeychain;
use anyint_core::keys::ApiKey;
use anyint_core::settings::probe::{Step, StepStatus};
use anyint_core::settings::{PasswordChange, ProxyMode, Settings, SettingsUpdate};
use anyint_core::{Desk, ErrorCode, NewConnection, SandboxEndpoint};
use std::collections::HashMap;
use std::net::SocketAddr;

/// A name under `.invalid` never resolves (RFC 6761): only the proxy knows where it is.
const HIDDEN_HOST: &str = "gateway.anyint-proxy-test.invalid:8080";

struct World {
    desk: Desk,
    sandbox: anyint_sandbox::Sandbox,
    connection_id: String,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = crate::sandbox().await;
    let desk = Desk::with_parts(
        anyint_core::store::Store::open(dir.path()).unwrap(),
        MemoryKeychain::new().keychain(),
        Some(SandboxEndpoint {
            base_url: sandbox.base_url(),
            key: ApiKey::new(anyint_sandbox::DEMO_KEY).unwrap(),
        }),
        ApiKey::new(anyint_sandbox::DEMO_KEY),
    )
    .unwrap();
    let hidden = desk
        .add_connection(NewConnection {
            name: "Behind the proxy".into(),
            base_url: format!("http://{HIDDEN_HOST}"),
            // The test's key comes from the environment, and its proxy speaks plain HTTP.
            use_env_key: Some(true),
            allow_insecure_http: Some(true),
        })
        .unwrap();
    World {
        desk,
        sandbox,
        connection_id: hidden.id,
        _dir: dir,
    }
}

fn sandbox_addr(sandbox: &anyint_sandbox::Sandbox) -> SocketAddr {
    let base = sandbox.base_url();
    base.trim_start_matches("http://").parse().unwrap()
}

async fn proxy_for(sandbox: &anyint_sandbox::Sandbox, basic: Option<&str>) -> ForwardProxy {
    let hosts = HashMap::from([(HIDDEN_HOST.to_owned(), sandbox_addr(sandbox))]);
    ForwardProxy::start(hosts, basic).await
}

fn manual(url: &str, user: &str, password: PasswordChange) -> SettingsUpdate {
    let mut settings = Settings::default();
    settings.proxy.mode = ProxyMode::Manual;
    settings.proxy.url = url.into();
    settings.proxy.username = user.into();
    SettingsUpdate {
        settings,
        proxy_password: password,
    }
}

fn direct() -> SettingsUpdate {
    let mut settings = Settings::default();
    settings.proxy.mode = ProxyMode::Direct;
    SettingsUpdate {
        settings,
        proxy_password: PasswordChange::Keep,
    }
}

#[tokio::test]
async fn a_gateway_reachable_only_through_the_proxy_works_once_settings_name_it() {
    let w = world().await;
    let proxy = proxy_for(&w.sandbox, None).await;
    w.desk.activate(&w.connection_id).unwrap();

    w.desk.save_settings(direct()).unwrap();
    let err = w.desk.models(true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unreachable, "{err}");
    let test = w
        .desk
        .test_connection(&w.connection_id, None)
        .await
        .unwrap();
    assert_eq!(test.failed_step, Some(Step::Dns), "{test:?}");

    w.desk
        .save_settings(manual(&proxy.url(), "", PasswordChange::Keep))
        .unwrap();
    let view = w.desk.models(true).await.unwrap();
    assert_eq!(view.models.len(), anyint_sandbox::catalogue().len());
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.starts_with(&format!("GET http://{HIDDEN_HOST}/openai/v1/models"))),
        "{:?}",
        proxy.requests()
    );
    let test = w
        .desk
        .test_connection(&w.connection_id, None)
        .await
        .unwrap();
    assert!(test.ok, "{test:?}");
    assert_eq!(test.via.as_deref(), Some(proxy.url().as_str()));
    let steps: Vec<Step> = test.steps.iter().map(|s| s.step).collect();
    assert_eq!(steps, vec![Step::Dns, Step::Tcp, Step::Proxy, Step::Http]);

    // The form's unsaved edits are what a test uses: "direct" fails again at DNS while the
    // saved proxy stays in force.
    let unsaved = w
        .desk
        .test_connection(&w.connection_id, Some(direct()))
        .await
        .unwrap();
    assert_eq!(unsaved.failed_step, Some(Step::Dns));
    assert!(w.desk.models(true).await.is_ok());
}

#[tokio::test]
async fn the_sandbox_stays_direct_behind_a_dead_proxy() {
    let w = world().await;
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    w.desk
        .save_settings(manual(&dead_url, "", PasswordChange::Keep))
        .unwrap();
    let sandbox_view = w.desk.models(true).await.unwrap();
    assert_eq!(sandbox_view.connection_id, "sandbox");
    let test = w.desk.test_connection("sandbox", None).await.unwrap();
    assert!(test.ok && test.via.is_none(), "{test:?}");
}

#[tokio::test]
async fn proxy_credentials_live_in_the_keychain_and_a_407_is_named() {
    let w = world().await;
    let proxy = proxy_for(&w.sandbox, Some("ann:s3cret-proxy-pw")).await;
    w.desk.activate(&w.connection_id).unwrap();

    w.desk
        .save_settings(manual(&proxy.url(), "", PasswordChange::Keep))
        .unwrap();
    let test = w
        .desk
        .test_connection(&w.connection_id, None)
        .await
        .unwrap();
    assert_eq!(test.failed_step, Some(Step::Proxy));
    let step = test.steps.iter().find(|s| s.step == Step::Proxy).unwrap();
    assert_eq!(step.http_status, Some(407));
    assert!(
        step.detail.contains("authentication required"),
        "{}",
        step.detail
    );

    let wrong = PasswordChange::Set {
        value: "not-it".into(),
    };
    w.desk
        .save_settings(manual(&proxy.url(), "ann", wrong))
        .unwrap();
    let test = w
        .desk
        .test_connection(&w.connection_id, None)
        .await
        .unwrap();
    let step = test.steps.iter().find(|s| s.step == Step::Proxy).unwrap();
    assert_eq!(
        (step.status, step.http_status),
        (StepStatus::Failed, Some(407))
    );
    assert!(
        step.detail.contains("authentication failed"),
        "{}",
        step.detail
    );
    assert!(w.desk.models(true).await.is_err());

    let right = PasswordChange::Set {
        value: "s3cret-proxy-pw".into(),
    };
    let view = w
        .desk
        .save_settings(manual(&proxy.url(), "ann", right))
        .unwrap();
    assert!(view.proxy_password_saved);
    let test = w
        .desk
        .test_connection(&w.connection_id, None)
        .await
        .unwrap();
    assert!(test.ok, "{test:?}");
    assert!(w.desk.models(true).await.is_ok());
    // A save that keeps the password keeps it working.
    w.desk
        .save_settings(manual(&proxy.url(), "ann", PasswordChange::Keep))
        .unwrap();
    assert!(w.desk.models(true).await.is_ok());

    let db = std::fs::read(w._dir.path().join("desk.sqlite3")).unwrap();
    let wal = std::fs::read(w._dir.path().join("desk.sqlite3-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !bytes.windows(15).any(|w| w == b"s3cret-proxy-pw"),
            "the proxy password reached SQLite"
        );
    }
    let shown = serde_json::to_string(&w.desk.settings().unwrap()).unwrap();
    assert!(!shown.contains("s3cret"), "{shown}");

    w.desk
        .save_settings(manual(&proxy.url(), "ann", PasswordChange::Clear))
        .unwrap();
    assert!(!w.desk.settings().unwrap().proxy_password_saved);
    assert!(w.desk.models(true).await.is_err());
}

#[tokio::test]
async fn a_bad_proxy_url_is_refused_and_nothing_changes() {
    let w = world().await;
    let before = w.desk.settings().unwrap();
    for url in ["ftp://proxy:21", "proxy.corp:3128", "socks5://proxy"] {
        let err = w
            .desk
            .save_settings(manual(url, "", PasswordChange::Keep))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().starts_with("proxy.url: "), "{err}");
    }
    assert_eq!(w.desk.settings().unwrap(), before);
}

#[tokio::test]
async fn key_verification_goes_through_the_saved_proxy_too() {
    use anyint_core::keys::{Environment, KeyMetadata, Outcome};
    let w = world().await;
    let proxy = proxy_for(&w.sandbox, None).await;
    w.desk.activate(&w.connection_id).unwrap();
    let key = w
        .desk
        .add_key(anyint_core::NewKeyInput {
            meta: KeyMetadata {
                label: "Demo".into(),
                team: None,
                project: None,
                environment: Environment::Prod,
                rotate_by: None,
                expires_at: None,
                notes: None,
            },
            secret: Some(anyint_sandbox::DEMO_KEY.into()),
        })
        .unwrap();
    // A key is checked against its own connection's gateway: the one behind the proxy.
    w.desk
        .bind_key(&w.connection_id, Environment::Prod, &key.id)
        .unwrap();

    w.desk.save_settings(direct()).unwrap();
    let direct_check = w.desk.verify_key(&key.id).await.unwrap();
    assert_eq!(direct_check.outcome, Outcome::Unreachable);

    w.desk
        .save_settings(manual(&proxy.url(), "", PasswordChange::Keep))
        .unwrap();
    let through = w.desk.verify_key(&key.id).await.unwrap();
    assert_eq!(through.outcome, Outcome::Works, "{through:?}");
    assert!(proxy
        .requests()
        .iter()
        .any(|r| r.contains("/anthropic/v1/models")));
}
