//! The model advisor through the `Desk` facade (issue 11) against the sandbox with seeded
//! answers (model A says "Paris", model B "Lyon"): when both pass the cheaper is picked; when
//! only the pricier passes it is picked; with no prices the reason says cost is unknown; every
//! request is in the ledger under the workload; the workload is never changed.

use anyint_core::advisor::{AdviseEvent, AdviseRequest, Bar, Check, EvalCase, EvalSet};
use anyint_core::chat::ChatFamily;
use anyint_core::fallback::{FallbackPolicy, Goal, Workload};
use anyint_core::ledger::{GroupBy, Price};
use anyint_core::Desk;
use anyint_sandbox::{AnswerRule, SandboxConfig};

fn rule(model: &str, contains: &str, text: &str) -> AnswerRule {
    AnswerRule {
        model: Some(model.into()),
        prompt_contains: contains.into(),
        text: text.into(),
    }
}

async fn desk(dir: &std::path::Path, rules: Vec<AnswerRule>) -> (Desk, anyint_sandbox::Sandbox) {
    let config = SandboxConfig {
        answer_rules: rules,
        ..SandboxConfig::default()
    };
    let (desk, sandbox) = crate::desk_on(dir, config).await;
    let workload = Workload {
        name: "extract".into(),
        family: ChatFamily::OpenAiChat,
        primary: "gpt-5".into(),
        fallback: None,
        goal: Goal::Quality,
        paid_tier: false,
        policy: FallbackPolicy::default(),
        notes: None,
    };
    desk.save_workload(workload).unwrap();
    (desk, sandbox)
}

fn price(model: &str, output_per_mtok: f64) -> Price {
    Price {
        model: model.into(),
        input_per_mtok: Some(1.0),
        output_per_mtok: Some(output_per_mtok),
        cached_input_per_mtok: None,
        per_image: None,
        per_video_second: None,
        per_song: None,
        currency: "USD".into(),
    }
}

fn request(id: &str) -> AdviseRequest {
    AdviseRequest {
        advise_id: id.into(),
        workload: "extract".into(),
        models: vec!["gpt-5".into(), "gpt-5-mini".into()],
        evalset: EvalSet {
            name: "capitals".into(),
            cases: vec![
                EvalCase {
                    id: Some("fr".into()),
                    prompt: "What is the capital of France?".into(),
                    system: None,
                    check: Some(Check::Contains {
                        value: "Paris".into(),
                    }),
                },
                EvalCase {
                    id: Some("json".into()),
                    prompt: "Give the capital of France as JSON.".into(),
                    system: None,
                    check: Some(Check::JsonSchema {
                        schema: serde_json::json!({"type": "object", "required": ["city"]}),
                    }),
                },
            ],
        },
        bar: Bar {
            min_pass_rate: 1.0,
            max_p95_total_ms: None,
            max_p95_ttft_ms: None,
        },
        repeats: 2,
    }
}

