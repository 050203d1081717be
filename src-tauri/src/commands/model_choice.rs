//! Model choice (issue 11): workloads, a playground send under a workload with its explicit
//! fallback, the dry run, the fallback log, the usage ledger and the price table.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::fallback::{
    Decision, DryRunInput, ExportFormat, RunOptions, Workload, WorkloadRun,
};
use anyint_core::ledger::{GroupBy, Price, UsageTotal};
use anyint_core::playground::{PlaygroundEvent, PlaygroundRequest};
use anyint_core::store::FallbackLogRow;
use tauri::ipc::Channel;
use tauri_plugin_clipboard_manager::ClipboardExt;

pub fn list(ctx: &Ctx) -> Result<Vec<Workload>, IpcError> {
    Ok(ctx.desk.workloads()?)
}

pub fn save(ctx: &Ctx, workload: Workload) -> Result<Workload, IpcError> {
    Ok(ctx.desk.save_workload(workload)?)
}

pub fn delete(ctx: &Ctx, name: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.delete_workload(&name)?)
}

pub fn export(ctx: &Ctx, format: ExportFormat) -> Result<String, IpcError> {
    Ok(ctx.desk.export_workloads(format)?)
}

/// Writes the export into the Downloads folder (as audit::export does) and returns its path.
pub fn save_export(ctx: &Ctx, format: ExportFormat) -> Result<String, IpcError> {
    let text = ctx.desk.export_workloads(format)?;
    let ext = match format {
        ExportFormat::Json => "json",
        ExportFormat::Toml => "toml",
        ExportFormat::Env => "env",
    };
    crate::files::write_download(ctx.app, "anyint-workloads", ext, text.as_bytes())
}

/// The export on the clipboard: the webview's own clipboard API is not granted (README: the
/// clipboard is driven from Rust).
pub fn copy_export(ctx: &Ctx, format: ExportFormat) -> Result<(), IpcError> {
    copy(ctx, &ctx.desk.export_workloads(format)?)
}

pub fn import(ctx: &Ctx, text: String, format: ExportFormat) -> Result<Vec<Workload>, IpcError> {
    Ok(ctx.desk.import_workloads(&text, format)?)
}

pub fn dry_run(
    ctx: &Ctx,
    name: String,
    input: DryRunInput,
    consent: bool,
) -> Result<Vec<Decision>, IpcError> {
    Ok(ctx.desk.dry_run_workload(&name, &input, consent)?)
}

pub async fn send(
    ctx: &Ctx<'_>,
    request: PlaygroundRequest,
    workload: String,
    options: RunOptions,
    on_event: Channel<PlaygroundEvent>,
) -> Result<WorkloadRun, IpcError> {
    let desk = ctx.desk.clone();
    let run_id = request.run_id.clone();
    // As playground::send: nobody listening means nobody sees the answer, so stop it.
    let (emit, deliver) = super::stream::batched(on_event, move || {
        desk.playground_stop(&run_id);
    });
    let run = ctx
        .desk
        .playground_send_workload(request, &workload, options, emit);
    let (run, ()) = tokio::join!(run, deliver);
    Ok(run?)
}

pub fn fallback_log(ctx: &Ctx, limit: u32) -> Result<Vec<FallbackLogRow>, IpcError> {
    Ok(ctx.desk.fallback_log(limit)?)
}

pub fn totals(ctx: &Ctx, by: GroupBy) -> Result<Vec<UsageTotal>, IpcError> {
    Ok(ctx.desk.usage_totals(by)?)
}

pub fn csv(ctx: &Ctx) -> Result<String, IpcError> {
    Ok(ctx.desk.usage_csv()?)
}

/// Writes the ledger as CSV into the Downloads folder and returns the file's path.
pub fn save_csv(ctx: &Ctx) -> Result<String, IpcError> {
    let csv = ctx.desk.usage_csv()?;
    crate::files::write_download(ctx.app, "anyint-usage", "csv", csv.as_bytes())
}

pub fn copy_csv(ctx: &Ctx) -> Result<(), IpcError> {
    copy(ctx, &ctx.desk.usage_csv()?)
}

fn copy(ctx: &Ctx, text: &str) -> Result<(), IpcError> {
    ctx.app
        .clipboard()
        .write_text(text)
        .map_err(|e| IpcError::internal(format!("could not write the clipboard: {e}")))
}

pub fn prices(ctx: &Ctx) -> Result<Vec<Price>, IpcError> {
    Ok(ctx.desk.prices()?)
}

pub fn save_price(ctx: &Ctx, price: Price) -> Result<Price, IpcError> {
    Ok(ctx.desk.save_price(price)?)
}

pub fn delete_price(ctx: &Ctx, model: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.delete_price(&model)?)
}
