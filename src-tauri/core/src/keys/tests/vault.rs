//! Add, list, secrets, the keychain states, duplicates, bindings, deletion, audit.

use super::*;
use crate::keys::{Environment, KeyKind, KeyMetadata, KeyStatus, VaultError};

const SECRET: &str = "sk-plan-vaulttest-0123456789abcdefSECRET";

#[test]
fn add_list_and_secret_round_trip() {
    let (vault, mem) = vault();
    let rec = vault
        .add(new_key("  Team A prod ", SECRET, Environment::Prod))
        .unwrap();
    assert_eq!(rec.label, "Team A prod");
    assert_eq!(rec.kind, KeyKind::Plan);
    assert_eq!(rec.prefix, "sk-plan-");
    assert_eq!(rec.masked_key, "sk-plan-…CRET");
    assert_eq!(rec.fingerprint, key(SECRET).fingerprint());
    assert_eq!(rec.status, KeyStatus::Active);
    assert!(rec.in_keychain);

    let listed = vault.list().unwrap();
    assert_eq!(listed, vec![rec.clone()]);
    assert_eq!(vault.secret(&rec.id).unwrap().expose(), SECRET);
    assert_eq!(mem.fingerprints().keys().collect::<Vec<_>>(), vec![&rec.id]);

    let json = serde_json::to_string(&rec).unwrap();
    assert!(
        json.contains("\"maskedKey\"") && json.contains("\"inKeychain\":true"),
        "{json}"
    );
    assert!(!json.contains("0123456789abcdef"), "{json}");
}

#[test]
fn a_key_deleted_outside_the_app_is_a_state_not_a_crash() {
    let (vault, mem) = vault();
    let rec = vault
        .add(new_key("Gone", SECRET, Environment::Dev))
        .unwrap();
    mem.remove_outside_app(&rec.id);
    // Listing does not look in the keychain: the deletion shows once a read finds it.
    assert!(vault.list().unwrap()[0].in_keychain);
    let err = vault.secret(&rec.id).unwrap_err();
    assert!(
        matches!(&err, VaultError::MissingFromKeychain { label, .. } if label == "Gone"),
        "{err}"
    );
    assert_eq!(err.code(), ErrorCode::KeyMissing);
    assert!(!vault.get(&rec.id).unwrap().in_keychain);
    assert!(!vault.list().unwrap()[0].in_keychain);
    // Put back (say, restored from a backup), the next read clears the mark.
    mem.keychain().set(&rec.id, &key(SECRET)).unwrap();
    assert_eq!(vault.secret(&rec.id).unwrap().expose(), SECRET);
    assert!(vault.list().unwrap()[0].in_keychain);
}

#[test]
fn a_locked_keychain_does_not_mark_keys_missing() {
    let (vault, mem) = vault();
    let rec = vault
        .add(new_key("Locked", SECRET, Environment::Dev))
        .unwrap();
    mem.set_unavailable(true);
    let err = vault.secret(&rec.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeychainUnavailable);
    assert!(
        vault.get(&rec.id).unwrap().in_keychain,
        "a locked keychain says nothing about the entry"
    );
}

/// A team's inventory: listing it, one record, the attention list and the bindings read no
/// secret at all (each read is a Secret Service round trip, about 45 ms).
#[test]
fn listing_200_keys_reads_no_secret() {
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let mut ids = Vec::new();
    for i in 0..200 {
        let rec = vault
            .add(new_key(
                &format!("Key {i:03}"),
                &format!("sk-team-scale-{i:06}-abcdefgh"),
                Environment::Prod,
            ))
            .unwrap();
        ids.push(rec.id);
    }
    vault.bind("conn", Environment::Prod, &ids[7]).unwrap();
    let before = mem.secret_reads();
    let listed = vault.list().unwrap();
    assert_eq!(listed.len(), 200);
    assert!(listed.iter().all(|k| k.in_keychain));
    assert_eq!(listed[7].used_by.len(), 1);
    vault.get(&ids[3]).unwrap();
    vault
        .needs_attention(time::macros::date!(2030 - 01 - 01))
        .unwrap();
    vault.bindings("conn").unwrap();
    assert_eq!(mem.secret_reads() - before, 0, "secrets read while listing");
    // The counter counts: one read is one read.
    vault.secret(&ids[0]).unwrap();
    assert_eq!(mem.secret_reads() - before, 1);
}

