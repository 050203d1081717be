//! `anyint advise` against the sandbox with seeded answers: the evidence table and the
//! recommendation on stdout (exit 0), `--json` the whole advice, the ledger in the data folder
//! filled under the workload, and bad input refused with a clear message (exit 2).

// Test code: a panic with the value is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anyint_sandbox::{AnswerRule, SandboxConfig};

mod support;

use support::{run, words};

fn rule(model: &str, text: &str) -> AnswerRule {
    AnswerRule {
        model: Some(model.into()),
        prompt_contains: "capital of France".into(),
        text: text.into(),
    }
}

#[tokio::test]
async fn advise_prints_the_evidence_and_the_pick() {
    let sandbox = anyint_sandbox::start(SandboxConfig {
        answer_rules: vec![rule("gpt-5", "Paris"), rule("gpt-5-mini", "Lyon")],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let workloads = data.path().join("workloads.toml");
    std::fs::write(
        &workloads,
        "[[workloads]]\nname = \"extract\"\nfamily = \"openai_chat\"\nprimary = \"gpt-5\"\n\
         goal = \"quality\"\n",
    )
    .unwrap();
    let evalset = data.path().join("capitals.toml");
    std::fs::write(
        &evalset,
        "name = \"capitals\"\n[[cases]]\nprompt = \"What is the capital of France?\"\n\
         check = { kind = \"contains\", value = \"Paris\" }\n",
    )
    .unwrap();
    let base = sandbox.base_url();
    let mut args = words(&["advise", "--base-url", &base, "--workload", "extract"]);
    args.extend(words(&["--workloads", workloads.to_str().unwrap()]));
    args.extend(words(&["--evalset", evalset.to_str().unwrap()]));
    args.extend(words(&[
        "--models",
        "gpt-5,gpt-5-mini",
        "--min-pass-rate",
        "0.9",
    ]));
    let out = run(args.clone(), data.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<&str> = stdout.lines().collect();
    assert!(rows[0].starts_with("model"), "{stdout}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("gpt-5 ") && r.contains("1/1") && r.ends_with("meets")),
        "{stdout}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("gpt-5-mini") && r.contains("0/1") && r.ends_with("misses")),
        "{stdout}"
    );
    assert!(stdout.contains("recommended: gpt-5\n"), "{stdout}");
    assert!(stdout.contains("cost is unknown"), "{stdout}");

    // --json: the whole advice, parseable.
    args.push("--json".into());
    let out = run(args, data.path()).await;
    let advice: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(advice["recommended"], "gpt-5");
    assert_eq!(advice["evidence"][1]["meetsBar"], false);

    // Every request is in the data folder's ledger, under the workload.
    let out = run(words(&["usage", "--csv"]), data.path()).await;
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",extract,")),
        "{csv}"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let workloads = data.path().join("workloads.toml");
    std::fs::write(
        &workloads,
        "[[workloads]]\nname = \"extract\"\nfamily = \"openai_chat\"\nprimary = \"gpt-5\"\n\
         goal = \"cost\"\n",
    )
    .unwrap();
    let bad_regex = data.path().join("bad.json");
    std::fs::write(
        &bad_regex,
        r#"{"name": "x", "cases": [{"prompt": "p", "check": {"kind": "regex", "pattern": "(["}}]}"#,
    )
    .unwrap();
    // Nothing listens here: every refusal below must come before any request.
    let base = "http://127.0.0.1:9";
    let common = |evalset: &str, models: &str, workload: &str| {
        let mut a = words(&["advise", "--base-url", base, "--workload", workload]);
        a.extend(words(&["--workloads", workloads.to_str().unwrap()]));
        a.extend(words(&["--evalset", evalset, "--models", models]));
        a
    };
    let cases = [
        (
            common(bad_regex.to_str().unwrap(), "gpt-5", "extract"),
            "does not compile",
        ),
        (
            common("/nonexistent/set.json", "gpt-5", "extract"),
            "cannot read",
        ),
        (
            common(bad_regex.to_str().unwrap(), "gpt-5", "nope"),
            "does not compile",
        ),
    ];
    for (args, want) in cases {
        let out = run(args, data.path()).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
    }
    let good = data.path().join("good.json");
    std::fs::write(&good, r#"{"name": "x", "cases": [{"prompt": "p"}]}"#).unwrap();
    let out = run(common(good.to_str().unwrap(), "gpt-5", "nope"), data.path()).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workload `nope`"));
    let mut too_strict = common(good.to_str().unwrap(), "gpt-5", "extract");
    too_strict.extend(words(&["--min-pass-rate", "1.5"]));
    let out = run(too_strict, data.path()).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}
