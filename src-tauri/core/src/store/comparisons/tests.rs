use crate::advisor::{Advice, Bar};
use crate::chat::{ChatFamily, Usage};
use crate::compare::{CompareColumn, CompareRequest, CompareTarget, Comparison};
use crate::fallback::Goal;
use crate::playground::{RunStats, RunStatus};
use crate::store::Store;

fn column(model: &str, status: RunStatus) -> CompareColumn {
    CompareColumn {
        target: CompareTarget {
            family: ChatFamily::Anthropic,
            model: model.into(),
            rehearse_fault: None,
        },
        answered_by: model.into(),
        status,
        http_status: Some(200),
        text: format!("answer of {model}"),
        error: None,
        stats: RunStats {
            ttft_ms: Some(12.5),
            total_ms: 80.0,
            tokens_per_s: Some(40.0),
            ..RunStats::default()
        },
        usage: Usage {
            input_tokens: Some(10),
            output_tokens: Some(20),
            ..Usage::default()
        },
        cost: Some(0.25),
        currency: Some("USD".into()),
        no_price: false,
        fallback_note: None,
        kept: false,
        run_id: format!("run-{model}"),
    }
}

fn comparison(id: &str, at: &str) -> Comparison {
    Comparison {
        id: id.into(),
        title: format!("title {id}"),
        created_at: at.into(),
        request: CompareRequest {
            compare_id: id.into(),
            title: None,
            prompt: "What is the capital of France?".into(),
            system: Some("Be brief.".into()),
            max_tokens: Some(32),
            targets: vec![],
            workload: None,
        },
        columns: vec![
            column("a", RunStatus::Complete),
            column("b", RunStatus::Failed),
        ],
    }
}

#[test]
fn a_comparison_reads_back_whole_and_keeps_marks() {
    let store = Store::in_memory().unwrap();
    let c = comparison("c1", "2026-12-01T10:00:00Z");
    store.insert_comparison(&c).unwrap();
    assert_eq!(store.comparison("c1").unwrap().as_ref(), Some(&c));
    assert!(store.set_column_kept("c1", 1, true).unwrap());
    assert!(!store.set_column_kept("c1", 5, true).unwrap());
    let back = store.comparison("c1").unwrap().unwrap();
    assert!(!back.columns[0].kept);
    assert!(back.columns[1].kept);
    assert_eq!(back.columns[1].status, RunStatus::Failed);
}

#[test]
fn the_list_is_newest_first_with_counts_and_delete_removes_columns() {
    let store = Store::in_memory().unwrap();
    store
        .insert_comparison(&comparison("old", "2026-12-01T10:00:00Z"))
        .unwrap();
    store
        .insert_comparison(&comparison("new", "2026-12-01T11:00:00Z"))
        .unwrap();
    store.set_column_kept("new", 0, true).unwrap();
    let list = store.comparisons().unwrap();
    let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["new", "old"]);
    assert_eq!((list[0].columns, list[0].kept), (2, 1));
    assert_eq!(list[0].prompt_preview, "What is the capital of France?");
    assert!(store.delete_comparison("new").unwrap());
    assert!(!store.delete_comparison("new").unwrap());
    assert_eq!(store.comparison("new").unwrap(), None);
    let left: i64 = store
        .lock()
        .query_row(
            "SELECT COUNT(*) FROM comparison_columns WHERE comparison_id = 'new'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn advice_is_listed_newest_first() {
    let store = Store::in_memory().unwrap();
    for (id, at) in [
        ("a1", "2026-12-01T10:00:00Z"),
        ("a2", "2026-12-01T12:00:00Z"),
    ] {
        store
            .insert_advice(&Advice {
                id: id.into(),
                workload: "extract".into(),
                goal: Goal::Cost,
                family: ChatFamily::OpenAiChat,
                evidence: vec![],
                recommended: Some("m".into()),
                reason: "cheapest".into(),
                at: at.into(),
                bar: Bar {
                    min_pass_rate: 0.9,
                    max_p95_total_ms: None,
                    max_p95_ttft_ms: None,
                },
            })
            .unwrap();
    }
    let ids: Vec<String> = store
        .advice_list(10)
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, ["a2", "a1"]);
}
