//! `anyint-sandbox`: run the simulated AnyInt gateway on a local port for curl, the official SDKs
//! or the app.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use anyint_sandbox::{
    AnswerRule, CallbackEnvelope, ExhaustedStatus, Fault, SandboxConfig, SandboxKey, Variant,
};
use clap::{Parser, ValueEnum};

const AFTER_HELP: &str = "\
KEYS
  Without --key the sandbox accepts its built-in keys and prints them:
    sk-sandbox-demo          plain key, every model
    sk-sandbox-team-b        plain key, small allowlist (403 for other models)
    sk-plan-sandbox-demo     plan key, chat models only
    sk-custom-sandbox-demo   custom subscription, three models
    sk-sandbox-disabled      disabled: always 401
    sk-sandbox-limited       2 requests per minute, then 429 with Retry-After
    sk-sandbox-exhausted     no balance: paid requests (POSTs) get --exhausted-status
  A --key that names a built-in key keeps its policy; any other value is a plain key for every model.

FAULTS
  Send the header `x-sandbox-fault: NAME` on a request, or pass --fault NAME for every request:
    reset               connection reset in the middle of a stream (JSON: after half the body)
    stall               sends a little, stays silent for --stall-ms, then drops the connection
    hang                sends --hang-after events, then stays silent with the connection open
                        until the client drops it (a stall that never ends)
    slow                slow drip: the body arrives 5 bytes at a time, every --drip-ms
    malformed           a stream event (or the JSON body) that is not valid JSON
    truncate            ends cleanly halfway, without [DONE] / message_stop / finish reason
    stream-error        an error event in the middle of the stream (family's shape)
    rate-limit          429 with Retry-After: 2 in the family's envelope
    burst               500/503 for the next 3 requests carrying it, then recovery
    huge                a JSON body of about 32 MB
    wrong-content-type  a JSON body served as text/html
    task-fail           async task progresses, then fails
    task-stuck          async task never finishes
    expired             artifact URLs of the task answer 404 (expired)
    exhausted           paid request refused for the balance (--exhausted-status; Suno code 429)
    maintenance         503 system maintenance (Suno code 455)
    create-fail         create accepted, task fails at once (Suno CREATE_TASK_FAILED)
    poll-5xx            the task's first --poll-failures polls answer 503, then normally
  Send `x-sandbox-task-ms: N` on a create to give that task its own duration.

ANSWERS
  --answers FILE: a JSON list of {\"model\", \"promptContains\", \"text\"} rules; a chat request to
  that model whose text contains promptContains is answered with text (the first match wins).

VARIANTS
  Harmless differences from the reference wire format, for tolerant-reader tests. Send the header
  `x-sandbox-variant: NAME[, NAME...]` (or `none`), or pass --variant NAME (repeatable) for every
  request. They combine with each other and with a fault:
    crlf                every SSE line of a chat stream ends in \\r\\n (the blank line too)
    keep-alive          `: keep-alive` / `: ping` comment lines before the first event and
                        every --keep-alive-every events
    loose               OpenAI chat chunks without `id` or choice `index` on some, `created` as
                        a float, usage without `total_tokens` and with null details, a final
                        usage chunk with `choices: [{\"delta\": {}}]`; every error body's `code`
                        is a string (OpenAI's is the HTTP status, e.g. \"429\")
    suno-http-200       /suno errors as HTTP 200 with the code in the body (429, 430, 455...)
    kling-http-200      Kling errors as HTTP 200 with a non-zero code in the body
    lyrics-response-data  lyrics polls as response.data[] instead of response.lyricsData[]
    success-flag-int    successFlag as an integer (0 running, 1 success, 2/3 failed)
    create-time-text    createTime as \"YYYY-MM-DD HH:MM:SS\" instead of milliseconds
  Slow drip of tokens for one request: the header `x-sandbox-token-rate: TOKENS_PER_SEC`
  (overrides --token-rate).

EXAMPLE
  anyint-sandbox --port 8787 --token-rate 40 --seed 7
  curl -H 'Authorization: Bearer sk-sandbox-demo' http://127.0.0.1:8787/openai/v1/models";

/// A local simulated AnyInt gateway (every route family, task lifecycles, injectable faults).
#[derive(Debug, Parser)]
#[command(name = "anyint-sandbox", version, after_help = AFTER_HELP)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Address to bind; keep loopback unless you know you need otherwise. Requests are
    /// answered only when their Host names this address, 127.0.0.1, localhost or [::1] (with
    /// the port), so a web page cannot reach the sandbox by DNS rebinding.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Accept only this key (repeatable). Without it, the built-in keys are accepted and printed.
    #[arg(long = "key", value_name = "KEY")]
    keys: Vec<String>,
    /// Generated tokens per second (omit for unlimited speed); a request can set its own with
    /// the header x-sandbox-token-rate.
    #[arg(long, value_name = "TOKENS_PER_SEC")]
    token_rate: Option<f64>,
    /// Delay before the first streamed token, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    first_token_ms: u64,
    /// Seed for generated text and IDs (same seed and request, same output).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Seconds an async task (video, image, music) takes to finish.
    #[arg(long, default_value_t = 4.0, value_name = "SECONDS")]
    task_secs: f64,
    /// How long the `stall` fault stays silent before dropping the connection, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    stall_ms: u64,
    /// Pause between the 5-byte pieces of the `slow` fault, in milliseconds.
    #[arg(long, default_value_t = 20, value_name = "MS")]
    drip_ms: u64,
    /// Tokens in a reply when the request does not cap it.
    #[arg(long, default_value_t = 48)]
    reply_tokens: u32,
    /// Events the `hang` fault sends before it goes silent for good.
    #[arg(long, default_value_t = 3, value_name = "EVENTS")]
    hang_after: usize,
    /// Apply this fault to every request without its own x-sandbox-fault header (see FAULTS).
    #[arg(long, value_name = "NAME")]
    fault: Option<Fault>,
    /// Apply this wire variant to every request without its own x-sandbox-variant header;
    /// repeatable or comma-separated (see VARIANTS).
    #[arg(long = "variant", value_name = "NAME", value_delimiter = ',')]
    variants: Vec<Variant>,
    /// Under the keep-alive variant, a comment line before every this-many events.
    #[arg(long, default_value_t = 4, value_name = "EVENTS")]
    keep_alive_every: u32,
    /// Envelope of music callbacks POSTed to callBackUrl.
    #[arg(long, value_enum, default_value_t = Envelope::Bare)]
    callback_envelope: Envelope,
    /// Deliver every music callback twice (exercise idempotent receivers).
    #[arg(long)]
    callback_duplicates: bool,
    /// HTTP status of an exhausted balance: 402, 403 or 429.
    #[arg(long, default_value_t = 402, value_name = "STATUS")]
    exhausted_status: u16,
    /// Polls of a `poll-5xx` task that fail before the poll answers.
    #[arg(long, default_value_t = 3, value_name = "N")]
    poll_failures: u32,
    /// Size of every WAV and MP4 artifact, streamed (omit for the tiny default files).
    #[arg(long, value_name = "BYTES")]
    artifact_bytes: Option<u64>,
    /// Artifact URLs answer 404 this long after their task finished (omit: never).
    #[arg(long, value_name = "SECONDS")]
    artifact_ttl_secs: Option<f64>,
    /// Seeded answers: a JSON file listing `{"model", "promptContains", "text"}` rules; a chat
    /// request to that model whose text contains `promptContains` is answered with `text`.
    #[arg(long, value_name = "FILE")]
    answers: Option<std::path::PathBuf>,
    /// Keep accepted tasks in this JSON-lines file across restarts (omit: in memory only).
    #[arg(long, value_name = "FILE")]
    task_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Envelope {
    /// `{callbackType, task_id, data}` as in the AnyInt docs.
    Bare,
    /// `{code, msg, data:{...}}` as upstream Suno API.
    Wrapped,
}

fn keys_from(args: &Args) -> Vec<SandboxKey> {
    let builtin = SandboxKey::defaults();
    if args.keys.is_empty() {
        return builtin;
    }
    args.keys
        .iter()
        .map(|secret| {
            builtin
                .iter()
                .find(|k| &k.secret == secret)
                .cloned()
                .unwrap_or_else(|| SandboxKey::new(secret.clone(), "Key from --key"))
        })
        .collect()
}

/// Waits for Ctrl-C, or SIGTERM on Unix (how service managers and test harnesses stop it).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("cannot wait for Ctrl-C: {e}");
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.token_rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
        eprintln!("--token-rate must be a positive number");
        return ExitCode::from(2);
    }
    if args.keep_alive_every == 0 {
        eprintln!("--keep-alive-every must be at least 1");
        return ExitCode::from(2);
    }
    if !(args.task_secs.is_finite() && args.task_secs >= 0.0) {
        eprintln!("--task-secs must be zero or a positive number");
        return ExitCode::from(2);
    }
    let Some(exhausted_status) = ExhaustedStatus::from_code(args.exhausted_status) else {
        eprintln!("--exhausted-status must be 402, 403 or 429");
        return ExitCode::from(2);
    };
    if args
        .artifact_ttl_secs
        .is_some_and(|t| !(t.is_finite() && t >= 0.0))
    {
        eprintln!("--artifact-ttl-secs must be zero or a positive number");
        return ExitCode::from(2);
    }
    let answer_rules = match &args.answers {
        None => Vec::new(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| AnswerRule::parse_list(&text))
        {
            Ok(rules) => rules,
            Err(e) => {
                eprintln!("--answers {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let config = SandboxConfig {
        addr: SocketAddr::new(args.host, args.port),
        keys: keys_from(&args),
        seed: args.seed,
        token_rate: args.token_rate,
        first_token_delay: Duration::from_millis(args.first_token_ms),
        task_duration: Duration::from_secs_f64(args.task_secs),
        default_fault: args.fault,
        default_variants: args.variants.clone(),
        keep_alive_every: args.keep_alive_every,
        hang_after_events: args.hang_after,
        callback_envelope: match args.callback_envelope {
            Envelope::Bare => CallbackEnvelope::Bare,
            Envelope::Wrapped => CallbackEnvelope::Wrapped,
        },
        callback_duplicates: args.callback_duplicates,
        default_reply_tokens: args.reply_tokens,
        stall_duration: Duration::from_millis(args.stall_ms),
        drip_interval: Duration::from_millis(args.drip_ms),
        exhausted_status,
        poll_failures: args.poll_failures,
        artifact_size: args.artifact_bytes,
        artifact_ttl: args.artifact_ttl_secs.map(Duration::from_secs_f64),
        answer_rules,
        task_file: args.task_file.clone(),
        ..SandboxConfig::default()
    };
    let keys = config.keys.clone();
    let sandbox = match anyint_sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot listen on {}:{}: {e}", args.host, args.port);
            return ExitCode::FAILURE;
        }
    };
    println!(
        "AnyInt sandbox (simulated gateway) listening on {}",
        sandbox.base_url()
    );
    if args.keys.is_empty() {
        println!("Accepted keys:");
        for k in &keys {
            println!("  {:<24} {}", k.secret, k.label);
        }
    }
    println!("Press Ctrl-C to stop.");
    wait_for_stop().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
