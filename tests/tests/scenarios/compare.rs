//! Compare through the `Desk` facade (issue 11) against the sandbox: four models across three
//! families in one comparison, each column ending with its stats and usage, a cost where a price
//! is known and "no price" elsewhere, every request in the ledger; a column failing under a
//! rehearsed fault while the others finish; Stop keeping the partial answers; keep marks saved.

use anyint_core::chat::ChatFamily;
use anyint_core::compare::{CompareEvent, CompareRequest, CompareTarget};
use anyint_core::ledger::{GroupBy, Price};
use anyint_core::playground::RunStatus;
use anyint_core::Desk;
use anyint_sandbox::SandboxConfig;
use std::time::Duration;

async fn desk(dir: &std::path::Path, config: SandboxConfig) -> (Desk, anyint_sandbox::Sandbox) {
    crate::desk_on(dir, config).await
}

fn target(family: ChatFamily, model: &str) -> CompareTarget {
    CompareTarget {
        family,
        model: model.into(),
        rehearse_fault: None,
    }
}

fn request(id: &str, targets: Vec<CompareTarget>) -> CompareRequest {
    CompareRequest {
        compare_id: id.into(),
        title: None,
        prompt: "Explain what a gateway does.".into(),
        system: Some("Be brief.".into()),
        max_tokens: Some(24),
        targets,
        workload: None,
    }
}

fn price(model: &str) -> Price {
    Price {
        model: model.into(),
        input_per_mtok: Some(1.0),
        output_per_mtok: Some(4.0),
        cached_input_per_mtok: None,
        per_image: None,
        per_video_second: None,
        per_song: None,
        currency: "USD".into(),
    }
}

#[tokio::test]
async fn four_models_across_three_families_each_end_with_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path(), SandboxConfig::default()).await;
    desk.save_price(price("gpt-5")).unwrap();
    let targets = vec![
        target(ChatFamily::OpenAiChat, "gpt-5"),
        target(ChatFamily::OpenAiResponses, "gpt-5-mini"),
        target(ChatFamily::Anthropic, "claude-sonnet-4-6"),
        target(ChatFamily::Gemini, "gemini-2.0-flash"),
    ];
    let mut events = Vec::new();
    let c = desk
        .compare_run(request("four", targets.clone()), |e| events.push(e))
        .await
        .unwrap();
    assert_eq!(c.columns.len(), 4);
    for (col, t) in c.columns.iter().zip(&targets) {
        assert_eq!(&col.target, t);
        assert_eq!(col.status, RunStatus::Complete, "{col:?}");
        assert_eq!(col.http_status, Some(200));
        assert!(!col.text.is_empty(), "{col:?}");
        assert!(col.stats.ttft_ms.is_some(), "{col:?}");
        assert!(col.stats.total_ms > 0.0);
        assert!(col.usage.output_tokens.unwrap_or(0) > 0, "{col:?}");
        assert_eq!(col.answered_by, t.model);
    }
    // gpt-5 has a price; the others say "no price".
    assert!(c.columns[0].cost.unwrap() > 0.0);
    assert_eq!(c.columns[0].currency.as_deref(), Some("USD"));
    assert!(!c.columns[0].no_price);
    assert!(c.columns[1..]
        .iter()
        .all(|c| c.no_price && c.cost.is_none()));

    // Every column started, its text arrived in `text` events adding up to its answer, and it
    // finished once.
    for i in 0..4u32 {
        assert!(events
            .iter()
            .any(|e| matches!(e, CompareEvent::Started { column, .. } if *column == i)));
        let streamed: String = events
            .iter()
            .filter_map(|e| match e {
                CompareEvent::Text { column, text } if *column == i => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(streamed, c.columns[i as usize].text);
        let finished = events
            .iter()
            .filter(|e| matches!(e, CompareEvent::Finished { column, .. } if *column == i))
            .count();
        assert_eq!(finished, 1);
    }

    // Saved with its request, listed, and every request is in the ledger.
    let saved = desk.comparison("four").unwrap();
    assert_eq!(saved, c);
    let list = desk.comparisons().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].columns, 4);
    let by_model = desk.usage_totals(GroupBy::Model).unwrap();
    assert_eq!(by_model.iter().map(|t| t.requests).sum::<u32>(), 4);
    // A re-run takes a new id.
    let again = desk.compare_run(request("four", targets), |_| {}).await;
    assert!(again.is_err());
}

