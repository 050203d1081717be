//! The core's one error type, the [`ErrorCode`] every crate error maps to, and the
//! `{code, message}` body every boundary (IPC, CLI `--json`) shows. The UI acts on `code`,
//! never on message text; a code is added only when the UI (or a script) acts on it.

use crate::gateway::GatewayError;
use crate::history::HistoryError;
use crate::keys::{RotationError, VaultError};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares [`ErrorCode`] once: the variants, their wire words, and `ALL` (which the bindings
/// test turns into a TS constant, so the UI can compare codes without string literals).
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $word:literal,)*) => {
        /// A stable machine code for a failure. Serialised `snake_case`; exported to TS as a
        /// string union, so a code the UI does not handle is a type error there.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The wire word (what serde writes).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $word,)*
                }
            }

            /// The variant's Rust name, for generated TS constants.
            pub fn name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => stringify!($variant),)*
                }
            }
        }
    };
}

error_codes! {
    /// The request itself is wrong (a field, a URL, a key's characters); fix it and retry.
    InvalidInput => "invalid_input",
    NotFound => "not_found",
    /// The connection has no key for its environment.
    NoKey => "no_key",
    /// The in-process Sandbox gateway did not start in this session.
    SandboxNotRunning => "sandbox_not_running",
    /// A connection URL is plain `http://` to a host that is not this machine: the UI asks the
    /// user to confirm, then sends the request again with the confirmation.
    InsecureHttp => "insecure_http",
    /// The route family has no such route (e.g. Gemini has no Models route).
    Unsupported => "unsupported",
    /// The local database failed.
    Store => "store",
    /// A failure of the app itself (clipboard, file system, a bug), not of the gateway.
    Internal => "internal",
    // ---- the gateway (contract §7.3, decision 6)
    Unreachable => "unreachable",
    Timeout => "timeout",
    BadResponse => "bad_response",
    InvalidKey => "invalid_key",
    Forbidden => "forbidden",
    RateLimited => "rate_limited",
    BadRequest => "bad_request",
    GatewayUnavailable => "gateway_unavailable",
    GatewayError => "gateway_error",
    // ---- the key vault
    KeychainUnavailable => "keychain_unavailable",
    Keychain => "keychain",
    KeyMissing => "key_missing",
    DuplicateKey => "duplicate_key",
    KeyInUse => "key_in_use",
    NewKeyRejected => "new_key_rejected",
    StalePlan => "stale_plan",
    HandoffRejected => "handoff_rejected",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Rotation(#[from] RotationError),
    #[error(transparent)]
    History(#[from] HistoryError),
    /// A settings field the user must fix (named in the message).
    #[error(transparent)]
    Settings(#[from] crate::settings::Invalid),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    NoKey(String),
    #[error(
        "the Sandbox gateway is not running in this session (see the log for why it did not start)"
    )]
    SandboxNotRunning,
    #[error("{0}")]
    InsecureHttp(String),
}

impl DeskError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DeskError::Gateway(e) => e.code(),
            DeskError::Store(_) => ErrorCode::Store,
            DeskError::Vault(e) => e.code(),
            DeskError::Rotation(e) => e.code(),
            DeskError::History(e) => e.code(),
            DeskError::Settings(_) => ErrorCode::InvalidInput,
            DeskError::InvalidInput(_) => ErrorCode::InvalidInput,
            DeskError::NotFound(_) => ErrorCode::NotFound,
            DeskError::NoKey(_) => ErrorCode::NoKey,
            DeskError::SandboxNotRunning => ErrorCode::SandboxNotRunning,
            DeskError::InsecureHttp(_) => ErrorCode::InsecureHttp,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// What crosses a boundary: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "IpcError")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_as_its_wire_word() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, *code);
        }
    }

    #[test]
    fn the_sandbox_not_running_is_not_a_missing_key() {
        assert_eq!(
            DeskError::SandboxNotRunning.code(),
            ErrorCode::SandboxNotRunning
        );
    }
}