#[test]
fn a_key_belongs_to_its_first_connection_s_gateway() {
    let (vault, _mem) = vault();
    add_connection_at(&vault, "prod", "https://api.anyint.ai");
    add_connection_at(&vault, "prod-v1", "https://API.anyint.ai:443/v1");
    add_connection_at(&vault, "other", "https://gateway.example.com");
    add_connection_at(&vault, "plain", "http://api.anyint.ai");
    let rec = vault
        .add(new_key("Team A prod", SECRET, Environment::Prod))
        .unwrap();
    assert_eq!(rec.connection_id, None);
    vault.bind("prod", Environment::Prod, &rec.id).unwrap();
    assert_eq!(
        vault.get(&rec.id).unwrap().connection_id.as_deref(),
        Some("prod")
    );
    // Same scheme, host and port: allowed, and the key keeps its first connection.
    vault.bind("prod-v1", Environment::Prod, &rec.id).unwrap();
    for elsewhere in ["other", "plain"] {
        let err = vault
            .bind(elsewhere, Environment::Prod, &rec.id)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{elsewhere}");
        assert!(
            err.to_string().contains("belongs to the connection `prod`"),
            "{err}"
        );
    }
    assert!(vault.bindings("other").unwrap().is_empty());
    // Unbinding everywhere does not free the key for another gateway.
    vault.unbind("prod", Environment::Prod).unwrap();
    vault.unbind("prod-v1", Environment::Prod).unwrap();
    assert!(vault.bind("other", Environment::Prod, &rec.id).is_err());
    assert_eq!(
        vault.get(&rec.id).unwrap().connection_id.as_deref(),
        Some("prod")
    );
}

#[test]
fn a_record_lists_the_connections_that_use_it() {
    let (vault, _mem) = vault();
    add_connection(&vault, "conn-b");
    add_connection(&vault, "conn-a");
    let rec = vault
        .add(new_key("Shared", SECRET, Environment::Dev))
        .unwrap();
    assert!(rec.used_by.is_empty());
    vault.bind("conn-b", Environment::Dev, &rec.id).unwrap();
    vault.bind("conn-a", Environment::Dev, &rec.id).unwrap();
    let names = |r: &crate::keys::KeyRecord| -> Vec<(String, Environment)> {
        r.used_by
            .iter()
            .map(|u| (u.connection_name.clone(), u.environment))
            .collect()
    };
    let want = vec![
        ("conn-a".to_owned(), Environment::Dev),
        ("conn-b".to_owned(), Environment::Dev),
    ];
    assert_eq!(names(&vault.get(&rec.id).unwrap()), want);
    assert_eq!(names(&vault.list().unwrap()[0]), want);
    assert!(vault.unbind("conn-b", Environment::Dev).unwrap());
    assert_eq!(
        names(&vault.get(&rec.id).unwrap()),
        vec![("conn-a".to_owned(), Environment::Dev)]
    );
    assert!(
        !vault.unbind("conn-b", Environment::Dev).unwrap(),
        "already empty"
    );
}

#[test]
fn the_same_key_is_refused_twice_naming_the_holder() {
    let (vault, mem) = vault();
    vault
        .add(new_key("First", SECRET, Environment::Prod))
        .unwrap();
    // Same secret with paste whitespace: still the same key.
    let err = vault
        .add(new_key(
            "Second",
            &format!("  {SECRET}\n"),
            Environment::Dev,
        ))
        .unwrap_err();
    assert!(
        matches!(&err, VaultError::Duplicate { label, .. } if label == "First"),
        "{err}"
    );
    assert_eq!(vault.list().unwrap().len(), 1);
    assert_eq!(mem.fingerprints().len(), 1);
}

