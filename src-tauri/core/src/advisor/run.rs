//! The advisor's run: each candidate model in turn answers every case (times the repeats)
//! through the workload's family, one request at a time so the latencies measured are the
//! model's and not the queue's; each answer is checked, each request goes in the ledger under
//! the workload's name; then the evidence is folded and a model recommended (`pick.rs`).

use super::pick::{evidence_of, recommend};
use super::{check_answer, Advice, AdviseEvent, AdviseRequest, CaseResult, Evidence};
use crate::compare::ColumnStops;
use crate::fallback::Workload;
use crate::gateway::GatewayClient;
use crate::ledger::{Price, UsageEntry};
use crate::playground::{self, simple_body, PlaygroundRequest, RunStatus, RunSummary};
use crate::store::Store;
use futures::FutureExt;

/// What the run needs besides the request.
pub struct AdviseContext<'a> {
    pub client: &'a GatewayClient,
    /// The ledger; `None` in tests that need none.
    pub store: Option<&'a Store>,
    pub prices: &'a [Price],
    pub workload: &'a Workload,
    pub connection_id: Option<String>,
    pub idle_timeout_ms: Option<u32>,
    /// Caps every answer's length (the advisor judges answers, it does not need essays).
    pub max_tokens: Option<u32>,
}

/// Runs the evaluation set for every model and returns the advice (not yet stored). A Stop
/// ends the run after the request in flight; the advice then covers what was measured.
pub async fn run<F>(
    ctx: &AdviseContext<'_>,
    req: &AdviseRequest,
    stop: ColumnStops,
    mut emit: F,
) -> Advice
where
    F: FnMut(AdviseEvent),
{
    let mut evidence: Vec<Evidence> = Vec::with_capacity(req.models.len());
    let mut stopped = false;
    for (m, model) in req.models.iter().enumerate() {
        let mut results: Vec<CaseResult> = Vec::new();
        let mut summaries: Vec<RunSummary> = Vec::new();
        'cases: for (i, case) in req.evalset.cases.iter().enumerate() {
            for rep in 0..req.repeats {
                if stopped || stop.clone().now_or_never().is_some() {
                    stopped = true;
                    break 'cases;
                }
                let preq = PlaygroundRequest {
                    run_id: format!("{}-{m}-{i}-{rep}", req.advise_id),
                    family: ctx.workload.family,
                    model: model.clone(),
                    body: simple_body(
                        ctx.workload.family,
                        model,
                        case.system.as_deref(),
                        ctx.max_tokens,
                        &case.prompt,
                        true,
                    ),
                    stream: true,
                    idle_timeout_ms: ctx.idle_timeout_ms,
                    conversation_id: None,
                };
                let summary = playground::run(ctx.client, &preq, stop.clone(), |_| {}).await;
                record(ctx, &summary);
                let result = judge(index(i), case.check.as_ref(), &summary);
                emit(AdviseEvent::Case {
                    model: model.clone(),
                    case_index: result.case_index,
                    passed: result.passed,
                    total_ms: result.total_ms,
                });
                results.push(result);
                summaries.push(summary);
            }
        }
        let e = evidence_of(model, &req.bar, ctx.prices, &summaries, results);
        emit(AdviseEvent::ModelDone {
            evidence: Box::new(e.clone()),
        });
        evidence.push(e);
        if stopped {
            break;
        }
    }
    let (recommended, mut reason) = recommend(ctx.workload.goal, &mut evidence);
    if stopped {
        reason = format!("stopped before every case ran; {reason}");
    }
    Advice {
        id: req.advise_id.clone(),
        workload: ctx.workload.name.clone(),
        goal: ctx.workload.goal,
        family: ctx.workload.family,
        evidence,
        recommended,
        reason,
        at: crate::desk::now(),
        bar: req.bar.clone(),
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// One answer against its check. A request that failed fails its check (with its error).
fn judge(case_index: u32, check: Option<&super::Check>, s: &RunSummary) -> CaseResult {
    let error = s.failure.as_ref().map(|f| match &f.gateway_message {
        Some(g) if !f.message.contains(g.as_str()) => format!("{} ({g})", f.message),
        _ => f.message.clone(),
    });
    let answer = s.transcript.text.clone();
    let (passed, detail) = match check {
        None => (None, None),
        Some(_) if s.status != RunStatus::Complete => (
            Some(false),
            Some(format!(
                "no complete answer: {}",
                error.as_deref().unwrap_or("the run ended early")
            )),
        ),
        Some(c) => {
            let o = check_answer(c, &answer);
            (Some(o.passed), Some(o.detail))
        }
    };
    CaseResult {
        case_index,
        passed,
        detail,
        answer,
        ttft_ms: s.stats.ttft_ms,
        total_ms: s.stats.total_ms,
        http_status: s.http_status,
        error,
    }
}

fn record(ctx: &AdviseContext<'_>, s: &RunSummary) {
    let Some(store) = ctx.store else { return };
    let mut entry = UsageEntry::of_run(s, crate::desk::now(), Some(ctx.client.key_fingerprint()));
    entry.connection_id.clone_from(&ctx.connection_id);
    entry.workload = Some(ctx.workload.name.clone());
    if let Err(e) = store.insert_usage(&entry) {
        tracing::error!("could not record usage: {e}");
    }
}
