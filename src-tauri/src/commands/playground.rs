//! The playground: a run streams its events over the window's channel; Stop is a separate
//! command because the run's own call is still waiting for its summary.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::desk::TokenCountRequest;
use anyint_core::playground::{PlaygroundEvent, PlaygroundRequest, RunSummary};
use anyint_core::snippets::{Snippet, SnippetRequest};
use tauri::ipc::Channel;

pub async fn send(
    ctx: &Ctx<'_>,
    request: PlaygroundRequest,
    on_event: Channel<PlaygroundEvent>,
) -> Result<RunSummary, IpcError> {
    let desk = ctx.desk.clone();
    let run_id = request.run_id.clone();
    // Nobody can see the answer any more (the window closed or reloaded): stop the run, so
    // the generation is not billed for nothing; what arrived is still stored.
    let (emit, deliver) = super::stream::batched(on_event, move || {
        desk.playground_stop(&run_id);
    });
    let (summary, ()) = tokio::join!(ctx.desk.playground_send(request, emit), deliver);
    Ok(summary?)
}

pub fn stop(ctx: &Ctx, run_id: String) -> Result<bool, IpcError> {
    Ok(ctx.desk.playground_stop(&run_id))
}

/// A `u32` crosses as a TS `number` (a `u64` would be a `bigint`); no prompt comes near it.
pub async fn count_tokens(ctx: &Ctx<'_>, request: TokenCountRequest) -> Result<u32, IpcError> {
    let n = ctx.desk.count_tokens(request).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub fn snippets(_ctx: &Ctx, request: SnippetRequest) -> Result<Vec<Snippet>, IpcError> {
    Ok(anyint_core::snippets::all(&request))
}