#[test]
fn no_usable_keychain_stores_nothing_anywhere() {
    let (vault, mem) = vault();
    mem.set_unavailable(true);
    let err = vault
        .add(new_key("Locked", SECRET, Environment::Prod))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeychainUnavailable);
    assert!(err.to_string().contains("no usable keychain"), "{err}");
    assert!(vault.keychain_status().is_err());
    assert!(vault.store().key_rows().unwrap().is_empty());
    mem.set_unavailable(false);
    assert!(mem.fingerprints().is_empty());
    assert!(vault.keychain_status().is_ok());
}

#[test]
fn a_failed_row_insert_removes_the_keychain_entry() {
    let (vault, mem) = vault();
    vault
        .store()
        .lock()
        .execute_batch("CREATE TRIGGER no_keys BEFORE INSERT ON keys BEGIN SELECT RAISE(ABORT, 'injected'); END;")
        .unwrap();
    let err = vault
        .add(new_key("Doomed", SECRET, Environment::Prod))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Store, "{err}");
    assert!(mem.fingerprints().is_empty());
    assert_eq!(vault.audit(10).unwrap()[0].outcome, "failed");
}

#[test]
fn invalid_metadata_is_refused_before_the_keychain() {
    let (vault, mem) = vault();
    let mut bad = new_key("x", SECRET, Environment::Prod);
    bad.rotate_by = Some("next week".into());
    assert_eq!(vault.add(bad).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(
        vault
            .add(new_key(" ", SECRET, Environment::Prod))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidInput
    );
    assert!(mem.fingerprints().is_empty());
}

#[test]
fn bindings_pick_the_key_of_the_active_environment() {
    let (vault, _mem) = vault();
    add_connection(&vault, "conn-a");
    add_connection(&vault, "conn-b");
    let dev = vault
        .add(new_key("Dev", "sk-dev-key-000000000001", Environment::Dev))
        .unwrap();
    let prod = vault
        .add(new_key(
            "Prod",
            "sk-prod-key-00000000001",
            Environment::Prod,
        ))
        .unwrap();

    assert!(vault.key_for("conn-a").unwrap().is_none());
    // First bind on an empty connection switches its active environment to the bound one.
    vault.bind("conn-a", Environment::Dev, &dev.id).unwrap();
    assert_eq!(
        vault.active_environment("conn-a").unwrap(),
        Environment::Dev
    );
    vault.bind("conn-a", Environment::Prod, &prod.id).unwrap();
    assert_eq!(
        vault.active_environment("conn-a").unwrap(),
        Environment::Dev
    );
    vault.bind("conn-b", Environment::Prod, &prod.id).unwrap();

    let (rec, secret) = vault.key_for("conn-a").unwrap().unwrap();
    assert_eq!(
        (rec.id.as_str(), secret.expose()),
        (dev.id.as_str(), "sk-dev-key-000000000001")
    );
    assert!(rec.last_used_at.is_some());
    assert_eq!(vault.get(&dev.id).unwrap().last_used_at, rec.last_used_at);
    assert!(vault.get(&prod.id).unwrap().last_used_at.is_none());

    vault
        .set_active_environment("conn-a", Environment::Prod)
        .unwrap();
    assert_eq!(vault.key_for("conn-a").unwrap().unwrap().0.id, prod.id);
    assert_eq!(
        vault.connections_using(&prod.id).unwrap(),
        vec!["conn-a", "conn-b"]
    );
    assert_eq!(vault.bindings("conn-a").unwrap().len(), 2);

    // A prod key cannot sit in a dev slot; unknown connections are named.
    let err = vault
        .bind("conn-b", Environment::Dev, &prod.id)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        vault
            .bind("nope", Environment::Dev, &dev.id)
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );

    assert!(vault.unbind("conn-a", Environment::Prod).unwrap());
    assert!(!vault.unbind("conn-a", Environment::Prod).unwrap());
    assert!(vault.key_for("conn-a").unwrap().is_none());
}

