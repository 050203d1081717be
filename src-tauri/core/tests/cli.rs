//! The `anyint` binary as scripts use it: against the sandbox over loopback, key from the
//! environment, exit codes and the family's error on failure.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

async fn run(args: &[&str], key: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyint"));
    cmd.args(args)
        .env_remove("ANYINT_API_KEY")
        .env_remove("ANYINT_BASE_URL")
        .env_remove("ANYINT_DESK_DATA_DIR");
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

#[tokio::test]
async fn chat_prints_the_answer_as_text_json_or_raw_events() {
    let sandbox = anyint_sandbox::start(Default::default()).await.unwrap();
    let url = sandbox.base_url();
    let key = Some(anyint_sandbox::DEMO_KEY);
    let base = ["chat", "--base-url", &url];
    for (family, model) in [
        ("openai", "gpt-5"),
        ("responses", "gpt-5"),
        ("anthropic", "claude-sonnet-4-6"),
        ("gemini", "gemini-2.5-pro"),
    ] {
        let args = |extra: &[&'static str]| {
            let mut all: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            all.extend(["--family", family, "--model", model].map(String::from));
            all.extend(extra.iter().map(|s| s.to_string()));
            all.push("Say something about rivers".into());
            all
        };
        let run_with = |extra: &[&'static str]| {
            let a = args(extra);
            async move {
                let refs: Vec<&str> = a.iter().map(String::as_str).collect();
                run(&refs, key).await
            }
        };
        let plain = run_with(&["--max-tokens", "40"]).await;
        assert!(
            plain.status.success(),
            "{family}: {}",
            String::from_utf8_lossy(&plain.stderr)
        );
        let text = String::from_utf8(plain.stdout).unwrap();
        assert!(!text.trim().is_empty(), "{family}");

        let json = run_with(&["--stream", "--json"]).await;
        assert!(json.status.success(), "{family}");
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert!(
            v["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{family}: {v}"
        );
        assert!(v["finish_reason"].is_string(), "{family}: {v}");
        assert!(v["usage"]["output_tokens"].is_u64(), "{family}: {v}");
        assert!(v["model"].is_string(), "{family}: {v}");

        let raw = run_with(&["--stream", "--raw"]).await;
        let raw = String::from_utf8(raw.stdout).unwrap();
        assert!(raw.contains("data: "), "{family}: {raw}");
    }
}

#[tokio::test]
async fn chat_fails_with_the_familys_error_and_count_tokens_prints_a_number() {
    let sandbox = anyint_sandbox::start(Default::default()).await.unwrap();
    let url = sandbox.base_url();
    let bad = run(
        &[
            "chat",
            "--base-url",
            &url,
            "--family",
            "anthropic",
            "--model",
            "claude-sonnet-4-6",
            "hi",
        ],
        Some(anyint_sandbox::DISABLED_KEY),
    )
    .await;
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("401") && stderr.contains("gateway:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(anyint_sandbox::DISABLED_KEY),
        "the key is never echoed"
    );

    for (family, model) in [
        ("anthropic", "claude-sonnet-4-6"),
        ("gemini", "gemini-2.5-pro"),
    ] {
        let short = run(
            &[
                "count-tokens",
                "--base-url",
                &url,
                "--family",
                family,
                "--model",
                model,
                "hi",
            ],
            Some(anyint_sandbox::DEMO_KEY),
        )
        .await;
        let long = run(
            &[
                "count-tokens",
                "--base-url",
                &url,
                "--family",
                family,
                "--model",
                model,
                "a much longer prompt about the sea and its tides",
            ],
            Some(anyint_sandbox::DEMO_KEY),
        )
        .await;
        assert!(
            short.status.success(),
            "{family}: {}",
            String::from_utf8_lossy(&short.stderr)
        );
        let n: u64 = String::from_utf8(short.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let m: u64 = String::from_utf8(long.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(m > n, "{family}: {m} > {n}");
    }
    let openai = run(
        &[
            "count-tokens",
            "--base-url",
            &url,
            "--family",
            "openai",
            "--model",
            "gpt-5",
            "hi",
        ],
        Some(anyint_sandbox::DEMO_KEY),
    )
    .await;
    assert!(!openai.status.success(), "OpenAI has no count route");
}

/// A gateway that echoes the presented key in its 401 (the sandbox never does): every command
/// that reports the gateway's words prints the masked key, never the key.
#[tokio::test]
async fn an_echoed_key_is_masked_on_stderr_and_stdout() {
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};
    // Test data, not a real key.
    const KEY: &str = "sk-test-cli-echoed-0123456789abcdef";
    let gateway = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|req: &Request| {
            let presented = ["x-api-key", "authorization"]
                .iter()
                .find_map(|h| req.headers.get(*h)?.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let message = format!("Invalid key {presented}");
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": {"message": message}}))
        })
        .mount(&gateway)
        .await;
    let url = gateway.uri();
    for command in [
        "models",
        "models --json",
        "chat --family openai --model m hi",
        "chat --family anthropic --model m --stream --raw hi",
        "count-tokens --family gemini --model m hi",
    ] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.splice(1..1, ["--base-url", url.as_str()]);
        let out = run(&args, Some(KEY)).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!all.contains(KEY), "{args:?} printed the key: {all}");
        assert!(
            all.contains("sk-…cdef"),
            "{args:?} showed no masked key: {all}"
        );
    }
}

/// A forwarding proxy as the gateway's only way in: wiremock answers the absolute-form
/// request a client sends to an HTTP proxy, for a host that does not resolve.
async fn proxy_serving_models() -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    let proxy = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("GET"))
        .and(path("/openai/v1/models"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "object": "list",
                "data": [{"id": "via-the-proxy", "object": "model", "created": 0, "owned_by": "t"}]
            })),
        )
        .mount(&proxy)
        .await;
    proxy
}

