//! The sandbox under load: 200 concurrent streams of 2,000 tokens at full speed must all end
//! cleanly (usage chunk + `[DONE]`). Throughput is measured by `benches/sandbox_throughput.rs`,
//! never asserted here.

use anyint_sandbox::{SandboxConfig, DEMO_KEY};

pub const STREAMS: usize = 200;
pub const TOKENS: u64 = 2_000;

/// One streamed chat completion; returns (completion_tokens from the usage chunk, bytes).
pub async fn one_stream(http: &reqwest::Client, base: &str) -> Result<(u64, usize), String> {
    let body = serde_json::json!({
        "model": "gpt-5",
        "messages": [{"role": "user", "content": "Tell me a long story."}],
        "stream": true,
        "stream_options": {"include_usage": true},
    });
    let response = http
        .post(format!("{base}/openai/v1/chat/completions"))
        .bearer_auth(DEMO_KEY)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    let frames: Vec<&str> = text
        .split("\n\n")
        .filter_map(|f| f.trim().strip_prefix("data: "))
        .collect();
    if frames.last() != Some(&"[DONE]") {
        return Err("stream did not end with [DONE]".into());
    }
    let usage = frames
        .iter()
        .rev()
        .filter_map(|f| serde_json::from_str::<serde_json::Value>(f).ok())
        .find_map(|v| v.get("usage")?.get("completion_tokens")?.as_u64())
        .ok_or("no usage chunk")?;
    Ok((usage, text.len()))
}

pub fn config() -> SandboxConfig {
    SandboxConfig {
        token_rate: None,
        default_reply_tokens: TOKENS as u32,
        ..SandboxConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_streams_of_2000_tokens_all_complete() {
    let sandbox = anyint_sandbox::start(config()).await.unwrap();
    let base = sandbox.base_url();
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..STREAMS)
        .map(|_| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move { one_stream(&http, &base).await })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok((tokens, _)) if tokens == TOKENS => {}
            Ok((tokens, _)) => failures.push(format!("{tokens} tokens")),
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {STREAMS} streams failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}