#[tokio::test]
async fn a_fast_column_finishes_before_a_slow_one_ends() {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        drip_interval: Duration::from_millis(2),
        ..SandboxConfig::default()
    };
    let (desk, _sandbox) = desk(dir.path(), config).await;
    // The slow column drips its body (the `slow` fault, seconds long); the other streams at
    // full speed (milliseconds).
    let mut slow = target(ChatFamily::Anthropic, "claude-sonnet-4-6");
    slow.rehearse_fault = Some("slow".into());
    let targets = vec![target(ChatFamily::OpenAiChat, "gpt-5"), slow];
    let mut order = Vec::new();
    let c = desk
        .compare_run(request("fast-first", targets), |e| {
            if let CompareEvent::Finished { column, .. } = e {
                order.push(column);
            }
        })
        .await
        .unwrap();
    assert_eq!(order, vec![0, 1]);
    assert!(c.columns.iter().all(|c| c.status == RunStatus::Complete));
}

#[tokio::test]
async fn a_failing_column_does_not_fail_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path(), SandboxConfig::default()).await;
    let mut failing = target(ChatFamily::Anthropic, "claude-sonnet-4-6");
    failing.rehearse_fault = Some("maintenance".into());
    let targets = vec![
        target(ChatFamily::OpenAiChat, "gpt-5"),
        failing,
        target(ChatFamily::Gemini, "gemini-2.0-flash"),
    ];
    let c = desk
        .compare_run(request("one-fails", targets), |_| {})
        .await
        .unwrap();
    assert_eq!(c.columns[0].status, RunStatus::Complete);
    assert_eq!(c.columns[2].status, RunStatus::Complete);
    let bad = &c.columns[1];
    assert_eq!(bad.status, RunStatus::Failed);
    assert_eq!(bad.http_status, Some(503));
    assert!(bad.error.is_some());
    assert!(bad.text.is_empty());
    // The failed request is in the ledger too.
    let by_model = desk.usage_totals(GroupBy::Model).unwrap();
    let claude = by_model
        .iter()
        .find(|t| t.group == "claude-sonnet-4-6")
        .unwrap();
    assert_eq!((claude.requests, claude.failed), (1, 1));

    // Keep marks persist.
    let kept = desk.comparison_keep("one-fails", 2, true).unwrap();
    assert!(kept.columns[2].kept);
    assert!(desk.comparison("one-fails").unwrap().columns[2].kept);
    assert_eq!(desk.comparisons().unwrap()[0].kept, 1);
    assert!(desk.comparison_keep("one-fails", 7, true).is_err());
    assert!(desk.comparison_delete("one-fails").unwrap());
    assert!(desk.comparison("one-fails").is_err());
}

#[tokio::test]
async fn stop_ends_every_column_and_keeps_the_partial_answers() {
    let dir = tempfile::tempdir().unwrap();
    // Slow enough that Stop lands mid-answer.
    let config = SandboxConfig {
        token_rate: Some(40.0),
        default_reply_tokens: 400,
        ..SandboxConfig::default()
    };
    let (desk, _sandbox) = desk(dir.path(), config).await;
    let targets = vec![
        target(ChatFamily::OpenAiChat, "gpt-5"),
        target(ChatFamily::Anthropic, "claude-sonnet-4-6"),
    ];
    let mut req = request("stopped", targets);
    req.max_tokens = Some(400);
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
    let run = desk.compare_run(req, move |e| {
        if let CompareEvent::Text { column, .. } = e {
            let _ = seen_tx.send(column);
        }
    });
    let stopper = async {
        // Both columns have said something, then Stop.
        let mut seen = [false; 2];
        while let Some(c) = seen_rx.recv().await {
            seen[c as usize] = true;
            if seen == [true, true] {
                break;
            }
        }
        assert!(desk.compare_stop("stopped"));
    };
    let (c, ()) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(run, stopper)
    })
    .await
    .unwrap();
    let c = c.unwrap();
    for col in &c.columns {
        assert_eq!(col.status, RunStatus::Partial, "{col:?}");
        assert!(!col.text.is_empty());
    }
    assert!(!desk.compare_stop("stopped"));
    assert_eq!(desk.comparison("stopped").unwrap().columns.len(), 2);
}

