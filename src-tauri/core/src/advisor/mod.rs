//! The model advisor (issue 11, what Smart Routing promises, done on the desktop from
//! evidence): for a workload and a few candidate models, run an evaluation set through the
//! workload's family, check each answer (contains, regex, JSON schema, exact), time it (p50/p95
//! TTFT and total) and cost it from the ledger and the price table, then recommend the
//! cheapest model that meets the user's bar, with the evidence. It never changes a workload:
//! making the pick the primary is the user's explicit `workload_save`. Built on `playground`,
//! `ledger` and `store`; no UI, no tauri.

mod check;
mod evalset;
mod pick;
mod run;

pub use check::{check_answer, CheckOutcome};
pub use evalset::parse_evalset;
pub use pick::percentile;
pub use run::{run, AdviseContext};

use crate::chat::ChatFamily;
use crate::fallback::Goal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most candidate models one run compares.
pub const MAX_MODELS: usize = 8;
/// The most cases one evaluation set holds (each is one request per model and repeat).
pub const MAX_CASES: usize = 500;
/// The most repeats of each case.
pub const MAX_REPEATS: u32 = 20;

/// How an answer is judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Check {
    /// The answer contains `value` (case-sensitive).
    Contains { value: String },
    /// The answer matches `pattern` somewhere (Rust `regex` syntax).
    Regex { pattern: String },
    /// The answer, parsed as JSON (a ```json fence around it is allowed), is valid against
    /// `schema`.
    JsonSchema {
        #[ts(type = "unknown")]
        schema: serde_json::Value,
    },
    /// The answer, trimmed, is exactly `value` trimmed.
    Exact { value: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvalCase {
    #[serde(default)]
    pub id: Option<String>,
    pub prompt: String,
    #[serde(default)]
    pub system: Option<String>,
    /// `None`: the case is timed and costed, not judged.
    #[serde(default)]
    pub check: Option<Check>,
}

/// An evaluation set: a JSON or TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvalSet {
    pub name: String,
    pub cases: Vec<EvalCase>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum EvalSetFormat {
    Json,
    Toml,
}

/// What a model must reach to be recommended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Bar {
    /// The share of checked cases that must pass, 0 to 1.
    pub min_pass_rate: f64,
    #[serde(default)]
    pub max_p95_total_ms: Option<f64>,
    #[serde(default)]
    pub max_p95_ttft_ms: Option<f64>,
}

impl Bar {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.min_pass_rate) {
            return Err("the minimum pass rate is between 0 and 1".into());
        }
        for (name, v) in [
            ("p95 total", self.max_p95_total_ms),
            ("p95 TTFT", self.max_p95_ttft_ms),
        ] {
            if let Some(v) = v {
                if !v.is_finite() || v <= 0.0 {
                    return Err(format!(
                        "the {name} limit is a number of milliseconds above 0"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdviseRequest {
    /// Chosen by the window, so it can stop the run.
    pub advise_id: String,
    pub workload: String,
    /// 1 to 8 candidate models, run through the workload's family.
    pub models: Vec<String>,
    pub evalset: EvalSet,
    pub bar: Bar,
    /// Each case runs this many times per model (at least 1): more runs, steadier latencies.
    pub repeats: u32,
}

impl AdviseRequest {
    pub fn validate(&self) -> Result<(), String> {
        if self.advise_id.trim().is_empty() {
            return Err("an advisor run needs an id".into());
        }
        if self.models.is_empty() || self.models.len() > MAX_MODELS {
            return Err(format!(
                "the advisor compares 1 to {MAX_MODELS} models, not {}",
                self.models.len()
            ));
        }
        if let Some(m) = self.models.iter().find(|m| !crate::fallback::model_ok(m)) {
            return Err(format!(
                "`{m}` is not a model ID (empty, or with spaces or control characters)"
            ));
        }
        for (i, m) in self.models.iter().enumerate() {
            if self.models[..i].contains(m) {
                return Err(format!("`{m}` is listed twice"));
            }
        }
        if self.repeats == 0 || self.repeats > MAX_REPEATS {
            return Err(format!("repeats are 1 to {MAX_REPEATS}"));
        }
        self.bar.validate()?;
        evalset::validate(&self.evalset)
    }
}

/// One case's result for one model (one repeat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseResult {
    pub case_index: u32,
    /// `None`: the case has no check.
    pub passed: Option<bool>,
    /// Why it failed the check (or what matched), for people.
    pub detail: Option<String>,
    pub answer: String,
    pub ttft_ms: Option<f64>,
    pub total_ms: f64,
    pub http_status: Option<u16>,
    pub error: Option<String>,
}

/// One candidate's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub model: String,
    pub passed: u32,
    /// Cases with a check (times repeats).
    pub checked: u32,
    /// `passed / checked`; 1 when nothing was checked.
    pub pass_rate: f64,
    pub ttft_p50_ms: Option<f64>,
    pub ttft_p95_ms: Option<f64>,
    pub total_p50_ms: f64,
    pub total_p95_ms: f64,
    /// What the run cost, from its ledger rows and the price table.
    pub cost: Option<f64>,
    pub cost_per_case: Option<f64>,
    pub currency: Option<String>,
    pub no_price: bool,
    pub meets_bar: bool,
    /// Why it does not meet the bar (or why it was not picked), for people.
    pub why_not: Option<String>,
    pub cases: Vec<CaseResult>,
}

/// The advisor's answer. It recommends; it never changes the workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    pub id: String,
    pub workload: String,
    pub goal: Goal,
    pub family: ChatFamily,
    pub evidence: Vec<Evidence>,
    /// `None` when no model meets the bar.
    pub recommended: Option<String>,
    pub reason: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub bar: Bar,
}

/// What the window hears while the advisor runs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AdviseEvent {
    Case {
        model: String,
        // Field by field: `rename_all` on an enum renames its variants only.
        #[serde(rename = "caseIndex")]
        case_index: u32,
        passed: Option<bool>,
        #[serde(rename = "totalMs")]
        total_ms: f64,
    },
    ModelDone {
        evidence: Box<Evidence>,
    },
}