#[tokio::test]
async fn both_pass_so_the_cheaper_is_picked() {
    let dir = tempfile::tempdir().unwrap();
    let rules = vec![
        rule("gpt-5", "capital of France?", "Paris"),
        rule("gpt-5", "as JSON", r#"{"city": "Paris"}"#),
        rule("gpt-5-mini", "capital of France?", "It is Paris."),
        rule(
            "gpt-5-mini",
            "as JSON",
            "```json\n{\"city\": \"Paris\"}\n```",
        ),
    ];
    let (desk, _sandbox) = desk(dir.path(), rules).await;
    desk.save_price(price("gpt-5", 10.0)).unwrap();
    desk.save_price(price("gpt-5-mini", 2.0)).unwrap();
    let before = desk.workload("extract").unwrap();
    let mut events = Vec::new();
    let advice = desk
        .advise_run(request("both"), |e| events.push(e))
        .await
        .unwrap();
    assert_eq!(
        advice.recommended.as_deref(),
        Some("gpt-5-mini"),
        "{advice:#?}"
    );
    assert!(advice.reason.contains("cheapest"), "{}", advice.reason);
    let big = &advice.evidence[0];
    assert!(big.meets_bar);
    assert_eq!((big.passed, big.checked), (4, 4));
    assert!(big.why_not.as_deref().unwrap().contains("costs more"));
    let small = &advice.evidence[1];
    assert!(small.cost_per_case.unwrap() < big.cost_per_case.unwrap());
    assert!(small.total_p95_ms >= small.total_p50_ms);
    assert!(small.ttft_p50_ms.is_some());
    // 2 models x 2 cases x 2 repeats: events, ledger rows under the workload.
    let cases = events
        .iter()
        .filter(|e| matches!(e, AdviseEvent::Case { .. }))
        .count();
    assert_eq!(cases, 8);
    let rows: u32 = desk
        .usage_totals(GroupBy::Model)
        .unwrap()
        .iter()
        .map(|t| t.requests)
        .sum();
    assert_eq!(rows, 8);
    assert!(desk
        .usage_csv()
        .unwrap()
        .lines()
        .skip(1)
        .all(|l| l.contains(",extract,")));
    // Recommending is not switching.
    assert_eq!(desk.workload("extract").unwrap(), before);
    assert_eq!(desk.advice_list().unwrap()[0].id, "both");
    // Advice is kept by its id: a second run takes a new one.
    assert!(desk.advise_run(request("both"), |_| {}).await.is_err());
}

#[tokio::test]
async fn only_the_pricier_passes_so_it_is_picked() {
    let dir = tempfile::tempdir().unwrap();
    let rules = vec![
        rule("gpt-5", "capital of France?", "Paris"),
        rule("gpt-5", "as JSON", r#"{"city": "Paris"}"#),
        rule("gpt-5-mini", "capital of France?", "Lyon"),
        rule("gpt-5-mini", "as JSON", "city: Lyon"),
    ];
    let (desk, _sandbox) = desk(dir.path(), rules).await;
    desk.save_price(price("gpt-5", 10.0)).unwrap();
    desk.save_price(price("gpt-5-mini", 2.0)).unwrap();
    let advice = desk.advise_run(request("pricier"), |_| {}).await.unwrap();
    assert_eq!(advice.recommended.as_deref(), Some("gpt-5"), "{advice:#?}");
    let small = &advice.evidence[1];
    assert!(!small.meets_bar);
    assert_eq!(small.passed, 0);
    assert!(small.why_not.as_deref().unwrap().contains("below the bar"));
    let json_case = small.cases.iter().find(|c| c.case_index == 1).unwrap();
    assert!(json_case.detail.as_deref().unwrap().contains("is not JSON"));
}

#[tokio::test]
async fn without_prices_the_reason_says_cost_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let rules = vec![
        rule("gpt-5", "capital of France?", "Paris"),
        rule("gpt-5", "as JSON", r#"{"city": "Paris"}"#),
        rule("gpt-5-mini", "capital of France?", "Paris"),
        rule("gpt-5-mini", "as JSON", r#"{"city": "Paris"}"#),
    ];
    let (desk, _sandbox) = desk(dir.path(), rules).await;
    let advice = desk.advise_run(request("unpriced"), |_| {}).await.unwrap();
    assert!(advice.recommended.is_some());
    assert!(
        advice.reason.contains("cost is unknown"),
        "{}",
        advice.reason
    );
    assert!(advice.reason.contains("quality"), "{}", advice.reason);
    assert!(advice
        .evidence
        .iter()
        .all(|e| e.no_price && e.cost.is_none()));
}

#[tokio::test]
async fn a_bad_request_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path(), vec![]).await;
    let mut r = request("bad");
    r.models = vec![];
    assert!(desk.advise_run(r, |_| {}).await.is_err());
    let mut r = request("bad");
    r.workload = "nope".into();
    assert!(desk.advise_run(r, |_| {}).await.is_err());
    assert!(desk.usage_totals(GroupBy::Model).unwrap().is_empty());
}
