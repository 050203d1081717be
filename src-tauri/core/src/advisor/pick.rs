//! From measurements to advice: each model's evidence (pass rate, p50/p95 latencies, cost),
//! whether it meets the bar and why not, and the pick: the cheapest model meeting the bar among
//! those with a price; when none of them has one, the cost is unknown, so the workload's goal
//! decides, and the reason says so.

use super::{Bar, CaseResult, Evidence};
use crate::fallback::Goal;
use crate::ledger::Price;
use crate::playground::RunSummary;

/// The `p`th percentile (0-100) by nearest rank; `None` for no values.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

pub(super) fn evidence_of(
    model: &str,
    bar: &Bar,
    prices: &[Price],
    summaries: &[RunSummary],
    cases: Vec<CaseResult>,
) -> Evidence {
    let checked = cases.iter().filter(|c| c.passed.is_some()).count();
    let passed = cases.iter().filter(|c| c.passed == Some(true)).count();
    let pass_rate = if checked == 0 {
        1.0
    } else {
        passed as f64 / checked as f64
    };
    let ttfts: Vec<f64> = cases.iter().filter_map(|c| c.ttft_ms).collect();
    let totals: Vec<f64> = cases.iter().map(|c| c.total_ms).collect();
    // The cost of every request the model was sent, as the ledger holds them.
    let mut cost = Some(0.0);
    let mut currency: Option<String> = None;
    for s in summaries {
        match crate::compare::cost_of(prices, s) {
            Some((c, cur)) => {
                cost = cost.map(|sum| sum + c);
                match &currency {
                    None => currency = Some(cur),
                    Some(have) if *have != cur => currency = Some("mixed".into()),
                    Some(_) => {}
                }
            }
            None => cost = None,
        }
    }
    if summaries.is_empty() {
        cost = None;
    }
    let cost_per_case = cost.map(|c| c / summaries.len().max(1) as f64);
    let mut e = Evidence {
        model: model.to_owned(),
        passed: u32::try_from(passed).unwrap_or(u32::MAX),
        checked: u32::try_from(checked).unwrap_or(u32::MAX),
        pass_rate,
        ttft_p50_ms: percentile(&ttfts, 50.0),
        ttft_p95_ms: percentile(&ttfts, 95.0),
        total_p50_ms: percentile(&totals, 50.0).unwrap_or(0.0),
        total_p95_ms: percentile(&totals, 95.0).unwrap_or(0.0),
        no_price: cost.is_none(),
        cost,
        cost_per_case,
        currency: if cost.is_some() { currency } else { None },
        meets_bar: false,
        why_not: None,
        cases,
    };
    let misses = misses(bar, &e);
    e.meets_bar = misses.is_empty();
    if !misses.is_empty() {
        e.why_not = Some(misses.join("; "));
    }
    e
}

/// What keeps `e` below the bar, in words; empty when it meets it.
fn misses(bar: &Bar, e: &Evidence) -> Vec<String> {
    let mut out = Vec::new();
    if e.cases.is_empty() {
        out.push("no case ran".to_owned());
        return out;
    }
    let failed_requests = e.cases.iter().filter(|c| c.error.is_some()).count();
    if e.pass_rate + 1e-9 < bar.min_pass_rate {
        out.push(format!(
            "passed {} of {} checks ({:.0}%), below the bar of {:.0}%",
            e.passed,
            e.checked,
            e.pass_rate * 100.0,
            bar.min_pass_rate * 100.0
        ));
    }
    if let Some(max) = bar.max_p95_total_ms {
        if e.total_p95_ms > max {
            out.push(format!(
                "p95 total {:.0} ms is over the limit of {max:.0} ms",
                e.total_p95_ms
            ));
        }
    }
    if let Some(max) = bar.max_p95_ttft_ms {
        match e.ttft_p95_ms {
            Some(t) if t > max => out.push(format!(
                "p95 time to first token {t:.0} ms is over the limit of {max:.0} ms"
            )),
            None => out.push("no answer started, so no time to first token".to_owned()),
            Some(_) => {}
        }
    }
    if failed_requests > 0 && e.checked == 0 {
        out.push(format!("{failed_requests} request(s) failed"));
    }
    out
}

