//! Key vault commands. Secrets arrive once from the form (add, rotate) and leave only to the
//! clipboard; everything returned to the window is metadata and masked forms.

use crate::error::IpcError;
use anyint_core::keys::{
    Attention, AuditEntry, Environment, ImportReport, KeyMetadata, KeyRecord, RotationPlan,
    RotationResult, Verification,
};
use anyint_core::{Connection, Desk, NewKeyInput};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// How long a copied key stays on the clipboard.
const CLIPBOARD_SECONDS: u32 = 30;

#[tauri::command]
pub fn keychain_status(desk: State<'_, Desk>) -> Result<(), IpcError> {
    Ok(desk.keychain_status()?)
}

#[tauri::command]
pub fn keys_list(desk: State<'_, Desk>) -> Result<Vec<KeyRecord>, IpcError> {
    Ok(desk.keys()?)
}

#[tauri::command]
pub fn key_add(
    app: AppHandle,
    desk: State<'_, Desk>,
    input: NewKeyInput,
) -> Result<KeyRecord, IpcError> {
    let record = desk.add_key(input)?;
    crate::events::notify_due_reminders(&app, &desk);
    Ok(record)
}

#[tauri::command]
pub fn key_update(
    app: AppHandle,
    desk: State<'_, Desk>,
    id: String,
    meta: KeyMetadata,
) -> Result<KeyRecord, IpcError> {
    let record = desk.update_key(&id, meta)?;
    crate::events::notify_due_reminders(&app, &desk);
    Ok(record)
}

#[tauri::command]
pub fn key_delete(desk: State<'_, Desk>, id: String, also_keychain: bool) -> Result<(), IpcError> {
    Ok(desk.delete_key(&id, also_keychain)?)
}

#[tauri::command]
pub async fn key_verify(desk: State<'_, Desk>, id: String) -> Result<Verification, IpcError> {
    Ok(desk.verify_key(&id).await?)
}

#[tauri::command]
pub fn key_bind(
    desk: State<'_, Desk>,
    connection_id: String,
    environment: Environment,
    key_id: String,
) -> Result<Connection, IpcError> {
    Ok(desk.bind_key(&connection_id, environment, &key_id)?)
}

/// Copies the key and clears the clipboard after `CLIPBOARD_SECONDS`, unless the user has
/// copied something else meanwhile. Returns the seconds until it is cleared.
#[tauri::command]
pub fn key_copy(app: AppHandle, desk: State<'_, Desk>, id: String) -> Result<u32, IpcError> {
    let secret = desk.copy_key(&id)?;
    let clipboard = app.clipboard();
    clipboard
        .write_text(secret.expose())
        .map_err(|e| IpcError::internal(format!("could not write the clipboard: {e}")))?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(CLIPBOARD_SECONDS.into())).await;
        let clipboard = app.clipboard();
        if clipboard
            .read_text()
            .is_ok_and(|text| text == secret.expose())
        {
            let _ = clipboard.write_text("");
        }
    });
    Ok(CLIPBOARD_SECONDS)
}

#[tauri::command]
pub async fn rotation_plan(
    desk: State<'_, Desk>,
    old_key_id: String,
    new_secret: String,
) -> Result<RotationPlan, IpcError> {
    Ok(desk.plan_rotation(&old_key_id, new_secret).await?)
}

#[tauri::command]
pub fn rotation_commit(
    desk: State<'_, Desk>,
    old_key_id: String,
    keep_old: bool,
) -> Result<RotationResult, IpcError> {
    Ok(desk.commit_rotation(&old_key_id, keep_old)?)
}

#[tauri::command]
pub fn rotation_cancel(desk: State<'_, Desk>, old_key_id: String) -> Result<KeyRecord, IpcError> {
    Ok(desk.cancel_rotation(&old_key_id)?)
}

#[tauri::command]
pub fn audit_list(desk: State<'_, Desk>, limit: u32) -> Result<Vec<AuditEntry>, IpcError> {
    Ok(desk.audit(limit)?)
}

/// Writes the audit log as CSV into the Downloads folder and returns the file's path.
#[tauri::command]
pub fn audit_export(app: AppHandle, desk: State<'_, Desk>) -> Result<String, IpcError> {
    let csv = desk.audit_csv()?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().app_data_dir())
        .map_err(|e| IpcError::internal(format!("no folder to export to: {e}")))?;
    let path =
        anyint_core::export::write_new_file(&dir, "anyint-desk-audit", "csv", csv.as_bytes())
            .map_err(|e| IpcError::internal(format!("could not write the export: {e}")))?;
    Ok(path.display().to_string())
}

/// Writes an encrypted hand-off of `ids` into the Downloads folder; returns the file's path.
#[tauri::command]
pub fn keys_export_handoff(
    app: AppHandle,
    desk: State<'_, Desk>,
    ids: Vec<String>,
    passphrase: String,
) -> Result<String, IpcError> {
    let sealed = desk.export_handoff(&ids, &passphrase)?;
    write_download(&app, "anyint-keys-handoff", "age", sealed.as_bytes())
}

/// Imports the text of a hand-off file (the window reads the file the user picked).
#[tauri::command]
pub fn keys_import_handoff(
    desk: State<'_, Desk>,
    file: String,
    passphrase: String,
) -> Result<ImportReport, IpcError> {
    Ok(desk.import_handoff(&file, &passphrase)?)
}

fn write_download(
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
        .map_err(|e| IpcError::internal(format!("could not write {}: {e}", dir.display())))?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub fn keys_attention(desk: State<'_, Desk>) -> Result<Vec<Attention>, IpcError> {
    Ok(desk.needs_attention(crate::events::today())?)
}
