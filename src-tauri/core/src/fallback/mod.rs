//! Explicit fallback (contract §7.1-7.2): a named workload holds its chat family, its primary
//! model, an optional fallback and what it optimises for, and a policy saying when a fallback is
//! allowed. Nothing here falls back by itself: [`decide`] is a pure function from the policy,
//! the attempt and what went wrong to a decision with its reason, used alike by the live run
//! ([`run`]) and the dry run ([`dry_run`]), so the two cannot disagree. Every fallback is logged
//! (`store::fallback_log`). The gateway documents no fallback parameter, so all of this is
//! client-side. Built on `playground` and `store`; no UI, no tauri.

mod decide;
mod dry_run;
mod exchange;
mod live;

pub use decide::{decide, Action, Attempt, Decision, Failure, Trigger};
pub use dry_run::{dry_run, DryRunInput};
pub use exchange::{export, import, ExportFormat};
pub use live::{for_model, run, AttemptNote, FallbackNote, RunOptions, WorkloadRun};

use crate::chat::ChatFamily;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The workload labels the contract names (§7.2); a user may add their own.
pub const STANDARD_WORKLOADS: [&str; 6] = [
    "chat",
    "extract",
    "classify",
    "code",
    "image-understanding",
    "media-generation",
];

/// What a workload is tuned for (§7.2: "record whether each workload optimizes for quality,
/// latency, cost or reliability"). Recorded, shown and exported; it does not steer `decide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    Quality,
    Latency,
    Cost,
    Reliability,
}

impl Goal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quality => "quality",
            Self::Latency => "latency",
            Self::Cost => "cost",
            Self::Reliability => "reliability",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        [Self::Quality, Self::Latency, Self::Cost, Self::Reliability]
            .into_iter()
            .find(|g| g.as_str() == word)
    }
}

/// Which temporary failures may lead to the fallback (§7.1's allowed triggers). 400, 401, 403,
/// other 4xx and content-policy refusals are never triggers, whatever is set here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Triggers {
    /// 500, 502 and other transient 5xx (503 is `unavailable`, 504 is `timeout`).
    pub server_error: bool,
    /// No response head within the request timeout, a 504, or silence before the first token.
    pub timeout: bool,
    /// 503, an unreachable gateway, or a connection that broke before any answer.
    pub unavailable: bool,
    /// 429 once the retries are spent (or `Retry-After` asks for longer than the policy waits).
    pub rate_limited: bool,
}

impl Default for Triggers {
    fn default() -> Self {
        Self {
            server_error: true,
            timeout: true,
            unavailable: true,
            rate_limited: true,
        }
    }
}

/// When and how a workload retries and falls back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct FallbackPolicy {
    pub triggers: Triggers,
    /// Retries of the same model after a 429 before it counts as spent (§7.1 "429 after N
    /// retries").
    pub rate_limit_retries: u32,
    /// Retries of the same model after a transient 5xx, timeout or unavailable upstream
    /// before the fallback (0: fall back at once, §7.3 "retry with backoff or use a fallback").
    pub transient_retries: u32,
    /// The first backoff; it doubles with each retry up to `backoff_max_ms`.
    pub backoff_base_ms: u32,
    pub backoff_max_ms: u32,
    /// A `Retry-After` longer than this is not waited out: the retries count as spent.
    pub max_wait_ms: u32,
}

impl Default for FallbackPolicy {
    fn default() -> Self {
        Self {
            triggers: Triggers::default(),
            rate_limit_retries: 2,
            transient_retries: 0,
            backoff_base_ms: 500,
            backoff_max_ms: 8_000,
            max_wait_ms: 30_000,
        }
    }
}

/// A named workload: one family and request shape, a primary, at most one fallback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// `chat`, `extract`, ... or the user's own: lowercase letters, digits, `-` and `_`.
    pub name: String,
    /// The fallback goes through the same family with the same body: only the model changes.
    pub family: ChatFamily,
    pub primary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    pub goal: Goal,
    /// The user chose a paid service tier for the primary (§5.3 custom subscriptions): a
    /// fallback is then never silent (§7.1); it waits for the user's consent.
    #[serde(default)]
    pub paid_tier: bool,
    #[serde(default)]
    pub policy: FallbackPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Why a workload cannot be kept as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("workload `{name}`: {reason}")]
pub struct WorkloadError {
    pub name: String,
    pub reason: String,
}

impl Workload {
    /// Checks what the store and `decide` rely on; the message says what to fix.
    pub fn validate(&self) -> Result<(), WorkloadError> {
        let fail = |reason: &str| {
            Err(WorkloadError {
                name: self.name.clone(),
                reason: reason.to_owned(),
            })
        };
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !name_ok {
            return fail("a name is 1-64 lowercase letters, digits, `-` or `_`");
        }
        if !model_ok(&self.primary) {
            return fail("the primary model is empty or has spaces or control characters");
        }
        if let Some(f) = &self.fallback {
            if !model_ok(f) {
                return fail("the fallback model is empty or has spaces or control characters");
            }
            if f == &self.primary {
                return fail("the fallback is the primary model; leave it empty instead");
            }
        }
        let p = &self.policy;
        if p.backoff_base_ms == 0 || p.backoff_max_ms < p.backoff_base_ms {
            return fail("the backoff must start above 0 ms and not exceed its maximum");
        }
        if p.rate_limit_retries > 10 || p.transient_retries > 10 {
            return fail("at most 10 retries of one model");
        }
        Ok(())
    }
}

/// A model ID the gateway could route: the Models API's IDs have no spaces or controls.
pub(crate) fn model_ok(model: &str) -> bool {
    !model.is_empty()
        && model.len() <= 200
        && !model.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests;
