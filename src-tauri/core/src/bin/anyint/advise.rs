//! `anyint advise --workload NAME --evalset FILE --models A,B,C`: the model advisor for
//! scripts. Runs the evaluation set for each model on the workload's family, prints the
//! evidence table and the recommendation (or `--json`, the whole advice); exit 0 when it ran,
//! 2 on bad input. It never changes the workload. With `--data-dir` the workloads, prices and
//! ledger are the app's; with `--workloads FILE` there are no prices (cost is unknown).

use anyint_core::advisor::{self, Advice, AdviseContext, AdviseRequest, Bar, EvalSetFormat};
use anyint_core::gateway::{GatewayClient, Network, DEFAULT_BASE_URL};
use anyint_core::store::Store;
use clap::Args;
use futures::FutureExt;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct AdviseArgs {
    #[arg(long, env = "ANYINT_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// The workload whose family the models are run through (from `--data-dir` or
    /// `--workloads`).
    #[arg(long)]
    workload: String,
    /// A workloads file exported by the app (`.json`, `.toml`, or env lines otherwise).
    #[arg(long)]
    workloads: Option<PathBuf>,
    /// The evaluation set: `.toml`, or JSON otherwise.
    #[arg(long)]
    evalset: PathBuf,
    /// The candidate models, comma-separated (1 to 8).
    #[arg(long, value_delimiter = ',', required = true)]
    models: Vec<String>,
    /// The share of checked cases a model must pass, 0 to 1.
    #[arg(long, default_value_t = 1.0)]
    min_pass_rate: f64,
    /// A limit on the p95 total time, in milliseconds.
    #[arg(long)]
    max_p95_total_ms: Option<f64>,
    /// A limit on the p95 time to first token, in milliseconds.
    #[arg(long)]
    max_p95_ttft_ms: Option<f64>,
    /// Runs of each case per model.
    #[arg(long, default_value_t = 1)]
    repeats: u32,
    /// Print the advice as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

pub async fn advise(
    args: AdviseArgs,
    data_dir: Option<&std::path::Path>,
    network: &Network,
) -> ExitCode {
    let text = match std::fs::read_to_string(&args.evalset) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read {}: {e}", args.evalset.display())),
    };
    let format = match args.evalset.extension().and_then(|e| e.to_str()) {
        Some("toml") => EvalSetFormat::Toml,
        _ => EvalSetFormat::Json,
    };
    let evalset = match advisor::parse_evalset(&text, format) {
        Ok(s) => s,
        Err(e) => return fail(format!("{}: {e}", args.evalset.display())),
    };
    let store = match data_dir {
        Some(dir) => match Store::open(dir) {
            Ok(s) => Some(s),
            Err(e) => {
                return fail(format!(
                    "cannot open the Desk database in {}: {e}",
                    dir.display()
                ))
            }
        },
        None => None,
    };
    let workload = match super::model_choice::find_workload(
        &args.workload,
        args.workloads.as_deref(),
        store.as_ref(),
    ) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let request = AdviseRequest {
        // Unique per run: the advice is stored under it.
        advise_id: format!(
            "cli-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ),
        workload: workload.name.clone(),
        models: args.models.clone(),
        evalset,
        bar: Bar {
            min_pass_rate: args.min_pass_rate,
            max_p95_total_ms: args.max_p95_total_ms,
            max_p95_ttft_ms: args.max_p95_ttft_ms,
        },
        repeats: args.repeats,
    };
    if let Err(e) = request.validate() {
        return fail(e);
    }
    let key = match super::env_key() {
        Ok(k) => k,
        Err(code) => return code,
    };
    let client = match GatewayClient::with_network(&args.base_url, key, network) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let prices = match store.as_ref().map(Store::prices).transpose() {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return fail(e),
    };
    let ctx = AdviseContext {
        client: &client,
        store: store.as_ref(),
        prices: &prices,
        workload: &workload,
        connection_id: None,
        idle_timeout_ms: None,
        max_tokens: None,
    };
    let stop = futures::future::pending::<()>().boxed().shared();
    let quiet = args.json;
    let advice = advisor::run(&ctx, &request, stop, |e| {
        if let advisor::AdviseEvent::ModelDone { evidence } = e {
            if !quiet {
                eprintln!(
                    "{}: {} of {} passed",
                    evidence.model, evidence.passed, evidence.checked
                );
            }
        }
    })
    .await;
    if let Some(store) = &store {
        if let Err(e) = store.insert_advice(&advice) {
            eprintln!("warning: the advice was not stored: {e}");
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        return match serde_json::to_string_pretty(&advice) {
            Ok(text) => {
                let _ = writeln!(out, "{text}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    let _ = write!(out, "{}", table(&advice));
    ExitCode::SUCCESS
}

/// The evidence table and the recommendation, as the terminal shows them.
fn table(a: &Advice) -> String {
    let ms = |v: Option<f64>| v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "-".into());
    let mut s = format!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>14}  bar\n",
        "model", "passed", "ttft p50", "ttft p95", "total p50", "total p95", "cost/case"
    );
    for e in &a.evidence {
        let cost = match (e.cost_per_case, &e.currency) {
            (Some(c), Some(cur)) => format!("{c:.6} {cur}"),
            (Some(c), None) => format!("{c:.6}"),
            _ => "no price".into(),
        };
        let bar = if e.meets_bar { "meets" } else { "misses" };
        s.push_str(&format!(
            "{:<28} {:>9} {:>9} {:>9} {:>9.0} {:>9.0} {:>14}  {bar}\n",
            e.model,
            format!("{}/{}", e.passed, e.checked),
            ms(e.ttft_p50_ms),
            ms(e.ttft_p95_ms),
            e.total_p50_ms,
            e.total_p95_ms,
            cost
        ));
        if let Some(why) = &e.why_not {
            s.push_str(&format!("    {why}\n"));
        }
    }
    match &a.recommended {
        Some(m) => s.push_str(&format!("\nrecommended: {m}\n")),
        None => s.push_str("\nrecommended: none\n"),
    }
    s.push_str(&format!("reason: {}\n", a.reason));
    s.push_str(&format!(
        "the workload `{}` is unchanged; make the pick its primary in the app or its export\n",
        a.workload
    ));
    s
}