/// The recommended model and why; fills `why_not` for the ones that meet the bar but lose.
pub(super) fn recommend(goal: Goal, evidence: &mut [Evidence]) -> (Option<String>, String) {
    let meeting: Vec<usize> = (0..evidence.len())
        .filter(|&i| evidence[i].meets_bar)
        .collect();
    if meeting.is_empty() {
        return (
            None,
            "no model meets the bar; see each model's reasons".to_owned(),
        );
    }
    let priced: Vec<usize> = meeting
        .iter()
        .copied()
        .filter(|&i| evidence[i].cost_per_case.is_some())
        .collect();
    let (pick, reason) = if priced.is_empty() {
        let pick = by_goal(goal, evidence, &meeting);
        let e = &evidence[pick];
        let why = match goal {
            Goal::Quality => format!("the highest pass rate ({:.0}%)", e.pass_rate * 100.0),
            Goal::Latency | Goal::Cost => {
                format!("the lowest p95 total ({:.0} ms)", e.total_p95_ms)
            }
            Goal::Reliability => "the fewest failed requests".to_owned(),
        };
        let cost_note = if goal == Goal::Cost {
            " (the goal is cost, which is unknown, so latency decides)"
        } else {
            ""
        };
        (
            pick,
            format!(
                "{} meets the bar; cost is unknown (no model meeting it has a price), so it is picked by the workload's goal, {}{cost_note}: {why}",
                e.model,
                goal.as_str()
            ),
        )
    } else {
        let pick = priced
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let (ea, eb) = (&evidence[a], &evidence[b]);
                ea.cost_per_case
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&eb.cost_per_case.unwrap_or(f64::INFINITY))
                    .then(ea.total_p95_ms.total_cmp(&eb.total_p95_ms))
            })
            .unwrap_or(priced[0]);
        let e = &evidence[pick];
        let mut reason = format!(
            "{} is the cheapest model that meets the bar: {} per case, {:.0}% passed",
            e.model,
            money(e.cost_per_case, e.currency.as_deref()),
            e.pass_rate * 100.0
        );
        let unpriced: Vec<&str> = meeting
            .iter()
            .filter(|&&i| !priced.contains(&i))
            .map(|&i| evidence[i].model.as_str())
            .collect();
        if !unpriced.is_empty() {
            reason.push_str(&format!(
                "; {} also meet(s) the bar but have no price, so they were not compared on cost",
                unpriced.join(", ")
            ));
        }
        (pick, reason)
    };
    let chosen = evidence[pick].model.clone();
    let chosen_cost = evidence[pick].cost_per_case;
    let chosen_currency = evidence[pick].currency.clone();
    for &i in &meeting {
        if i == pick {
            continue;
        }
        let e = &mut evidence[i];
        e.why_not = Some(match (e.cost_per_case, chosen_cost) {
            (Some(c), Some(_)) => format!(
                "meets the bar but costs more: {} per case against {} for {chosen}",
                money(Some(c), e.currency.as_deref()),
                money(chosen_cost, chosen_currency.as_deref())
            ),
            (None, Some(_)) => "meets the bar but has no price to compare".to_owned(),
            _ => format!("meets the bar; {chosen} does better on the workload's goal"),
        });
    }
    (Some(chosen), reason)
}

fn by_goal(goal: Goal, evidence: &[Evidence], among: &[usize]) -> usize {
    let errors = |e: &Evidence| e.cases.iter().filter(|c| c.error.is_some()).count();
    among
        .iter()
        .copied()
        .min_by(|&a, &b| {
            let (ea, eb) = (&evidence[a], &evidence[b]);
            let latency = ea.total_p95_ms.total_cmp(&eb.total_p95_ms);
            match goal {
                Goal::Quality => eb.pass_rate.total_cmp(&ea.pass_rate).then(latency),
                Goal::Latency | Goal::Cost => latency.then(eb.pass_rate.total_cmp(&ea.pass_rate)),
                Goal::Reliability => errors(ea)
                    .cmp(&errors(eb))
                    .then(eb.pass_rate.total_cmp(&ea.pass_rate))
                    .then(latency),
            }
        })
        .unwrap_or(among[0])
}

fn money(amount: Option<f64>, currency: Option<&str>) -> String {
    match amount {
        Some(a) => format!("{a:.6} {}", currency.unwrap_or(""))
            .trim()
            .to_owned(),
        None => "no price".to_owned(),
    }
}

#[cfg(test)]
mod tests;
