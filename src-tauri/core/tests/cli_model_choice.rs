//! `anyint chat --workload` and `anyint usage` against the sandbox: the fallback is told on
//! stderr, the ledger in the data folder fills, and the totals and CSV read it back.

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{run, words};

#[tokio::test]
async fn chat_under_a_workload_falls_back_on_stderr_and_usage_reads_the_ledger() {
    let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("workloads.toml");
    std::fs::write(
        &file,
        "[[workloads]]\nname = \"chat\"\nfamily = \"openai_chat\"\nprimary = \"gpt-5\"\n\
         fallback = \"gpt-5-mini\"\ngoal = \"cost\"\n",
    )
    .unwrap();
    let base = sandbox.base_url();
    let mut args = words(&["chat", "--base-url", &base, "--workload", "chat"]);
    args.extend(words(&["--workloads", file.to_str().unwrap()]));
    args.extend(words(&[
        "--rehearse-fault",
        "maintenance",
        "--stream",
        "Hello",
    ]));
    let out = run(args, data.path()).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!out.stdout.is_empty(), "the fallback's answer is printed");
    assert!(
        stderr.contains("fallback: answered by gpt-5-mini after gpt-5 failed: 503"),
        "{stderr}"
    );

    let out = run(words(&["usage", "--by", "model"]), data.path()).await;
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(
        rows[0].starts_with("gpt-5 ") && rows[0].contains("no price"),
        "{table}"
    );
    assert!(rows[1].starts_with("gpt-5-mini"), "{table}");

    let out = run(words(&["usage", "--csv"]), data.path()).await;
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains(anyint_sandbox::DEMO_KEY));

    // An unknown workload is a clear error, before any request.
    let out = run(
        words(&[
            "chat",
            "--base-url",
            &base,
            "--workload",
            "nope",
            "--workloads",
            file.to_str().unwrap(),
            "Hi",
        ]),
        data.path(),
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workload `nope`"));
}
