use super::*;
use crate::store::TaskPatch;
use crate::tasks::center::{INTERRUPTED_SUBMIT, LOCAL_CANCEL};
use crate::tasks::state::{self, Moved};
use crate::tasks::view::{ArtifactState, TaskFilter};

#[tokio::test]
async fn the_row_exists_while_the_create_request_is_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let release = Arc::new(Notify::new());
    let double = Double::new(CreateMode::Gate(release.clone()));
    let sent = double.created.notified();
    let (c, d) = (center.clone(), double.clone());
    let submit = tokio::spawn(async move {
        let body = json!({"prompt": "night drive", "mv": "V4_5"});
        c.submit(&*d, &args("click-1", &body)).await
    });
    sent.await;
    let page = center.list(&TaskFilter::default()).unwrap();
    assert_eq!(page.total, 1, "no row while the create was being sent");
    assert_eq!(page.rows[0].state, TaskState::Submitting);
    assert_eq!(page.rows[0].gateway_task_id, None);
    release.notify_one();
    let row = submit.await.unwrap().unwrap();
    assert_eq!(row.state, TaskState::Queued);
    assert_eq!(row.gateway_task_id.as_deref(), Some("gw-1"));
    assert_eq!(row.model.as_deref(), Some("V4_5"));
    assert_eq!(row.label, "night drive");
    assert_eq!(row.family, "suno");
}

#[tokio::test]
async fn a_create_that_panics_still_leaves_the_row_which_start_marks_for_checking() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Panic);
    let (c, d) = (center.clone(), double.clone());
    let joined = tokio::spawn(async move {
        let body = json!({"prompt": "p"});
        c.submit(&*d, &args("click-1", &body)).await
    })
    .await;
    assert!(joined.is_err(), "the double should have panicked");
    // A restart on the same file: the row is there, still `submitting`.
    let again = center_in(dir.path());
    let page = again.list(&TaskFilter::default()).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].state, TaskState::Submitting);
    assert_eq!(again.reconcile_on_start().unwrap(), 1);
    let row = again.task(&page.rows[0].id).unwrap();
    assert_eq!(row.state, TaskState::Failed);
    assert_eq!(row.error.as_deref(), Some(INTERRUPTED_SUBMIT));
    // Reconciling never re-sends.
    assert_eq!(double.creates.load(Ordering::SeqCst), 1);
    assert_eq!(again.reconcile_on_start().unwrap(), 0);
}

#[tokio::test]
async fn the_same_submission_twice_makes_one_task_and_one_create() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let release = Arc::new(Notify::new());
    let double = Double::new(CreateMode::Gate(release.clone()));
    let body = json!({"prompt": "p"});
    let sent = double.created.notified();
    let (c, d, b) = (center.clone(), double.clone(), body.clone());
    let first = tokio::spawn(async move { c.submit(&*d, &args("click-1", &b)).await });
    sent.await;
    // The double click lands while the first create is still out.
    let second = center
        .submit(&*double, &args("click-1", &body))
        .await
        .unwrap();
    release.notify_one();
    let first = first.await.unwrap().unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(double.creates.load(Ordering::SeqCst), 1);
    // A re-run is a new submission on purpose.
    let rerun = SubmitArgs {
        rerun_of: Some(&first.id),
        ..args("click-2", &body)
    };
    let release2 = release.clone();
    let waiter = tokio::spawn(async move { release2.notify_one() });
    let third = center.submit(&*double, &rerun).await.unwrap();
    waiter.await.unwrap();
    assert_ne!(third.id, first.id);
    assert_eq!(third.rerun_of.as_deref(), Some(first.id.as_str()));
    assert_eq!(double.creates.load(Ordering::SeqCst), 2);
    assert_eq!(center.list(&TaskFilter::default()).unwrap().total, 2);
}

#[tokio::test]
async fn concurrent_transitions_from_one_state_have_exactly_one_winner() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let row = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    center.set_events(tx);
    let store = center.store().clone();
    let mut threads = Vec::new();
    for i in 0..8 {
        let (store, id) = (store.clone(), row.id.clone());
        threads.push(std::thread::spawn(move || {
            let to = if i % 2 == 0 {
                TaskState::Succeeded
            } else {
                TaskState::Failed
            };
            state::transition(
                &store,
                &id,
                TaskState::Queued,
                to,
                &TaskPatch::default(),
                "t",
            )
            .unwrap()
        }));
    }
    let won = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|m| matches!(m, Moved::Won(_)))
        .count();
    assert_eq!(won, 1);
    // Through the center too: a second finish loses, and only winners are reported.
    let finished = center.task(&row.id).unwrap().state;
    assert!(finished.is_terminal());
    assert!(!center
        .transition(
            &row.id,
            TaskState::Queued,
            TaskState::Failed,
            &TaskPatch::default()
        )
        .unwrap());
    assert!(!center
        .transition(&row.id, finished, TaskState::Running, &TaskPatch::default())
        .unwrap());
    assert!(
        rx.try_recv().is_err(),
        "a lost or refused move was reported"
    );
}

#[tokio::test]
async fn a_refused_create_fails_the_task_with_the_gateways_words() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Fail(failure(
        Some(400),
        "prompt too long",
        false,
    )));
    let row = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap();
    assert_eq!(row.state, TaskState::Failed);
    let error = row.error.unwrap();
    assert!(
        error.contains("HTTP 400") && error.contains("prompt too long"),
        "{error}"
    );
    let detail = center.detail(&row.id).unwrap();
    assert_eq!(detail.poll_count, 1);
    assert_eq!(detail.polls[0].http_status, Some(400));
    assert!(!detail.can_cancel);
}

