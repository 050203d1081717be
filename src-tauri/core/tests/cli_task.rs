//! `anyint task …` as a script uses it: submit, status, wait, download and list against the
//! sandbox over loopback, on a data dir the app (a `Desk` here) opens too.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anyint_sandbox::{Fault, SandboxConfig, DEMO_KEY};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

async fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyint"));
    cmd.arg("task")
        .args(args)
        .env("ANYINT_DESK_DATA_DIR", dir)
        .env("ANYINT_API_KEY", DEMO_KEY)
        .env_remove("ANYINT_BASE_URL");
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn sandbox(fault: Option<Fault>) -> anyint_sandbox::Sandbox {
    anyint_sandbox::start(SandboxConfig {
        task_duration: Duration::from_millis(300),
        default_fault: fault,
        ..Default::default()
    })
    .await
    .unwrap()
}

const VIDEO: &str = r#"{"model": "kling-3.0", "prompt": "a fox in the snow", "duration": 5}"#;

/// Submits the video on the sandbox and returns the task id the CLI printed.
async fn submit(dir: &Path, url: &str) -> String {
    let out = run(
        dir,
        &[
            "submit",
            "--route",
            "openai.videos",
            "--json",
            VIDEO,
            "--label",
            "Fox",
            "--base-url",
            url,
        ],
    )
    .await;
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let mut words = stdout.split_whitespace();
    let id = words.next().unwrap().to_string();
    assert_eq!(words.next(), Some("queued"), "{stdout}");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_is_submitted_waited_for_and_downloaded_with_its_checksum() {
    let sandbox = sandbox(None).await;
    let data = tempfile::tempdir().unwrap();
    let id = submit(data.path(), &sandbox.base_url()).await;
    assert_eq!(sandbox.creates_total(), 1);

    let out = run(data.path(), &["wait", &id, "--timeout", "60"]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("succeeded") && stdout.contains("Fox"),
        "{stdout}"
    );

    let out = run(data.path(), &["status", &id, "--json"]).await;
    assert!(out.status.success());
    let detail: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(detail["task"]["state"], "succeeded");
    assert_eq!(detail["task"]["rawStatus"], "completed");
    let recorded = detail["artifacts"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();

    let to = tempfile::tempdir().unwrap();
    let out = run(
        data.path(),
        &["download", &id, "--to", to.path().to_str().unwrap()],
    )
    .await;
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let files: Vec<_> = std::fs::read_dir(to.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
    let file = files[0].as_ref().unwrap().path();
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.is_empty());
    assert_eq!(hex::encode(Sha256::digest(&bytes)), recorded);
    assert!(stdout.starts_with(&recorded), "{stdout}");

    // The app opening the same data dir sees the same task, and nothing was sent twice.
    let desk = anyint_core::Desk::open(data.path(), None).unwrap();
    let row = desk.task_center().task(&id).unwrap();
    assert_eq!(row.state, anyint_core::tasks::TaskState::Succeeded);
    let out = run(data.path(), &["list"]).await;
    let (stdout, _) = text(&out);
    assert_eq!(stdout.lines().filter(|l| l.starts_with(&id)).count(), 1);
    assert_eq!(sandbox.creates_total(), 1);
    assert_eq!(sandbox.duplicate_creates(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_task_exits_non_zero_with_the_familys_message() {
    let sandbox = sandbox(Some(Fault::TaskFail)).await;
    let data = tempfile::tempdir().unwrap();
    let id = submit(data.path(), &sandbox.base_url()).await;
    let out = run(data.path(), &["wait", &id, "--timeout", "60"]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains(&format!("task {id} failed:")), "{stderr}");
    let detail: serde_json::Value =
        serde_json::from_slice(&run(data.path(), &["status", &id, "--json"]).await.stdout).unwrap();
    let message = detail["task"]["error"].as_str().unwrap();
    assert!(!message.is_empty() && stderr.contains(message), "{stderr}");
    assert!(!format!("{stdout}{stderr}").contains(DEMO_KEY));
    // Nothing to download from a failed task: a clear refusal.
    let to = tempfile::tempdir().unwrap();
    let out = run(
        data.path(),
        &["download", &id, "--to", to.path().to_str().unwrap()],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("not succeeded"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_gives_up_at_its_timeout_and_the_task_stays_tracked() {
    let sandbox = sandbox(Some(Fault::TaskStuck)).await;
    let data = tempfile::tempdir().unwrap();
    let id = submit(data.path(), &sandbox.base_url()).await;
    let out = run(data.path(), &["wait", &id, "--timeout", "3"]).await;
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    assert!(stderr.contains("not finished"), "{stderr}");
    let out = run(data.path(), &["list", "--state", "running", "--json"]).await;
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["rows"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_bad_body_or_route_is_refused_before_any_row_or_request() {
    let sandbox = sandbox(None).await;
    let data = tempfile::tempdir().unwrap();
    let url = sandbox.base_url();
    for (route, body) in [
        ("openai.videos", "{not json"),
        ("openai.videos", r#"{"model": "kling-3.0"}"#),
        ("nope.nothing", VIDEO),
    ] {
        let out = run(
            data.path(),
            &[
                "submit",
                "--route",
                route,
                "--json",
                body,
                "--base-url",
                &url,
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(2), "{route} {body}");
        assert!(text(&out).1.starts_with("error: "));
    }
    let out = run(data.path(), &["status", "task-nope"]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = run(data.path(), &["list", "--json"]).await;
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 0);
    assert_eq!(sandbox.creates_total(), 0);
}

#[tokio::test]
async fn without_base_url_the_apps_sandbox_connection_says_how_to_reach_a_gateway() {
    // A fresh data dir: the app's in-process Sandbox is the active connection, and it only
    // runs inside the app.
    let data = tempfile::tempdir().unwrap();
    let out = run(
        data.path(),
        &["submit", "--route", "openai.videos", "--json", VIDEO],
    )
    .await;
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Sandbox") && stderr.contains("--base-url"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_local_file_is_given_to_a_field_with_file_and_uploaded_first() {
    let dir = tempfile::tempdir().unwrap();
    let sb = sandbox(None).await;
    // A 2-second mono 8-bit WAV at 2 kHz.
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(36u32 + 4000).to_le_bytes());
    wav.extend_from_slice(
        b"WAVEfmt \x10\0\0\0\x01\0\x01\0\xd0\x07\0\0\xd0\x07\0\0\x01\0\x08\0data",
    );
    wav.extend_from_slice(&4000u32.to_le_bytes());
    wav.resize(44 + 4000, 128);
    let path = dir.path().join("take one.wav");
    std::fs::write(&path, &wav).unwrap();
    let body = r#"{"customMode": false, "instrumental": true, "model": "V4_5",
        "prompt": "a slow piano cover", "callBackUrl": "https://example.com/cb"}"#;
    let file = format!("/uploadUrl={}", path.display());
    let args = [
        "submit",
        "--route",
        "suno.upload_cover",
        "--json",
        body,
        "--file",
        &file,
        "--base-url",
        &sb.base_url(),
    ];
    let out = run(dir.path(), &args).await;
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let id = stdout.split_whitespace().next().unwrap().to_owned();
    let store = anyint_core::store::Store::open(dir.path()).unwrap();
    let request = store.task_request(&id).unwrap().unwrap();
    assert_eq!(request["uploadUrl"]["$file"]["name"], "take one.wav");
    let hosted = request["uploadUrl"]["hostedUrl"].as_str().unwrap();
    assert_eq!(sb.uploaded(hosted).unwrap(), wav);

    // The same submit with a --file that names no field.
    let bad = run(dir.path(), &[&args[..5], &["--file", "uploadUrl"]].concat()).await;
    assert!(!bad.status.success());
    assert!(
        text(&bad).1.contains("expected POINTER=PATH"),
        "{:?}",
        text(&bad)
    );
}
