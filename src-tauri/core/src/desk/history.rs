//! The playground's history as the app uses it: pages, search, fork, delete, export.
//! Turns are written by `playground` when a run ends; here they are read and managed.

use super::Desk;
use crate::error::DeskError;
use crate::history::{Conversation, Page, PageRequest, SearchHit, Turn};

impl Desk {
    pub fn conversations(&self, page: PageRequest) -> Result<Page<Conversation>, DeskError> {
        Ok(self.inner.history.conversations(page)?)
    }

    pub fn conversation_turns(
        &self,
        conversation_id: &str,
        page: PageRequest,
    ) -> Result<Page<Turn>, DeskError> {
        Ok(self.inner.history.turns(conversation_id, page)?)
    }

    pub fn history_turn(&self, turn_id: &str) -> Result<Turn, DeskError> {
        self.inner
            .history
            .turn(turn_id)?
            .ok_or_else(|| DeskError::NotFound(format!("no turn `{turn_id}` in the history")))
    }

    pub fn search_history(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, DeskError> {
        Ok(self.inner.history.search(query, limit)?)
    }

    /// A new conversation holding the turns up to and including `turn_id`.
    pub fn fork_conversation(
        &self,
        conversation_id: &str,
        turn_id: &str,
    ) -> Result<Conversation, DeskError> {
        Ok(self.inner.history.fork(conversation_id, turn_id)?)
    }

    pub fn delete_conversation(&self, conversation_id: &str) -> Result<(), DeskError> {
        Ok(self.inner.history.delete_conversation(conversation_id)?)
    }

    pub fn delete_turn(&self, turn_id: &str) -> Result<(), DeskError> {
        Ok(self.inner.history.delete_turn(turn_id)?)
    }

    /// The conversation as JSON text, for the adapter to write to a file.
    pub fn export_conversation(&self, conversation_id: &str) -> Result<String, DeskError> {
        Ok(self.inner.history.export_json(conversation_id)?)
    }
}
