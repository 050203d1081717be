//! Team hand-off: a passphrase-encrypted (age) file of keys, secrets included.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::keys::ImportReport;

/// Writes an encrypted hand-off of `ids` into the Downloads folder; returns the file's path.
pub async fn export(
    ctx: &Ctx<'_>,
    ids: Vec<String>,
    passphrase: String,
) -> Result<String, IpcError> {
    let sealed = ctx.desk.export_handoff(&ids, &passphrase)?;
    crate::files::write_download(ctx.app, "anyint-keys-handoff", "age", sealed.as_bytes())
}

/// Imports the text of a hand-off file (the window reads the file the user picked).
pub async fn import(
    ctx: &Ctx<'_>,
    file: String,
    passphrase: String,
) -> Result<ImportReport, IpcError> {
    Ok(ctx.desk.import_handoff(&file, &passphrase)?)
}
