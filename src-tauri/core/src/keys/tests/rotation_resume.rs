//! A rotation waiting for confirmation is stored: it survives a restart (a new vault over the
//! same database file and keychain), commits from there, and a cancel or re-plan leaves no
//! waiting secret behind.

use super::*;
use crate::keys::{KeyStatus, RotationError};
use anyint_sandbox::{CUSTOM_KEY, DEMO_KEY, TEAM_B_KEY};

fn reopen(dir: &Path, mem: &MemoryKeychain) -> KeyVault {
    KeyVault::new(Store::open(dir).unwrap(), mem.keychain())
}

#[tokio::test]
async fn a_planned_rotation_survives_a_restart_and_commits() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mem = MemoryKeychain::new();
    let (old_id, plan_fp) = {
        let vault = reopen(dir.path(), &mem);
        add_connection(&vault, "conn");
        let demo = vault
            .add(new_key("Team A prod", DEMO_KEY, Environment::Prod))
            .unwrap();
        vault.bind("conn", Environment::Prod, &demo.id).unwrap();
        let plan = vault
            .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
            .await
            .unwrap();
        (demo.id, plan.new_fingerprint)
    };
    // The app restarts: nothing in memory, same file, same keychain.
    let vault = reopen(dir.path(), &mem);
    assert_eq!(vault.get(&old_id).unwrap().status, KeyStatus::Rotating);
    let pending = vault.pending_rotations().unwrap();
    assert_eq!(pending.len(), 1);
    let plan = vault
        .pending_rotation(&old_id)
        .unwrap()
        .expect("still pending");
    assert_eq!(plan.new_fingerprint, plan_fp);
    assert_eq!(plan.connections, ["conn"]);
    assert!(!plan.lost.is_empty(), "the diff is kept");

    let result = vault.commit_rotation(plan, false).unwrap();
    assert_eq!(result.connections, ["conn"]);
    assert_eq!(result.new.fingerprint, plan_fp);
    assert_eq!(
        result.new.connection_id.as_deref(),
        Some("conn"),
        "the new key keeps the connection"
    );
    assert_eq!(vault.secret(&result.new.id).unwrap().expose(), TEAM_B_KEY);
    assert!(vault.pending_rotations().unwrap().is_empty());
    // Only the new secret is left in the keychain.
    assert_eq!(
        mem.fingerprints().keys().collect::<Vec<_>>(),
        vec![&result.new.id]
    );
}

#[tokio::test]
async fn cancel_and_re_plan_leave_no_waiting_secret() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mem = MemoryKeychain::new();
    let vault = reopen(dir.path(), &mem);
    add_connection(&vault, "conn");
    let demo = vault
        .add(new_key("Team A prod", DEMO_KEY, Environment::Prod))
        .unwrap();
    vault.bind("conn", Environment::Prod, &demo.id).unwrap();
    let first = vault
        .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(
        mem.fingerprints().len(),
        2,
        "old key and the waiting replacement"
    );
    // Planned again with another key: the first plan and its secret are gone.
    let second = vault
        .plan_rotation(&demo.id, key(CUSTOM_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(mem.fingerprints().len(), 2);
    assert!(matches!(
        vault.commit_rotation(first, false),
        Err(RotationError::StalePlan)
    ));
    let _ = second;

    let vault = reopen(dir.path(), &mem);
    let back = vault.cancel_rotation(&demo.id).unwrap();
    assert_eq!(back.status, KeyStatus::Active);
    assert!(vault.pending_rotation(&demo.id).unwrap().is_none());
    assert_eq!(
        mem.fingerprints().keys().collect::<Vec<_>>(),
        vec![&demo.id],
        "only the old key is left"
    );
}

#[tokio::test]
async fn a_replacement_deleted_from_the_keychain_cannot_commit() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let demo = vault
        .add(new_key("Team A prod", DEMO_KEY, Environment::Prod))
        .unwrap();
    vault.bind("conn", Environment::Prod, &demo.id).unwrap();
    vault
        .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    let waiting: Vec<String> = mem
        .fingerprints()
        .into_keys()
        .filter(|id| *id != demo.id)
        .collect();
    mem.remove_outside_app(&waiting[0]);
    let plan = vault.pending_rotation(&demo.id).unwrap().unwrap();
    let err = vault.commit_rotation(plan, false).unwrap_err();
    assert!(matches!(err, RotationError::ReplacementMissing), "{err}");
    assert_eq!(err.code(), ErrorCode::StalePlan);
    assert_eq!(
        vault.store().key_bindings().unwrap()[0].2,
        demo.id,
        "nothing swapped"
    );
}
