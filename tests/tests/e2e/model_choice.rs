//! Model choice in the real window, on the app's own Sandbox: a workload made on the Choice
//! screen, a playground send under it with a rehearsed 503 so its fallback answers (the note
//! "answered by X after Y failed" above the answer), the fallback in the log, and the usage
//! ledger's totals with a price and a chart drawn from them. Screenshots: choice-workloads,
//! choice-playground-fallback, choice-fallback-log, choice-usage-chart.

use crate::harness::App;

/// Counts the chart's painted pixels: a canvas Chart.js drew on has some, a blank one none.
const PAINTED_PIXELS: &str = "const c = document.querySelector('#usage-chart canvas');
     if (!c || !c.width || !c.height) return 0;
     const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
     let n = 0;
     for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
     return n;";

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn workload_fallback_on_a_rehearsed_503_and_the_usage_chart() {
    let app = App::launch("model-choice", &[]).await;

    // 1. A workload, made in the editor: Anthropic, Sonnet first, Haiku as the fallback.
    app.click("#nav-choice").await;
    app.wait_css("#choice-screen").await;
    app.click("#wl-new").await;
    app.type_into("#wl-name", "chat").await;
    app.select("#wl-family", "anthropic").await;
    app.type_into("#wl-primary", "claude-sonnet-4-6").await;
    app.type_into("#wl-fallback", "claude-haiku-4-5").await;
    app.click("#wl-save").await;
    app.wait_css("#wl-list [data-workload='chat']").await;
    // The dry run for a 503 (the form's default) says what the live run will do.
    app.click("#wl-try-chat").await;
    app.click("#dry-go").await;
    app.wait_css("#dry-steps li[data-action='fallBack']").await;
    app.screenshot("choice-workloads").await;

    // 2. The playground under the workload, the Sandbox answering 503 for the primary.
    app.click("#nav-playground").await;
    app.wait_css("#an-editor").await;
    app.wait_css("#pg-workload option[value='chat']").await;
    app.select("#pg-workload", "chat").await;
    app.wait_css("#pg-workload-policy").await;
    app.select("#pg-rehearse", "maintenance").await;
    app.type_into("#an-msg-0-text-0", "Name three lighthouses")
        .await;
    app.type_into("#an-max-tokens", "60").await;
    app.click("#pg-send").await;
    app.wait_css("#pg-answer[data-status='complete']").await;
    let note = app
        .wait_text("#pg-fallback-note", "the fallback note", |t| {
            t.contains("answered by")
        })
        .await;
    assert!(
        note.contains("answered by claude-haiku-4-5 after claude-sonnet-4-6 failed: 503"),
        "{note}"
    );
    assert_eq!(
        app.attrs("#pg-attempts li", "data-model").await,
        vec![
            "claude-sonnet-4-6".to_owned(),
            "claude-haiku-4-5".to_owned()
        ]
    );
    app.wait_text("#pg-markdown", "the fallback's answer", |t| {
        !t.trim().is_empty()
    })
    .await;
    app.screenshot("choice-playground-fallback").await;

    // 3. The fallback is in the log.
    app.click("#nav-choice").await;
    app.click("#choice-tab-fallback-log").await;
    app.wait_css("#fallback-log tr[data-id]").await;
    let row = app.text("#fallback-log tr[data-id]").await;
    assert!(
        row.contains("chat") && row.contains("claude-haiku-4-5") && row.contains("503"),
        "{row}"
    );
    app.screenshot("choice-fallback-log").await;

    // 4. Usage: both attempts are in the ledger; a price for the fallback costs its row; the
    //    chart draws the totals.
    app.click("#choice-tab-usage").await;
    app.wait_css("#usage-table tr[data-group]").await;
    app.click("#usage-group-model").await;
    app.wait_css("#usage-table tr[data-group='claude-haiku-4-5']")
        .await;
    app.wait_css("#usage-table tr[data-group='claude-sonnet-4-6']")
        .await;
    app.type_into("#price-model", "claude-haiku-4-5").await;
    app.type_into("#price-input", "1").await;
    app.type_into("#price-output", "5").await;
    app.click("#price-save").await;
    app.wait_css("#price-list tr[data-model='claude-haiku-4-5']")
        .await;
    let cost = app
        .wait_text(
            "#usage-table tr[data-group='claude-haiku-4-5'] td:last-child",
            "a cost",
            |t| t.contains("USD"),
        )
        .await;
    assert!(!cost.contains("no price"), "{cost}");
    let unpriced = app
        .text("#usage-table tr[data-group='claude-sonnet-4-6'] td:last-child")
        .await;
    assert!(unpriced.contains("no price"), "{unpriced}");
    app.wait_css("#usage-chart[data-drawn='true'] canvas").await;
    assert_eq!(
        app.attrs("#usage-chart", "data-points").await,
        vec!["2".to_owned()]
    );
    let mut painted = 0;
    for _ in 0..50 {
        painted = app
            .client
            .execute(PAINTED_PIXELS, vec![])
            .await
            .expect("read the canvas")
            .as_u64()
            .unwrap_or(0);
        if painted > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(painted > 0, "the chart drew on its canvas");
    app.screenshot("choice-usage-chart").await;

    // 5. The ledger as CSV: saved into Downloads (the path is shown), and copied.
    app.click("#usage-csv-save").await;
    let note = app
        .wait_text("#usage-note", "where the CSV went", |t| {
            t.starts_with("Saved as ")
        })
        .await;
    let path = note.trim_start_matches("Saved as ").trim();
    let csv = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(csv.starts_with("at,"), "{csv}");
    assert_eq!(
        csv.lines().filter(|l| l.contains("claude-")).count(),
        2,
        "one row per attempt: {csv}"
    );
    app.click("#usage-csv-copy").await;
    app.wait_text("#usage-note", "the copy confirmed", |t| {
        t.contains("on the clipboard")
    })
    .await;
    let _ = app.close().await;
}
