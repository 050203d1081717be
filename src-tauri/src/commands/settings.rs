//! Settings commands. The proxy password goes in (save, test) and never comes back out: the
//! view says only whether one is saved in the keychain.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::settings::probe::ConnectionTest;
use anyint_core::settings::{SettingsUpdate, SettingsView};

pub fn get(ctx: &Ctx) -> Result<SettingsView, IpcError> {
    Ok(ctx.desk.settings()?)
}

pub fn save(ctx: &Ctx, update: SettingsUpdate) -> Result<SettingsView, IpcError> {
    Ok(ctx.desk.save_settings(update)?)
}

pub async fn test_connection(
    ctx: &Ctx<'_>,
    connection_id: String,
    edited: Option<SettingsUpdate>,
) -> Result<ConnectionTest, IpcError> {
    Ok(ctx.desk.test_connection(&connection_id, edited).await?)
}
