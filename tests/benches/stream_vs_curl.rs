//! Prints how the core's playground run compares with curl on the same sandbox stream: one
//! OpenAI chat stream of 2,000 tokens paced by the server at 2,000 tokens/s (~1 s), read
//! alternately by `anyint_core::playground::run` and by `curl -N`, several rounds in one run.
//! Reported as ratios (issue 8): total time core/curl (target <= 1.05x) and the core's extra
//! time to first token over curl's (target < 2 ms). Figures to compare runs, never asserted.
//! Run: `cargo bench -p anyint-tests --bench stream_vs_curl`.
//!
//! Both clients are timed from just before they start (the core: the call to `run`; curl: the
//! spawn, so its figures include process start-up and a fresh TCP connection, while the core
//! reuses its pooled connection as the app does). TTFT is the first non-empty text delta: the
//! core's first `ChatEvent::TextDelta` seen by the emit callback, curl's first stdout byte
//! completing `"content":"X` (the role chunk's `"content":""` does not count). curl's own
//! `time_starttransfer` (first response byte, measured inside curl, so without its start-up)
//! is printed too, as a reference the spawn does not inflate.

// A benchmark, like the test crates: a broken setup may panic with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anyint_core::chat::{ChatEvent, ChatFamily};
use anyint_core::gateway::GatewayClient;
use anyint_core::keys::ApiKey;
use anyint_core::playground::{self, simple_body, PlaygroundEvent, PlaygroundRequest, RunStatus};
use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TOKENS: u32 = 2_000;
/// High but finite: both clients are paced by the server, so their totals are comparable.
const RATE: f64 = 2_000.0;
const ROUNDS: usize = 5;
const PROMPT: &str = "Tell me a long story.";
/// What starts a text delta's value in the OpenAI chunk JSON.
const CONTENT: &[u8] = b"\"content\":\"";

/// One client's read of one stream.
struct Sample {
    total: Duration,
    ttft: Option<Duration>,
    /// Non-empty text deltas seen.
    deltas: u64,
    /// `completion_tokens` of the final usage chunk.
    usage: Option<u64>,
    /// curl only: its own `time_starttransfer`.
    curl_ttfb: Option<Duration>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        println!("skipped: `curl` is not on PATH (this benchmark compares the core with curl)");
        return;
    }
    let config = SandboxConfig {
        token_rate: Some(RATE),
        default_reply_tokens: TOKENS,
        ..SandboxConfig::default()
    };
    let sandbox = match anyint_sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sandbox did not start: {e}");
            std::process::exit(1);
        }
    };
    let base = sandbox.base_url();
    let client = GatewayClient::new(&base, ApiKey::new(DEMO_KEY).expect("non-empty key"))
        .expect("valid base URL");
    let body = simple_body(
        ChatFamily::OpenAiChat,
        "gpt-5",
        None,
        Some(TOKENS),
        PROMPT,
        true,
    );
    let req = PlaygroundRequest {
        run_id: "bench".into(),
        family: ChatFamily::OpenAiChat,
        model: "gpt-5".into(),
        body: body.clone(),
        stream: true,
        idle_timeout_ms: None,
        conversation_id: None,
    };
    // The very bytes the core sends (`run` serialises the body the same way).
    let dir = tempfile::tempdir().expect("temp dir");
    let body_path = dir.path().join("body.json");
    std::fs::write(&body_path, serde_json::to_vec(&body).expect("JSON body")).expect("body.json");
    let url = format!("{base}/openai/v1/chat/completions");

    println!(
        "one OpenAI chat stream of {TOKENS} tokens at {RATE:.0} tokens/s (server-paced, ~{:.1} s), \
         {ROUNDS} rounds alternating core and curl, after one warm-up of each",
        f64::from(TOKENS) / RATE
    );
    let mut core = Vec::new();
    let mut curl = Vec::new();
    // Whether the core ran last: going first next, it reuses its pooled connection within
    // milliseconds of that connection's last use.
    let mut core_ran_last = false;
    for round in 0..=ROUNDS {
        // Alternate who goes first, so a drift in the machine's load hits both alike.
        let core_first = round % 2 == 0;
        let right_after_core = core_first && core_ran_last;
        core_ran_last = !core_first;
        let (a, b) = if core_first {
            let a = core_once(&client, &req).await;
            (a, curl_once(&url, &body_path).await)
        } else {
            let b = curl_once(&url, &body_path).await;
            (core_once(&client, &req).await, b)
        };
        let (a, b) = match (a, b) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                for e in [a.err(), b.err()].into_iter().flatten() {
                    eprintln!("round {round}: {e}");
                }
                std::process::exit(1);
            }
        };
        let label = if round == 0 {
            "warm-up".to_owned()
        } else {
            format!("round {round}")
        };
        println!(
            "{label:>8}: core {} | curl {}{}",
            describe(&a),
            describe(&b),
            match (core_first, right_after_core) {
                (true, true) => " (core first, right after its previous run)",
                (true, false) => " (core first)",
                _ => " (curl first)",
            }
        );
        if round > 0 {
            core.push(a);
            curl.push(b);
        }
    }
    drop(sandbox);

    let total = |s: &[Sample]| median(s.iter().map(|x| ms(x.total)).collect());
    let ttft = |s: &[Sample]| median(s.iter().filter_map(|x| x.ttft.map(ms)).collect());
    let (core_total, curl_total) = (total(&core), total(&curl));
    let (core_ttft, curl_ttft) = (ttft(&core), ttft(&curl));
    let worst = |s: &[Sample]| {
        s.iter()
            .filter_map(|x| x.ttft.map(ms))
            .fold(f64::NAN, f64::max)
    };
    let curl_ttfb = median(curl.iter().filter_map(|x| x.curl_ttfb.map(ms)).collect());
    println!();
    println!("median of {ROUNDS}:");
    println!(
        "  core: total {core_total:.1} ms, TTFT {core_ttft:.2} ms (worst {:.2} ms)",
        worst(&core)
    );
    println!(
        "  curl: total {curl_total:.1} ms, TTFT {curl_ttft:.2} ms (worst {:.2} ms; \
         curl's own time_starttransfer {curl_ttfb:.2} ms)",
        worst(&curl)
    );
    let tokens = |s: &[Sample]| {
        let mut seen: Vec<String> = s
            .iter()
            .map(|x| {
                let usage = x.usage.map_or("none".to_owned(), |u| u.to_string());
                format!("{} deltas / usage {usage}", x.deltas)
            })
            .collect();
        seen.dedup();
        seen.join(", ")
    };
    println!(
        "  tokens seen: core {} | curl {}",
        tokens(&core),
        tokens(&curl)
    );
    let ratio = core_total / curl_total;
    let extra = core_ttft - curl_ttft;
    println!(
        "total core/curl: {ratio:.3}x (target <= 1.05x: {})",
        verdict(ratio <= 1.05)
    );
    println!(
        "extra TTFT core - curl: {extra:+.2} ms (target < 2 ms: {})",
        verdict(extra < 2.0)
    );
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

