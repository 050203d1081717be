//! Reminders and the "needs attention" list. Both take `today` from the caller (the app passes
//! the local date, tests pass any date), so nothing here reads the clock or sleeps.
//!
//! A reminder is raised at most once per (key, date kind, date, threshold), remembered in
//! `reminders_sent`; the date is part of that key, so moving a rotate-by or expiry date re-arms
//! its reminders.

use super::audit::action;
use super::records::{now_rfc3339, parse_date, KeyRecord, KeyStatus};
use super::vault::{subject_of, KeyVault, VaultError};
use super::verify::Outcome;
use serde::Serialize;
use ts_rs::TS;

/// Days before a date at which a reminder fires, largest first.
pub const THRESHOLDS: [i64; 3] = [7, 3, 1];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    RotateBy,
    Expires,
}

impl ReminderKind {
    fn as_str(self) -> &'static str {
        match self {
            ReminderKind::RotateBy => "rotate_by",
            ReminderKind::Expires => "expires",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub key_id: String,
    pub label: String,
    pub masked_key: String,
    pub kind: ReminderKind,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The threshold that fired: 7, 3 or 1.
    pub threshold: u8,
    /// Days from `today` to `date`; 0 or less when the date was reached while the app was off.
    #[ts(type = "number")]
    pub days_left: i64,
}

impl Reminder {
    /// The notification text.
    pub fn message(&self) -> String {
        let what = match self.kind {
            ReminderKind::RotateBy => "should be rotated by",
            ReminderKind::Expires => "expires on",
        };
        let when = match self.days_left {
            d if d > 1 => format!("in {d} days"),
            1 => "tomorrow".to_owned(),
            0 => "today".to_owned(),
            -1 => "1 day ago".to_owned(),
            d => format!("{} days ago", -d),
        };
        format!(
            "Key `{}` ({}) {what} {} ({when}).",
            self.label, self.masked_key, self.date
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttentionReason {
    /// A rotate-by or expiry date within 7 days (today included).
    DueSoon,
    /// The expiry date has passed: the gateway has most likely invalidated the key.
    Expired,
    /// The rotate-by date has passed.
    RotationOverdue,
    NeverVerified,
    VerificationFailed,
    /// Retired, yet a connection still uses it.
    RetiredButInUse,
    MissingFromKeychain,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attention {
    pub key_id: String,
    pub label: String,
    pub masked_key: String,
    pub reasons: Vec<AttentionReason>,
}

/// The threshold a key is in on a given day: the smallest threshold `t` with
/// `days_left <= t`. Five days out that is 7; two days out, 3; on the day or after it, 1.
/// `None` more than 7 days out.
fn current_threshold(days_left: i64) -> Option<i64> {
    THRESHOLDS.iter().rev().copied().find(|t| days_left <= *t)
}

impl KeyVault {
    /// The reminders to raise today, each marked sent so it is returned once ever. The rule:
    /// only the key's *current* threshold fires (see [`current_threshold`]), and firing it
    /// also marks every larger threshold sent (so a clock stepping back, a time-zone change
    /// say, cannot raise a skipped reminder late). So a key 5 days out gets the 7-day reminder;
    /// if the app was off while days_left went from 9 to 2, only the 3-day one fires (the
    /// stale 7-day one is marked, not sent), then the 1-day one a day later. A date reached
    /// while the app was off still gets its 1-day reminder once, saying how long ago. Retired
    /// keys get none.
    pub fn due_reminders(&self, today: time::Date) -> Result<Vec<Reminder>, VaultError> {
        let mut due = Vec::new();
        for row in self.store().key_rows()? {
            if row.status == KeyStatus::Retired {
                continue;
            }
            let dates = [
                (ReminderKind::RotateBy, &row.rotate_by),
                (ReminderKind::Expires, &row.expires_at),
            ];
            for (kind, date) in dates {
                let Some((date, day)) = date.as_deref().and_then(|d| parse_date(d).map(|p| (d, p)))
                else {
                    continue;
                };
                let days_left = (day - today).whole_days();
                let Some(threshold) = current_threshold(days_left) else {
                    continue;
                };
                if self
                    .store()
                    .reminder_sent(&row.id, kind.as_str(), date, threshold)?
                {
                    continue;
                }
                let at = now_rfc3339();
                for t in THRESHOLDS.iter().filter(|t| **t >= threshold) {
                    self.store()
                        .mark_reminder_sent(&row.id, kind.as_str(), date, *t, &at)?;
                }
                let reminder = Reminder {
                    key_id: row.id.clone(),
                    label: row.label.clone(),
                    masked_key: row.masked_key.clone(),
                    kind,
                    date: date.to_owned(),
                    threshold: u8::try_from(threshold).unwrap_or(u8::MAX),
                    days_left,
                };
                self.record(
                    action::REMINDER_SENT,
                    &subject_of(&row),
                    "ok",
                    Some(reminder.message()),
                );
                due.push(reminder);
            }
        }
        Ok(due)
    }

    /// Keys an admin should look at, with every reason that applies. Read-only, and from
    /// SQLite alone (like `list`): "missing from the keychain" is what the last read found.
    pub fn needs_attention(&self, today: time::Date) -> Result<Vec<Attention>, VaultError> {
        let mut out = Vec::new();
        let used: std::collections::HashSet<String> = self
            .store()
            .key_uses()?
            .into_iter()
            .map(|u| u.key_id)
            .collect();
        for row in self.store().key_rows()? {
            let in_use = used.contains(&row.id);
            let record = KeyRecord::from_row(row, Vec::new());
            let reasons = reasons(&record, today, in_use);
            if !reasons.is_empty() {
                out.push(Attention {
                    key_id: record.id,
                    label: record.label,
                    masked_key: record.masked_key,
                    reasons,
                });
            }
        }
        Ok(out)
    }
}

fn reasons(r: &KeyRecord, today: time::Date, in_use: bool) -> Vec<AttentionReason> {
    use AttentionReason::*;
    let mut reasons = Vec::new();
    if r.status == KeyStatus::Retired {
        if in_use {
            reasons.push(RetiredButInUse);
        }
        return reasons;
    }
    let days = |d: &Option<String>| {
        d.as_deref()
            .and_then(parse_date)
            .map(|d| (d - today).whole_days())
    };
    let mut push = |reason| {
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    };
    match days(&r.expires_at) {
        Some(d) if d < 0 => push(Expired),
        Some(d) if d <= 7 => push(DueSoon),
        _ => {}
    }
    match days(&r.rotate_by) {
        Some(d) if d < 0 => push(RotationOverdue),
        Some(d) if d <= 7 => push(DueSoon),
        _ => {}
    }
    match &r.last_verification {
        None => push(NeverVerified),
        Some(v) if v.outcome != Outcome::Works => push(VerificationFailed),
        Some(_) => {}
    }
    if !r.in_keychain {
        push(MissingFromKeychain);
    }
    reasons
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn current_threshold_picks_the_smallest_reached() {
        let cases = [
            (8, None),
            (7, Some(7)),
            (5, Some(7)),
            (3, Some(3)),
            (2, Some(3)),
            (1, Some(1)),
            (0, Some(1)),
            (-4, Some(1)),
        ];
        for (days, want) in cases {
            assert_eq!(current_threshold(days), want, "days_left {days}");
        }
    }

    #[test]
    fn messages_say_when() {
        let r = Reminder {
            key_id: "k".into(),
            label: "Team A".into(),
            masked_key: "sk-…abcd".into(),
            kind: ReminderKind::Expires,
            date: "2030-01-10".into(),
            threshold: 3,
            days_left: 2,
        };
        assert_eq!(
            r.message(),
            "Key `Team A` (sk-…abcd) expires on 2030-01-10 (in 2 days)."
        );
        assert!(Reminder { days_left: -3, ..r }
            .message()
            .contains("3 days ago"));
    }
}
