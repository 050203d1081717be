//! Poller tests on tokio's paused clock: the cadence and backoff are asserted on virtual time,
//! which only moves when every task is waiting, so the figures are exact and never flaky.

use super::*;
use crate::background::BackgroundWork;
use crate::tasks::poller::{PollerConfig, TaskPoller};
use crate::tasks::view::{ArtifactState, TaskTransition};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

fn fast() -> PollerConfig {
    PollerConfig::uniform(
        Duration::from_millis(100),
        Duration::from_millis(400),
        Duration::from_secs(600),
    )
}

fn start(center: &Arc<TaskCenter>, double: &Arc<Double>, config: PollerConfig) -> BackgroundWork {
    let work = BackgroundWork::new(tokio::runtime::Handle::current());
    TaskPoller::start(center.clone(), OneBackend(double.clone()), config, &work).unwrap();
    work
}

fn events(center: &TaskCenter) -> UnboundedReceiver<TaskTransition> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    center.set_events(tx);
    rx
}

/// The next transition into a terminal state, skipping the rest.
async fn next_terminal(rx: &mut UnboundedReceiver<TaskTransition>) -> TaskTransition {
    tokio::time::timeout(Duration::from_secs(3600), async {
        loop {
            let t = rx.recv().await.unwrap();
            if t.to.is_terminal() {
                return t;
            }
        }
    })
    .await
    .unwrap()
}

async fn submit(center: &TaskCenter, double: &Double, id: &str) -> String {
    center
        .submit(double, &args(id, &json!({"prompt": id})))
        .await
        .unwrap()
        .id
}

#[tokio::test(start_paused = true)]
async fn every_unfinished_task_is_resumed_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let mut ids = Vec::new();
    {
        // The first run submits and stops before polling anything.
        let before = center_in(dir.path());
        for i in 0..5 {
            ids.push(submit(&before, &double, &format!("s{i}")).await);
        }
    }
    let center = center_in(dir.path());
    let mut rx = events(&center);
    center.reconcile_on_start().unwrap();
    let work = start(&center, &double, fast());
    let mut finished = Vec::new();
    for _ in 0..5 {
        let t = next_terminal(&mut rx).await;
        assert_eq!(t.to, TaskState::Succeeded);
        finished.push(t.task_id);
    }
    finished.sort();
    ids.sort();
    assert_eq!(finished, ids);
    assert_eq!(
        double.creates.load(Ordering::SeqCst),
        5,
        "a resume re-sent a create"
    );
    assert_eq!(center.running_count().unwrap(), 0);
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_submit_while_running_is_picked_up_and_polls_slow_down() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let running = report(TaskState::Running, vec![]);
    let mut script = vec![Ok(running); 5];
    script.push(Ok(report(TaskState::Succeeded, vec![])));
    double.script_all(script);
    let center = center_in(dir.path());
    let mut rx = events(&center);
    let work = start(&center, &double, fast());
    let submitted = Instant::now();
    submit(&center, &double, "s").await;
    next_terminal(&mut rx).await;
    let times = double.polls_of("gw-1");
    assert_eq!(times.len(), 6);
    assert_eq!(times[0] - submitted, Duration::from_millis(100));
    let gaps: Vec<u128> = times
        .windows(2)
        .map(|w| (w[1] - w[0]).as_millis())
        .collect();
    // 100 ms, doubling, capped at 400 ms.
    assert_eq!(gaps, vec![200, 400, 400, 400, 400]);
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn throttling_and_5xx_back_off_honouring_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let throttled = BackendFailure {
        retry_after: Some(Duration::from_secs(7)),
        ..failure(Some(429), "slow down", true)
    };
    double.script_all(vec![
        Err(throttled),
        Err(failure(Some(503), "busy", true)),
        Err(failure(None, "connection reset", true)),
        Ok(report(TaskState::Succeeded, vec![])),
    ]);
    let center = center_in(dir.path());
    let mut rx = events(&center);
    let work = start(&center, &double, fast());
    let id = submit(&center, &double, "s").await;
    let done = next_terminal(&mut rx).await;
    assert_eq!(
        done.to,
        TaskState::Succeeded,
        "a retryable failure lost the task"
    );
    let times = double.polls_of("gw-1");
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps[0], Duration::from_secs(7), "Retry-After not honoured");
    // Then 100 ms doubled per failure in a row: 2 failures -> 400 ms, 3 -> 800 ms.
    assert_eq!(gaps[1], Duration::from_millis(400));
    assert_eq!(gaps[2], Duration::from_millis(800));
    let detail = center.detail(&id).unwrap();
    let statuses: Vec<Option<u16>> = detail.polls.iter().map(|p| p.http_status).collect();
    assert_eq!(statuses, vec![None, Some(429), Some(503), None, None]);
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_401_fails_the_task_at_once_and_is_never_retried() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    double.script_all(vec![Err(failure(Some(401), "invalid api key", false))]);
    let center = center_in(dir.path());
    let mut rx = events(&center);
    let work = start(&center, &double, fast());
    let id = submit(&center, &double, "s").await;
    let done = next_terminal(&mut rx).await;
    assert_eq!(done.to, TaskState::Failed);
    let error = done.error.unwrap();
    assert!(
        error.contains("HTTP 401") && error.contains("invalid api key"),
        "{error}"
    );
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(double.poll_count(), 1, "a 401 was retried");
    assert_eq!(center.task(&id).unwrap().state, TaskState::Failed);
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_task_with_no_final_status_by_its_deadline_fails_and_polls_stay_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    double.script_all(vec![Ok(report(TaskState::Running, vec![]))]);
    let center = center_in(dir.path());
    let mut rx = events(&center);
    let config = PollerConfig::uniform(
        Duration::from_millis(100),
        Duration::from_millis(200),
        Duration::from_secs(10),
    );
    let work = start(&center, &double, config);
    let id = submit(&center, &double, "s").await;
    let done = next_terminal(&mut rx).await;
    assert_eq!(done.to, TaskState::Failed);
    assert!(done.error.unwrap().contains("no final status"));
    let detail = center.detail(&id).unwrap();
    // About 10 s / 200 ms answers, of which the first 5 and last 20 are kept.
    assert!(detail.poll_count > 40, "{}", detail.poll_count);
    assert_eq!(detail.polls.len(), 25);
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn two_pollers_on_one_task_finish_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let store = Store::open(dir.path()).unwrap();
    let first = Arc::new(TaskCenter::new(store.clone(), dir.path().join("a")));
    let second = Arc::new(TaskCenter::new(store, dir.path().join("a")));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    first.set_events(tx.clone());
    second.set_events(tx);
    for i in 0..20 {
        submit(&first, &double, &format!("s{i}")).await;
    }
    let a = start(&first, &double, fast());
    let b = start(&second, &double, fast());
    tokio::time::sleep(Duration::from_secs(30)).await;
    a.stop().await;
    b.stop().await;
    let mut finished = HashMap::new();
    while let Ok(t) = rx.try_recv() {
        if t.to.is_terminal() {
            *finished.entry(t.task_id).or_insert(0) += 1;
        }
    }
    assert_eq!(finished.len(), 20);
    assert!(finished.values().all(|n| *n == 1), "{finished:?}");
}

