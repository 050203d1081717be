//! The playground as the app uses it: runs go to the active connection with its key, each can
//! be stopped by its id from another command, and every finished or broken turn is stored in
//! the history before the window hears `Done`.

use super::Desk;
use crate::chat::ChatFamily;
use crate::error::DeskError;
use crate::history::{HistoryError, NewTurn, TurnStatus};
use crate::playground::{PlaygroundEvent, PlaygroundRequest, RunStatus, RunSummary};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::oneshot;
use ts_rs::TS;

/// Runs in flight, by run id: dropping the sender's twin (or sending) stops one.
#[derive(Debug, Default)]
pub(super) struct RunningRuns(Mutex<HashMap<String, oneshot::Sender<()>>>);

impl RunningRuns {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<()>>> {
        // Plain senders: a panic elsewhere cannot leave the map half-written.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Counts a prompt's tokens with the family's own route (Anthropic and Gemini have one).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenCountRequest {
    pub family: ChatFamily,
    pub model: String,
    /// The body the playground would send; only what the count route accepts is passed on.
    #[ts(type = "unknown")]
    pub body: serde_json::Value,
}

impl Desk {
    /// Sends one playground request to the active connection, telling `emit` what happens,
    /// and stores the turn. Fails only when no request could be made at all (no key, no
    /// connection); anything the gateway does is in the summary.
    pub async fn playground_send<F>(
        &self,
        req: PlaygroundRequest,
        mut emit: F,
    ) -> Result<RunSummary, DeskError>
    where
        F: FnMut(PlaygroundEvent) + Send,
    {
        let mut req = req;
        if req.idle_timeout_ms.is_none() {
            // The Settings screen's stream idle timeout, unless this request sets its own.
            req.idle_timeout_ms = Some(self.stream_idle_ms()?);
        }
        let active = self.active()?;
        let client = self.client(&active.id)?;
        // A second run under a live id could never be stopped on its own, and the first run's
        // end would unregister it: the window makes a fresh id per send.
        let stop = self.register_stop(&req.run_id)?;
        let mut summary = crate::playground::run(&client, &req, stop, &mut emit).await;
        self.inner.runs.lock().remove(&req.run_id);
        self.record_usage(&active.id, &client, &summary);
        self.store_turn(&req, &mut summary);
        emit(PlaygroundEvent::Done {
            summary: Box::new(summary.clone()),
        });
        Ok(summary)
    }

    /// Stops a run; false when none with that id is running (it may just have finished).
    pub fn playground_stop(&self, run_id: &str) -> bool {
        match self.inner.runs.lock().remove(run_id) {
            Some(stop) => stop.send(()).is_ok(),
            None => false,
        }
    }

    /// The family's token count for `req.body` (Anthropic `count_tokens`, Gemini `countTokens`).
    pub async fn count_tokens(&self, req: TokenCountRequest) -> Result<u64, DeskError> {
        let active = self.active()?;
        let client = self.client(&active.id)?;
        Ok(crate::playground::count_tokens(&client, req.family, &req.model, &req.body).await?)
    }

    /// Stores the turn (history failures are logged: the answer on screen is never lost to
    /// a full disk, and the summary says it was not stored by leaving `turn_id` empty).
    pub(super) fn store_turn(&self, req: &PlaygroundRequest, summary: &mut RunSummary) {
        let t = &summary.transcript;
        let new = NewTurn {
            family: family_word(req.family).to_owned(),
            model: req.model.clone(),
            request: req.body.clone(),
            prompt: crate::playground::prompt_of(req.family, &req.body),
            answer: t.text.clone(),
            thinking: t.thinking.clone(),
            tool_calls: serde_json::to_value(&t.tool_calls).unwrap_or_default(),
            finish_reason: t.finish_reason.clone(),
            status: match summary.status {
                RunStatus::Complete => TurnStatus::Complete,
                RunStatus::Partial => TurnStatus::Partial,
                RunStatus::Failed => TurnStatus::Failed,
            },
            error: summary.failure.as_ref().map(|f| match &f.gateway_message {
                Some(g) => format!("{} ({g})", f.message),
                None => f.message.clone(),
            }),
            stats: serde_json::json!({
                "stats": summary.stats,
                "usage": t.usage,
                "httpStatus": summary.http_status,
                "requestId": summary.request_id,
                "failure": summary.failure,
            }),
        };
        let mut stored = self
            .inner
            .history
            .append_turn(req.conversation_id.as_deref(), new.clone());
        if let Err(HistoryError::NotFound(_)) = &stored {
            // The conversation was deleted while the run went on: the turn starts a new one
            // rather than being lost.
            stored = self.inner.history.append_turn(None, new);
        }
        match stored {
            Ok(turn) => {
                summary.conversation_id = Some(turn.conversation_id);
                summary.turn_id = Some(turn.id);
            }
            Err(e) => tracing::error!("could not store the playground turn: {e}"),
        }
    }
}

/// The history's word for a family: the same as ChatFamily's serde name (a test checks).
fn family_word(family: ChatFamily) -> &'static str {
    match family {
        ChatFamily::OpenAiChat => "openai_chat",
        ChatFamily::OpenAiResponses => "openai_responses",
        ChatFamily::Anthropic => "anthropic",
        ChatFamily::Gemini => "gemini",
    }
}
