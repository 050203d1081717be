//! The local callback inbox (issue 9, part 7): its switch and status, and the payloads a task
//! received. A callback is a record and a nudge to poll; the task's state comes from its polls.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::desk::InboxStatus;
use anyint_core::tasks::inbox::CallbackRecord;

pub fn status(ctx: &Ctx) -> Result<InboxStatus, IpcError> {
    Ok(ctx.desk.callback_inbox_status()?)
}

pub fn set(ctx: &Ctx, enabled: bool) -> Result<InboxStatus, IpcError> {
    Ok(ctx.desk.set_callback_inbox(enabled)?)
}

pub fn list(ctx: &Ctx, task_id: String) -> Result<Vec<CallbackRecord>, IpcError> {
    Ok(ctx.desk.task_callbacks(&task_id)?)
}
