//! The live path: a playground request run under a workload. Each attempt is an ordinary
//! `playground::run`; after a failure, [`decide`] says whether to retry (after its wait), fall
//! back, ask first or stop. Every attempt goes in the usage ledger and every fallback in the
//! fallback log when a store is given; the result says who answered and why.

use super::{decide, Action, Attempt, Decision, Failure, Workload};
use crate::gateway::GatewayClient;
use crate::ledger::UsageEntry;
use crate::playground::{self, PlaygroundEvent, PlaygroundRequest, RunStatus, RunSummary};
use crate::store::{FallbackLogRow, Store};
use futures::FutureExt;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::Duration;
use ts_rs::TS;

/// How one workload run goes beyond its policy.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunOptions {
    /// The user agreed beforehand to a fallback on a paid-tier workload.
    #[serde(default)]
    pub consent: bool,
    /// A Sandbox fault (`x-sandbox-fault`) on every attempt of the primary: a rehearsal of an
    /// outage, so the fallback can be seen working before it is needed.
    #[serde(default)]
    pub rehearse_fault: Option<String>,
    /// For the ledger: which connection the run went to.
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// One attempt, for the response's detail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptNote {
    pub model: String,
    pub status: RunStatus,
    pub http_status: Option<u16>,
    /// `503`, `timeout`, ...; `None` when it answered.
    pub failure: Option<String>,
    /// What the policy decided after it; `None` when it answered.
    pub decision: Option<Decision>,
}

/// The fallback of a run, as the response shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FallbackNote {
    pub primary: String,
    pub fallback: String,
    /// The primary's failure: `503`, `timeout`, ...
    pub failure: String,
    pub reason: String,
    /// Held: a paid tier, so the fallback was not sent without consent.
    pub held: bool,
    pub answered: bool,
    /// "answered by X after Y failed: 503", or what was held.
    pub line: String,
    /// The fallback log's row, when a store was given.
    #[ts(type = "number | null")]
    pub log_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadRun {
    pub workload: String,
    /// The last attempt's summary: the answer shown.
    pub summary: RunSummary,
    pub attempts: Vec<AttemptNote>,
    pub fallback: Option<FallbackNote>,
}

/// `req` with `model`: Gemini names it in the path (from `req.model`), the others in the body.
pub fn for_model(req: &PlaygroundRequest, model: &str) -> PlaygroundRequest {
    let mut next = req.clone();
    next.model = model.to_owned();
    if let Some(body) = next.body.as_object_mut() {
        if body.contains_key("model") || req.family != crate::chat::ChatFamily::Gemini {
            body.insert("model".into(), serde_json::Value::String(model.to_owned()));
        }
    }
    next
}

