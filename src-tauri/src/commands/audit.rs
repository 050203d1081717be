use super::Ctx;
use crate::error::IpcError;
use anyint_core::keys::AuditEntry;

pub fn list(ctx: &Ctx, limit: u32) -> Result<Vec<AuditEntry>, IpcError> {
    Ok(ctx.desk.audit(limit)?)
}

/// Writes the audit log as CSV into the Downloads folder and returns the file's path.
pub fn export(ctx: &Ctx) -> Result<String, IpcError> {
    let csv = ctx.desk.audit_csv()?;
    crate::files::write_download(ctx.app, "anyint-desk-audit", "csv", csv.as_bytes())
}