fn describe(s: &Sample) -> String {
    let ttft = s
        .ttft
        .map_or("none".to_owned(), |t| format!("{:.2} ms", ms(t)));
    let ttfb = s
        .curl_ttfb
        .map_or(String::new(), |t| format!(" (own TTFB {:.2} ms)", ms(t)));
    format!(
        "total {:.1} ms, TTFT {ttft}{ttfb}, {} deltas",
        ms(s.total),
        s.deltas
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// The core, as the playground window runs it.
async fn core_once(client: &GatewayClient, req: &PlaygroundRequest) -> Result<Sample, String> {
    let mut first: Option<Instant> = None;
    let mut deltas = 0u64;
    let started = Instant::now();
    let summary = playground::run(client, req, std::future::pending::<()>(), |e| {
        if let PlaygroundEvent::Chunk { chat, .. } = &e {
            for c in chat {
                if matches!(c, ChatEvent::TextDelta { text } if !text.is_empty()) {
                    first.get_or_insert_with(Instant::now);
                    deltas += 1;
                }
            }
        }
    })
    .await;
    let total = started.elapsed();
    if summary.status != RunStatus::Complete {
        return Err(format!("core run did not complete: {:?}", summary.failure));
    }
    Ok(Sample {
        total,
        ttft: first.map(|t| t - started),
        deltas,
        usage: summary.transcript.usage.output_tokens,
        curl_ttfb: None,
    })
}

/// curl on the same request, its stdout read through a pipe on a blocking thread.
async fn curl_once(url: &str, body_path: &std::path::Path) -> Result<Sample, String> {
    let url = url.to_owned();
    let data = format!("@{}", body_path.display());
    tokio::task::spawn_blocking(move || curl_blocking(&url, &data))
        .await
        .map_err(|e| e.to_string())?
}

fn curl_blocking(url: &str, data: &str) -> Result<Sample, String> {
    let auth = format!("Authorization: Bearer {DEMO_KEY}");
    let started = Instant::now();
    let mut child = Command::new("curl")
        .args(["-sS", "-N", "-X", "POST", url, "-H", &auth])
        .args([
            "-H",
            "content-type: application/json",
            "--data-binary",
            data,
        ])
        .args(["-w", "%{stderr}time_starttransfer %{time_starttransfer}\\n"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("curl did not start: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut out = Vec::with_capacity(1 << 20);
    let mut buf = vec![0u8; 64 * 1024];
    let mut first = None;
    loop {
        let n = stdout.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        // Rescan the tail of what came before: a match may straddle two reads.
        let from = out.len().saturating_sub(CONTENT.len());
        out.extend_from_slice(&buf[..n]);
        if first.is_none() && has_text_delta(&out[from..]) {
            first = Some(started.elapsed());
        }
    }
    let total = started.elapsed();
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "curl failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let (deltas, usage) = count_stream(&out);
    let curl_ttfb = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| {
            l.strip_prefix("time_starttransfer ")?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(Duration::from_secs_f64);
    Ok(Sample {
        total,
        ttft: first,
        deltas,
        usage,
        curl_ttfb,
    })
}

/// Whether `bytes` holds `"content":"` followed by a character that is not the closing quote.
fn has_text_delta(bytes: &[u8]) -> bool {
    bytes
        .windows(CONTENT.len() + 1)
        .any(|w| w.starts_with(CONTENT) && w[CONTENT.len()] != b'"')
}

/// Non-empty content deltas and the usage chunk's `completion_tokens` of a whole SSE body.
fn count_stream(body: &[u8]) -> (u64, Option<u64>) {
    let text = String::from_utf8_lossy(body);
    let mut deltas = 0;
    let mut usage = None;
    for frame in text.split("\n\n") {
        let Some(data) = frame.trim().strip_prefix("data: ") else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else {
            continue;
        };
        let content = v.pointer("/choices/0/delta/content");
        if content
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            deltas += 1;
        }
        if let Some(n) = v
            .pointer("/usage/completion_tokens")
            .and_then(|n| n.as_u64())
        {
            usage = Some(n);
        }
    }
    (deltas, usage)
}
