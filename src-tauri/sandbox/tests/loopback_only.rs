//! The sandbox answers and calls back only this machine: a request whose `Host` names another
//! site (a DNS-rebinding page) is refused before any route, and a callback URL on another host
//! is refused before any connect, recorded on the handle while the task still completes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_request_for_another_host_is_refused() {
    let sb = sandbox().await;
    let url = format!("{}/openai/v1/models", sb.base_url());
    let port = sb.addr().port();
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        let r = client()
            .get(&url)
            .bearer_auth(DEMO_KEY)
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 421, "Host: {host}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let text = r.text().await.unwrap();
        assert!(text.contains("addressed to it"), "{text}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = client()
            .get(&url)
            .bearer_auth(DEMO_KEY)
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "Host: {host}");
    }
}

/// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): nothing answers there, and nothing is sent, since
/// the URL is refused before a socket is opened.
#[tokio::test]
async fn a_callback_to_another_host_is_refused_and_the_task_completes() {
    let sb = sandbox_with(SandboxConfig {
        task_duration: Duration::from_millis(200),
        ..Default::default()
    })
    .await;
    let hook = "http://192.0.2.1/hook";
    let (status, _, created) = post_bearer(
        &format!("{}/suno/generate", sb.base_url()),
        DEMO_KEY,
        &json!({"customMode": false, "instrumental": false, "model": "V5",
                "prompt": "A song", "callBackUrl": hook}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["data"]["taskId"].as_str().unwrap().to_owned();
    let mut last = serde_json::Value::Null;
    for _ in 0..100 {
        let (_, _, body) = get_bearer(
            &format!("{}/suno/query/task?taskId={id}", sb.base_url()),
            DEMO_KEY,
        )
        .await;
        last = body;
        if last["data"]["status"] == "SUCCESS" && sb.refused_callbacks().len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(last["data"]["status"], "SUCCESS", "{last}");
    // One refusal per stage (text, first, complete); none was sent.
    assert_eq!(sb.refused_callbacks(), [hook; 3]);
}

#[tokio::test]
async fn a_callback_to_localhost_is_delivered() {
    let sb = sandbox_with(SandboxConfig {
        task_duration: Duration::from_millis(200),
        ..Default::default()
    })
    .await;
    let (hook, mut rx) = receiver().await;
    let hook = hook.replace("127.0.0.1", "localhost");
    post_bearer(
        &format!("{}/suno/generate", sb.base_url()),
        DEMO_KEY,
        &json!({"customMode": false, "instrumental": false, "model": "V5",
                "prompt": "A song", "callBackUrl": hook}),
    )
    .await;
    let calls = collect(&mut rx, 3).await;
    assert_eq!(calls[2]["callbackType"], "complete");
    assert!(sb.refused_callbacks().is_empty());
}
