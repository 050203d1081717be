use super::*;

fn case(passed: Option<bool>, total: f64) -> CaseResult {
    CaseResult {
        case_index: 0,
        passed,
        detail: None,
        answer: String::new(),
        ttft_ms: Some(total / 2.0),
        total_ms: total,
        http_status: Some(200),
        error: None,
    }
}

fn evidence(model: &str, pass: bool, cost: Option<f64>, total: f64) -> Evidence {
    let bar = Bar {
        min_pass_rate: 1.0,
        max_p95_total_ms: None,
        max_p95_ttft_ms: None,
    };
    let mut e = evidence_of(model, &bar, &[], &[], vec![case(Some(pass), total)]);
    e.cost = cost;
    e.cost_per_case = cost;
    e.no_price = cost.is_none();
    e.currency = cost.map(|_| "USD".to_owned());
    e
}

#[test]
fn percentiles_by_nearest_rank() {
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    assert_eq!(percentile(&v, 50.0), Some(10.0));
    assert_eq!(percentile(&v, 95.0), Some(19.0));
    assert_eq!(percentile(&[7.0], 95.0), Some(7.0));
    assert_eq!(percentile(&[], 50.0), None);
}

#[test]
fn the_cheapest_model_meeting_the_bar_is_picked() {
    let mut ev = vec![
        evidence("big", true, Some(0.02), 100.0),
        evidence("small", true, Some(0.001), 300.0),
        evidence("broken", false, Some(0.0001), 50.0),
    ];
    let (pick, reason) = recommend(Goal::Quality, &mut ev);
    assert_eq!(pick.as_deref(), Some("small"));
    assert!(reason.contains("cheapest"), "{reason}");
    assert!(ev[0].why_not.as_deref().unwrap().contains("costs more"));
    assert!(ev[2].why_not.as_deref().unwrap().contains("below the bar"));
    assert!(!ev[2].meets_bar);
}

#[test]
fn without_prices_the_goal_decides_and_the_reason_says_so() {
    let mut ev = vec![
        evidence("slow", true, None, 300.0),
        evidence("fast", true, None, 100.0),
    ];
    let (pick, reason) = recommend(Goal::Latency, &mut ev);
    assert_eq!(pick.as_deref(), Some("fast"));
    assert!(reason.contains("cost is unknown"), "{reason}");
    assert!(reason.contains("latency"), "{reason}");
}

#[test]
fn nobody_meeting_the_bar_recommends_nothing() {
    let mut ev = vec![evidence("a", false, Some(1.0), 10.0)];
    let (pick, reason) = recommend(Goal::Cost, &mut ev);
    assert_eq!(pick, None);
    assert!(reason.contains("no model meets the bar"));
}

#[test]
fn a_latency_limit_is_part_of_the_bar() {
    let bar = Bar {
        min_pass_rate: 0.5,
        max_p95_total_ms: Some(150.0),
        max_p95_ttft_ms: None,
    };
    let e = evidence_of("m", &bar, &[], &[], vec![case(Some(true), 200.0)]);
    assert!(!e.meets_bar);
    assert!(e.why_not.unwrap().contains("p95 total 200 ms"));
}
