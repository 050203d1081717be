//! Where exports land: the user's Downloads folder (or the app's data dir without one).

use crate::error::IpcError;
use tauri::{AppHandle, Manager};

/// Writes `bytes` to a new file `stem-….ext` (never overwriting) and returns its path.
pub fn write_download(
    app: &AppHandle,
    stem: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<String, IpcError> {
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().app_data_dir())
        .map_err(|e| IpcError::internal(format!("no folder to export to: {e}")))?;
    let path = anyint_core::export::write_new_file(&dir, stem, ext, bytes)
        .map_err(|e| IpcError::internal(format!("could not write into {}: {e}", dir.display())))?;
    Ok(path.display().to_string())
}
