//! Settings in the real window: a gateway whose host does not resolve is reachable only
//! through a forwarding proxy the test runs on loopback (it maps that name to a Sandbox the
//! test started). With the proxy set in Settings, "Test connection" passes every step and the
//! Models screen lists the gateway's models; with the proxy off the same request fails and the
//! test names the DNS step.

use crate::forward_proxy::ForwardProxy;
use crate::harness::App;
use std::collections::HashMap;
use std::time::Duration;

const HIDDEN: &str = "gateway.anyint-e2e-proxy.invalid:8080";

async fn wait_for(app: &App, what: &str, mut check: impl AsyncFnMut(&App) -> bool) {
    for _ in 0..150 {
        if check(app).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    app.screenshot(&format!("timeout-settings-{}", what.replace(' ', "-")))
        .await;
    panic!("timed out waiting for {what}");
}

/// Runs "Test connection" and waits for the report to say `ok` / `failed` (the failed step).
async fn test_report(app: &App, ok: &str, failed: &str) {
    app.click("#settings-test").await;
    wait_for(
        app,
        &format!("a test report ok={ok} failed={failed}"),
        async |app| {
            app.attrs("#settings-test-report", "data-ok").await == [ok]
                && app.attrs("#settings-test-report", "data-failed-step").await == [failed]
        },
    )
    .await;
}

async fn save(app: &App) {
    app.click("#settings-save").await;
    app.wait_css("#settings-saved").await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn a_manual_proxy_in_settings_reaches_a_gateway_that_direct_requests_cannot() {
    let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .expect("a sandbox for the hidden gateway");
    let upstream = sandbox
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .expect("the sandbox's address");
    let proxy = ForwardProxy::start(HashMap::from([(HIDDEN.to_owned(), upstream)]), None).await;

    // The hidden gateway takes the Sandbox's demo key, which the new connection gets from
    // ANYINT_API_KEY. No proxy variables: "direct" must really be direct.
    let app = App::launch(
        "settings",
        &[
            ("ANYINT_API_KEY", anyint_sandbox::DEMO_KEY),
            ("HTTP_PROXY", ""),
            ("HTTPS_PROXY", ""),
            ("ALL_PROXY", ""),
            ("http_proxy", ""),
            ("https_proxy", ""),
            ("all_proxy", ""),
        ],
    )
    .await;

    // 1. A connection to the hidden host, made active.
    app.click("#nav-connections").await;
    app.type_into("#connection-name", "Behind the proxy").await;
    app.type_into("#connection-base-url", &format!("http://{HIDDEN}"))
        .await;
    // The key comes from ANYINT_API_KEY (opted into), and the test's proxy speaks plain HTTP to a
    // host that is not loopback: the form asks for that to be confirmed.
    app.click("#connection-use-env-key").await;
    app.click("#connection-add").await;
    app.wait_css("#connection-insecure-confirm").await;
    app.click("#connection-insecure-confirm").await;
    app.wait_css("#connection-form-added").await;
    let ids = app
        .attrs(
            "#connections-table tr[data-connection-id]",
            "data-connection-id",
        )
        .await;
    let id = ids
        .into_iter()
        .find(|i| i != "sandbox")
        .expect("the new connection's row");
    app.click(&format!(
        "tr[data-connection-id='{id}'] button.use-connection"
    ))
    .await;
    wait_for(&app, "the hidden connection active", async |app| {
        app.attrs(&format!("tr[data-connection-id='{id}']"), "aria-current")
            .await
            == ["true"]
    })
    .await;

    // 2. Settings: a manual proxy, saved; "Test connection" goes through it.
    app.click("#nav-settings").await;
    app.wait_css("#settings-form").await;
    app.select("#settings-proxy-mode", "manual").await;
    app.type_into("#settings-proxy-url", &proxy.url()).await;
    save(&app).await;
    app.select("#settings-test-connection", &id).await;
    test_report(&app, "true", "").await;
    let via = app.text("#settings-test-report .route").await;
    assert!(via.contains(&proxy.url()), "{via}");
    app.screenshot("settings-proxy-test-ok").await;

    // 3. The Models screen asks the hidden gateway through the proxy.
    app.click("#nav-models").await;
    app.click("#models-refresh").await;
    let catalogue = anyint_sandbox::catalogue().len();
    wait_for(&app, "models through the proxy", async |app| {
        app.attrs("#models-table tr[data-model-id]", "data-model-id")
            .await
            .len()
            == catalogue
    })
    .await;
    let through: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.starts_with(&format!("GET http://{HIDDEN}/openai/v1/models")))
        .collect();
    assert!(through.len() >= 2, "the test and the listing: {through:?}");
    app.screenshot("settings-proxy-models").await;

    // 4. Proxy off: the same request fails, and the test names DNS.
    app.click("#nav-settings").await;
    app.wait_css("#settings-form").await;
    app.select("#settings-proxy-mode", "direct").await;
    save(&app).await;
    app.select("#settings-test-connection", &id).await;
    test_report(&app, "false", "dns").await;
    let summary = app.text("#settings-test-summary").await;
    assert_eq!(summary, "DNS failed");
    app.screenshot("settings-direct-dns-failed").await;
    let before = proxy.requests().len();
    app.click("#nav-models").await;
    app.click("#models-refresh").await;
    app.wait_css("#models-error").await;
    assert_eq!(
        proxy.requests().len(),
        before,
        "nothing went through the proxy"
    );
    app.screenshot("settings-direct-models-error").await;

    // 5. Settings persist across a restart of the window's data (read back from the backend).
    app.click("#nav-settings").await;
    wait_for(&app, "the saved mode", async |app| {
        app.attrs("#settings-proxy-mode option:checked", "value")
            .await
            == ["direct"]
    })
    .await;
    app.close().await;
}
