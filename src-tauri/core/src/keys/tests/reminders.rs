//! Reminders once per threshold (with the jump rule) and the needs-attention reasons, driven
//! by explicit dates instead of a clock.

use super::*;
use crate::keys::{AttentionReason, KeyMetadata, KeyStatus, ReminderKind};
use time::macros::date;
use time::Duration;

fn thresholds(vault: &KeyVault, today: time::Date) -> Vec<(String, ReminderKind, u8)> {
    vault
        .due_reminders(today)
        .unwrap()
        .into_iter()
        .map(|r| (r.label, r.kind, r.threshold))
        .collect()
}

#[test]
fn each_threshold_fires_once_day_by_day() {
    let (vault, _mem) = vault();
    let mut k = new_key("Daily", "sk-reminder-daily-000001", Environment::Prod);
    let due = date!(2030 - 03 - 20);
    k.rotate_by = Some("2030-03-20".into());
    vault.add(k).unwrap();

    let mut fired = Vec::new();
    for offset in (-2..=12).rev() {
        let today = due - Duration::days(offset);
        for _ in 0..2 {
            // Asking twice on the same day must not repeat anything.
            for (_, kind, t) in thresholds(&vault, today) {
                fired.push((offset, kind, t));
            }
        }
    }
    assert_eq!(
        fired,
        [
            (7, ReminderKind::RotateBy, 7),
            (3, ReminderKind::RotateBy, 3),
            (1, ReminderKind::RotateBy, 1)
        ]
    );
    assert_eq!(
        vault
            .audit(10)
            .unwrap()
            .iter()
            .filter(|e| e.action == "reminder.sent")
            .count(),
        3
    );
}

#[test]
fn a_jump_fires_only_the_current_threshold_and_a_new_date_rearms() {
    let (vault, _mem) = vault();
    let mut k = new_key("Jumpy", "sk-reminder-jump-0000001", Environment::Prod);
    k.expires_at = Some("2030-03-20".into());
    let rec = vault.add(k).unwrap();

    // The app was off from 9 days out until 2 days out.
    assert!(thresholds(&vault, date!(2030 - 03 - 11)).is_empty());
    assert_eq!(
        thresholds(&vault, date!(2030 - 03 - 18)),
        [("Jumpy".into(), ReminderKind::Expires, 3)]
    );
    assert!(thresholds(&vault, date!(2030 - 03 - 18)).is_empty());
    // The skipped 7-day reminder was marked, so a clock that steps back cannot raise it late.
    assert!(thresholds(&vault, date!(2030 - 03 - 15)).is_empty());
    assert_eq!(
        thresholds(&vault, date!(2030 - 03 - 19)),
        [("Jumpy".into(), ReminderKind::Expires, 1)]
    );
    assert!(
        thresholds(&vault, date!(2030 - 03 - 25)).is_empty(),
        "after the date, nothing new"
    );

    // Renewed: the new date gets its own reminders.
    let meta = KeyMetadata {
        expires_at: Some("2030-04-30".into()),
        ..rec.metadata()
    };
    vault.update_metadata(&rec.id, meta).unwrap();
    assert_eq!(
        thresholds(&vault, date!(2030 - 04 - 25)),
        [("Jumpy".into(), ReminderKind::Expires, 7)]
    );
}

#[test]
fn a_date_passed_while_off_gets_one_late_reminder_and_retired_keys_none() {
    let (vault, _mem) = vault();
    let mut late = new_key("Late", "sk-reminder-late-0000001", Environment::Prod);
    late.rotate_by = Some("2030-03-20".into());
    vault.add(late).unwrap();
    let mut retired = new_key("Retired", "sk-reminder-retired-0001", Environment::Prod);
    retired.rotate_by = Some("2030-03-21".into());
    let retired = vault.add(retired).unwrap();
    vault
        .store()
        .set_key_status(&retired.id, KeyStatus::Retired)
        .unwrap();

    let due = vault.due_reminders(date!(2030 - 03 - 23)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].label.as_str(), due[0].threshold, due[0].days_left),
        ("Late", 1, -3)
    );
    assert!(due[0].message().contains("3 days ago"));
}

#[test]
fn needs_attention_lists_every_reason() {
    let (vault, mem) = vault();
    add_connection(&vault, "conn");
    let today = date!(2030 - 03 - 01);
    let mut soon = new_key("Soon", "sk-attention-soon-000001", Environment::Prod);
    soon.rotate_by = Some("2030-03-05".into());
    let soon = vault.add(soon).unwrap();
    let mut expired = new_key("Expired", "sk-attention-expired-0001", Environment::Prod);
    expired.expires_at = Some("2030-02-27".into());
    let expired = vault.add(expired).unwrap();
    let retired = vault
        .add(new_key(
            "Retired",
            "sk-attention-retired-001",
            Environment::Prod,
        ))
        .unwrap();
    vault.bind("conn", Environment::Prod, &retired.id).unwrap();
    vault
        .store()
        .set_key_status(&retired.id, KeyStatus::Retired)
        .unwrap();
    mem.remove_outside_app(&expired.id);
    // The app notices at its next read of the secret (a request, a verify, a copy).
    assert!(vault.secret(&expired.id).is_err());

    let found: Vec<(String, Vec<AttentionReason>)> = vault
        .needs_attention(today)
        .unwrap()
        .into_iter()
        .map(|a| (a.label, a.reasons))
        .collect();
    use AttentionReason::*;
    assert!(
        found.contains(&("Soon".into(), vec![DueSoon, NeverVerified])),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "Expired".into(),
            vec![Expired, NeverVerified, MissingFromKeychain]
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("Retired".into(), vec![RetiredButInUse])),
        "{found:?}"
    );
    assert_eq!(found.len(), 3);
    let _ = soon;
}
