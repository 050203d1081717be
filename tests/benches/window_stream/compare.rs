//! The compare phases of the window bench (issue 11: "N up to 8 without the window
//! stuttering"): Choice → Compare with eight targets across the four chat families, every
//! column a long stream from a Sandbox paced at [`PER_COLUMN_RATE`] tokens/s (eight columns
//! together: the playground phase's 2,000 tokens/s), rendered for the bench's window, then
//! Stop; then the same with one column, to tell what N adds.

use super::{cpu_percent, frames, js, record_window, wait_js_true, Cpu, Recording, Row, Watched};
use crate::harness::{App, EIGHT_TARGETS};

/// Each column's stream: eight of them make the playground phase's 2,000 tokens/s.
pub const PER_COLUMN_RATE: &str = "250";

/// Words in every column's answer on screen (one Sandbox token is one word).
const WORDS_JS: &str = r#"
return [...document.querySelectorAll('#cmp-columns > section .text')]
  .map((t) => t.textContent.split(/\s+/).filter(Boolean).length)
  .reduce((a, b) => a + b, 0);
"#;

/// Opens Compare with the prompt and eight targets (the active connection is the bench's
/// Sandbox for compare).
pub async fn open(app: &App, prompt: &str, max_tokens: &str) {
    app.click("#nav-choice").await;
    app.click("#choice-tab-compare").await;
    app.wait_css("#compare-tab").await;
    app.set_value("#cmp-prompt", prompt).await;
    app.set_value("#cmp-max-tokens", max_tokens).await;
    for _ in 2..EIGHT_TARGETS.len() {
        app.click("#cmp-target-add").await;
    }
    for (i, (family, model)) in EIGHT_TARGETS.iter().enumerate() {
        app.select(&format!("#cmp-target-{i}-family"), family).await;
        app.set_value(&format!("#cmp-target-{i}-model"), model)
            .await;
    }
}

/// Leaves only the first target.
pub async fn keep_one(app: &App) {
    for i in (1..EIGHT_TARGETS.len()).rev() {
        app.click(&format!("#cmp-target-{i}-remove")).await;
    }
}

/// One run of every target on the form, rendered for `WINDOW`, then Stop.
pub async fn run(app: &App, w: &Watched, tck: f64, phase: &'static str) -> Row {
    let Recording {
        sent,
        stopped,
        before: a,
        after: b,
    } = record_window(app, w, "", "#cmp-run", "#cmp-stop").await;
    wait_js_true(
        app,
        "document.querySelector(\"#cmp-columns[data-state='done']\")",
        "the stopped comparison's end",
    )
    .await;
    let frames = frames(app).await;
    let words = js(app, WORDS_JS, vec![]).await.as_u64().unwrap_or(0);
    let statuses = app.attrs("#cmp-columns > section", "data-status").await;
    let cpu: Cpu = cpu_percent(&a, &b, tck);
    Row {
        phase,
        secs: (stopped - sent) / 1000.0,
        frames,
        cpu,
        tokens: Some(words),
        note: format!(
            "{} columns at {PER_COLUMN_RATE} tokens/s each; after Stop: {}; {words} words on screen",
            statuses.len(),
            statuses.join(",")
        ),
    }
}
