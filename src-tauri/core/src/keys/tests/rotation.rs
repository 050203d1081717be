//! Guided rotation against the sandbox: the diff, the atomic swap, the keep/delete choice, a
//! rejected key changing nothing, a failed commit undoing itself, and no secret on disk.

use super::*;
use crate::keys::{KeyStatus, OldModels, Outcome, RotationError};
use anyint_sandbox::{CUSTOM_KEY, DEMO_KEY, TEAM_B_KEY};

/// A vault with DEMO_KEY bound (prod) to two connections, plus an unrelated dev key.
fn rotation_setup(vault: &KeyVault) -> (String, String) {
    add_connection(vault, "conn-a");
    add_connection(vault, "conn-b");
    add_connection(vault, "conn-c");
    let mut demo = new_key("Team A prod", DEMO_KEY, Environment::Prod);
    demo.rotate_by = Some("2030-01-01".into());
    let demo = vault.add(demo).unwrap();
    let other = vault
        .add(new_key(
            "Other dev",
            "sk-unrelated-dev-000001",
            Environment::Dev,
        ))
        .unwrap();
    vault.bind("conn-a", Environment::Prod, &demo.id).unwrap();
    vault.bind("conn-b", Environment::Prod, &demo.id).unwrap();
    vault.bind("conn-c", Environment::Dev, &other.id).unwrap();
    (demo.id, other.id)
}

#[tokio::test]
async fn rotating_to_a_smaller_allowlist_shows_the_loss_and_swaps_every_connection() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    let (old_id, other_id) = rotation_setup(&vault);

    let plan = vault
        .plan_rotation(&old_id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(plan.new_verification.outcome, Outcome::Works);
    assert_eq!(plan.old_models, OldModels::Live);
    assert!(plan.gained.is_empty(), "{:?}", plan.gained);
    assert!(!plan.lost.is_empty());
    assert!(
        !plan.lost.iter().any(|m| m == "gpt-5"),
        "team B keeps gpt-5"
    );
    assert_eq!(plan.connections, ["conn-a", "conn-b"]);
    assert_eq!(plan.old.status, KeyStatus::Rotating);
    assert_eq!(
        vault.key_for("conn-a").unwrap().unwrap().1.expose(),
        DEMO_KEY,
        "nothing swapped yet"
    );

    let result = vault.commit_rotation(plan, false).unwrap();
    assert_eq!(result.connections, ["conn-a", "conn-b"]);
    assert!(result.old_secret_deleted && result.warning.is_none());
    assert_eq!(result.old.status, KeyStatus::Retired);
    assert_eq!(
        result.old.replaced_by.as_deref(),
        Some(result.new.id.as_str())
    );
    assert!(!result.old.in_keychain);
    assert!(
        result.new.label.starts_with("Team A prod (rotated "),
        "{}",
        result.new.label
    );
    assert_eq!(
        (
            result.new.team.as_deref(),
            result.new.environment,
            result.new.rotate_by.as_deref()
        ),
        (Some("Team A"), Environment::Prod, None)
    );
    assert_eq!(
        result.new.last_verification.as_ref().map(|v| v.outcome),
        Some(Outcome::Works)
    );
    assert!(
        result.reminder.contains(&result.old.masked_key)
            && result.reminder.contains(&result.old.fingerprint)
    );
    assert!(result.reminder.starts_with("Revoke the old key"));

    for conn in ["conn-a", "conn-b"] {
        let (rec, secret) = vault.key_for(conn).unwrap().unwrap();
        assert_eq!(
            (rec.id.as_str(), secret.expose()),
            (result.new.id.as_str(), TEAM_B_KEY)
        );
    }
    assert_eq!(
        vault.key_for("conn-c").unwrap().unwrap().0.id,
        other_id,
        "other keys untouched"
    );
    assert!(!mem.fingerprints().contains_key(&old_id));
    assert!(vault.connections_using(&old_id).unwrap().is_empty());

    let log = actions(&vault);
    assert_eq!(
        log[log.len() - 7..],
        [
            "rotation.started",
            "rotation.verified",
            "key.verified",
            "key.added",
            "rotation.committed",
            "rotation.old_retired",
            "rotation.old_deleted",
        ]
    );
}

