//! Issue 9's crash test, in the real app: 100 paid tasks in flight across four families, the
//! app killed with SIGKILL, then started again on the same data dir. Afterwards every task is
//! terminal and succeeded (0 lost), the gateway counted 100 creates and no repeated one (0
//! duplicated), each task raised exactly one desktop notification on the session bus (or two,
//! only for a task the kill caught between showing its notification and marking it), and
//! every saved artifact's sha256 matches both the file on disk and the bytes the gateway
//! serves.
//!
//! The gateway is a Sandbox in this test's process (not the app's in-process one, which dies
//! with the app), added through the app's own commands as the active connection (its key is
//! `ANYINT_API_KEY`). Tasks are submitted through the app's `task_submit` command, what a
//! studio's Submit sends.

use crate::harness::{App, BusMonitor};
use anyint_core::store::Store;
use anyint_core::tasks::TaskState;
use anyint_sandbox::{SandboxConfig, DEMO_KEY};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const TASKS: usize = 100;
/// Long enough that the kill finds most tasks in flight, short enough for a test.
const TASK_DURATION: Duration = Duration::from_secs(8);

fn label(i: usize) -> String {
    format!("crash-{i:03}")
}

/// A distinct, valid create body per task (a repeated body would count as a duplicate).
fn body(i: usize) -> (&'static str, Value) {
    let prompt = format!("crash test scene number {i}");
    match i % 4 {
        0 => (
            "openai.videos",
            json!({"model": "kling-3.0", "prompt": prompt, "duration": 5}),
        ),
        1 => (
            "dashscope.video",
            json!({"model": "wan2.5-t2v-preview", "input": {"prompt": prompt}}),
        ),
        2 => (
            "kling.text2video",
            json!({"model_name": "kling-v3", "prompt": prompt, "mode": "std", "duration": "5"}),
        ),
        _ => (
            "suno.generate",
            json!({
                "customMode": false,
                "instrumental": false,
                "model": "V4_5",
                "prompt": prompt,
                "callBackUrl": "https://example.invalid/anyint-callback"
            }),
        ),
    }
}

fn terminal_filter() -> Value {
    json!({"filter": {"states": ["succeeded", "failed", "cancelled", "expired"], "limit": 200}})
}

/// The app's main process: the one whose data dir is ours (WebKit's helpers are other
/// executables).
fn app_pid(data_dir: &std::path::Path) -> Option<i32> {
    let needle = format!("ANYINT_DESK_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let exe = std::fs::read_link(e.path().join("exe")).ok()?;
        let environ = std::fs::read(e.path().join("environ")).ok()?;
        let ours = environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes());
        let name = exe.file_name()?.to_str()?.trim_end_matches(" (deleted)");
        (name == "anyint-desk" && ours).then_some(pid)
    })
}

/// The file's sha256 as coreutils computes it (independent of the app's own hashing).
fn sha256_file(path: &str) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum on PATH");
    assert!(out.status.success(), "sha256sum {path}");
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().next().unwrap().to_string()
}

