//! The Playground in the real window, on the app's own Sandbox: a streamed Anthropic reply
//! renders, Stop mid-stream keeps the partial text, a Gemini tool-call round trip completes,
//! the wire inspector shows the stream, and the history finds the turn after a restart.
//! Screenshots of each family's playground and of the inspector are saved as artifacts.

use crate::harness::App;
use fantoccini::key::Key;

/// Slow enough that Stop lands mid-stream, fast enough that a reply takes a few seconds.
const TOKEN_RATE: &str = "25";

async fn open_playground(app: &App) {
    app.click("#nav-playground").await;
    app.wait_css("#playground-screen").await;
    app.wait_css("#an-editor").await;
}

async fn wait_status(app: &App, status: &str) {
    app.wait_css(&format!("#pg-answer[data-status='{status}']"))
        .await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn stream_stop_tool_round_trip_and_history_after_a_restart() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().display().to_string();
    let env = [
        ("ANYINT_SANDBOX_TOKEN_RATE", TOKEN_RATE),
        ("ANYINT_DESK_DATA_DIR", dir.as_str()),
    ];
    let app = App::launch("playground", &env).await;
    open_playground(&app).await;

    // 1. A streamed Anthropic reply renders as it arrives, then completes with its figures.
    app.type_into("#an-msg-0-text-0", "Tell me about lighthouses")
        .await;
    app.type_into("#an-max-tokens", "60").await;
    app.click("#pg-send").await;
    app.wait_css("#pg-stop").await;
    app.wait_text("#pg-markdown", "streamed text", |t| !t.trim().is_empty())
        .await;
    wait_status(&app, "complete").await;
    let answer = app.text("#pg-markdown").await;
    assert!(answer.split_whitespace().count() > 5, "{answer}");
    assert!(!app.text("#pg-stat-ttft").await.contains('—'));
    assert_eq!(app.text("#pg-stat-finish").await, "end_turn");
    app.screenshot("playground-anthropic").await;

    // 2. The wire inspector: the request as sent (key masked) and the SSE timeline.
    app.click("#pg-view-wire").await;
    app.wait_css("#pg-wire").await;
    let wire = app.text("#pg-wire").await;
    assert!(wire.contains("message_stop"), "{wire}");
    assert!(wire.contains("sk-…demo") && !wire.contains("sk-sandbox-demo"));
    app.screenshot("playground-wire-inspector").await;
    app.click("#pg-view-answer").await;

    // 3. Stop mid-stream (Esc) keeps the partial text and says it was stopped.
    app.type_into("#an-msg-0-text-0", "Write a long story about the sea")
        .await;
    app.type_into("#an-max-tokens", "400").await;
    app.click("#pg-send").await;
    // The first answer stays on screen until the new one streams: wait for the new text.
    app.wait_text("#pg-markdown", "some streamed text", |t| {
        t != answer && t.split_whitespace().count() >= 3
    })
    .await;
    app.press(Key::Escape).await;
    wait_status(&app, "partial").await;
    let partial = app.text("#pg-markdown").await;
    assert!(!partial.trim().is_empty(), "the partial answer is kept");
    assert_eq!(
        app.attrs("#pg-failure", "data-code").await,
        vec!["stopped".to_owned()]
    );

    // 4. Gemini: a tool call, rebuilt from the stream, answered, and the follow-up completes.
    app.click("#pg-family-gemini").await;
    app.wait_css("#ge-editor").await;
    app.screenshot("playground-gemini").await;
    app.click("#ge-tab-raw").await;
    let body = serde_json::json!({
        "contents": [{"role": "user", "parts": [{"text": "What is the weather in Oslo?"}]}],
        "tools": [{"functionDeclarations": [{
            "name": "weather",
            "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
        }]}]
    });
    app.set_value("#ge-raw", &serde_json::to_string_pretty(&body).unwrap())
        .await;
    app.click("#pg-send").await;
    app.wait_css("#tool-results").await;
    wait_status(&app, "complete").await;
    app.type_into("#tool-result-0", r#"{"temperature": 4, "sky": "rain"}"#)
        .await;
    app.click("#tool-results-send").await;
    app.wait_text("#pg-markdown", "the follow-up answer", |t| {
        !t.trim().is_empty()
    })
    .await;
    wait_status(&app, "complete").await;
    app.wait_gone("#tool-results").await;
    app.screenshot("playground-gemini-tool-round-trip").await;

    // 5. The other two families' playgrounds, for the record.
    for (tab, editor, name) in [
        (
            "#pg-family-openai_chat",
            "#oa-editor",
            "playground-openai-chat",
        ),
        (
            "#pg-family-openai_responses",
            "#rs-editor",
            "playground-responses",
        ),
    ] {
        app.click(tab).await;
        app.wait_css(editor).await;
        app.screenshot(name).await;
    }
    let _ = app.close().await;

    // 6. After a restart, the history search finds the first turn.
    let app = App::launch("playground-restart", &env).await;
    open_playground(&app).await;
    app.type_into("#pg-history-search", "lighthouses").await;
    app.wait_css("#pg-history-hits button.hit").await;
    let hits = app
        .attrs("#pg-history-hits button.hit", "data-turn-id")
        .await;
    assert_eq!(hits.len(), 1, "one turn mentions lighthouses");
    app.click("#pg-history-hits button.hit").await;
    app.wait_css("#pg-turns li").await;
    app.screenshot("playground-history").await;
    let _ = app.close().await;
    drop(data_dir);
}