#[tokio::test]
async fn a_rejected_new_key_changes_nothing_but_the_log() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    let (old_id, _) = rotation_setup(&vault);
    let before = snapshot(&vault, &mem);

    let err = vault
        .plan_rotation(&old_id, key("sk-sandbox-unknown-rotation"), &sb.base_url())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            RotationError::NewKeyRejected {
                outcome: Outcome::Invalid,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.code(), ErrorCode::NewKeyRejected);
    assert!(err.to_string().contains("nothing was changed"));
    assert_eq!(snapshot(&vault, &mem), before);

    let last = &vault.audit(1).unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.outcome.as_str()),
        ("rotation.verify_failed", "invalid")
    );
    assert_eq!(last.key_id.as_deref(), Some(old_id.as_str()));

    // An unreachable gateway is a failed verification too.
    let err = vault
        .plan_rotation(&old_id, key(TEAM_B_KEY), &dead_url())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        RotationError::NewKeyRejected {
            outcome: Outcome::Unreachable,
            ..
        }
    ));
    assert_eq!(snapshot(&vault, &mem), before);
}

#[tokio::test]
async fn a_commit_that_fails_in_the_transaction_is_undone() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    let (old_id, _) = rotation_setup(&vault);
    let plan = vault
        .plan_rotation(&old_id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    let before = snapshot(&vault, &mem);
    vault
        .store()
        .lock()
        .execute_batch("CREATE TRIGGER no_swap BEFORE UPDATE ON connection_keys BEGIN SELECT RAISE(ABORT, 'injected'); END;")
        .unwrap();

    let err = vault.commit_rotation(plan.clone(), false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Store, "{err}");
    assert_eq!(
        snapshot(&vault, &mem),
        before,
        "no new row, no new secret, bindings unchanged"
    );
    assert_eq!(vault.audit(1).unwrap()[0].action, "rotation.failed");

    // With the fault gone the same plan commits.
    vault
        .store()
        .lock()
        .execute_batch("DROP TRIGGER no_swap;")
        .unwrap();
    let result = vault.commit_rotation(plan.clone(), true).unwrap();
    assert_eq!(result.connections, ["conn-a", "conn-b"]);
    // A plan cannot be committed twice.
    assert_eq!(
        vault.commit_rotation(plan, true).unwrap_err().code(),
        ErrorCode::StalePlan
    );
}

