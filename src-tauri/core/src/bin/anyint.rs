//! `anyint`: what the app does, for scripts and CI jobs, without a window.
//! The key is read from `ANYINT_API_KEY` only, so it never shows up in shell history or `ps`.
//! The network (proxy, TLS roots, timeouts) is the app's Settings when `--data-dir` (or
//! `ANYINT_DESK_DATA_DIR`) names the app's data dir, and the proxy environment variables
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`) otherwise.

// The crate root sits in src/bin/, so its modules are found beside it only by path.
#[path = "anyint/advise.rs"]
mod advise;
#[path = "anyint/chat.rs"]
mod chat;
#[path = "anyint/model_choice.rs"]
mod model_choice;
#[path = "anyint/task.rs"]
mod task;
#[path = "anyint/task_wait.rs"]
mod task_wait;

use anyint_core::gateway::network::ProxyChoice;
use anyint_core::gateway::{Family, GatewayClient, GatewayError, Network, DEFAULT_BASE_URL};
use anyint_core::keys::ApiKey;
use anyint_core::models::list_models;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "anyint",
    version,
    about = "AnyInt gateway from the command line (key from ANYINT_API_KEY)"
)]
struct Cli {
    /// The app's data dir: use its Settings (proxy, TLS roots, timeouts; the proxy password
    /// from the keychain). Without it the proxy environment variables apply.
    #[arg(long, global = true, env = "ANYINT_DESK_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the model IDs the key can use (follows pagination to the end).
    Models {
        /// Gateway base URL, e.g. https://api.anyint.ai or a local sandbox.
        #[arg(long, env = "ANYINT_BASE_URL", default_value = DEFAULT_BASE_URL)]
        base_url: String,
        /// Which Models route to ask.
        #[arg(long, value_enum, default_value_t = ModelsFamily::Openai)]
        family: ModelsFamily,
        /// Print JSON (the models, or `{code, message, status}` on failure) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Send one prompt on a chat family's own route and print the answer.
    Chat(chat::ChatArgs),
    /// Count a prompt's tokens on the family's count route (Anthropic and Gemini).
    CountTokens(chat::CountArgs),
    /// Media and music tasks on the app's database: submit, status, wait, download, list.
    Task(task::TaskArgs),
    /// Usage totals from AnyInt Desk's ledger (per key fingerprint, model or day), or the
    /// ledger as CSV.
    Usage(model_choice::UsageArgs),
    /// The model advisor: run an evaluation set for each model on a workload's family and
    /// recommend the cheapest that meets the bar, with the evidence (the workload is unchanged).
    Advise(advise::AdviseArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelsFamily {
    Openai,
    Anthropic,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let network = match network(cli.data_dir.as_deref()) {
        Ok(n) => n,
        Err(code) => return code,
    };
    match cli.command {
        Command::Models {
            base_url,
            family,
            json,
        } => models(&base_url, family, json, &network).await,
        Command::Chat(args) => chat::chat(args, &network).await,
        Command::CountTokens(args) => chat::count(args, &network).await,
        Command::Task(args) => task::task(args).await,
        Command::Usage(args) => model_choice::usage(&args),
        Command::Advise(args) => advise::advise(args, cli.data_dir.as_deref(), &network).await,
    }
}

/// The app's saved network settings, or the environment's proxy when no data dir is given.
fn network(data_dir: Option<&std::path::Path>) -> Result<Network, ExitCode> {
    let Some(dir) = data_dir else {
        return Ok(Network {
            proxy: ProxyChoice::Environment,
            ..Network::default()
        });
    };
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("error: cannot use the settings in {}: {e}", dir.display());
        ExitCode::from(2)
    };
    let desk = anyint_core::Desk::open(dir, None).map_err(|e| fail(&e))?;
    desk.network().map_err(|e| fail(&e))
}

/// The key from `ANYINT_API_KEY`, or the exit code that says it is missing.
fn env_key() -> Result<ApiKey, ExitCode> {
    ApiKey::from_env().ok_or_else(|| {
        eprintln!("error: ANYINT_API_KEY is not set (export it, then run again)");
        ExitCode::from(2)
    })
}

async fn models(base_url: &str, family: ModelsFamily, json: bool, network: &Network) -> ExitCode {
    let key = match env_key() {
        Ok(key) => key,
        Err(code) => return code,
    };
    let family = match family {
        ModelsFamily::Openai => Family::OpenAi,
        ModelsFamily::Anthropic => Family::Anthropic,
    };
    let result = match GatewayClient::with_network(base_url, key, network) {
        Ok(client) => list_models(&client, family).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(models) if json => match serde_json::to_string_pretty(&models) {
            Ok(text) => {
                let _ = writeln!(std::io::stdout(), "{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(models) => {
            for m in &models {
                let name = m.display_name.as_deref().unwrap_or("");
                let created = m.created_at.as_deref().unwrap_or("");
                let _ = writeln!(std::io::stdout(), "{:<40} {:<32} {}", m.id, name, created);
            }
            eprintln!("{} models", models.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            report(&e, json);
            ExitCode::FAILURE
        }
    }
}

fn report(e: &GatewayError, json: bool) {
    if json {
        let body =
            serde_json::json!({ "code": e.code(), "message": e.to_string(), "status": e.status() });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
    eprintln!("error: {e}");
    if let GatewayError::Status { raw_body, .. } = e {
        if !raw_body.is_empty() {
            eprintln!("gateway body: {raw_body}");
        }
    }
}
