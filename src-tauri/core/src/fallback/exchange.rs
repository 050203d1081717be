//! Workloads exported for a team's code and imported back: JSON and TOML as one document
//! (`{"workloads": [...]}` / `[[workloads]]`), and env lines (`ANYINT_WORKLOAD_<NAME>_<FIELD>`,
//! values single-quoted for a shell) so a service can read its primary and fallback IDs from
//! configuration (contract §7.2). Every import is validated before anything is kept.

use super::{FallbackPolicy, Goal, Workload};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Json,
    Toml,
    Env,
}

#[derive(Serialize, Deserialize)]
struct WorkloadFile {
    #[serde(default)]
    workloads: Vec<Workload>,
}

const ENV_PREFIX: &str = "ANYINT_WORKLOAD_";
/// The env fields, longest suffix first so `_PAID_TIER` is not read as `_TIER`.
const ENV_FIELDS: [&str; 8] = [
    "PAID_TIER",
    "FALLBACK",
    "PRIMARY",
    "POLICY",
    "FAMILY",
    "NOTES",
    "NAME",
    "GOAL",
];

pub fn export(workloads: &[Workload], format: ExportFormat) -> Result<String, String> {
    let file = WorkloadFile {
        workloads: workloads.to_vec(),
    };
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(&file).map_err(|e| e.to_string()),
        ExportFormat::Toml => toml::to_string(&file).map_err(|e| e.to_string()),
        ExportFormat::Env => Ok(to_env(workloads)),
    }
}

/// Reads an export back. Every workload is validated and names must be unique; on any error
/// nothing is returned, so a bad file loses nothing already stored.
pub fn import(text: &str, format: ExportFormat) -> Result<Vec<Workload>, String> {
    let workloads = match format {
        ExportFormat::Json => {
            serde_json::from_str::<WorkloadFile>(text)
                .map_err(|e| format!("not a workloads JSON file: {e}"))?
                .workloads
        }
        ExportFormat::Toml => {
            toml::from_str::<WorkloadFile>(text)
                .map_err(|e| format!("not a workloads TOML file: {e}"))?
                .workloads
        }
        ExportFormat::Env => from_env(text)?,
    };
    let mut seen = std::collections::HashSet::new();
    for w in &workloads {
        w.validate().map_err(|e| e.to_string())?;
        if !seen.insert(w.name.clone()) {
            return Err(format!("workload `{}` appears twice", w.name));
        }
    }
    Ok(workloads)
}

/// `image-understanding` -> `IMAGE_UNDERSTANDING`: the env key; `_NAME` keeps the real name.
fn env_key(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

fn to_env(workloads: &[Workload]) -> String {
    let mut out =
        String::from("# AnyInt Desk workloads: primary and fallback model per workload\n");
    for w in workloads {
        let k = format!("{ENV_PREFIX}{}", env_key(&w.name));
        let family = crate::store::family_word(w.family);
        let policy = serde_json::to_string(&w.policy).unwrap_or_default();
        let mut line = |field: &str, value: &str| {
            out.push_str(&format!("{k}_{field}={}\n", quote(value)));
        };
        line("NAME", &w.name);
        line("FAMILY", &family);
        line("PRIMARY", &w.primary);
        if let Some(f) = &w.fallback {
            line("FALLBACK", f);
        }
        line("GOAL", w.goal.as_str());
        line("PAID_TIER", if w.paid_tier { "true" } else { "false" });
        line("POLICY", &policy);
        if let Some(n) = &w.notes {
            line("NOTES", n);
        }
    }
    out
}

/// Undoes `quote`: `'...'` pieces joined, with `\'` between them.
fn unquote(value: &str) -> Result<String, String> {
    let v = value.trim();
    if !v.starts_with('\'') {
        return Ok(v.trim_matches('"').to_owned());
    }
    let mut out = String::new();
    let mut rest = v;
    while !rest.is_empty() {
        let body = rest
            .strip_prefix('\'')
            .ok_or_else(|| format!("bad quoting in `{value}`"))?;
        let end = body
            .find('\'')
            .ok_or_else(|| format!("an unclosed quote in `{value}`"))?;
        out.push_str(&body[..end]);
        rest = &body[end + 1..];
        if let Some(after) = rest.strip_prefix(r"\'") {
            out.push('\'');
            rest = after;
        }
    }
    Ok(out)
}

fn from_env(text: &str) -> Result<Vec<Workload>, String> {
    // Env key of the workload -> field -> value, in the order the workloads first appear.
    let mut order: Vec<String> = Vec::new();
    let mut fields: BTreeMap<String, BTreeMap<&'static str, String>> = BTreeMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected NAME=value", n + 1))?;
        let Some(rest) = key.trim().strip_prefix(ENV_PREFIX) else {
            continue; // other variables of the same .env file are not ours
        };
        let field = ENV_FIELDS
            .iter()
            .find(|f| rest.ends_with(&format!("_{f}")))
            .ok_or_else(|| format!("line {}: unknown workload field in `{key}`", n + 1))?;
        let workload = rest[..rest.len() - field.len() - 1].to_owned();
        if !fields.contains_key(&workload) {
            order.push(workload.clone());
        }
        fields
            .entry(workload)
            .or_default()
            .insert(field, unquote(value)?);
    }
    order
        .into_iter()
        .map(|k| {
            let mut f = fields.remove(&k).unwrap_or_default();
            let mut need = |field: &str| {
                f.remove(field)
                    .ok_or_else(|| format!("workload {k}: `{ENV_PREFIX}{k}_{field}` is missing"))
            };
            let name = need("NAME")?;
            let family = serde_json::from_value(serde_json::Value::String(need("FAMILY")?))
                .map_err(|_| format!("workload {k}: unknown family"))?;
            let primary = need("PRIMARY")?;
            let goal_word = need("GOAL")?;
            let goal = Goal::parse(&goal_word)
                .ok_or_else(|| format!("workload {k}: unknown goal `{goal_word}`"))?;
            let policy: FallbackPolicy = match f.remove("POLICY") {
                Some(p) => serde_json::from_str(&p)
                    .map_err(|e| format!("workload {k}: the policy is not valid JSON: {e}"))?,
                None => FallbackPolicy::default(),
            };
            let paid_tier = match f.remove("PAID_TIER").as_deref() {
                None | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(other) => {
                    return Err(format!(
                        "workload {k}: PAID_TIER is `{other}`, not true or false"
                    ))
                }
            };
            Ok(Workload {
                name,
                family,
                primary,
                fallback: f.remove("FALLBACK"),
                goal,
                paid_tier,
                policy,
                notes: f.remove("NOTES"),
            })
        })
        .collect()
}
