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
    let view = ctx.desk.save_settings(update)?;
    // A new artifacts folder is opened to the players too (the old one stays open until the
    // next start, so files already shown keep playing).
    if let Err(e) = crate::artifacts::allow_artifacts(ctx.app, &ctx.desk.artifacts_dir()?) {
        tracing::error!("{e}");
    }
    Ok(view)
}

pub async fn test_connection(
    ctx: &Ctx<'_>,
    connection_id: String,
    edited: Option<SettingsUpdate>,
) -> Result<ConnectionTest, IpcError> {
    Ok(ctx.desk.test_connection(&connection_id, edited).await?)
}