#[test]
fn key_for_reports_a_missing_secret() {
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let rec = vault.add(new_key("K", SECRET, Environment::Prod)).unwrap();
    vault.bind("conn", Environment::Prod, &rec.id).unwrap();
    mem.remove_outside_app(&rec.id);
    assert_eq!(
        vault.key_for("conn").unwrap_err().code(),
        ErrorCode::KeyMissing
    );
}

#[test]
fn delete_refuses_bound_keys_and_honours_the_keychain_choice() {
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let a = vault
        .add(new_key("A", "sk-delete-test-aaaaaaaa", Environment::Prod))
        .unwrap();
    let b = vault
        .add(new_key("B", "sk-delete-test-bbbbbbbb", Environment::Prod))
        .unwrap();
    vault.bind("conn", Environment::Prod, &a.id).unwrap();

    let err = vault.delete(&a.id, true).unwrap_err();
    assert!(
        matches!(&err, VaultError::InUse { connections, .. } if connections == &["conn"]),
        "{err}"
    );
    assert!(mem.fingerprints().contains_key(&a.id));

    vault.delete(&b.id, false).unwrap();
    assert!(mem.fingerprints().contains_key(&b.id), "kept on request");
    vault.unbind("conn", Environment::Prod).unwrap();
    vault.delete(&a.id, true).unwrap();
    assert!(!mem.fingerprints().contains_key(&a.id));
    assert!(vault.list().unwrap().is_empty());
    assert_eq!(vault.get(&a.id).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn metadata_updates_keep_bound_keys_in_their_environment() {
    let (vault, _mem) = vault();
    add_connection(&vault, "conn");
    let rec = vault
        .add(new_key("Old name", SECRET, Environment::Prod))
        .unwrap();
    let meta = KeyMetadata {
        label: "New name".into(),
        team: None,
        project: Some("api".into()),
        environment: Environment::Prod,
        rotate_by: Some("2030-06-01".into()),
        expires_at: None,
        notes: None,
    };
    let updated = vault.update_metadata(&rec.id, meta.clone()).unwrap();
    assert_eq!(
        (updated.label.as_str(), updated.team.as_deref()),
        ("New name", None)
    );
    assert_eq!(updated.rotate_by.as_deref(), Some("2030-06-01"));
    assert_eq!(updated.fingerprint, rec.fingerprint);

    vault.bind("conn", Environment::Prod, &rec.id).unwrap();
    let moved = KeyMetadata {
        environment: Environment::Dev,
        ..meta
    };
    assert_eq!(
        vault.update_metadata(&rec.id, moved).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(vault.get(&rec.id).unwrap().environment, Environment::Prod);
}

#[test]
fn audit_log_names_keys_without_secrets_and_exports_csv() {
    let (vault, _mem) = vault();
    let rec = vault
        .add(new_key("Team \"A\", prod", SECRET, Environment::Prod))
        .unwrap();
    vault.copy_secret(&rec.id).unwrap();
    vault.delete(&rec.id, true).unwrap();
    let entries = vault.audit(10).unwrap();
    let seen: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        seen,
        ["key.deleted", "key.copied", "key.added"],
        "newest first"
    );
    assert!(entries
        .iter()
        .all(|e| e.key_fingerprint.as_deref() == Some(rec.fingerprint.as_str())));
    assert!(entries
        .iter()
        .all(|e| !e.actor.is_empty() && e.outcome == "ok"));

    let csv = vault.audit_csv().unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 5, "header, three rows, trailing empty: {csv}");
    assert!(
        lines[1].contains(",key.added,") && lines[1].contains("\"Team \"\"A\"\", prod\""),
        "{csv}"
    );
    assert!(!csv.contains("0123456789abcdef"));
}
