//! `anyint chat --workload NAME` (the workload's primary and fallback policy; every retry and
//! fallback told on stderr) and `anyint usage` (the Desk's usage ledger: totals or CSV).
//! Workloads come from a file the app exported (`--workloads`, JSON / TOML / env) or from the
//! app's own database (`--data-dir`, the `ANYINT_DESK_DATA_DIR` the app also reads).

use anyint_core::fallback::{self, Action, ExportFormat, RunOptions, Workload};
use anyint_core::gateway::GatewayClient;
use anyint_core::ledger::{self, GroupBy};
use anyint_core::playground::{PlaygroundEvent, PlaygroundRequest, RunSummary};
use anyint_core::store::Store;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct WorkloadArgs {
    /// Run under this workload: its family, its primary model, its fallback policy.
    #[arg(long)]
    pub workload: Option<String>,
    /// A workloads file exported by the app (`.json`, `.toml`, or env lines otherwise).
    #[arg(long, requires = "workload")]
    workloads: Option<PathBuf>,
    /// AnyInt Desk's data folder: workloads from its database, and the run recorded in its
    /// usage ledger and fallback log.
    #[arg(long, env = "ANYINT_DESK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Agree to a fallback on a paid-tier workload (otherwise it is only offered).
    #[arg(long, requires = "workload")]
    allow_fallback: bool,
    /// Rehearse an outage against the Sandbox: this fault (`x-sandbox-fault`) on the primary.
    #[arg(long, requires = "workload")]
    rehearse_fault: Option<String>,
}

/// Workload `name` from an exported file, else from the app's database.
pub fn find_workload(
    name: &str,
    file: Option<&std::path::Path>,
    store: Option<&Store>,
) -> Result<Workload, ExitCode> {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(2)
    };
    let all = match (file, store) {
        (Some(file), _) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| fail(format!("cannot read {}: {e}", file.display())))?;
            let format = match file.extension().and_then(|e| e.to_str()) {
                Some("json") => ExportFormat::Json,
                Some("toml") => ExportFormat::Toml,
                _ => ExportFormat::Env,
            };
            fallback::import(&text, format).map_err(|e| fail(format!("{}: {e}", file.display())))?
        }
        (None, Some(store)) => store.workloads().map_err(|e| fail(e.to_string()))?,
        (None, None) => {
            return Err(fail(
                "--workload needs --workloads FILE or --data-dir (ANYINT_DESK_DATA_DIR)".into(),
            ))
        }
    };
    all.into_iter()
        .find(|w| w.name == name)
        .ok_or_else(|| fail(format!("no workload `{name}`")))
}

fn open_store(dir: &std::path::Path) -> Result<Store, ExitCode> {
    Store::open(dir).map_err(|e| {
        eprintln!(
            "error: cannot open the Desk database in {}: {e}",
            dir.display()
        );
        ExitCode::from(2)
    })
}

impl WorkloadArgs {
    /// The named workload, or `None` without `--workload`.
    pub fn load(&self) -> Result<Option<Workload>, ExitCode> {
        let Some(name) = &self.workload else {
            return Ok(None);
        };
        let store = match (&self.workloads, &self.data_dir) {
            (None, Some(dir)) => Some(open_store(dir)?),
            _ => None,
        };
        find_workload(name, self.workloads.as_deref(), store.as_ref()).map(Some)
    }

    /// Runs `req` under `w`, telling stderr about each retry and fallback.
    pub async fn run<F: FnMut(PlaygroundEvent)>(
        &self,
        client: &GatewayClient,
        w: &Workload,
        req: &PlaygroundRequest,
        emit: F,
    ) -> Result<RunSummary, ExitCode> {
        let store = match &self.data_dir {
            Some(dir) => Some(open_store(dir)?),
            None => None,
        };
        let options = RunOptions {
            consent: self.allow_fallback,
            rehearse_fault: self.rehearse_fault.clone(),
            connection_id: None,
        };
        let run = fallback::run(
            client,
            store.as_ref(),
            w,
            req,
            &options,
            std::future::pending::<()>(),
            emit,
        )
        .await
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        for a in &run.attempts {
            let (Some(failure), Some(d)) = (&a.failure, &a.decision) else {
                continue;
            };
            let what = match &d.action {
                Action::Retry { .. } => "retry",
                Action::FallBack { .. } => "fallback",
                Action::AskFirst { .. } => "fallback held",
                Action::GiveUp => "no fallback",
            };
            eprintln!("{what}: {} failed: {failure}: {}", a.model, d.reason);
        }
        if let Some(note) = &run.fallback {
            eprintln!("fallback: {}", note.line);
        }
        Ok(run.summary)
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Key,
    Model,
    Day,
    /// The key's team in the vault.
    Team,
    /// The key's project in the vault.
    Project,
}

#[derive(Args)]
pub struct UsageArgs {
    /// AnyInt Desk's data folder (the ledger is in its database).
    #[arg(long, env = "ANYINT_DESK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = By::Model)]
    by: By,
    /// Print every ledger row as CSV instead of totals.
    #[arg(long)]
    csv: bool,
}

pub fn usage(args: &UsageArgs) -> ExitCode {
    let Some(dir) = &args.data_dir else {
        eprintln!("error: pass --data-dir or set ANYINT_DESK_DATA_DIR (the app's data folder)");
        return ExitCode::from(2);
    };
    let store = match open_store(dir) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    if args.csv {
        return match (store.usage_rows(u32::MAX), store.task_usage_rows(u32::MAX)) {
            (Ok(rows), Ok(tasks)) => {
                let _ = write!(out, "{}", ledger::to_csv(&rows, &tasks));
                ExitCode::SUCCESS
            }
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let by = match args.by {
        By::Key => GroupBy::Key,
        By::Model => GroupBy::Model,
        By::Day => GroupBy::Day,
        By::Team => GroupBy::Team,
        By::Project => GroupBy::Project,
    };
    let totals = match (
        store.usage_slices(by),
        store.task_usage_slices(by),
        store.prices(),
    ) {
        (Ok(slices), Ok(tasks), Ok(prices)) => {
            let mut totals = ledger::totals(&slices, &prices);
            ledger::add_tasks(&mut totals, &tasks, &prices);
            totals
        }
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _ = writeln!(
        out,
        "{:<32} {:>8} {:>7} {:>12} {:>12} {:>10} {:>6}  cost",
        "group", "requests", "failed", "input", "output", "mean ms", "tasks"
    );
    for t in &totals {
        let cost = match (&t.cost, &t.currency, t.unpriced_models.is_empty()) {
            (Some(c), Some(cur), true) => format!("{c:.4} {cur}"),
            (Some(c), Some(cur), false) => {
                format!("{c:.4} {cur} + no price: {}", t.unpriced_models.join(", "))
            }
            _ => "no price".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<32} {:>8} {:>7} {:>12} {:>12} {:>10.0} {:>6}  {cost}",
            t.group,
            t.requests,
            t.failed,
            t.tokens.input,
            t.tokens.output,
            t.latency_ms_mean,
            t.tasks
        );
    }
    ExitCode::SUCCESS
}
