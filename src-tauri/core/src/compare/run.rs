//! A comparison's run: every column at once on one connection, in one task (the columns are
//! futures joined together, so they share the client and need no spawning). Columns report
//! their answer deltas through a channel; the loop here batches them into at most one `text`
//! event per column per [`TEXT_BATCH_MS`], and tells each column's `finished` (stats, cost) as
//! soon as that column ends. A column that fails is a failed column, never a failed
//! comparison; Stop ends every column and keeps what each received.

use super::{CompareColumn, CompareEvent, CompareRequest, CompareTarget};
use crate::chat::ChatEvent;
use crate::fallback::{self, RunOptions, Workload};
use crate::gateway::GatewayClient;
use crate::ledger::{Price, TokenSums, UsageEntry};
use crate::playground::{self, simple_body, PlaygroundEvent, PlaygroundRequest, RunSummary};
use crate::store::Store;
use futures::future::{join_all, Shared};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often answer text is passed on: about a frame, so eight fast streams cost the window
/// at most eight messages a frame.
pub const TEXT_BATCH_MS: u64 = 16;

/// The stop signal, shared by every column.
pub type ColumnStops = Shared<Pin<Box<dyn Future<Output = ()> + Send>>>;

/// What a column's run needs besides its target.
pub struct CompareContext<'a> {
    pub client: &'a GatewayClient,
    /// The ledger (every request is a row) and the fallback log; `None` in tests that need none.
    pub store: Option<&'a Store>,
    pub prices: &'a [Price],
    /// The workload each column runs under, when the request names one.
    pub workload: Option<&'a Workload>,
    pub connection_id: Option<String>,
    pub idle_timeout_ms: Option<u32>,
}

enum Msg {
    Text(u32, String),
    Fallback(u32, String),
    /// A column's end: told as it happens, so a fast column shows its stats while the slow
    /// ones still stream.
    Finished(u32, Box<CompareColumn>),
}

/// Passes one message on: text waits for the next tick; anything else first flushes the
/// text that came before it, so the window sees events in the order they happened.
fn take<F: FnMut(CompareEvent)>(msg: Msg, pending: &mut BTreeMap<u32, String>, emit: &mut F) {
    match msg {
        Msg::Text(c, text) => pending.entry(c).or_default().push_str(&text),
        Msg::Fallback(column, note) => {
            flush(pending, emit);
            emit(CompareEvent::Fallback { column, note });
        }
        Msg::Finished(column, result) => {
            flush(pending, emit);
            emit(CompareEvent::Finished { column, result });
        }
    }
}

/// Runs every column of `req` and returns them in order (`finished` is emitted for each).
pub async fn run<F>(
    ctx: &CompareContext<'_>,
    req: &CompareRequest,
    stop: ColumnStops,
    mut emit: F,
) -> Vec<CompareColumn>
where
    F: FnMut(CompareEvent),
{
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    for (i, t) in req.targets.iter().enumerate() {
        emit(CompareEvent::Started {
            column: index(i),
            family: t.family,
            model: t.model.clone(),
        });
    }
    let columns: Vec<_> = req
        .targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let tx = tx.clone();
            let stop = stop.clone();
            async move {
                let col = column(ctx, req, index(i), target, stop, tx.clone()).await;
                // The receiver lives until every column has ended.
                let _ = tx.send(Msg::Finished(index(i), Box::new(col.clone())));
                col
            }
        })
        .collect();
    // Only the columns hold senders now: the channel closes when the last one ends.
    drop(tx);
    let all = join_all(columns);
    tokio::pin!(all);
    let mut pending: BTreeMap<u32, String> = BTreeMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(TEXT_BATCH_MS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let results = loop {
        tokio::select! {
            // The tick first: eight busy streams keep the channel always ready, and the
            // window would otherwise see nothing until the end.
            biased;
            _ = tick.tick() => flush(&mut pending, &mut emit),
            Some(msg) = rx.recv() => take(msg, &mut pending, &mut emit),
            results = &mut all => break results,
        }
    };
    // What the last columns sent before they ended, their ends included.
    while let Ok(msg) = rx.try_recv() {
        take(msg, &mut pending, &mut emit);
    }
    flush(&mut pending, &mut emit);
    results
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn flush<F: FnMut(CompareEvent)>(pending: &mut BTreeMap<u32, String>, emit: &mut F) {
    for (column, text) in std::mem::take(pending) {
        if !text.is_empty() {
            emit(CompareEvent::Text { column, text });
        }
    }
}

/// The playground request of one column: the family's simplest streaming body.
pub fn column_request(
    req: &CompareRequest,
    column: u32,
    target: &CompareTarget,
    idle_timeout_ms: Option<u32>,
) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: format!("{}-{column}", req.compare_id),
        family: target.family,
        model: target.model.clone(),
        body: simple_body(
            target.family,
            &target.model,
            req.system.as_deref(),
            req.max_tokens,
            &req.prompt,
            true,
        ),
        stream: true,
        idle_timeout_ms,
        conversation_id: None,
    }
}

