//! The usage ledger: one row per request the playground sent (a retry or a fallback is its own
//! row) with its usage, latency, status, model, family, connection, workload and the key's
//! fingerprint (never the key); totals per key, model and day; CSV export; and the price table
//! the user edits, since no API publishes prices (contract §7.5): a cost is shown where every
//! model involved has a price, and "no price" names the ones that do not. Media and music
//! tasks are counted when created (`tasks`), in the units their prices use.
//! Built on `store`; no UI, no tauri.

mod tasks;

pub use tasks::{task_cost, units_of, TaskUnits, TaskUsageEntry};

use crate::chat::{ChatFamily, Usage};
use crate::playground::{RunStatus, RunSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A row to append, built from a run's summary by [`UsageEntry::of_run`].
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageEntry {
    /// RFC 3339, UTC; the day is its first ten characters.
    pub at: String,
    pub run_id: Option<String>,
    pub connection_id: Option<String>,
    pub key_fingerprint: Option<String>,
    pub workload: Option<String>,
    pub family: ChatFamily,
    pub model: String,
    pub status: RunStatus,
    pub http_status: Option<u16>,
    pub usage: Usage,
    pub latency_ms: f64,
    pub ttft_ms: Option<f64>,
}

impl UsageEntry {
    pub fn of_run(summary: &RunSummary, at: String, key_fingerprint: Option<String>) -> Self {
        Self {
            at,
            run_id: Some(summary.run_id.clone()),
            connection_id: None,
            key_fingerprint,
            workload: None,
            family: summary.family,
            model: summary.model.clone(),
            status: summary.status,
            http_status: summary.http_status,
            usage: summary.transcript.usage,
            latency_ms: summary.stats.total_ms,
            ttft_ms: summary.stats.ttft_ms,
        }
    }

    /// The UTC day of `at` (`YYYY-MM-DD`).
    pub fn day(&self) -> &str {
        self.at.get(..10).unwrap_or(&self.at)
    }
}

/// A stored ledger row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageRow {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub entry: UsageEntry,
}

/// The user's price for one model. `None`: no price for that unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    pub model: String,
    pub input_per_mtok: Option<f64>,
    pub output_per_mtok: Option<f64>,
    /// For input tokens read from the prompt cache; without it they cost the input price.
    pub cached_input_per_mtok: Option<f64>,
    pub per_image: Option<f64>,
    pub per_video_second: Option<f64>,
    pub per_song: Option<f64>,
    pub currency: String,
}

impl Price {
    /// A price is a finite amount of at least zero, in a three-letter currency.
    pub fn validate(&self) -> Result<(), String> {
        if self.model.trim().is_empty() {
            return Err("a price needs a model ID".into());
        }
        let amounts = [
            self.input_per_mtok,
            self.output_per_mtok,
            self.cached_input_per_mtok,
            self.per_image,
            self.per_video_second,
            self.per_song,
        ];
        if amounts.iter().flatten().any(|a| !a.is_finite() || *a < 0.0) {
            return Err(format!(
                "the prices of `{}` must be numbers of 0 or more",
                self.model
            ));
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err("the currency is a three-letter code such as USD".into());
        }
        Ok(())
    }

    /// What `tokens` cost at this price, `None` when a needed token price is missing. Each
    /// family's counts are its own (see `Usage`): OpenAI's and Gemini's input includes the
    /// cached tokens, Anthropic's does not.
    pub fn token_cost(&self, family: ChatFamily, t: &TokenSums) -> Option<f64> {
        let per = |n: u64, price: f64| n as f64 * price / 1_000_000.0;
        let mut cost = 0.0;
        if t.input > 0 || t.cached > 0 {
            let input = self.input_per_mtok?;
            let cached = self.cached_input_per_mtok.unwrap_or(input);
            let fresh = match family {
                ChatFamily::Anthropic => t.input,
                _ => t.input.saturating_sub(t.cached),
            };
            cost += per(fresh, input) + per(t.cached, cached);
        }
        if t.output > 0 {
            cost += per(t.output, self.output_per_mtok?);
        }
        Some(cost)
    }
}

/// Summed token counts (a missing count adds nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenSums {
    #[ts(type = "number")]
    pub input: u64,
    #[ts(type = "number")]
    pub output: u64,
    #[ts(type = "number")]
    pub cached: u64,
    #[ts(type = "number")]
    pub reasoning: u64,
}

/// How the totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GroupBy {
    Key,
    Model,
    Day,
    /// The team of the key (by fingerprint) in the vault.
    Team,
    /// The project of the key (by fingerprint) in the vault.
    Project,
}

/// The totals of one group.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageTotal {
    /// The key's fingerprint, the model, the day, or the key's team or project; `(none)`
    /// for rows without one.
    pub group: String,
    pub requests: u32,
    pub failed: u32,
    pub tokens: TokenSums,
    pub latency_ms_mean: f64,
    /// The cost of the priced models (in the group's currency when they share one).
    pub cost: Option<f64>,
    pub currency: Option<String>,
    /// Models in the group with no price for what they used: their cost is not in `cost`.
    pub unpriced_models: Vec<String>,
    /// Media and music tasks created, and their units (costed into `cost` where priced).
    pub tasks: u32,
    pub task_units: TaskUnits,
}

/// One group/model slice of created tasks as the store sums it; [`add_tasks`] folds them in.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSlice {
    pub group: String,
    pub model: String,
    pub tasks: u32,
    pub units: TaskUnits,
}