#[tokio::test]
async fn a_sync_route_saves_its_inline_file_before_it_is_succeeded() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let png = b"\x89PNG fake image bytes";
    let double = Double::new(CreateMode::Finished(report(
        TaskState::Succeeded,
        vec![inline(png)],
    )));
    let body = json!({"prompt": "a red fox", "model": "gpt-image-1"});
    let row = center
        .submit(
            &*double,
            &SubmitArgs {
                route: "openai.images",
                ..args("s", &body)
            },
        )
        .await
        .unwrap();
    assert_eq!(row.state, TaskState::Succeeded);
    assert_eq!(row.artifact_count, 1);
    let art = &center.detail(&row.id).unwrap().artifacts[0];
    assert_eq!(art.state, ArtifactState::Saved);
    assert_eq!(art.sha256.as_deref(), Some(sha256_hex(png).as_str()));
    assert_eq!(art.size, Some(png.len() as u64));
    let path = std::path::PathBuf::from(art.path.clone().unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), png);
    assert!(path.starts_with(dir.path().join("artifacts")));
    assert!(art.file_name.ends_with(".png"), "{}", art.file_name);
}

#[tokio::test]
async fn cancel_is_local_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let row = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap();
    let cancelled = center.cancel(&row.id).unwrap();
    assert_eq!(cancelled.state, TaskState::Cancelled);
    assert_eq!(cancelled.error.as_deref(), Some(LOCAL_CANCEL));
    assert!(center.cancel(&row.id).is_err());
    assert!(center.cancel("task-none").is_err());
}

#[tokio::test]
async fn list_filters_lineage_and_notification_bookkeeping() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let song = center
        .submit(&*double, &args("a", &json!({"prompt": "Night drive"})))
        .await
        .unwrap();
    let body = json!({"prompt": "longer"});
    let extend = center
        .submit(
            &*double,
            &SubmitArgs {
                route: "suno.extend",
                parent_task_id: Some(&song.id),
                ..args("b", &body)
            },
        )
        .await
        .unwrap();
    let stems = center
        .submit(
            &*double,
            &SubmitArgs {
                route: "suno.stems",
                parent_task_id: Some(&extend.id),
                ..args("c", &json!({}))
            },
        )
        .await
        .unwrap();
    center
        .submit(
            &*double,
            &SubmitArgs {
                route: "dashscope.video",
                ..args("d", &json!({"input": {"prompt": "a 100% cat_video"}}))
            },
        )
        .await
        .unwrap();

    let by = |f: TaskFilter| center.list(&f).unwrap();
    assert_eq!(by(TaskFilter::default()).total, 4);
    let suno = by(TaskFilter {
        family: Some("suno".into()),
        ..TaskFilter::default()
    });
    assert_eq!(suno.total, 3);
    assert_eq!(suno.rows[0].id, stems.id, "newest first");
    let text = by(TaskFilter {
        text: Some("100% CAT_".into()),
        ..TaskFilter::default()
    });
    assert_eq!(text.total, 1, "% and _ are plain characters");
    let paged = by(TaskFilter {
        limit: 1,
        offset: 1,
        ..TaskFilter::default()
    });
    assert_eq!((paged.rows.len(), paged.total), (1, 4));

    let tree = center.lineage(&stems.id).unwrap();
    assert_eq!(tree.task.id, song.id);
    assert_eq!(tree.children.len(), 1);
    assert_eq!(tree.children[0].task.id, extend.id);
    assert_eq!(tree.children[0].children[0].task.id, stems.id);

    assert_eq!(center.running_count().unwrap(), 4);
    center.cancel(&song.id).unwrap();
    assert_eq!(
        by(TaskFilter {
            states: vec![TaskState::Cancelled],
            ..TaskFilter::default()
        })
        .total,
        1
    );
    assert_eq!(center.running_count().unwrap(), 3);
    let owed = center.unnotified_terminal_tasks().unwrap();
    assert_eq!(owed.len(), 1);
    assert!(center.mark_notified(&song.id).unwrap());
    assert!(!center.mark_notified(&song.id).unwrap(), "notified twice");
    assert!(
        !center.mark_notified(&extend.id).unwrap(),
        "not terminal yet"
    );
    assert!(center.unnotified_terminal_tasks().unwrap().is_empty());
}

#[test]
fn answers_are_kept_first_and_last_with_the_total_counted() {
    let store = Store::in_memory().unwrap();
    let body = json!({});
    let (row, _) = store
        .insert_task(&crate::store::NewTaskRow {
            id: "t1",
            submission_id: "s1",
            connection_id: "c",
            route: "suno.generate",
            family: "suno",
            model: None,
            label: "x",
            request: &body,
            parent_task_id: None,
            rerun_of: None,
            now: "t",
        })
        .unwrap();
    for i in 0..50 {
        let answer = json!({ "n": i });
        let poll = crate::store::NewPoll {
            at: "t",
            http_status: None,
            raw_status: Some("running"),
            state: Some(TaskState::Running),
            body: &answer,
            error: None,
        };
        store.record_task_poll(&row.id, &poll, 5, 20).unwrap();
    }
    let (polls, count) = store.task_polls(&row.id).unwrap();
    assert_eq!(count, 50);
    assert_eq!(polls.len(), 25);
    let seqs: Vec<u32> = polls.iter().map(|p| p.seq).collect();
    let expected: Vec<u32> = (0..5).chain(30..50).collect();
    assert_eq!(seqs, expected);
    assert_eq!(polls[24].body, json!({"n": 49}));
}
