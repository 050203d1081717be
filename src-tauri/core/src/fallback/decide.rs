//! The decision table: what a failed attempt leads to, and why, as one pure function. The live
//! run and the dry run both call [`decide`]; only how the [`Failure`] is obtained differs (a
//! real answer, or a typed-in status and body, or a sandbox fault name).

use super::Workload;
use crate::playground::{FailureKind, RunStatus, RunSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong with one attempt, in the terms the policy decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Failure {
    /// A non-2xx answer. `message` is the gateway's own words (or the raw body), used to
    /// recognise a content-policy refusal.
    Status {
        status: u16,
        #[ts(type = "number | null")]
        retry_after_s: Option<u64>,
        message: String,
    },
    /// No head within the request timeout, or silence before the first piece of answer.
    Timeout,
    /// The gateway could not be reached, or the connection broke before any answer.
    Unavailable,
    /// An error event inside a 200 stream before any answer.
    InStream { message: String },
    /// Part of the answer arrived, then the run broke: what arrived is kept, never replaced.
    Partial,
    /// The answer could not be read (not the family's JSON, too large, truncated).
    Malformed,
    /// The user pressed Stop.
    Stopped,
}

/// Which allowed trigger (§7.1) a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    ServerError,
    Timeout,
    Unavailable,
    RateLimited,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServerError => "server_error",
            Self::Timeout => "timeout",
            Self::Unavailable => "unavailable",
            Self::RateLimited => "rate_limited",
        }
    }
}

/// Where the run stands when the failure happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The failed attempt was already on the fallback model.
    pub on_fallback: bool,
    /// Retries of the current model so far (0 on its first try).
    pub retries: u32,
    /// The user agreed beforehand to a fallback on a paid-tier workload.
    pub consent: bool,
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// Try the same model again after this wait.
    Retry {
        #[ts(type = "number")]
        after_ms: u64,
    },
    /// Send the same body to this model on the same family.
    FallBack { model: String },
    /// A fallback is allowed, but the workload is on a paid tier: ask the user first.
    AskFirst { model: String },
    /// Report the failure as it is.
    GiveUp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub action: Action,
    /// The allowed trigger the failure matched, if it matched one.
    pub trigger: Option<Trigger>,
    /// Why, in words the user reads.
    pub reason: String,
}

/// The decision table (contract §7.1, §7.3, §7.4). Pure: same inputs, same decision.
pub fn decide(workload: &Workload, attempt: &Attempt, failure: &Failure) -> Decision {
    let give_up = |trigger, reason: String| Decision {
        action: Action::GiveUp,
        trigger,
        reason,
    };
    let policy = &workload.policy;
    let (trigger, retries_allowed, wait_hint, what) = match failure {
        Failure::Status { status, message, .. } if is_content_policy(message) => {
            return give_up(
                None,
                format!("{status}: a content-policy refusal; another model is not a way around it"),
            )
        }
        Failure::Status { status: 400, .. } => {
            return give_up(None, "400: the request is invalid; a fallback would send the same body, so fix it instead".into())
        }
        Failure::Status { status: 401, .. } => {
            return give_up(None, "401: authentication failed; check the key and the family's header (never a fallback trigger)".into())
        }
        Failure::Status { status: 403, .. } => {
            return give_up(None, "403: blocked by subscription or policy; check the model's entitlement (never a fallback trigger)".into())
        }
        Failure::Status { status: 429, retry_after_s, .. } => (
            Trigger::RateLimited,
            policy.rate_limit_retries,
            *retry_after_s,
            "429 rate limited".to_owned(),
        ),
        Failure::Status { status: 503, retry_after_s, .. } => (
            Trigger::Unavailable,
            policy.transient_retries,
            *retry_after_s,
            "503 upstream unavailable".to_owned(),
        ),
        Failure::Status { status: 504, retry_after_s, .. } => (
            Trigger::Timeout,
            policy.transient_retries,
            *retry_after_s,
            "504 gateway timeout".to_owned(),
        ),
        Failure::Status { status, retry_after_s, .. } if (500..600).contains(status) => (
            Trigger::ServerError,
            policy.transient_retries,
            *retry_after_s,
            format!("{status} server error"),
        ),
        Failure::Status { status, .. } => {
            return give_up(None, format!("{status}: not a temporary failure (only 429 and transient 5xx are); the request or the account needs a change"))
        }
        Failure::Timeout => (Trigger::Timeout, policy.transient_retries, None, "timeout".to_owned()),
        Failure::Unavailable => (
            Trigger::Unavailable,
            policy.transient_retries,
            None,
            "upstream unavailable".to_owned(),
        ),
        Failure::InStream { message } if is_content_policy(message) => {
            return give_up(None, "a content-policy refusal inside the stream; another model is not a way around it".into())
        }
        Failure::InStream { message } if is_overload(message) => (
            Trigger::Unavailable,
            policy.transient_retries,
            None,
            "upstream overloaded (in the stream)".to_owned(),
        ),
        Failure::InStream { .. } => {
            return give_up(None, "an error inside the stream that is not a temporary failure".into())
        }
        Failure::Partial => {
            return give_up(None, "part of the answer already arrived; it is kept, not replaced by another model".into())
        }
        Failure::Malformed => {
            return give_up(None, "the answer could not be read; that is not a temporary upstream failure".into())
        }
        Failure::Stopped => return give_up(None, "stopped by the user".into()),
    };

    let wait_ms = backoff_ms(workload, attempt.retries, wait_hint);
    let too_long =
        wait_hint.is_some_and(|s| s.saturating_mul(1000) > u64::from(policy.max_wait_ms));
    if attempt.retries < retries_allowed && !too_long {
        let n = attempt.retries + 1;
        let honour = match wait_hint {
            Some(s) => format!(", honouring Retry-After {s} s"),
            None => String::new(),
        };
        return Decision {
            action: Action::Retry { after_ms: wait_ms },
            trigger: Some(trigger),
            reason: format!("{what}: retry {n} of {retries_allowed} in {wait_ms} ms{honour}"),
        };
    }
    let spent = if too_long {
        format!(
            "{what}: Retry-After asks for longer than the policy waits ({} ms)",
            policy.max_wait_ms
        )
    } else if retries_allowed > 0 {
        format!("{what} after {retries_allowed} retries")
    } else {
        what
    };
    if attempt.on_fallback {
        return give_up(Some(trigger), format!("{spent}; the fallback failed too"));
    }
    let Some(fallback) = workload.fallback.clone() else {
        return give_up(
            Some(trigger),
            format!("{spent}; workload `{}` has no fallback", workload.name),
        );
    };
    if !trigger_allowed(workload, trigger) {
        return give_up(
            Some(trigger),
            format!(
                "{spent}; the policy does not allow a fallback on `{}`",
                trigger.as_str()
            ),
        );
    }
    if workload.paid_tier && !attempt.consent {
        return Decision {
            action: Action::AskFirst { model: fallback.clone() },
            trigger: Some(trigger),
            reason: format!("{spent}; `{fallback}` is allowed, but the workload is on a paid tier, so it is not used without your consent"),
        };
    }
    Decision {
        action: Action::FallBack {
            model: fallback.clone(),
        },
        trigger: Some(trigger),
        reason: format!("{spent}; falling back to `{fallback}` (same family and request)"),
    }
}

