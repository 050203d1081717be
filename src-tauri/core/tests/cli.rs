//! The `anyint` binary as scripts use it: against the sandbox over loopback, key from the
//! environment, exit codes and the family's error on failure.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

async fn run(args: &[&str], key: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyint"));
    cmd.args(args)
        .env_remove("ANYINT_API_KEY")
        .env_remove("ANYINT_BASE_URL");
    if let Some(key) = key {
        cmd.env("ANYINT_API_KEY", key);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn models_lists_every_page_as_a_table_or_json() {
    let sandbox = anyint_sandbox::start(Default::default()).await.unwrap();
    let url = sandbox.base_url();
    let out = run(
        &["models", "--base-url", &url],
        Some(anyint_sandbox::DEMO_KEY),
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(table.lines().count(), anyint_sandbox::catalogue().len());
    assert!(table.contains("claude-sonnet-4-6") && table.contains("Claude Sonnet 4.6"));

    let out = run(
        &[
            "models",
            "--base-url",
            &url,
            "--family",
            "anthropic",
            "--json",
        ],
        Some(anyint_sandbox::TEAM_B_KEY),
    )
    .await;
    assert!(out.status.success());
    let models: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(models.as_array().unwrap().len(), 4, "Team B's allowlist");
}

#[tokio::test]
async fn failures_exit_non_zero_with_the_gateway_error_and_never_echo_the_key() {
    let sandbox = anyint_sandbox::start(Default::default()).await.unwrap();
    let url = sandbox.base_url();
    let out = run(
        &["models", "--base-url", &url, "--json"],
        Some("sk-test-wrong-key"),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("401") && stderr.contains("invalid_api_key"),
        "{stderr}"
    );
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["code"], "invalid_key");
    assert_eq!(body["status"], 401);
    let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        !all.contains("sk-test-wrong-key"),
        "the key was echoed: {all}"
    );

    let out = run(&["models", "--base-url", "not a url"], Some("sk-test-x")).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a usable base URL"));

    let out = run(&["models", "--base-url", &url], None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ANYINT_API_KEY is not set"));
}