/// Runs `req` under `workload` (its primary replaces `req.model`). Fails before sending when
/// the request's family is not the workload's (a fallback keeps the family and shape).
#[allow(clippy::too_many_arguments)]
pub async fn run<S, F>(
    client: &GatewayClient,
    store: Option<&Store>,
    workload: &Workload,
    req: &PlaygroundRequest,
    options: &RunOptions,
    stop: S,
    mut emit: F,
) -> Result<WorkloadRun, String>
where
    S: Future<Output = ()>,
    F: FnMut(PlaygroundEvent),
{
    if req.family != workload.family {
        return Err(format!(
            "workload `{}` is for the {} family, not {}: a fallback keeps the family and request shape",
            workload.name,
            crate::store::family_word(workload.family),
            crate::store::family_word(req.family)
        ));
    }
    let rehearsal = match &options.rehearse_fault {
        Some(fault) => Some(client.with_header("x-sandbox-fault", fault)?),
        None => None,
    };
    let stop = stop.shared();
    let mut model = workload.primary.clone();
    let mut attempt = Attempt {
        consent: options.consent,
        ..Attempt::default()
    };
    let mut attempts = Vec::new();
    let mut note: Option<FallbackNote> = None;
    loop {
        let this = for_model(req, &model);
        let on = match (&rehearsal, attempt.on_fallback) {
            (Some(r), false) => r,
            _ => client,
        };
        let summary = playground::run(on, &this, stop.clone(), &mut emit).await;
        record_usage(store, client, workload, options, &summary);
        let Some(failure) = Failure::of(&summary) else {
            if let Some(n) = &mut note {
                n.answered = true;
                n.line = format!(
                    "answered by {} after {} failed: {}",
                    n.fallback, n.primary, n.failure
                );
                mark_answered(store, n.log_id, true);
            }
            attempts.push(AttemptNote {
                model: model.clone(),
                status: summary.status,
                http_status: summary.http_status,
                failure: None,
                decision: None,
            });
            return Ok(finish(workload, summary, attempts, note));
        };
        let decision = decide(workload, &attempt, &failure);
        attempts.push(AttemptNote {
            model: model.clone(),
            status: summary.status,
            http_status: summary.http_status,
            failure: Some(failure.label()),
            decision: Some(decision.clone()),
        });
        match decision.action.clone() {
            Action::Retry { after_ms } => {
                let stopped = tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(after_ms)) => false,
                    () = stop.clone() => true,
                };
                if stopped {
                    return Ok(finish(workload, summary, attempts, note));
                }
                attempt.retries += 1;
            }
            Action::FallBack { model: next } | Action::AskFirst { model: next } => {
                let held = matches!(decision.action, Action::AskFirst { .. });
                let log_id =
                    log_fallback(store, workload, &next, &failure, &decision, &summary, held);
                let line = if held {
                    format!(
                        "{} failed: {}; {next} was not tried without your consent (paid tier)",
                        workload.primary,
                        failure.label()
                    )
                } else {
                    format!(
                        "{} failed: {}; {next} did not answer either",
                        workload.primary,
                        failure.label()
                    )
                };
                note = Some(FallbackNote {
                    primary: workload.primary.clone(),
                    fallback: next.clone(),
                    failure: failure.label(),
                    reason: decision.reason.clone(),
                    held,
                    answered: false,
                    line,
                    log_id,
                });
                if held {
                    return Ok(finish(workload, summary, attempts, note));
                }
                model = next;
                attempt = Attempt {
                    on_fallback: true,
                    retries: 0,
                    consent: options.consent,
                };
            }
            Action::GiveUp => {
                if let Some(n) = &note {
                    mark_answered(store, n.log_id, false);
                }
                return Ok(finish(workload, summary, attempts, note));
            }
        }
    }
}

fn finish(
    workload: &Workload,
    summary: RunSummary,
    attempts: Vec<AttemptNote>,
    fallback: Option<FallbackNote>,
) -> WorkloadRun {
    WorkloadRun {
        workload: workload.name.clone(),
        summary,
        attempts,
        fallback,
    }
}

/// The ledger and the log must not cost the user the answer: a store failure is logged.
fn record_usage(
    store: Option<&Store>,
    client: &GatewayClient,
    workload: &Workload,
    options: &RunOptions,
    summary: &RunSummary,
) {
    let Some(store) = store else { return };
    let mut entry = UsageEntry::of_run(summary, crate::desk::now(), Some(client.key_fingerprint()));
    entry.workload = Some(workload.name.clone());
    entry.connection_id = options.connection_id.clone();
    if let Err(e) = store.insert_usage(&entry) {
        tracing::error!("could not record usage: {e}");
    }
}

fn log_fallback(
    store: Option<&Store>,
    workload: &Workload,
    fallback: &str,
    failure: &Failure,
    decision: &Decision,
    summary: &RunSummary,
    held: bool,
) -> Option<i64> {
    let store = store?;
    let status = match failure {
        Failure::Status { status, .. } => Some(*status),
        _ => None,
    };
    let row = FallbackLogRow {
        id: 0,
        at: crate::desk::now(),
        workload: workload.name.clone(),
        family: workload.family,
        primary_model: workload.primary.clone(),
        fallback_model: fallback.to_owned(),
        status,
        failure: failure.label(),
        trigger: decision.trigger.map(|t| t.as_str().to_owned()),
        reason: decision.reason.clone(),
        action: if held { "held" } else { "fell_back" }.to_owned(),
        run_id: Some(summary.run_id.clone()),
        answered: None,
    };
    match store.insert_fallback(&row) {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::error!("could not log the fallback: {e}");
            None
        }
    }
}

fn mark_answered(store: Option<&Store>, id: Option<i64>, answered: bool) {
    if let (Some(store), Some(id)) = (store, id) {
        if let Err(e) = store.set_fallback_answered(id, answered) {
            tracing::error!("could not update the fallback log: {e}");
        }
    }
}
