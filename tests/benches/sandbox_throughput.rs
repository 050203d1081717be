//! Prints the sandbox's streaming throughput: 200 concurrent OpenAI chat streams of 2,000
//! tokens each, token rate unlimited. A figure to compare runs, not a pass/fail threshold.
//! Run: `cargo bench -p anyint-tests --bench sandbox_throughput`.

#[path = "../tests/scenarios/sandbox_load.rs"]
#[allow(dead_code)]
mod sandbox_load;

use sandbox_load::{config, one_stream, STREAMS, TOKENS};
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sandbox = match anyint_sandbox::start(config()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sandbox did not start: {e}");
            std::process::exit(1);
        }
    };
    let base = sandbox.base_url();
    let http = reqwest::Client::new();
    for round in 1..=3 {
        let started = Instant::now();
        let tasks: Vec<_> = (0..STREAMS)
            .map(|_| {
                let (http, base) = (http.clone(), base.clone());
                tokio::spawn(async move { one_stream(&http, &base).await })
            })
            .collect();
        let (mut tokens, mut bytes, mut errors) = (0u64, 0usize, 0usize);
        for task in tasks {
            match task.await {
                Ok(Ok((t, b))) => {
                    tokens += t;
                    bytes += b;
                }
                _ => errors += 1,
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "round {round}: {STREAMS} streams x {TOKENS} tokens in {secs:.2} s = {:.0} tokens/s, {:.1} MB/s, {errors} errors",
            tokens as f64 / secs,
            bytes as f64 / secs / 1e6
        );
    }
}