async fn column(
    ctx: &CompareContext<'_>,
    req: &CompareRequest,
    c: u32,
    target: &CompareTarget,
    stop: ColumnStops,
    tx: mpsc::UnboundedSender<Msg>,
) -> CompareColumn {
    let preq = column_request(req, c, target, ctx.idle_timeout_ms);
    let text_tx = tx.clone();
    let emit = move |e: PlaygroundEvent| {
        if let PlaygroundEvent::Chunk { chat, .. } = e {
            let text: String = chat
                .iter()
                .filter_map(|e| match e {
                    ChatEvent::TextDelta { text } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            if !text.is_empty() {
                // The receiver lives until every column has ended.
                let _ = text_tx.send(Msg::Text(c, text));
            }
        }
    };
    let (summary, note) = match ctx.workload {
        None => {
            let client = match &target.rehearse_fault {
                Some(fault) => match ctx.client.with_header("x-sandbox-fault", fault) {
                    Ok(client) => client,
                    Err(e) => return refused(target, &preq.run_id, e),
                },
                None => ctx.client.clone(),
            };
            let summary = playground::run(&client, &preq, stop, emit).await;
            record(ctx, &summary);
            (summary, None)
        }
        Some(w) => {
            // The column's model is the primary; the workload's fallback stays its fallback.
            let mut w = w.clone();
            w.primary.clone_from(&target.model);
            if w.fallback.as_deref() == Some(target.model.as_str()) {
                w.fallback = None;
            }
            let options = RunOptions {
                consent: false,
                rehearse_fault: target.rehearse_fault.clone(),
                connection_id: ctx.connection_id.clone(),
            };
            match fallback::run(ctx.client, ctx.store, &w, &preq, &options, stop, emit).await {
                Ok(run) => {
                    let note = run.fallback.map(|n| n.line);
                    if let Some(n) = &note {
                        let _ = tx.send(Msg::Fallback(c, n.clone()));
                    }
                    (run.summary, note)
                }
                Err(e) => return refused(target, &preq.run_id, e),
            }
        }
    };
    outcome(ctx.prices, target, summary, note)
}

/// A column that could not be sent at all (a bad fault name, a workload of another family).
fn refused(target: &CompareTarget, run_id: &str, error: String) -> CompareColumn {
    CompareColumn {
        target: target.clone(),
        answered_by: target.model.clone(),
        status: playground::RunStatus::Failed,
        http_status: None,
        text: String::new(),
        error: Some(error),
        stats: playground::RunStats::default(),
        usage: crate::chat::Usage::default(),
        cost: None,
        currency: None,
        no_price: true,
        fallback_note: None,
        kept: false,
        run_id: run_id.to_owned(),
    }
}

/// A plain column's ledger row (a workload run records each attempt itself).
fn record(ctx: &CompareContext<'_>, s: &RunSummary) {
    let Some(store) = ctx.store else { return };
    let mut entry = UsageEntry::of_run(s, crate::desk::now(), Some(ctx.client.key_fingerprint()));
    entry.connection_id.clone_from(&ctx.connection_id);
    if let Err(e) = store.insert_usage(&entry) {
        tracing::error!("could not record usage: {e}");
    }
}

/// The cost of `summary`'s usage at the answering model's price; `None` without a price.
pub fn cost_of(prices: &[Price], summary: &RunSummary) -> Option<(f64, String)> {
    let u = &summary.transcript.usage;
    let sums = TokenSums {
        input: u.input_tokens.unwrap_or(0),
        output: u.output_tokens.unwrap_or(0),
        cached: u.cached_input_tokens.unwrap_or(0),
        reasoning: u.reasoning_tokens.unwrap_or(0),
    };
    let price = prices.iter().find(|p| p.model == summary.model)?;
    let cost = price.token_cost(summary.family, &sums)?;
    Some((cost, price.currency.clone()))
}

fn outcome(
    prices: &[Price],
    target: &CompareTarget,
    summary: RunSummary,
    fallback_note: Option<String>,
) -> CompareColumn {
    let cost = cost_of(prices, &summary);
    let error = summary.failure.as_ref().map(|f| match &f.gateway_message {
        Some(g) if !f.message.contains(g.as_str()) => format!("{} ({g})", f.message),
        _ => f.message.clone(),
    });
    CompareColumn {
        target: target.clone(),
        answered_by: summary.model.clone(),
        status: summary.status,
        http_status: summary.http_status,
        text: summary.transcript.text,
        error,
        stats: summary.stats,
        usage: summary.transcript.usage,
        no_price: cost.is_none(),
        cost: cost.as_ref().map(|c| c.0),
        currency: cost.map(|c| c.1),
        fallback_note,
        kept: false,
        run_id: summary.run_id,
    }
}
