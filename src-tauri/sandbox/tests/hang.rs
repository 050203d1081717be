//! The `hang` fault and the stream counters (issue 8: "a test shows the sandbox sees the
//! connection closed" when the client presses Stop): a stream that goes silent but stays open
//! until its client drops it, and the public counters that show the sandbox noticed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use anyint_sandbox::{Sandbox, SandboxConfig, DEMO_KEY, FAULT_HEADER, TOKEN_RATE_HEADER};
use common::*;
use tokio::time::{timeout_at, Instant};

/// Longer than any stall a test would tolerate; the hang must outlast it.
const BOUND: Duration = Duration::from_millis(700);
const NOTICE: Duration = Duration::from_secs(5);

async fn hanging() -> Sandbox {
    sandbox_with(SandboxConfig {
        hang_after_events: 2,
        // The old `stall` would have closed the connection well within BOUND.
        stall_duration: Duration::from_millis(100),
        ..Default::default()
    })
    .await
}

/// Reads until `BOUND` passes with the body still open; panics if it ends or breaks first.
async fn read_until_quiet(r: &mut reqwest::Response) -> String {
    let deadline = Instant::now() + BOUND;
    let mut got = Vec::new();
    loop {
        match timeout_at(deadline, r.chunk()).await {
            Ok(Ok(Some(c))) => got.extend_from_slice(&c),
            Ok(other) => panic!("the hung stream ended: {other:?}"),
            Err(_) => return String::from_utf8(got).unwrap(),
        }
    }
}

#[tokio::test]
async fn hang_sends_k_events_then_stays_open_until_the_client_drops_it() {
    let sb = hanging().await;
    let mut r = chat_stream(&sb, "openai", &[(FAULT_HEADER, "hang")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = read_until_quiet(&mut r).await;
    assert_eq!(parse_sse(&text).len(), 2, "{text}");
    assert!(!text.contains("[DONE]"));
    assert_eq!((sb.open_streams(), sb.closed_streams()), (1, 0));
    drop(r);
    assert!(
        sb.wait_for_closed_streams(1, NOTICE).await,
        "sandbox saw the close"
    );
    assert_eq!((sb.open_streams(), sb.closed_streams()), (0, 1));
}

#[tokio::test]
async fn hang_holds_every_chat_stream_family_open() {
    let sb = hanging().await;
    let mut open = Vec::new();
    for family in CHAT_STREAMS {
        let mut r = chat_stream(&sb, family, &[(FAULT_HEADER, "hang")])
            .send()
            .await
            .unwrap();
        let text = read_until_quiet(&mut r).await;
        assert_eq!(parse_sse(&text).len(), 2, "{family}: {text}");
        open.push(r);
    }
    assert_eq!(sb.open_streams(), 4);
    assert_eq!(sb.closed_streams(), 0);
    drop(open);
    assert!(sb.wait_for_closed_streams(4, NOTICE).await);
    assert_eq!(sb.open_streams(), 0);
}

#[tokio::test]
async fn hang_holds_a_json_body_open_after_half_of_it() {
    let sb = hanging().await;
    let mut r = client()
        .get(format!("{}/openai/v1/models", sb.base_url()))
        .bearer_auth(DEMO_KEY)
        .header(FAULT_HEADER, "hang")
        .send()
        .await
        .unwrap();
    let text = read_until_quiet(&mut r).await;
    assert!(text.starts_with('{') && serde_json::from_str::<serde_json::Value>(&text).is_err());
    assert_eq!(sb.open_streams(), 1);
    drop(r);
    assert!(sb.wait_for_closed_streams(1, NOTICE).await);
}

#[tokio::test]
async fn stop_during_a_slow_drip_is_noticed_before_the_next_token() {
    let sb = sandbox().await;
    // One token every five seconds: the close must be seen while the stream waits, not when it
    // next writes.
    let mut r = chat_stream(&sb, "anthropic", &[(TOKEN_RATE_HEADER, "0.2")])
        .send()
        .await
        .unwrap();
    let first = r.chunk().await.unwrap().unwrap();
    assert!(!first.is_empty());
    let dropped = Instant::now();
    drop(r);
    assert!(sb.wait_for_closed_streams(1, NOTICE).await);
    assert!(
        dropped.elapsed() < Duration::from_secs(2),
        "{:?}",
        dropped.elapsed()
    );
    assert!(sb.wait_for_open_streams(0, NOTICE).await);
}

#[tokio::test]
async fn streams_that_finish_or_break_are_not_counted_as_closed_by_the_client() {
    let sb = hanging().await;
    for family in CHAT_STREAMS {
        let (_, _, body) = post_stream(chat_stream(&sb, family, &[])).await;
        assert!(body.is_ok());
    }
    let (_, _, body) = post_stream(chat_stream(&sb, "openai", &[(FAULT_HEADER, "reset")])).await;
    assert!(body.is_err());
    let (_, _, body) = post_stream(chat_stream(&sb, "openai", &[(FAULT_HEADER, "stall")])).await;
    assert!(body.is_err());
    assert!(sb.wait_for_open_streams(0, NOTICE).await);
    assert_eq!(sb.closed_streams(), 0);
}

#[tokio::test]
async fn shutdown_ends_a_hung_stream() {
    let sb = hanging().await;
    let mut r = chat_stream(&sb, "gemini", &[(FAULT_HEADER, "hang")])
        .send()
        .await
        .unwrap();
    read_until_quiet(&mut r).await;
    let started = Instant::now();
    sb.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let rest = tokio::time::timeout(Duration::from_secs(3), async {
        while let Ok(Some(_)) = r.chunk().await {}
    })
    .await;
    assert!(rest.is_ok(), "the body ended with the sandbox");
}