#[tokio::test]
async fn under_a_workload_a_failing_column_falls_back_and_says_so() {
    use anyint_core::fallback::{FallbackPolicy, Goal, Workload};
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path(), SandboxConfig::default()).await;
    desk.save_workload(Workload {
        name: "chat".into(),
        family: ChatFamily::OpenAiChat,
        primary: "gpt-5".into(),
        fallback: Some("gpt-5-mini".into()),
        goal: Goal::Cost,
        paid_tier: false,
        policy: FallbackPolicy::default(),
        notes: None,
    })
    .unwrap();
    let mut failing = target(ChatFamily::OpenAiChat, "gpt-5");
    failing.rehearse_fault = Some("maintenance".into());
    let targets = vec![
        failing,
        target(ChatFamily::OpenAiChat, "gpt-5.5"),
        // Another family than the workload's: refused, as a fallback keeps the family.
        target(ChatFamily::Anthropic, "claude-sonnet-4-6"),
    ];
    let mut req = request("under-chat", targets);
    req.workload = Some("chat".into());
    let mut notes = Vec::new();
    let c = desk
        .compare_run(req, |e| {
            if let CompareEvent::Fallback { column, note } = e {
                notes.push((column, note));
            }
        })
        .await
        .unwrap();
    let fell = &c.columns[0];
    assert_eq!(fell.status, RunStatus::Complete, "{fell:?}");
    assert_eq!(fell.answered_by, "gpt-5-mini");
    let line = "answered by gpt-5-mini after gpt-5 failed: 503";
    assert_eq!(fell.fallback_note.as_deref(), Some(line));
    assert_eq!(notes, vec![(0, line.to_owned())]);
    assert_eq!(c.columns[1].answered_by, "gpt-5.5");
    assert_eq!(c.columns[1].fallback_note, None);
    let refused = &c.columns[2];
    assert_eq!(refused.status, RunStatus::Failed);
    assert!(
        refused.error.as_deref().unwrap().contains("family"),
        "{refused:?}"
    );
    // Each attempt is a ledger row under the workload, and the fallback is logged.
    assert_eq!(desk.fallback_log(10).unwrap().len(), 1);
    let csv = desk.usage_csv().unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains(",chat,")).count(),
        3,
        "{csv}"
    );
}

#[tokio::test]
async fn eight_columns_complete_and_their_text_is_batched() {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        default_reply_tokens: 400,
        ..SandboxConfig::default()
    };
    let (desk, _sandbox) = desk(dir.path(), config).await;
    let families = [
        ChatFamily::OpenAiChat,
        ChatFamily::OpenAiResponses,
        ChatFamily::Anthropic,
        ChatFamily::Gemini,
    ];
    let models = [
        "gpt-5",
        "gpt-5-mini",
        "claude-sonnet-4-6",
        "gemini-2.0-flash",
    ];
    let targets: Vec<CompareTarget> = (0..8)
        .map(|i| target(families[i % 4], models[i % 4]))
        .collect();
    let mut req = request("eight", targets);
    req.max_tokens = Some(400);
    let mut text_events = 0usize;
    let started = std::time::Instant::now();
    let c = desk
        .compare_run(req, |e| {
            if matches!(e, CompareEvent::Text { .. }) {
                text_events += 1;
            }
        })
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(c.columns.len(), 8);
    assert!(c.columns.iter().all(|c| c.status == RunStatus::Complete));
    let deltas: u64 = c
        .columns
        .iter()
        .map(|c| c.usage.output_tokens.unwrap_or(0))
        .sum();
    // A figure, not an assert on time: how many window messages carried the answers.
    eprintln!(
        "8 columns: {deltas} output tokens in {text_events} text events, {:.0} ms",
        took.as_secs_f64() * 1000.0
    );
    assert!(text_events >= 8, "every column's text arrived");
}