fn trigger_allowed(workload: &Workload, trigger: Trigger) -> bool {
    let t = &workload.policy.triggers;
    match trigger {
        Trigger::ServerError => t.server_error,
        Trigger::Timeout => t.timeout,
        Trigger::Unavailable => t.unavailable,
        Trigger::RateLimited => t.rate_limited,
    }
}

/// Exponential backoff from the policy, never shorter than the gateway's `Retry-After`.
fn backoff_ms(workload: &Workload, retries: u32, retry_after_s: Option<u64>) -> u64 {
    let p = &workload.policy;
    let doubled = u64::from(p.backoff_base_ms).saturating_mul(1u64 << retries.min(20));
    let own = doubled.min(u64::from(p.backoff_max_ms));
    own.max(retry_after_s.unwrap_or(0).saturating_mul(1000))
}

/// The words providers use for a content-policy refusal (OpenAI `content_policy_violation` and
/// `content_filter`, Anthropic and Gemini "safety" blocks). Matched case-insensitively.
fn is_content_policy(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "content_policy",
        "content policy",
        "content_filter",
        "safety system",
        "prohibited_content",
        "blocked by safety",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// Anthropic sends `overloaded_error` inside a stream; that is an unavailable upstream.
fn is_overload(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("overloaded") || m.contains("temporarily unavailable")
}

impl Failure {
    /// The failure of a finished run, `None` when it answered whole.
    pub fn of(summary: &RunSummary) -> Option<Self> {
        let failure = summary.failure.as_ref()?;
        if summary.status == RunStatus::Partial {
            return Some(if failure.kind == FailureKind::Stopped {
                Self::Stopped
            } else {
                Self::Partial
            });
        }
        Some(match failure.kind {
            FailureKind::Http => Self::Status {
                status: failure.status.or(summary.http_status).unwrap_or(0),
                retry_after_s: failure.retry_after_s,
                message: failure
                    .gateway_message
                    .clone()
                    .unwrap_or_else(|| failure.message.clone()),
            },
            FailureKind::Timeout | FailureKind::IdleTimeout => Self::Timeout,
            FailureKind::Unreachable | FailureKind::Reset => Self::Unavailable,
            FailureKind::InStreamError => Self::InStream {
                message: failure
                    .gateway_message
                    .clone()
                    .unwrap_or_else(|| failure.message.clone()),
            },
            FailureKind::Truncated | FailureKind::Malformed => Self::Malformed,
            FailureKind::Stopped => Self::Stopped,
        })
    }

    /// A short label for logs and the response line: `503`, `timeout`, ...
    pub fn label(&self) -> String {
        match self {
            Self::Status { status, .. } => status.to_string(),
            Self::Timeout => "timeout".into(),
            Self::Unavailable => "unavailable".into(),
            Self::InStream { .. } => "in-stream error".into(),
            Self::Partial => "partial answer".into(),
            Self::Malformed => "malformed answer".into(),
            Self::Stopped => "stopped".into(),
        }
    }
}
