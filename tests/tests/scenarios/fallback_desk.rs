//! Model choice through the `Desk` facade (issue 11), over a real SQLite file and the sandbox:
//! a plain playground send lands in the usage ledger; a workload send rehearsing a 503 on the
//! Sandbox falls back, stores the answered turn and logs the fallback; totals and CSV follow;
//! workloads survive an export and an import; a bad import keeps what was there.

use anyint_core::chat::ChatFamily;
use anyint_core::fallback::{
    Action, DryRunInput, ExportFormat, FallbackPolicy, Goal, RunOptions, Workload,
};
use anyint_core::ledger::{GroupBy, Price};
use anyint_core::playground::{simple_body, PlaygroundRequest, RunStatus};
use anyint_core::{Desk, ErrorCode};

async fn desk(dir: &std::path::Path) -> (Desk, anyint_sandbox::Sandbox) {
    crate::desk_on(dir, anyint_sandbox::SandboxConfig::default()).await
}

fn request(run_id: &str, model: &str) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: run_id.into(),
        family: ChatFamily::OpenAiChat,
        model: model.into(),
        body: simple_body(ChatFamily::OpenAiChat, model, None, Some(32), "Hello", true),
        stream: true,
        idle_timeout_ms: Some(2_000),
        conversation_id: None,
    }
}

fn chat() -> Workload {
    Workload {
        name: "chat".into(),
        family: ChatFamily::OpenAiChat,
        primary: "gpt-5".into(),
        fallback: Some("gpt-5-mini".into()),
        goal: Goal::Cost,
        paid_tier: false,
        policy: FallbackPolicy::default(),
        notes: None,
    }
}

#[tokio::test]
async fn a_workload_send_falls_back_and_every_request_is_in_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path()).await;
    desk.save_workload(chat()).unwrap();
    desk.save_price(Price {
        model: "gpt-5-mini".into(),
        input_per_mtok: Some(0.25),
        output_per_mtok: Some(2.0),
        cached_input_per_mtok: None,
        per_image: None,
        per_video_second: None,
        per_song: None,
        currency: "USD".into(),
    })
    .unwrap();

    let plain = desk
        .playground_send(request("plain", "gpt-5"), |_| {})
        .await
        .unwrap();
    assert_eq!(plain.status, RunStatus::Complete);

    let options = RunOptions {
        rehearse_fault: Some("maintenance".into()),
        ..RunOptions::default()
    };
    let mut done = 0;
    let run = desk
        .playground_send_workload(request("wl", "ignored"), "chat", options, |e| {
            if matches!(e, anyint_core::playground::PlaygroundEvent::Done { .. }) {
                done += 1;
            }
        })
        .await
        .unwrap();
    assert_eq!(done, 1, "one Done, after the turn is stored");
    assert_eq!(run.summary.model, "gpt-5-mini");
    assert!(
        run.summary.turn_id.is_some(),
        "the answer is in the history"
    );
    assert_eq!(
        run.fallback.as_ref().unwrap().line,
        "answered by gpt-5-mini after gpt-5 failed: 503"
    );
    // The dry run through the Desk says the same for the same fault.
    let dry = desk
        .dry_run_workload(
            "chat",
            &DryRunInput::Fault {
                name: "maintenance".into(),
            },
            false,
        )
        .unwrap();
    assert_eq!(
        dry[0].action,
        Action::FallBack {
            model: "gpt-5-mini".into()
        }
    );
    assert_eq!(desk.fallback_log(10).unwrap().len(), 1);

    // Three requests: the plain send, the primary's 503 and the fallback's answer.
    let by_model = desk.usage_totals(GroupBy::Model).unwrap();
    let counts: Vec<(&str, u32, u32)> = by_model
        .iter()
        .map(|t| (t.group.as_str(), t.requests, t.failed))
        .collect();
    assert_eq!(counts, vec![("gpt-5", 2, 1), ("gpt-5-mini", 1, 0)]);
    assert_eq!(by_model[0].cost, None, "gpt-5 has no price");
    assert!(by_model[1].cost.is_some_and(|c| c > 0.0));
    let by_key = desk.usage_totals(GroupBy::Key).unwrap();
    assert_eq!(by_key.len(), 1, "one key, by fingerprint");
    let csv = desk.usage_csv().unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(!csv.contains(anyint_sandbox::DEMO_KEY), "never the key");
    assert!(
        csv.contains(",chat,openai_chat,gpt-5-mini,complete,200,"),
        "{csv}"
    );
}

#[tokio::test]
async fn workloads_export_and_import_and_a_bad_file_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _sandbox) = desk(dir.path()).await;
    desk.save_workload(chat()).unwrap();
    let toml = desk.export_workloads(ExportFormat::Toml).unwrap();
    assert!(desk.delete_workload("chat").unwrap());
    assert_eq!(
        desk.import_workloads(&toml, ExportFormat::Toml).unwrap(),
        vec![chat()]
    );
    assert_eq!(desk.workloads().unwrap(), vec![chat()]);

    let bad = "ANYINT_WORKLOAD_CHAT_NAME='chat'\nANYINT_WORKLOAD_CHAT_FAMILY='openai_chat'\n";
    let err = desk.import_workloads(bad, ExportFormat::Env).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(desk.workloads().unwrap(), vec![chat()], "nothing lost");

    let mut invalid = chat();
    invalid.fallback = Some("gpt-5".into());
    assert_eq!(
        desk.save_workload(invalid).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        desk.dry_run_workload(
            "nope",
            &DryRunInput::Fault {
                name: "reset".into()
            },
            false
        )
        .unwrap_err()
        .code(),
        ErrorCode::NotFound
    );
}
