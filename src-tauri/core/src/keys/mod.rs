//! Keys: the redacting secret type. The keychain vault, key records, verification, rotation
//! and audit grow here; nothing in this module may log, format or persist a secret.

mod audit;
mod bindings;
mod handoff;
mod keychain;
mod pending;
mod records;
mod reminders;
mod rotation;
mod secret;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
mod vault;
mod verify;

pub use audit::{action as audit_action, actor, AuditEntry};
pub(crate) use bindings::same_host;
pub use bindings::KeyBinding;
pub use handoff::{ImportReport, SkippedKey};
#[cfg(any(test, feature = "test-support"))]
pub use keychain::testing;
pub use keychain::{Keychain, KeychainError, SERVICE as KEYCHAIN_SERVICE};
pub use records::{
    local_today, parse_date, Environment, KeyKind, KeyMetadata, KeyRecord, KeyStatus, KeyUse,
    NewKey,
};
pub use reminders::{
    Attention, AttentionReason, Reminder, ReminderKind, THRESHOLDS as REMINDER_THRESHOLDS,
};
pub use rotation::{OldModels, RotationError, RotationPlan, RotationResult};
pub use secret::ApiKey;
pub use vault::{KeyVault, VaultError};
pub use verify::{overall as overall_outcome, verify_secret, Outcome, RouteCheck, Verification};
