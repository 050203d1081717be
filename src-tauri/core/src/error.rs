//! The core's one error type, and the `{code, message}` body every boundary (IPC, CLI `--json`)
//! shows. The UI acts on `code`, never on message text.

use crate::gateway::GatewayError;
use crate::keys::{RotationError, VaultError};
use crate::store::StoreError;
use serde::Serialize;
use ts_rs::TS;

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
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    NoKey(String),
}

impl DeskError {
    pub fn code(&self) -> &'static str {
        match self {
            DeskError::Gateway(e) => e.code(),
            DeskError::Store(_) => "store",
            DeskError::Vault(e) => e.code(),
            DeskError::Rotation(e) => e.code(),
            DeskError::InvalidInput(_) => "invalid_input",
            DeskError::NotFound(_) => "not_found",
            DeskError::NoKey(_) => "no_key",
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

/// What crosses a boundary: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "IpcError")]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
