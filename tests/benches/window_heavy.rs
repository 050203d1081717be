//! Prints the app's memory after a heavy session (issue 10, part 6: PSS of the main process plus
//! its WebKit processes, target <= 1.5x the floor app's idle PSS). The session:
//! 1. 1,000 stored turns opened: one conversation of 1,000 turns, written into a fresh data dir
//!    through the core's history, opened in the Playground's history panel and paged through
//!    ("More turns") until all 1,000 are in the list;
//! 2. 200 tasks listed: 200 finished tasks in the same data dir, the Tasks screen opened on them;
//! 3. a 10,000-event wire inspector: one streamed reply of 10,000 tokens from this bench's own
//!    Sandbox (the in-app one caps replies at 48 tokens), added as a connection through the
//!    app's IPC, then the Playground's Wire view with its event timeline.
//!
//! Then 10 s to settle and the PSS of every process of the app (found among this process's
//! descendants: tauri-driver, WebKitWebDriver, the app, WebKit's helpers) from
//! /proc/<pid>/smaps_rollup. Also prints the PSS at the first screen, before the session.
//! Figures only, nothing asserted. With `BENCH_FLOOR_PSS_MIB` set (`.dev/bench-startup` sets it
//! to the floor's idle PSS it just measured) it prints the ratio too.
//!
//! Run: `.dev/bench-startup` runs it after the start-up figures, on the same release app; alone:
//! `xvfb-run -a dbus-run-session -- .dev/e2e-session cargo bench -p anyint-tests --bench
//! window_heavy` with `ANYINT_DESK_BIN` set to the app.

// A benchmark, like the test crates: a broken setup may panic with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "common/seed_tasks.rs"]
mod seed_tasks;

use anyint_core::history::{ChatHistory, NewTurn, TurnStatus};
use anyint_core::store::Store;
use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use harness::App;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

const TURNS: usize = 1_000;
const TASKS: usize = 200;
const REPLY_TOKENS: u32 = 10_000;
const SETTLE: Duration = Duration::from_secs(10);

/// One conversation of `TURNS` turns (prompts and answers of a few hundred bytes, like a real
/// chat) and `TASKS` finished tasks.
fn seed(dir: &Path) {
    let store = Store::open(dir).expect("open the store");
    let history = ChatHistory::new(store.clone());
    let mut conversation: Option<String> = None;
    for i in 0..TURNS {
        let prompt = format!(
            "Question {i}: what does the sea look like at hour {}?",
            i % 24
        );
        let answer = format!("Answer {i}. ").repeat(8)
            + "The sea is **grey** under cloud and `blue` under sun; waves roll in.";
        let turn = history
            .append_turn(
                conversation.as_deref(),
                NewTurn {
                    family: "openai_chat".into(),
                    model: "gpt-bench".into(),
                    request: json!({ "model": "gpt-bench", "messages": [{ "role": "user", "content": prompt }] }),
                    prompt,
                    answer,
                    thinking: String::new(),
                    tool_calls: json!([]),
                    finish_reason: Some("stop".into()),
                    status: TurnStatus::Complete,
                    error: None,
                    stats: json!({ "ttftMs": 100 }),
                },
            )
            .expect("append a turn");
        conversation = Some(turn.conversation_id);
    }
    seed_tasks::finished_tasks(&store, TASKS);
}

/// The processes whose memory counts: the app (a descendant of this bench, by binary name) and
/// everything below it. Answers (pid, comm, PSS in KiB).
fn app_processes(bin_name: &str) -> Vec<(u32, String, u64)> {
    let mut parent = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").expect("/proc") {
        let Ok(pid) = entry
            .expect("a /proc entry")
            .file_name()
            .to_string_lossy()
            .parse::<u32>()
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name may hold spaces and parentheses: the fields follow the last ')'.
        if let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        {
            parent.insert(pid, ppid);
        }
    }
    let below = |pid: u32, root: u32| {
        let mut p = pid;
        while let Some(&up) = parent.get(&p) {
            if up == root {
                return true;
            }
            p = up;
        }
        false
    };
    let me = std::process::id();
    let app = parent
        .keys()
        .copied()
        .find(|&p| below(p, me) && exe_name(p).as_deref() == Some(bin_name))
        .expect("the app among this bench's descendants");
    let mut procs: Vec<u32> = parent.keys().copied().filter(|&p| below(p, app)).collect();
    procs.push(app);
    procs.sort_unstable();
    procs
        .into_iter()
        .map(|p| {
            let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            (p, comm.trim().to_owned(), pss_kib(p))
        })
        .collect()
}