/// Adds the task slices to `totals` (a group with only tasks gets its own total), costing
/// each with `prices`' per-image, per-second and per-song amounts.
pub fn add_tasks(totals: &mut Vec<UsageTotal>, slices: &[TaskSlice], prices: &[Price]) {
    for s in slices {
        let pos = match totals.iter().position(|t| t.group == s.group) {
            Some(p) => p,
            None => {
                totals.push(UsageTotal::empty(&s.group));
                totals.len() - 1
            }
        };
        let t = &mut totals[pos];
        t.tasks += s.tasks;
        t.task_units.images += s.units.images;
        t.task_units.video_seconds += s.units.video_seconds;
        t.task_units.songs += s.units.songs;
        let price = prices.iter().find(|p| p.model == s.model);
        match price.and_then(|p| task_cost(p, &s.units).map(|c| (c, p))) {
            Some((c, p)) => t.add_cost(c, &p.currency),
            None if !t.unpriced_models.contains(&s.model) => {
                t.unpriced_models.push(s.model.clone())
            }
            None => {}
        }
    }
    totals.sort_by(|a, b| a.group.cmp(&b.group));
}

impl UsageTotal {
    fn empty(group: &str) -> Self {
        Self {
            group: group.to_owned(),
            requests: 0,
            failed: 0,
            tokens: TokenSums::default(),
            latency_ms_mean: 0.0,
            cost: None,
            currency: None,
            unpriced_models: Vec::new(),
            tasks: 0,
            task_units: TaskUnits::default(),
        }
    }

    fn add_cost(&mut self, c: f64, currency: &str) {
        self.cost = Some(self.cost.unwrap_or(0.0) + c);
        match &self.currency {
            None => self.currency = Some(currency.to_owned()),
            // Two currencies in one sum would be a wrong number: say so instead.
            Some(cur) if cur != currency => self.currency = Some("mixed".into()),
            Some(_) => {}
        }
    }
}

/// One group/model/family slice as the store sums it; [`totals`] folds them with the prices.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageSlice {
    pub group: String,
    pub model: String,
    pub family: ChatFamily,
    pub requests: u32,
    pub failed: u32,
    pub tokens: TokenSums,
    pub latency_ms_sum: f64,
}

/// Folds the store's slices into one total per group, costing each with `prices`.
pub fn totals(slices: &[UsageSlice], prices: &[Price]) -> Vec<UsageTotal> {
    let mut out: Vec<UsageTotal> = Vec::new();
    let mut latency: Vec<f64> = Vec::new();
    for s in slices {
        let pos = match out.iter().position(|t| t.group == s.group) {
            Some(p) => p,
            None => {
                out.push(UsageTotal::empty(&s.group));
                latency.push(0.0);
                out.len() - 1
            }
        };
        let t = &mut out[pos];
        t.requests += s.requests;
        t.failed += s.failed;
        t.tokens.input += s.tokens.input;
        t.tokens.output += s.tokens.output;
        t.tokens.cached += s.tokens.cached;
        t.tokens.reasoning += s.tokens.reasoning;
        latency[pos] += s.latency_ms_sum;
        let price = prices.iter().find(|p| p.model == s.model);
        match price.and_then(|p| p.token_cost(s.family, &s.tokens).map(|c| (c, p))) {
            Some((c, p)) => t.add_cost(c, &p.currency),
            None if !t.unpriced_models.contains(&s.model) => {
                t.unpriced_models.push(s.model.clone())
            }
            None => {}
        }
    }
    for (t, sum) in out.iter_mut().zip(latency) {
        if t.requests > 0 {
            t.latency_ms_mean = sum / f64::from(t.requests);
        }
    }
    out
}

/// The ledger as CSV (RFC 4180), a header first, one line per request, then one per created
/// media or music task (family `task`, status `created`, with its route and units; the request
/// lines leave those last five columns empty).
pub fn to_csv(rows: &[UsageRow], tasks: &[TaskUsageEntry]) -> String {
    let mut out = String::from(
        "at,run_id,connection_id,key_fingerprint,workload,family,model,status,http_status,\
         input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,latency_ms,ttft_ms,\
         task_id,route,images,video_seconds,songs\n",
    );
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        let e = &r.entry;
        let fields = [
            e.at.clone(),
            e.run_id.clone().unwrap_or_default(),
            e.connection_id.clone().unwrap_or_default(),
            e.key_fingerprint.clone().unwrap_or_default(),
            e.workload.clone().unwrap_or_default(),
            crate::store::family_word(e.family),
            e.model.clone(),
            status_word(e.status).to_owned(),
            e.http_status.map(|s| s.to_string()).unwrap_or_default(),
            num(e.usage.input_tokens),
            num(e.usage.output_tokens),
            num(e.usage.cached_input_tokens),
            num(e.usage.reasoning_tokens),
            format!("{:.1}", e.latency_ms),
            e.ttft_ms.map(|t| format!("{t:.1}")).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        push_line(&mut out, &fields);
    }
    for t in tasks {
        push_line(&mut out, &tasks::csv_fields(t));
    }
    out
}

fn push_line(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push('\n');
}

/// Quotes a field when it needs it; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet does not run a model name as a formula.
fn csv_field(f: &str) -> String {
    let f = if f.starts_with(['=', '+', '-', '@']) {
        format!("'{f}")
    } else {
        f.to_owned()
    };
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f
    }
}

pub(crate) fn status_word(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Complete => "complete",
        RunStatus::Partial => "partial",
        RunStatus::Failed => "failed",
    }
}

pub(crate) fn parse_status(word: &str) -> Option<RunStatus> {
    match word {
        "complete" => Some(RunStatus::Complete),
        "partial" => Some(RunStatus::Partial),
        "failed" => Some(RunStatus::Failed),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
