//! The playground history: pages of conversations and turns, search, fork, delete, export.

use super::Ctx;
use crate::error::IpcError;
use anyint_core::history::{Conversation, Page, PageRequest, SearchHit, Turn};

pub fn conversations(ctx: &Ctx, page: PageRequest) -> Result<Page<Conversation>, IpcError> {
    Ok(ctx.desk.conversations(page)?)
}

pub fn turns(
    ctx: &Ctx,
    conversation_id: String,
    page: PageRequest,
) -> Result<Page<Turn>, IpcError> {
    Ok(ctx.desk.conversation_turns(&conversation_id, page)?)
}

pub fn turn(ctx: &Ctx, turn_id: String) -> Result<Turn, IpcError> {
    Ok(ctx.desk.history_turn(&turn_id)?)
}

pub fn search(ctx: &Ctx, query: String, limit: u32) -> Result<Vec<SearchHit>, IpcError> {
    Ok(ctx.desk.search_history(&query, limit)?)
}

pub fn fork(ctx: &Ctx, conversation_id: String, turn_id: String) -> Result<Conversation, IpcError> {
    Ok(ctx.desk.fork_conversation(&conversation_id, &turn_id)?)
}

pub fn delete_conversation(ctx: &Ctx, conversation_id: String) -> Result<(), IpcError> {
    Ok(ctx.desk.delete_conversation(&conversation_id)?)
}

pub fn delete_turn(ctx: &Ctx, turn_id: String) -> Result<(), IpcError> {
    Ok(ctx.desk.delete_turn(&turn_id)?)
}

/// Writes the conversation as JSON into the Downloads folder; returns the file's path.
pub fn export(ctx: &Ctx, conversation_id: String) -> Result<String, IpcError> {
    let json = ctx.desk.export_conversation(&conversation_id)?;
    crate::files::write_download(ctx.app, "anyint-conversation", "json", json.as_bytes())
}
