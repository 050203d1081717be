//! Key vault commands. Secrets arrive once from the form (add, rotate) and leave only to the
//! clipboard; everything returned to the window is metadata and masked forms. The reminder
//! loop re-checks by itself after writes that change key dates (see `anyint_core::desk`).

use super::Ctx;
use crate::error::IpcError;
use anyint_core::keys::{Attention, Environment, KeyMetadata, KeyRecord, Verification};
use anyint_core::{Connection, NewKeyInput};
use tauri_plugin_clipboard_manager::ClipboardExt;

pub fn keychain_status(ctx: &Ctx) -> Result<(), IpcError> {
    Ok(ctx.desk.keychain_status()?)
}

pub fn list(ctx: &Ctx) -> Result<Vec<KeyRecord>, IpcError> {
    Ok(ctx.desk.keys()?)
}

pub fn add(ctx: &Ctx, input: NewKeyInput) -> Result<KeyRecord, IpcError> {
    Ok(ctx.desk.add_key(input)?)
}

pub fn update(ctx: &Ctx, id: String, meta: KeyMetadata) -> Result<KeyRecord, IpcError> {
    Ok(ctx.desk.update_key(&id, meta)?)
}

pub fn delete(ctx: &Ctx, id: String, also_keychain: bool) -> Result<(), IpcError> {
    Ok(ctx.desk.delete_key(&id, also_keychain)?)
}

pub async fn verify(ctx: &Ctx<'_>, id: String) -> Result<Verification, IpcError> {
    Ok(ctx.desk.verify_key(&id).await?)
}

pub fn bind(
    ctx: &Ctx,
    connection_id: String,
    environment: Environment,
    key_id: String,
) -> Result<Connection, IpcError> {
    Ok(ctx.desk.bind_key(&connection_id, environment, &key_id)?)
}

pub fn unbind(
    ctx: &Ctx,
    connection_id: String,
    environment: Environment,
) -> Result<Connection, IpcError> {
    Ok(ctx.desk.unbind_key(&connection_id, environment)?)
}

pub fn attention(ctx: &Ctx) -> Result<Vec<Attention>, IpcError> {
    Ok(ctx.desk.needs_attention(anyint_core::desk::today())?)
}

/// Copies the key and clears the clipboard after the Settings screen's delay, unless the user
/// has copied something else meanwhile. Returns the seconds until it is cleared.
pub fn copy(ctx: &Ctx, id: String) -> Result<u32, IpcError> {
    let seconds = ctx.desk.clipboard_clear_secs()?;
    let secret = ctx.desk.copy_key(&id)?;
    ctx.app
        .clipboard()
        .write_text(secret.expose())
        .map_err(|e| IpcError::internal(format!("could not write the clipboard: {e}")))?;
    let app = ctx.app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(seconds.into())).await;
        let clipboard = app.clipboard();
        if clipboard
            .read_text()
            .is_ok_and(|text| text == secret.expose())
        {
            let _ = clipboard.write_text("");
        }
    });
    Ok(seconds)
}
