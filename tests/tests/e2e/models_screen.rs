use crate::harness::App;
use fantoccini::Locator;
use std::collections::BTreeSet;

async fn shown_model_ids(app: &App) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for row in app
        .client
        .find_all(Locator::Css("#models-table tr[data-model-id]"))
        .await
        .expect("rows")
    {
        if let Some(id) = row.attr("data-model-id").await.expect("attr") {
            ids.insert(id);
        }
    }
    ids
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb, D-Bus and tauri-driver: run .dev/test-all"]
async fn models_screen_lists_the_sandbox_models_and_search_filters_them() {
    let app = App::launch("models", &[]).await;
    app.wait_css("#sandbox-badge").await;
    app.wait_css("#models-table tr[data-model-id]").await;

    let catalogue: BTreeSet<String> = anyint_sandbox::catalogue()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        shown_model_ids(&app).await,
        catalogue,
        "every Sandbox model is listed"
    );
    app.screenshot("models").await;

    let search = app.wait_css("#models-search").await;
    search.send_keys("claude").await.expect("type");
    // The filter is instant, but let the UI re-render before reading.
    let expected: BTreeSet<String> = catalogue
        .iter()
        .filter(|id| id.contains("claude"))
        .cloned()
        .collect();
    let mut shown = BTreeSet::new();
    for _ in 0..50 {
        shown = shown_model_ids(&app).await;
        if shown == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!expected.is_empty() && expected.len() < catalogue.len());
    assert_eq!(shown, expected, "search keeps only matching models");
    app.screenshot("models-search").await;
    assert!(
        app.data_dir.path().join("desk.sqlite3").exists(),
        "the app keeps its data in the dir it was given"
    );
    app.close().await;
}
