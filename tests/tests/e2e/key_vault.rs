//! The key vault through the real window and the real Secret Service: add a key, bind it to
//! the Sandbox connection, verify it, rotate it to a key with another allowlist (the diff
//! shows), retire the first, see the Sandbox listed as the new key's user and unbind it; then
//! no secret may be found in any file the app wrote.

use crate::harness::{artifacts_dir, App};
use crate::secret_scan::find_secrets;
use anyint_sandbox::{DEMO_KEY, TEAM_B_KEY};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// What the session's Secret Service holds for the app, as `secret-tool` prints it.
fn keychain_items() -> String {
    let out = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "--unlock",
            "service",
            anyint_core::keys::KEYCHAIN_SERVICE,
        ])
        .output()
        .expect("secret-tool (libsecret-tools) on PATH");
    // secret-tool prints attributes on stderr and `secret = …` on stdout.
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn wait_for(app: &App, what: &str, mut check: impl AsyncFnMut(&App) -> bool) {
    for _ in 0..100 {
        if check(app).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    app.screenshot(&format!("timeout-{}", what.replace(' ', "-")))
        .await;
    panic!("timed out waiting for {what}");
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus, gnome-keyring and tauri-driver: run .dev/test-all"]
async fn add_verify_rotate_and_retire_a_key_without_leaking_it() {
    assert!(
        !keychain_items().contains("sk-sandbox"),
        "the test keyring must start empty"
    );
    let app = App::launch("keys", &[]).await;
    app.click("#nav-keys").await;
    app.wait_css("#key-add-form").await;

    // 1. Add the team's key by paste.
    app.type_into("#key-label", "Team A prod").await;
    app.select("#key-environment", "prod").await;
    app.type_into("#key-secret", DEMO_KEY).await;
    app.click("#key-add").await;
    app.wait_css("#keys-table tr[data-key-id]").await;
    let first = app
        .attrs("#keys-table tr[data-key-id]", "data-key-id")
        .await;
    assert_eq!(first.len(), 1);
    let old_id = first[0].clone();
    let secret_field = app.wait_css("#key-secret").await;
    assert_eq!(
        secret_field
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default(),
        "",
        "the form forgets the secret once stored"
    );
    assert!(
        keychain_items().contains(DEMO_KEY),
        "the secret is in the Secret Service"
    );

    // 2. Bind it to the Sandbox connection, then verify it against the sandbox.
    let row = format!("#keys-table tr[data-key-id='{old_id}']");
    app.click(&format!("{row} button.key-bind")).await;
    app.select("#bind-connection", "sandbox").await;
    app.select("#bind-environment", "prod").await;
    app.click("#bind-confirm").await;
    app.wait_gone("#bind-confirm").await;
    app.click(&format!("{row} button.key-verify")).await;
    let outcome_css = format!("{row} .key-verification");
    wait_for(&app, "verification", async |app| {
        app.attrs(&outcome_css, "data-outcome").await == ["works"]
    })
    .await;
    app.screenshot("keys-verified").await;

    // 3. Rotate to Team B's key: a smaller allowlist, so the diff lists lost models.
    app.click(&format!("{row} button.key-rotate")).await;
    app.type_into("#rotate-secret", TEAM_B_KEY).await;
    app.click("#rotate-verify").await;
    app.wait_css("#rotate-plan").await;
    let lost = app
        .attrs("#rotate-lost li[data-model-id]", "data-model-id")
        .await;
    let gained = app
        .attrs("#rotate-gained li[data-model-id]", "data-model-id")
        .await;
    let catalogue = anyint_sandbox::catalogue().len();
    assert_eq!(
        lost.len(),
        catalogue - 4,
        "Team B keeps 4 of the catalogue's models"
    );
    assert!(lost.contains(&"claude-opus-4-6".to_owned()));
    assert!(gained.is_empty(), "{gained:?}");
    app.screenshot("keys-rotation-plan").await;
    app.click("#rotate-commit").await;
    app.wait_css("#rotate-result").await;
    let reminder = app
        .wait_css("#rotate-reminder")
        .await
        .text()
        .await
        .expect("text");
    assert!(reminder.to_lowercase().contains("revoke"), "{reminder}");
    app.screenshot("keys-rotated").await;

    // 4. The old key is retired, the new one active, and the keychain holds only the new one.
    wait_for(&app, "retired old key", async |app| {
        app.attrs(&row, "data-status").await == ["retired"]
    })
    .await;
    let statuses = app
        .attrs("#keys-table tr[data-key-id]", "data-status")
        .await;
    assert_eq!(
        statuses.iter().filter(|s| *s == "active").count(),
        1,
        "{statuses:?}"
    );
    let items = keychain_items();
    assert!(
        items.contains(TEAM_B_KEY) && !items.contains(DEMO_KEY),
        "keychain after rotation"
    );

    // 5. The Sandbox connection now lists what Team B's key sees.
    app.click("#nav-models").await;
    app.click("#models-refresh").await;
    wait_for(&app, "Team B's models", async |app| {
        app.attrs("#models-table tr[data-model-id]", "data-model-id")
            .await
            .len()
            == 4
    })
    .await;

    // 6. The new key's row lists the Sandbox as its user; Unbind empties that slot.
    app.click("#nav-keys").await;
    let use_css = "#keys-table tr[data-status='active'] .key-use[data-connection-id='sandbox']";
    wait_for(&app, "the Sandbox listed as the key's user", async |app| {
        app.attrs(use_css, "data-environment").await == ["prod"]
    })
    .await;
    app.click(&format!("{use_css} button.key-unbind")).await;
    app.wait_gone(use_css).await;
    wait_for(&app, "the unbind in the audit log", async |app| {
        app.attrs("#audit-table tr[data-action='key.unbound']", "data-action")
            .await
            .len()
            == 1
    })
    .await;

    // 7. The audit log shows the rotation.
    let actions = app
        .attrs("#audit-table tr[data-action]", "data-action")
        .await;
    for wanted in [
        "key.added",
        "key.verified",
        "rotation.committed",
        "key.unbound",
    ] {
        assert!(
            actions.iter().any(|a| a == wanted),
            "{wanted} missing from {actions:?}"
        );
    }
    app.screenshot("keys-audit").await;

    let log = app.log_path.clone();
    let data_dir = app.close().await;

    // 8. Neither secret in the data dir, the SQLite file, the log, or anything under HOME
    //    (WebKit's storage and caches live there; the keyring file there is encrypted).
    let home = PathBuf::from(
        std::env::var_os("ANYINT_E2E_HOME").expect("ANYINT_E2E_HOME (set by .dev/e2e-session)"),
    );
    let roots = vec![data_dir.path().to_path_buf(), log, home, artifacts_dir()];
    let hits = find_secrets(&roots, &[DEMO_KEY, TEAM_B_KEY]);
    assert!(hits.is_empty(), "secrets found on disk: {hits:?}");
    assert!(
        data_dir.path().join("desk.sqlite3").exists(),
        "the scan covered the database"
    );
}