/// Summaries of the `Notify` calls dbus-monitor recorded: the third string argument of each
/// call (app name, icon, summary, body...).
fn notify_summaries(log: &str) -> Vec<String> {
    log.split("member=Notify")
        .skip(1)
        .filter_map(|call| {
            call.lines()
                .filter_map(|l| l.trim().strip_prefix("string \""))
                .nth(2)
                .map(|s| s.trim_end_matches('"').to_string())
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs the built app, a display and a D-Bus session (.dev/test-all)"]
async fn tasks_in_flight_survive_sigkill_once_each() {
    let sandbox = anyint_sandbox::start(SandboxConfig {
        task_duration: TASK_DURATION,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let env = [("ANYINT_API_KEY", DEMO_KEY)];
    let app = App::launch("task_crash-1", &env).await;
    let bus = BusMonitor::start(app.data_dir.path());
    let conn = app
        .invoke(
            "connection_add",
            // Its key is ANYINT_API_KEY, which a connection uses only when it opts in.
            json!({"input": {"name": "Crash Sandbox", "baseUrl": sandbox.base_url(), "useEnvKey": true}}),
        )
        .await;
    let id = conn["id"].as_str().unwrap().to_string();
    app.invoke("connection_activate", json!({ "id": id })).await;

    let mut ids = Vec::new();
    for i in 0..TASKS {
        let (route, body) = body(i);
        let row = app
            .invoke(
                "task_submit",
                json!({"submit": {
                    "connectionId": null, "route": route, "body": body, "label": label(i),
                    "submissionId": format!("crash-click-{i}"), "parentTaskId": null
                }}),
            )
            .await;
        assert_eq!(row["state"], "queued", "task {i} ({route}): {row}");
        ids.push(row["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        sandbox.creates_total(),
        TASKS as u64,
        "every create accepted"
    );

    // Kill once some tasks are done and most are not.
    let started = Instant::now();
    loop {
        let done = app.invoke("tasks_list", terminal_filter()).await["total"]
            .as_u64()
            .unwrap();
        if done >= 5 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no task finished in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let pid = app_pid(app.data_dir.path()).expect("the app's process");
    let killed = std::process::Command::new("kill")
        .args(["-s", "KILL", "--", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let data_dir = app.close().await;

    // What the kill left: tasks still in flight, to be resumed by the next start; finished
    // ones whose notification is still owed; and the notifications already on the bus.
    let store = Store::open(data_dir.path()).unwrap();
    let in_flight = store
        .tasks_in_states(&[
            TaskState::Submitting,
            TaskState::Queued,
            TaskState::Running,
            TaskState::Partial,
        ])
        .unwrap()
        .len();
    let owed_at_kill: HashSet<String> = store
        .unnotified_terminal_tasks()
        .unwrap()
        .into_iter()
        .map(|row| row.label)
        .collect();
    drop(store);
    let shown_before_kill =
        notify_summaries(&std::fs::read_to_string(&bus.log).unwrap_or_default());
    println!(
        "killed pid {pid}: {in_flight} of {TASKS} tasks in flight, {} done",
        TASKS - in_flight
    );
    assert!(
        in_flight > 0 && in_flight < TASKS,
        "the kill must find some done and some in flight: {in_flight} in flight"
    );

    let app = App::launch_in("task_crash-2", data_dir, &env).await;
    let started = Instant::now();
    loop {
        let done = app.invoke("tasks_list", terminal_filter()).await["total"]
            .as_u64()
            .unwrap();
        if done as usize == TASKS {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "only {done} of {TASKS} terminal after the restart"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let all = app
        .invoke("tasks_list", json!({"filter": {"limit": 200}}))
        .await;
    assert_eq!(all["total"], TASKS, "no task lost or added");

    // Every file on disk, checksummed, and what the gateway serves.
    let mut files = 0;
    for (i, id) in ids.iter().enumerate() {
        let detail = loop {
            let d = app.invoke("task_detail", json!({ "taskId": id })).await;
            let pending = d["artifacts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| matches!(a["state"].as_str(), Some("pending" | "downloading")));
            if !pending || started.elapsed() > Duration::from_secs(240) {
                break d;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        assert_eq!(
            detail["task"]["state"],
            "succeeded",
            "{}: {detail}",
            label(i)
        );
        let artifacts = detail["artifacts"].as_array().unwrap();
        assert!(!artifacts.is_empty(), "{}: no artifact", label(i));
        for a in artifacts {
            assert_eq!(a["state"], "saved", "{}: {a}", label(i));
            let on_disk = sha256_file(a["path"].as_str().unwrap());
            assert_eq!(a["sha256"].as_str(), Some(on_disk.as_str()), "{a}");
            let source = a["source"].as_str().unwrap();
            // A song's stream preview (saved while partial) is replaced by the final file.
            assert!(
                !source.contains("stream=1"),
                "{}: kept the preview {source}",
                label(i)
            );
            if source.starts_with("http") {
                // `artifact_sha256` knows an artifact by its path, without a query.
                let url = source.split('?').next().unwrap_or(source);
                assert_eq!(
                    sandbox.artifact_sha256(url).as_deref(),
                    Some(on_disk.as_str()),
                    "{}: the bytes differ from the gateway's {source}",
                    label(i)
                );
            } else if source.starts_with("/videos/") {
                let url = format!("{}/openai/v1{source}", sandbox.base_url());
                assert_eq!(
                    sandbox.artifact_sha256(&url).as_deref(),
                    Some(on_disk.as_str())
                );
            }
            files += 1;
        }
    }

    // Exactly one notification per task: wait for the stragglers, then count.
    let labels: Vec<String> = (0..TASKS).map(label).collect();
    let count = |summaries: &[String], l: &str| {
        let quoted = format!("“{l}”");
        summaries.iter().filter(|s| s.contains(&quoted)).count()
    };
    let started = Instant::now();
    loop {
        let summaries = notify_summaries(&std::fs::read_to_string(&bus.log).unwrap_or_default());
        if labels.iter().all(|l| count(&summaries, l) >= 1)
            || started.elapsed() > Duration::from_secs(20)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let summaries = notify_summaries(&std::fs::read_to_string(&bus.log).unwrap_or_default());
    // The one repeat the design allows (`anyint_core::tasks::notices`): a kill between showing a
    // notification and marking it shown. That task was still owed at the kill and its first
    // notification was already on the bus; the restart shows it once more. Anything else that
    // is not exactly one is a bug.
    let shown_across_the_kill = |l: &str| {
        owed_at_kill.contains(l) && count(&shown_before_kill, l) == 1 && count(&summaries, l) == 2
    };
    let repeated: Vec<&String> = labels.iter().filter(|l| shown_across_the_kill(l)).collect();
    let wrong: Vec<String> = labels
        .iter()
        .filter_map(|l| {
            let n = count(&summaries, l);
            (n != 1 && !shown_across_the_kill(l)).then(|| format!("{l}: {n}"))
        })
        .collect();
    if !repeated.is_empty() {
        println!("shown again after the restart (the kill came between showing and marking): {repeated:?}");
    }
    println!(
        "after restart: {TASKS} terminal, {files} files verified, {} creates ({} duplicates), {} notifications",
        sandbox.creates_total(),
        sandbox.duplicate_creates(),
        summaries.len()
    );
    assert!(
        wrong.is_empty(),
        "notifications not exactly once: {wrong:?}"
    );
    assert_eq!(
        sandbox.creates_total(),
        TASKS as u64,
        "a create was re-sent"
    );
    assert_eq!(sandbox.duplicate_creates(), 0);
    app.close().await;
}
