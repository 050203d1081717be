//! The one boundary error: every command fails with `{code, message}` (the UI acts on `code`,
//! an `ErrorCode`, exported to TS as a string union).

use anyint_core::{DeskError, ErrorBody, ErrorCode};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct IpcError(ErrorBody);

impl From<DeskError> for IpcError {
    fn from(e: DeskError) -> Self {
        // The core's errors never carry a key (ApiKey prints `<redacted>`), so they may be logged.
        tracing::warn!(code = %e.code(), "command failed: {e}");
        IpcError(e.body())
    }
}

impl IpcError {
    /// A failure of the adapter itself (clipboard, file system), not of the product.
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError(ErrorBody {
            code: ErrorCode::Internal,
            message: message.into(),
        })
    }
}
