//! Guided rotation: plan (verify the replacement, show the diff), then commit or cancel.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::keys::{KeyRecord, RotationPlan, RotationResult};

pub async fn plan(
    ctx: &Ctx<'_>,
    old_key_id: String,
    new_secret: String,
) -> Result<RotationPlan, IpcError> {
    Ok(ctx.desk.plan_rotation(&old_key_id, new_secret).await?)
}

pub fn commit(ctx: &Ctx, old_key_id: String, keep_old: bool) -> Result<RotationResult, IpcError> {
    Ok(ctx.desk.commit_rotation(&old_key_id, keep_old)?)
}

pub fn pending(ctx: &Ctx) -> Result<Vec<RotationPlan>, IpcError> {
    Ok(ctx.desk.pending_rotations()?)
}

pub fn cancel(ctx: &Ctx, old_key_id: String) -> Result<KeyRecord, IpcError> {
    Ok(ctx.desk.cancel_rotation(&old_key_id)?)
}
