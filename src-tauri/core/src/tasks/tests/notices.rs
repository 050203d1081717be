//! Exactly one notification per finished task, across a kill (`tasks::notices`): owed from the
//! terminal transition on, claimed once per process, owed again after a kill before it was
//! marked shown, never again after.

use super::*;

async fn finished_song(center: &TaskCenter, click: &str) -> String {
    let double = Double::new(CreateMode::Finished(report(TaskState::Succeeded, vec![])));
    let body = json!({"prompt": "night drive"});
    center
        .submit(&*double, &args(click, &body))
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_notice_is_owed_from_the_terminal_transition_and_claimed_once_until_shown() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    // Not terminal yet: nothing owed, nothing to claim.
    let running = Double::new(CreateMode::Task);
    let queued = center
        .submit(&*running, &args("q", &json!({"prompt": "p"})))
        .await
        .unwrap();
    assert!(!center.claim_notice(&queued.id).unwrap());

    let id = finished_song(&center, "s").await;
    assert_eq!(center.unnotified_terminal_tasks().unwrap().len(), 1);
    // The transition's own event and the start-up sweep race: one of them shows it.
    assert!(center.claim_notice(&id).unwrap());
    assert!(
        !center.claim_notice(&id).unwrap(),
        "claimed twice in one process"
    );
    // Showing failed: still owed, and claimable again.
    center.release_notice(&id);
    assert!(center.claim_notice(&id).unwrap());
    assert!(center.mark_notified(&id).unwrap());
    assert!(
        !center.claim_notice(&id).unwrap(),
        "shown, then claimed again"
    );
    assert!(center.unnotified_terminal_tasks().unwrap().is_empty());
}

#[tokio::test]
async fn a_kill_between_claim_and_shown_leaves_it_owed_once_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let (claimed, shown) = {
        let center = center_in(dir.path());
        let claimed = finished_song(&center, "a").await;
        let shown = finished_song(&center, "b").await;
        // `claimed` was being shown when the app was killed; `shown` made it to the screen.
        assert!(center.claim_notice(&claimed).unwrap());
        assert!(center.claim_notice(&shown).unwrap());
        assert!(center.mark_notified(&shown).unwrap());
        (claimed, shown)
    };
    // The next start: a new process, the same database.
    let center = center_in(dir.path());
    let owed: Vec<String> = center
        .unnotified_terminal_tasks()
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(owed, std::slice::from_ref(&claimed));
    assert!(center.claim_notice(&claimed).unwrap());
    assert!(!center.claim_notice(&shown).unwrap());
    assert!(center.mark_notified(&claimed).unwrap());
    let again = center_in(dir.path());
    assert!(again.unnotified_terminal_tasks().unwrap().is_empty());
    assert!(!again.claim_notice(&claimed).unwrap());
}

/// Not a notice test: the price table applied through the center's list and page
/// (`tasks::cost`), kept here to share the helpers.
#[tokio::test]
async fn a_finished_tasks_cost_comes_from_its_models_price_or_says_no_price() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let images = vec![inline(b"one"), inline(b"two")];
    let double = Double::new(CreateMode::Finished(report(TaskState::Succeeded, images)));
    let body = json!({"prompt": "two foxes", "model": "img-1"});
    let priced = center.submit(&*double, &args("a", &body)).await.unwrap();
    let other = json!({"prompt": "a fox", "model": "unpriced"});
    let unpriced = center.submit(&*double, &args("b", &other)).await.unwrap();
    let price = crate::ledger::Price {
        model: "img-1".into(),
        input_per_mtok: None,
        output_per_mtok: None,
        cached_input_per_mtok: None,
        per_image: Some(0.25),
        per_video_second: None,
        per_song: None,
        currency: "EUR".into(),
    };
    center
        .store()
        .upsert_price(&price, "2026-01-01T00:00:00Z")
        .unwrap();
    let page = center
        .list(&crate::tasks::view::TaskFilter::default())
        .unwrap();
    let cost_of = |id: &str| page.rows.iter().find(|r| r.id == id).unwrap().cost.clone();
    let cost = cost_of(&priced.id).unwrap();
    assert!((cost.amount - 0.5).abs() < 1e-9);
    assert_eq!(cost.unit, "EUR");
    assert_eq!(cost.basis, "2 images × 0.25 EUR");
    assert_eq!(cost_of(&unpriced.id), None);
    assert_eq!(center.detail(&priced.id).unwrap().task.cost, Some(cost));
}