#[tokio::test]
async fn keeping_the_old_secret_and_a_gain_and_loss_diff() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let team_b = vault
        .add(new_key("Team B", TEAM_B_KEY, Environment::Staging))
        .unwrap();
    vault
        .bind("conn", Environment::Staging, &team_b.id)
        .unwrap();

    let plan = vault
        .plan_rotation(&team_b.id, key(CUSTOM_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(plan.gained, ["claude-opus-4-6", "gpt-5.5"]);
    assert_eq!(
        plan.lost,
        ["claude-sonnet-4-6", "gemini-2.0-flash", "gpt-5"]
    );
    assert_eq!(plan.new_kind, crate::keys::KeyKind::Custom);
    let json = serde_json::to_string(&plan).unwrap();
    assert!(
        json.contains("\"gained\"") && !json.contains(CUSTOM_KEY) && !json.contains(TEAM_B_KEY),
        "{json}"
    );

    let result = vault.commit_rotation(plan, true).unwrap();
    assert!(!result.old_secret_deleted);
    assert!(
        mem.fingerprints().contains_key(&team_b.id),
        "kept on request"
    );
    assert!(result.old.in_keychain);
    assert!(actions(&vault).contains(&"rotation.old_kept".to_owned()));
    assert_eq!(vault.secret(&team_b.id).unwrap().expose(), TEAM_B_KEY);
}

#[tokio::test]
async fn the_diff_falls_back_to_the_last_known_models_and_refuses_odd_requests() {
    let sb = sandbox().await;
    let (vault, mem) = vault();
    let demo = vault
        .add(new_key("Demo", DEMO_KEY, Environment::Prod))
        .unwrap();

    // Never verified and gone from the keychain: the diff is unknown, not empty-by-accident.
    mem.remove_outside_app(&demo.id);
    let plan = vault
        .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(plan.old_models, OldModels::Unknown);
    assert!(plan.gained.is_empty() && plan.lost.is_empty());
    assert!(plan.old_verification.is_none());
    vault.cancel_rotation(&demo.id).unwrap();
    assert_eq!(vault.get(&demo.id).unwrap().status, KeyStatus::Active);

    // Verified once, then deleted outside the app: the last known list is used.
    mem.keychain().set(&demo.id, &key(DEMO_KEY)).unwrap();
    vault.verify(&demo.id, &sb.base_url()).await.unwrap();
    mem.remove_outside_app(&demo.id);
    let plan = vault
        .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    assert_eq!(plan.old_models, OldModels::LastKnown);
    assert!(!plan.lost.is_empty());

    let same = vault
        .plan_rotation(&demo.id, key(DEMO_KEY), &sb.base_url())
        .await
        .unwrap_err();
    assert!(matches!(same, RotationError::SameKey));
    let other = vault
        .add(new_key("Other", CUSTOM_KEY, Environment::Prod))
        .unwrap();
    let dup = vault
        .plan_rotation(&demo.id, key(CUSTOM_KEY), &sb.base_url())
        .await
        .unwrap_err();
    assert_eq!(dup.code(), ErrorCode::DuplicateKey);
    let _ = other;
}

#[tokio::test]
async fn no_secret_reaches_the_database_files() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let mem = crate::keys::testing::MemoryKeychain::new();
    let vault = KeyVault::new(Store::open(dir.path()).unwrap(), mem.keychain());
    add_connection(&vault, "conn");
    let long = "sk-custom-test-ondisk-9f8e7d6c5b4a39281706";
    let mut demo = new_key("Disk test", DEMO_KEY, Environment::Prod);
    demo.notes = Some("label-marker-for-the-scan".into());
    let demo = vault.add(demo).unwrap();
    vault.add(new_key("Long", long, Environment::Dev)).unwrap();
    vault.bind("conn", Environment::Prod, &demo.id).unwrap();
    vault.verify(&demo.id, &sb.base_url()).await.unwrap();
    let plan = vault
        .plan_rotation(&demo.id, key(TEAM_B_KEY), &sb.base_url())
        .await
        .unwrap();
    let rotated = vault.commit_rotation(plan, false).unwrap();
    let rejected = vault
        .plan_rotation(
            &rotated.new.id,
            key("sk-sandbox-rejected-disk"),
            &sb.base_url(),
        )
        .await;
    assert!(matches!(
        rejected,
        Err(RotationError::NewKeyRejected { .. })
    ));
    let csv = vault.audit_csv().unwrap();

    // The scan works: metadata written through the same path is found.
    assert!(dir_contains(dir.path(), "label-marker-for-the-scan"));
    for secret in [DEMO_KEY, TEAM_B_KEY, long, "sk-sandbox-rejected-disk"] {
        assert!(
            !dir_contains(dir.path(), secret),
            "a secret is in the database files"
        );
        assert!(!csv.contains(secret), "a secret is in the audit CSV");
    }
}

#[test]
fn the_ui_types_never_carry_the_new_secret() {
    use ts_rs::TS;
    let ts = crate::keys::RotationPlan::decl();
    assert!(
        ts.contains("newFingerprint") && ts.contains("gained"),
        "{ts}"
    );
    assert!(!ts.contains("newSecret"), "{ts}");
    let record = crate::keys::KeyRecord::decl();
    assert!(
        record.contains("inKeychain") && record.contains("lastVerification"),
        "{record}"
    );
}
