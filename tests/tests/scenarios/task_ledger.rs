//! Media and music tasks in the usage ledger (issue 11), through the `Desk` facade against the
//! sandbox: a created task is counted once (a repeated submission is not counted again), in
//! the units its price uses, costed where a per-image price is known and "no price" for the
//! song; grouped by team it lands under `(none)` (the sandbox key is not in the vault).

use anyint_core::ledger::{GroupBy, Price};
use anyint_core::tasks::view::TaskSubmit;
use serde_json::json;

fn submit(route: &str, body: serde_json::Value, submission: &str) -> TaskSubmit {
    TaskSubmit {
        connection_id: None,
        route: route.into(),
        body,
        label: None,
        submission_id: submission.into(),
        parent_task_id: None,
    }
}

#[tokio::test]
async fn created_tasks_are_counted_and_costed() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) =
        crate::desk_on(dir.path(), anyint_sandbox::SandboxConfig::default()).await;
    desk.save_price(Price {
        model: "nano-banana-2".into(),
        input_per_mtok: None,
        output_per_mtok: None,
        cached_input_per_mtok: None,
        per_image: Some(0.04),
        per_video_second: None,
        per_song: None,
        currency: "USD".into(),
    })
    .unwrap();
    let image = json!({"model": "nano-banana-2", "prompt": "a lighthouse at dawn", "n": 2,
                       "size": "1024x1024"});
    desk.tasks_submit(submit("openai.images", image.clone(), "img-1"))
        .await
        .unwrap();
    // The same submission again answers with the first task and sends nothing.
    desk.tasks_submit(submit("openai.images", image, "img-1"))
        .await
        .unwrap();
    let song = json!({"customMode": false, "instrumental": false, "model": "V4_5",
                      "prompt": "A night drive through neon rain",
                      "callBackUrl": "https://example.invalid/anyint-callback"});
    desk.tasks_submit(submit("suno.generate", song, "song-1"))
        .await
        .unwrap();

    let by_model = desk.usage_totals(GroupBy::Model).unwrap();
    let images = by_model
        .iter()
        .find(|t| t.group == "nano-banana-2")
        .unwrap();
    assert_eq!((images.tasks, images.task_units.images), (1, 2));
    assert!((images.cost.unwrap() - 0.08).abs() < 1e-12);
    assert_eq!(images.currency.as_deref(), Some("USD"));
    let songs = by_model.iter().find(|t| t.group == "V4_5").unwrap();
    assert_eq!((songs.tasks, songs.task_units.songs), (1, 1));
    assert_eq!(songs.cost, None);
    assert_eq!(songs.unpriced_models, vec!["V4_5".to_owned()]);

    let csv = desk.usage_csv().unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains(",task,")).count(),
        2,
        "{csv}"
    );
    assert!(csv.contains(",task,nano-banana-2,created,"), "{csv}");

    let by_team = desk.usage_totals(GroupBy::Team).unwrap();
    assert_eq!(by_team.len(), 1);
    assert_eq!(by_team[0].group, "(none)");
    assert_eq!(by_team[0].tasks, 2);
}