#[tokio::test]
async fn the_cli_uses_the_apps_proxy_setting_given_its_data_dir_and_the_environment_otherwise() {
    let proxy = proxy_serving_models().await;
    let hidden = "http://gateway.anyint-cli-test.invalid:8080";
    let dir = tempfile::tempdir().unwrap();
    let store = anyint_core::store::Store::open(dir.path()).unwrap();
    let mut settings = anyint_core::settings::Settings::default();
    settings.proxy.mode = anyint_core::settings::ProxyMode::Manual;
    settings.proxy.url = proxy.uri();
    store.save_app_settings(&settings, "t").unwrap();
    drop(store);
    let data_dir = dir.path().to_str().unwrap();

    let via_settings = run(
        &["--data-dir", data_dir, "models", "--base-url", hidden],
        Some("sk-cli-proxy"),
    )
    .await;
    assert!(
        via_settings.status.success(),
        "{}",
        String::from_utf8_lossy(&via_settings.stderr)
    );
    assert!(String::from_utf8_lossy(&via_settings.stdout).contains("via-the-proxy"));
    let seen = proxy.received_requests().await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].url.host_str(),
        Some("gateway.anyint-cli-test.invalid")
    );

    // No data dir: the environment's proxy; and with neither, the name does not resolve.
    let via_env = run_with(
        &["models", "--base-url", hidden],
        &[("HTTP_PROXY", &proxy.uri())],
    )
    .await;
    assert!(
        via_env.status.success(),
        "{}",
        String::from_utf8_lossy(&via_env.stderr)
    );
    let direct = run_with(&["models", "--base-url", hidden], &[]).await;
    assert!(!direct.status.success());
    assert!(String::from_utf8_lossy(&direct.stderr).contains("cannot reach"));
}

async fn run_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyint"));
    cmd.args(args)
        .env("ANYINT_API_KEY", "sk-cli-proxy")
        .env_remove("ANYINT_BASE_URL")
        .env_remove("ANYINT_DESK_DATA_DIR");
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}
