//! Keys: the redacting secret type. The keychain vault, key records, verification, rotation
//! and audit grow here; nothing in this module may log, format or persist a secret.

mod secret;

pub use secret::ApiKey;
