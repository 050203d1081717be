use super::Ctx;
use crate::error::IpcError;
use anyint_core::ModelsView;

pub async fn list(ctx: &Ctx<'_>, refresh: bool) -> Result<ModelsView, IpcError> {
    Ok(ctx.desk.models(refresh).await?)
}
