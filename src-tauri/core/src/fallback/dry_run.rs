//! The dry run: what a workload's policy would do for an error typed in (status and body) or a
//! sandbox fault's name, step by step, through the same [`decide`] the live run uses.

use super::{decide, Action, Attempt, Decision, Failure, Workload};
use serde::Deserialize;
use ts_rs::TS;

impl Failure {
    /// What the first attempt sees under a sandbox fault (`x-sandbox-fault`), with nothing of
    /// the answer shown yet. Task faults do not apply to chat. Mirrors `anyint-sandbox`'s
    /// `faults.rs`; the scenario tests check the dry run agrees with the live run.
    pub fn of_sandbox_fault(name: &str) -> Result<Option<Self>, String> {
        let status = |status, retry_after_s, message: &str| Self::Status {
            status,
            retry_after_s,
            message: message.to_owned(),
        };
        Ok(Some(match name.trim().to_ascii_lowercase().as_str() {
            "rate-limit" => status(429, Some(2), "Rate limit exceeded"),
            "maintenance" => status(503, None, "System maintenance"),
            // The burst alternates 500 and 503; the first request gets the 500.
            "burst" => status(
                500,
                None,
                "Upstream temporarily unavailable (sandbox burst)",
            ),
            // The sandbox's default exhausted status is 402.
            "exhausted" => status(402, None, "Insufficient balance"),
            "hang" | "stall" => Self::Timeout,
            "reset" => Self::Unavailable,
            "malformed" | "truncate" | "huge" | "wrong-content-type" => Self::Malformed,
            "stream-error" => Self::InStream {
                message: "sandbox stream error".into(),
            },
            "slow" => return Ok(None),
            "task-fail" | "task-stuck" | "expired" | "create-fail" | "poll-5xx" => {
                return Err(format!(
                    "`{name}` is a task fault; it does not apply to a chat request"
                ))
            }
            other => return Err(format!("unknown sandbox fault `{other}`")),
        }))
    }
}

/// What the dry run is given: a status and body as the gateway sent them, or a sandbox fault.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DryRunInput {
    Status {
        status: u16,
        #[serde(default)]
        body: String,
        #[serde(default)]
        #[ts(type = "number | null")]
        retry_after_s: Option<u64>,
    },
    Fault {
        name: String,
    },
}

/// What the policy would do for `input`, step by step: each decision until the run would stop
/// retrying, assuming every attempt on the failing model fails the same way and the fallback
/// (if reached) answers. The first step is what happens to the first attempt.
pub fn dry_run(
    workload: &Workload,
    input: &DryRunInput,
    consent: bool,
) -> Result<Vec<Decision>, String> {
    let failure = match input {
        DryRunInput::Status {
            status,
            body,
            retry_after_s,
        } => {
            if (200..300).contains(status) {
                return Ok(Vec::new());
            }
            Failure::Status {
                status: *status,
                retry_after_s: *retry_after_s,
                message: body.clone(),
            }
        }
        DryRunInput::Fault { name } => match Failure::of_sandbox_fault(name)? {
            Some(f) => f,
            None => return Ok(Vec::new()),
        },
    };
    let mut attempt = Attempt {
        consent,
        ..Attempt::default()
    };
    let mut steps = Vec::new();
    // Bounded by the retry cap (validate keeps it at 10); the guard is for an unvalidated one.
    for _ in 0..32 {
        let d = decide(workload, &attempt, &failure);
        let retry = matches!(d.action, Action::Retry { .. });
        steps.push(d);
        if !retry {
            break;
        }
        attempt.retries += 1;
    }
    Ok(steps)
}
