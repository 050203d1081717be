//! Compare (issue 11): one prompt sent to up to eight targets at once (a target is a family and
//! a model, so the same model through the OpenAI, Anthropic and Gemini routes is three columns),
//! each column streaming its answer and ending with its stats, usage and cost. A comparison is
//! saved with its request, so it can be re-run; "keep" marks the acceptable answers. Built on
//! `playground` (each column is an ordinary run), `fallback` (when a workload is named) and
//! `ledger`; no UI, no tauri.

mod run;

pub use run::{column_request, cost_of, run, ColumnStops, CompareContext, TEXT_BATCH_MS};

use crate::chat::{ChatFamily, Usage};
use crate::playground::{RunStats, RunStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most columns one comparison has: more would not fit a window side by side.
pub const MAX_TARGETS: usize = 8;
/// A prompt larger than this is a file, not a prompt.
const MAX_PROMPT_BYTES: usize = 1 << 20;

/// One column: a family (route) and a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareTarget {
    pub family: ChatFamily,
    pub model: String,
    /// A Sandbox fault (`x-sandbox-fault`) for this column only: a rehearsal of one model
    /// failing while the others answer. The Sandbox connection only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rehearse_fault: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareRequest {
    /// Chosen by the window, so it can stop the comparison before anything arrives.
    pub compare_id: String,
    pub title: Option<String>,
    pub prompt: String,
    pub system: Option<String>,
    pub max_tokens: Option<u32>,
    /// 1 to 8 columns.
    pub targets: Vec<CompareTarget>,
    /// Each column runs under this workload's fallback policy (its target's model as the
    /// primary); the target's family must be the workload's.
    pub workload: Option<String>,
}

impl CompareRequest {
    /// What the run relies on; the message says what to fix.
    pub fn validate(&self) -> Result<(), String> {
        if self.compare_id.trim().is_empty() {
            return Err("a comparison needs an id".into());
        }
        if self.prompt.trim().is_empty() {
            return Err("the prompt is empty".into());
        }
        if self.prompt.len() > MAX_PROMPT_BYTES {
            return Err("the prompt is larger than 1 MiB".into());
        }
        if self.targets.is_empty() || self.targets.len() > MAX_TARGETS {
            return Err(format!(
                "a comparison has 1 to {MAX_TARGETS} columns, not {}",
                self.targets.len()
            ));
        }
        if let Some(t) = self
            .targets
            .iter()
            .find(|t| !crate::fallback::model_ok(&t.model))
        {
            return Err(format!(
                "`{}` is not a model ID (empty, or with spaces or control characters)",
                t.model
            ));
        }
        if self.max_tokens == Some(0) {
            return Err("max tokens must be at least 1".into());
        }
        Ok(())
    }

    /// The title shown in the list: the given one, or the prompt's first line, shortened.
    pub fn title_or_prompt(&self) -> String {
        match self.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => preview(&self.prompt, 60),
        }
    }
}

/// The first line of `text`, at most `chars` characters (an ellipsis when cut).
pub fn preview(text: &str, chars: usize) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    let mut out: String = line.chars().take(chars).collect();
    if line.chars().count() > chars || text.trim().lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// What the window hears while a comparison runs. Answer text is batched: at most one `text`
/// event per column per [`TEXT_BATCH_MS`], so eight fast streams do not flood the window.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CompareEvent {
    Started {
        column: u32,
        family: ChatFamily,
        model: String,
    },
    /// Answer text that arrived since the column's last `text` event.
    Text { column: u32, text: String },
    /// "answered by X after Y failed: 503" (a column under a workload).
    Fallback { column: u32, note: String },
    Finished {
        column: u32,
        result: Box<CompareColumn>,
    },
}

/// One column's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareColumn {
    pub target: CompareTarget,
    /// The model that answered: the target's, or its workload's fallback.
    pub answered_by: String,
    pub status: RunStatus,
    pub http_status: Option<u16>,
    /// The answer (partial when the column broke or was stopped).
    pub text: String,
    /// What broke, for people (the gateway's words included).
    pub error: Option<String>,
    pub stats: RunStats,
    pub usage: Usage,
    /// From the price table; `None` when the model has no price for what it used.
    pub cost: Option<f64>,
    pub currency: Option<String>,
    pub no_price: bool,
    pub fallback_note: Option<String>,
    /// The user marked this answer acceptable.
    pub kept: bool,
    pub run_id: String,
}

/// A saved comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub id: String,
    pub title: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub request: CompareRequest,
    pub columns: Vec<CompareColumn>,
}

/// A comparison in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonSummary {
    pub id: String,
    pub title: String,
    pub created_at: String,
    pub prompt_preview: String,
    pub columns: u32,
    pub kept: u32,
}

impl Comparison {
    pub fn summary(&self) -> ComparisonSummary {
        ComparisonSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            created_at: self.created_at.clone(),
            prompt_preview: preview(&self.request.prompt, 120),
            columns: u32::try_from(self.columns.len()).unwrap_or(u32::MAX),
            kept: u32::try_from(self.columns.iter().filter(|c| c.kept).count()).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests;
