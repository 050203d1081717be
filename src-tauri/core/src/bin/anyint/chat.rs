//! `anyint chat` and `anyint count-tokens`: the playground's run, for scripts. The answer
//! goes to stdout (`--json` for a machine-readable summary, `--raw` for the events as
//! received); errors go to stderr with the family's own words, and the exit code is non-zero.

use anyint_core::chat::ChatFamily;
use anyint_core::gateway::{GatewayClient, Network, DEFAULT_BASE_URL};
use anyint_core::playground::{self, PlaygroundEvent, PlaygroundRequest, RunStatus};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum CliFamily {
    /// OpenAI chat completions.
    Openai,
    /// OpenAI Responses (beta).
    Responses,
    Anthropic,
    Gemini,
}

impl From<CliFamily> for ChatFamily {
    fn from(f: CliFamily) -> Self {
        match f {
            CliFamily::Openai => ChatFamily::OpenAiChat,
            CliFamily::Responses => ChatFamily::OpenAiResponses,
            CliFamily::Anthropic => ChatFamily::Anthropic,
            CliFamily::Gemini => ChatFamily::Gemini,
        }
    }
}

#[derive(Args)]
pub struct ChatArgs {
    #[arg(long, env = "ANYINT_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// The chat family (taken from the workload with `--workload`).
    #[arg(long, value_enum, required_unless_present = "workload")]
    family: Option<CliFamily>,
    /// A model ID from the Models API (`anyint models`); with `--workload`, its primary.
    #[arg(long, required_unless_present = "workload")]
    model: Option<String>,
    #[command(flatten)]
    pub workload: super::model_choice::WorkloadArgs,
    #[arg(long)]
    system: Option<String>,
    #[arg(long)]
    max_tokens: Option<u32>,
    /// Stream the answer (printed as it arrives).
    #[arg(long)]
    stream: bool,
    /// Print `{"text", "finish_reason", "usage": {"input_tokens", "output_tokens"}, "model"}`.
    #[arg(long, conflicts_with = "raw")]
    json: bool,
    /// Print the events (or the body) exactly as received.
    #[arg(long)]
    raw: bool,
    prompt: String,
}

#[derive(Args)]
pub struct CountArgs {
    #[arg(long, env = "ANYINT_BASE_URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// anthropic or gemini: the families with a count route.
    #[arg(long, value_enum)]
    family: CliFamily,
    #[arg(long)]
    model: String,
    prompt: String,
}

fn client(base_url: &str, network: &Network) -> Result<GatewayClient, ExitCode> {
    let key = super::env_key()?;
    GatewayClient::with_network(base_url, key, network).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

pub async fn chat(args: ChatArgs, network: &Network) -> ExitCode {
    let client = match client(&args.base_url, network) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let workload = match args.workload.load() {
        Ok(w) => w,
        Err(code) => return code,
    };
    // clap requires --family and --model unless --workload is given.
    let (family, model) = match (&workload, args.family, &args.model) {
        (Some(w), _, _) => (w.family, w.primary.clone()),
        (None, Some(f), Some(m)) => (ChatFamily::from(f), m.clone()),
        _ => {
            eprintln!("error: pass --family and --model, or --workload");
            return ExitCode::from(2);
        }
    };
    let body = playground::simple_body(
        family,
        &model,
        args.system.as_deref(),
        args.max_tokens,
        &args.prompt,
        args.stream,
    );
    let req = PlaygroundRequest {
        run_id: "cli".into(),
        family,
        model,
        body,
        stream: args.stream,
        idle_timeout_ms: None,
        conversation_id: None,
    };
    let live_text = args.stream && !args.json && !args.raw;
    let mut out = std::io::stdout().lock();
    let emit = |event: PlaygroundEvent| {
        // A closed stdout (`| head`) is not worth a panic; the summary still decides the code.
        let _ = match event {
            PlaygroundEvent::Chunk { wire, .. } if args.raw => wire
                .iter()
                .try_for_each(|e| write!(out, "event: {}\ndata: {}\n\n", e.event, e.data)),
            PlaygroundEvent::Body { text } if args.raw => writeln!(out, "{text}"),
            PlaygroundEvent::Chunk { chat, .. } if live_text => chat.iter().try_for_each(|e| {
                if let anyint_core::chat::ChatEvent::TextDelta { text } = e {
                    write!(out, "{text}")?;
                    out.flush()?;
                }
                Ok(())
            }),
            _ => Ok(()),
        };
    };
    let summary = match &workload {
        Some(w) => match args.workload.run(&client, w, &req, emit).await {
            Ok(summary) => summary,
            Err(code) => return code,
        },
        None => playground::run(&client, &req, std::future::pending::<()>(), emit).await,
    };
    let t = &summary.transcript;
    if args.json {
        let json = serde_json::json!({
            "text": t.text,
            "finish_reason": t.finish_reason,
            "usage": {
                "input_tokens": t.usage.input_tokens,
                "output_tokens": t.usage.output_tokens,
            },
            "model": t.model.clone().unwrap_or_else(|| summary.model.clone()),
        });
        let _ = writeln!(std::io::stdout(), "{json}");
    } else if !args.raw {
        if live_text {
            let _ = writeln!(std::io::stdout(),);
        } else {
            let _ = writeln!(std::io::stdout(), "{}", t.text);
        }
    }
    match (&summary.failure, summary.status) {
        (None, RunStatus::Complete) => ExitCode::SUCCESS,
        (failure, _) => {
            if let Some(f) = failure {
                eprintln!("error: {}", f.message);
                if let Some(g) = &f.gateway_message {
                    eprintln!("gateway: {g}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

pub async fn count(args: CountArgs, network: &Network) -> ExitCode {
    let client = match client(&args.base_url, network) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let family = ChatFamily::from(args.family);
    let body = playground::simple_body(family, &args.model, None, None, &args.prompt, false);
    match playground::count_tokens(&client, family, &args.model, &body).await {
        Ok(n) => {
            let _ = writeln!(std::io::stdout(), "{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::report(&e, false);
            ExitCode::FAILURE
        }
    }
}
