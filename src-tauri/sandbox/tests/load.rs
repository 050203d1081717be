//! Load: 200 concurrent streams of 2,000 tokens at full speed complete without errors, and the
//! throughput is printed (issue 3 acceptance). Run with `--nocapture` to see the figure.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Instant;

use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_streams_of_two_thousand_tokens() {
    let sb = sandbox_with(SandboxConfig {
        default_reply_tokens: 2000,
        ..Default::default()
    })
    .await;
    let url = format!("{}/openai/v1/chat/completions", sb.base_url());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut handles = Vec::new();
    for i in 0..200 {
        let http = http.clone();
        let url = url.clone();
        handles.push(tokio::spawn(async move {
            let req = json!({"model": "gpt-5", "stream": true, "messages": [{"role": "user", "content": format!("stream {i}")}]});
            let body = http.post(&url).bearer_auth(DEMO_KEY).json(&req).send().await.unwrap().text().await.unwrap();
            let events = parse_sse(&body);
            assert_eq!(events.last().unwrap().data, "[DONE]");
            events.iter().filter(|e| e.data.contains("\"content\":\"")).count() - 1
        }));
    }
    let mut tokens = 0;
    for h in handles {
        tokens += h.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(tokens, 200 * 2000);
    println!(
        "load: 200 streams x 2000 tokens in {secs:.2}s = {:.0} tokens/s",
        tokens as f64 / secs
    );
}
