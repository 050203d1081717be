//! Compare and the model advisor (issue 11): a prompt to up to eight models at once, saved
//! comparisons with their keep marks, evaluation sets, and the advisor's runs and past advice.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::advisor::{Advice, AdviseEvent, AdviseRequest, EvalSet, EvalSetFormat};
use anyint_core::compare::{CompareEvent, CompareRequest, Comparison, ComparisonSummary};
use tauri::ipc::Channel;

pub async fn run(
    ctx: &Ctx<'_>,
    request: CompareRequest,
    on_event: Channel<CompareEvent>,
) -> Result<Comparison, IpcError> {
    let desk = ctx.desk.clone();
    let id = request.compare_id.clone();
    let mut warned = false;
    let emit = move |event: CompareEvent| {
        // As playground::send: nobody listening means nobody sees the answers, so stop them.
        if on_event.send(event).is_err() && !std::mem::replace(&mut warned, true) {
            tracing::warn!("the window stopped listening to a comparison; stopping it");
            desk.compare_stop(&id);
        }
    };
    Ok(ctx.desk.compare_run(request, emit).await?)
}

pub fn stop(ctx: &Ctx, compare_id: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.compare_stop(&compare_id))
}

pub fn list(ctx: &Ctx) -> Result<Vec<ComparisonSummary>, IpcError> {
    Ok(ctx.desk.comparisons()?)
}

pub fn get(ctx: &Ctx, id: String) -> Result<Comparison, IpcError> {
    Ok(ctx.desk.comparison(&id)?)
}

pub fn keep(ctx: &Ctx, id: String, column: u32, kept: bool) -> Result<Comparison, IpcError> {
    Ok(ctx.desk.comparison_keep(&id, column, kept)?)
}

pub fn delete(ctx: &Ctx, id: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.comparison_delete(&id)?)
}

pub async fn advise(
    ctx: &Ctx<'_>,
    request: AdviseRequest,
    on_event: Channel<AdviseEvent>,
) -> Result<Advice, IpcError> {
    let desk = ctx.desk.clone();
    let id = request.advise_id.clone();
    let mut warned = false;
    let emit = move |event: AdviseEvent| {
        if on_event.send(event).is_err() && !std::mem::replace(&mut warned, true) {
            tracing::warn!("the window stopped listening to an advisor run; stopping it");
            desk.advise_stop(&id);
        }
    };
    Ok(ctx.desk.advise_run(request, emit).await?)
}

pub fn advise_stop(ctx: &Ctx, advise_id: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.advise_stop(&advise_id))
}

pub fn evalset_parse(ctx: &Ctx, text: String, format: EvalSetFormat) -> Result<EvalSet, IpcError> {
    Ok(ctx.desk.evalset_parse(&text, format)?)
}

pub fn advice_list(ctx: &Ctx) -> Result<Vec<Advice>, IpcError> {
    Ok(ctx.desk.advice_list()?)
}
