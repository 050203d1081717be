use super::Ctx;
use crate::error::IpcError;
use anyint_core::Theme;

pub fn get(ctx: &Ctx) -> Result<Theme, IpcError> {
    Ok(ctx.desk.theme()?)
}

pub fn set(ctx: &Ctx, theme: Theme) -> Result<(), IpcError> {
    Ok(ctx.desk.set_theme(theme)?)
}