#[tokio::test(start_paused = true)]
async fn partial_results_are_saved_before_the_task_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let first = inline(b"first song");
    let second = inline(b"second song");
    double.script_all(vec![
        Ok(report(TaskState::Partial, vec![first.clone()])),
        Ok(report(TaskState::Succeeded, vec![first, second])),
    ]);
    let center = center_in(dir.path());
    let mut rx = events(&center);
    let work = start(&center, &double, fast());
    let id = submit(&center, &double, "s").await;
    let partial = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let t = rx.recv().await.unwrap();
            if t.to == TaskState::Partial {
                return t;
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(partial.task_id, id);
    assert_eq!(next_terminal(&mut rx).await.to, TaskState::Succeeded);
    let arts = center.detail(&id).unwrap().artifacts;
    assert_eq!(arts.len(), 2, "the repeated first file was stored twice");
    assert!(arts.iter().all(|a| a.state == ArtifactState::Saved));
    assert_eq!(
        arts[1].sha256.as_deref(),
        Some(sha256_hex(b"second song").as_str())
    );
    work.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_global_rate_cap_spaces_polls_when_many_tasks_are_due() {
    let dir = tempfile::tempdir().unwrap();
    let double = Double::new(CreateMode::Task);
    let center = center_in(dir.path());
    for i in 0..10 {
        submit(&center, &double, &format!("s{i}")).await;
    }
    let mut rx = events(&center);
    let config = PollerConfig {
        max_polls_per_second: 4.0,
        ..fast()
    };
    let work = start(&center, &double, config);
    for _ in 0..10 {
        next_terminal(&mut rx).await;
    }
    let mut times: Vec<Instant> = double
        .poll_times
        .lock()
        .unwrap()
        .iter()
        .map(|(_, t)| *t)
        .collect();
    times.sort();
    assert_eq!(times.len(), 10);
    // All ten were due at once; they start 250 ms apart.
    for w in times.windows(2) {
        assert_eq!(w[1] - w[0], Duration::from_millis(250));
    }
    work.stop().await;
}