fn exe_name(pid: u32) -> Option<String> {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    Some(exe.file_name()?.to_string_lossy().into_owned())
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Prints each process and answers the total in MiB.
fn report(when: &str, bin_name: &str) -> f64 {
    let procs = app_processes(bin_name);
    println!("{when}:");
    for (pid, comm, kib) in &procs {
        println!(
            "  {comm:<22} {pid:>7}  PSS {:7.1} MiB",
            *kib as f64 / 1024.0
        );
    }
    let total = procs.iter().map(|p| p.2).sum::<u64>() as f64 / 1024.0;
    println!("  total                          PSS {total:7.1} MiB");
    total
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let bin = harness::app_binary();
    let bin_name = bin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .expect("the app binary has a name");
    let data = tempfile::tempdir().unwrap();
    let t = Instant::now();
    seed(data.path());
    println!(
        "seeded {TURNS} turns in one conversation and {TASKS} tasks in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let long = anyint_sandbox::start(SandboxConfig {
        default_reply_tokens: REPLY_TOKENS,
        ..SandboxConfig::default()
    })
    .await
    .expect("the bench's Sandbox starts");
    // The bench's Sandbox connection opts into ANYINT_API_KEY (below) for its key.
    let app = App::launch_in("bench-heavy", data, &[("ANYINT_API_KEY", DEMO_KEY)]).await;
    println!("app binary: {}", bin.display());
    tokio::time::sleep(SETTLE).await;
    let at_start = report("at the first screen (Models), after 10 s", &bin_name);

    // 1. The 1,000-turn conversation, every page of it.
    app.click("#nav-playground").await;
    app.click("#pg-conversations .conversation").await;
    app.wait_css("#pg-turns li[data-turn-id]").await;
    let more = "#pg-history-more-turns";
    let shown = |n: usize| format!("#pg-turns li[data-turn-id]:nth-child({n})");
    let mut pages = 1;
    while app
        .client
        .find(fantoccini::Locator::Css(more))
        .await
        .is_ok()
    {
        app.click(more).await;
        pages += 1;
        app.wait_css(&shown(pages * 50)).await;
    }
    app.wait_css(&shown(TURNS)).await;
    println!("opened the conversation: {TURNS} turns in the list ({pages} pages)");

    // 2. The Tasks screen over 200 tasks.
    app.click("#nav-tasks").await;
    app.wait_css("#tasks-list .task-row[data-task-id]").await;
    println!("listed {TASKS} tasks");

    // 3. A 10,000-token stream into the wire inspector.
    let conn = app
        .invoke(
            "connection_add",
            json!({"input": {"name": "Bench Sandbox (long replies)", "baseUrl": long.base_url(), "useEnvKey": true}}),
        )
        .await;
    let id = conn["id"].as_str().expect("a connection id").to_owned();
    app.invoke("connection_activate", json!({ "id": id })).await;
    app.click("#nav-playground").await;
    app.click("#pg-new").await;
    app.type_into("#an-msg-0-text-0", "Tell me about the sea at length")
        .await;
    // Above the reply's length: the editor's default max_tokens (1,024) would cut it short.
    app.type_into("#an-max-tokens", "64000").await;
    app.click("#pg-view-wire").await;
    app.click("#pg-send").await;
    let totals = app
        .wait_text("#pg-wire-totals", "10,000+ events", |t| {
            t.split_whitespace()
                .next()
                .and_then(|n| n.replace(',', "").parse::<u32>().ok())
                .is_some_and(|n| n >= REPLY_TOKENS)
        })
        .await;
    app.wait_text("#pg-wire-terminator", "the stream's end", |t| {
        t.contains("arrived")
    })
    .await;
    println!("wire inspector: {totals}");

    tokio::time::sleep(SETTLE).await;
    let heavy = report("after the heavy session, 10 s later", &bin_name);
    println!(
        "heavy session PSS {heavy:.1} MiB ({:+.1} MiB over the first screen's {at_start:.1})",
        heavy - at_start
    );
    if let Some(floor) = std::env::var("BENCH_FLOOR_PSS_MIB")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        println!(
            "heavy session vs the floor's idle PSS {floor:.1} MiB: {:.2}x (target <= 1.5x)",
            heavy / floor
        );
    }
    app.close().await;
}
