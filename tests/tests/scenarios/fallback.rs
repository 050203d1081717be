//! Fallback (issue 11) against the sandbox: the primary's requests carry a sandbox fault (the
//! workload run's rehearsal header), the fallback's do not. It fires on 503, a timeout and 429
//! once the retries are spent; never on 400, 401 or 403; each fallback is logged and each
//! attempt is in the ledger; and the dry run of the same fault decides what the live run did.

use anyint_core::chat::ChatFamily;
use anyint_core::fallback::{
    self, dry_run, Action, DryRunInput, FallbackPolicy, Goal, RunOptions, Workload, WorkloadRun,
};
use anyint_core::ledger::{totals, GroupBy};
use anyint_core::playground::{simple_body, PlaygroundRequest, RunStatus};
use anyint_core::store::Store;
use anyint_sandbox::Sandbox;
use std::time::Duration;

fn workload(family: ChatFamily, primary: &str, fallback: &str) -> Workload {
    Workload {
        name: "support-chat".into(),
        family,
        primary: primary.into(),
        fallback: Some(fallback.into()),
        goal: Goal::Reliability,
        paid_tier: false,
        policy: FallbackPolicy {
            rate_limit_retries: 1,
            backoff_base_ms: 50,
            ..FallbackPolicy::default()
        },
        notes: None,
    }
}

fn request(family: ChatFamily, model: &str, stream: bool) -> PlaygroundRequest {
    PlaygroundRequest {
        run_id: "run-1".into(),
        family,
        model: model.into(),
        body: simple_body(
            family,
            model,
            None,
            Some(64),
            "Tell me about tides.",
            stream,
        ),
        stream,
        idle_timeout_ms: Some(800),
        conversation_id: None,
    }
}

async fn run_on(
    sandbox: &Sandbox,
    key: &str,
    store: &Store,
    w: &Workload,
    req: &PlaygroundRequest,
    fault: Option<&str>,
) -> WorkloadRun {
    let client = crate::client(&sandbox.base_url(), key);
    let options = RunOptions {
        rehearse_fault: fault.map(str::to_owned),
        connection_id: Some("sandbox".into()),
        ..RunOptions::default()
    };
    tokio::time::timeout(
        Duration::from_secs(30),
        fallback::run(
            &client,
            Some(store),
            w,
            req,
            &options,
            std::future::pending::<()>(),
            |_| {},
        ),
    )
    .await
    .expect("every workload run ends by itself")
    .expect("the request fits the workload")
}

/// The live run's decisions, in order (the answering attempt has none).
fn live_actions(run: &WorkloadRun) -> Vec<Action> {
    run.attempts
        .iter()
        .filter_map(|a| a.decision.as_ref().map(|d| d.action.clone()))
        .collect()
}

fn dry_actions(w: &Workload, input: DryRunInput) -> Vec<Action> {
    dry_run(w, &input, false)
        .expect("a chat fault")
        .into_iter()
        .map(|d| d.action)
        .collect()
}

/// The fallback answered, the log row and the ledger say so, and the dry run agrees.
async fn falls_back(
    fault: &str,
    family: ChatFamily,
    primary: &str,
    fallback_model: &str,
    stream: bool,
) {
    let sandbox = crate::sandbox().await;
    let store = Store::in_memory().unwrap();
    let w = workload(family, primary, fallback_model);
    let run = run_on(
        &sandbox,
        anyint_sandbox::DEMO_KEY,
        &store,
        &w,
        &request(family, primary, stream),
        Some(fault),
    )
    .await;

    assert_eq!(
        run.summary.status,
        RunStatus::Complete,
        "{fault}: {:?}",
        run.summary.failure
    );
    assert_eq!(run.summary.model, fallback_model, "{fault}");
    assert!(!run.summary.transcript.text.is_empty(), "{fault}");
    let note = run.fallback.as_ref().expect("a fallback note");
    assert!(note.answered && !note.held, "{fault}: {note:?}");
    let failure = run.attempts[0].failure.clone().unwrap();
    assert_eq!(
        note.line,
        format!("answered by {fallback_model} after {primary} failed: {failure}")
    );

    let log = store.fallback_log(10).unwrap();
    assert_eq!(log.len(), 1, "{fault}: one fallback, one row");
    let row = &log[0];
    assert_eq!(
        (
            row.workload.as_str(),
            row.primary_model.as_str(),
            row.fallback_model.as_str()
        ),
        ("support-chat", primary, fallback_model)
    );
    assert_eq!(row.action, "fell_back");
    assert_eq!(row.answered, Some(true));
    assert_eq!(row.failure, failure);
    assert!(!row.reason.is_empty());

    // Every attempt is a ledger row under the workload, by key fingerprint only.
    let ledger = store.usage_rows(100).unwrap();
    assert_eq!(ledger.len(), run.attempts.len(), "{fault}");
    assert!(ledger
        .iter()
        .all(|r| r.entry.workload.as_deref() == Some("support-chat")));
    let last = &ledger.last().unwrap().entry;
    assert_eq!(
        (last.model.as_str(), last.status),
        (fallback_model, RunStatus::Complete)
    );
    assert!(
        last.usage.output_tokens.is_some(),
        "{fault}: usage recorded"
    );
    let fingerprint = last.key_fingerprint.clone().unwrap();
    assert!(!fingerprint.contains(anyint_sandbox::DEMO_KEY));
    let by_model = totals(&store.usage_slices(GroupBy::Model).unwrap(), &[]);
    assert_eq!(
        by_model.iter().map(|t| t.requests).sum::<u32>(),
        run.attempts.len() as u32
    );

    // The dry run of the same fault makes the same decisions.
    let dry = dry_actions(&w, DryRunInput::Fault { name: fault.into() });
    assert_eq!(dry, live_actions(&run), "{fault}: dry run vs live");
}

#[tokio::test]
async fn a_503_falls_back_and_is_logged() {
    falls_back(
        "maintenance",
        ChatFamily::OpenAiChat,
        "gpt-5",
        "gpt-5-mini",
        true,
    )
    .await;
}

#[tokio::test]
async fn a_timeout_falls_back() {
    // `hang` sends half the JSON answer, then nothing: the idle timeout ends the attempt.
    falls_back(
        "hang",
        ChatFamily::Anthropic,
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        false,
    )
    .await;
}

#[tokio::test]
async fn a_429_falls_back_only_after_its_retries() {
    falls_back(
        "rate-limit",
        ChatFamily::Gemini,
        "gemini-2.5-pro",
        "gemini-2.0-flash",
        true,
    )
    .await;
}

#[tokio::test]
async fn a_500_of_a_burst_falls_back() {
    falls_back("burst", ChatFamily::OpenAiChat, "gpt-5", "gpt-5-mini", true).await;
}

#[tokio::test]
async fn stop_during_a_retry_wait_ends_the_run_without_a_fallback() {
    let sandbox = crate::sandbox().await;
    let store = Store::in_memory().unwrap();
    let w = workload(ChatFamily::OpenAiChat, "gpt-5", "gpt-5-mini");
    let client = crate::client(&sandbox.base_url(), anyint_sandbox::DEMO_KEY);
    let options = RunOptions {
        rehearse_fault: Some("rate-limit".into()),
        ..RunOptions::default()
    };
    // The 429 answers at once and its Retry-After wait is 2 s: a stop after 1 s lands inside it.
    let stop = tokio::time::sleep(Duration::from_secs(1));
    let req = request(ChatFamily::OpenAiChat, "gpt-5", true);
    let run = tokio::time::timeout(
        Duration::from_secs(30),
        fallback::run(&client, Some(&store), &w, &req, &options, stop, |_| {}),
    )
    .await
    .unwrap()
    .unwrap();
    let decided = run.attempts[0].decision.as_ref().map(|d| d.action.clone());
    assert_eq!(
        decided,
        Some(Action::Retry { after_ms: 2_000 }),
        "stopped in the wait"
    );
    assert_eq!(run.attempts.len(), 1, "{:?}", run.attempts);
    assert!(run.fallback.is_none());
    assert!(store.fallback_log(10).unwrap().is_empty());
}

#[tokio::test]
async fn a_connection_reset_falls_back_as_unavailable() {
    falls_back(
        "reset",
        ChatFamily::OpenAiResponses,
        "gpt-5",
        "gpt-5-mini",
        false,
    )
    .await;
}

/// One attempt, no fallback, no log row; the dry run of the same status and body agrees.
async fn never_falls_back(key: &str, w: &Workload, req: &PlaygroundRequest, expected: u16) {
    let sandbox = crate::sandbox().await;
    let store = Store::in_memory().unwrap();
    let run = run_on(&sandbox, key, &store, w, req, None).await;
    assert_eq!(
        run.summary.http_status,
        Some(expected),
        "{:?}",
        run.summary.failure
    );
    assert_eq!(run.attempts.len(), 1, "{expected}: no retry, no fallback");
    assert_eq!(live_actions(&run), vec![Action::GiveUp]);
    assert!(run.fallback.is_none());
    assert!(store.fallback_log(10).unwrap().is_empty());
    assert_eq!(store.usage_rows(10).unwrap().len(), 1);
    let failure = run.summary.failure.clone().unwrap();
    let typed = DryRunInput::Status {
        status: expected,
        body: failure.gateway_message.unwrap_or_default(),
        retry_after_s: failure.retry_after_s,
    };
    assert_eq!(dry_actions(w, typed), live_actions(&run), "{expected}");
}

#[tokio::test]
async fn a_400_never_falls_back() {
    let w = workload(ChatFamily::OpenAiChat, "gpt-5", "gpt-5-mini");
    let mut req = request(ChatFamily::OpenAiChat, "gpt-5", true);
    // No `messages`: an invalid request, which a fallback would send just the same.
    req.body = serde_json::json!({"model": "gpt-5", "stream": true});
    never_falls_back(anyint_sandbox::DEMO_KEY, &w, &req, 400).await;
}

#[tokio::test]
async fn a_401_never_falls_back() {
    let w = workload(
        ChatFamily::Anthropic,
        "claude-opus-4-6",
        "claude-sonnet-4-6",
    );
    let req = request(ChatFamily::Anthropic, "claude-opus-4-6", true);
    never_falls_back(anyint_sandbox::DISABLED_KEY, &w, &req, 401).await;
}

#[tokio::test]
async fn a_403_never_falls_back_even_when_the_fallback_is_allowed() {
    // Team B's key may use claude-sonnet-4-6 but not the primary claude-opus-4-6.
    let w = workload(
        ChatFamily::Anthropic,
        "claude-opus-4-6",
        "claude-sonnet-4-6",
    );
    let req = request(ChatFamily::Anthropic, "claude-opus-4-6", true);
    never_falls_back(anyint_sandbox::TEAM_B_KEY, &w, &req, 403).await;
}

#[tokio::test]
async fn a_paid_tier_holds_the_fallback_until_consent() {
    let sandbox = crate::sandbox().await;
    let store = Store::in_memory().unwrap();
    let mut w = workload(ChatFamily::OpenAiChat, "gpt-5", "gpt-5-mini");
    w.paid_tier = true;
    let req = request(ChatFamily::OpenAiChat, "gpt-5", true);
    let run = run_on(
        &sandbox,
        anyint_sandbox::DEMO_KEY,
        &store,
        &w,
        &req,
        Some("maintenance"),
    )
    .await;
    assert_eq!(run.summary.status, RunStatus::Failed);
    assert_eq!(run.attempts.len(), 1, "the fallback was not sent");
    let note = run.fallback.clone().unwrap();
    assert!(note.held && !note.answered);
    assert!(note.line.contains("without your consent"), "{}", note.line);
    let log = store.fallback_log(10).unwrap();
    assert_eq!((log.len(), log[0].action.as_str()), (1, "held"));
    assert_eq!(
        dry_actions(
            &w,
            DryRunInput::Fault {
                name: "maintenance".into()
            }
        ),
        live_actions(&run)
    );
}

#[tokio::test]
async fn a_request_of_another_family_is_refused_before_sending() {
    let sandbox = crate::sandbox().await;
    let store = Store::in_memory().unwrap();
    let w = workload(
        ChatFamily::Anthropic,
        "claude-opus-4-6",
        "claude-sonnet-4-6",
    );
    let client = crate::client(&sandbox.base_url(), anyint_sandbox::DEMO_KEY);
    let req = request(ChatFamily::OpenAiChat, "gpt-5", true);
    let err = fallback::run(
        &client,
        Some(&store),
        &w,
        &req,
        &RunOptions::default(),
        std::future::pending::<()>(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(err.contains("family"), "{err}");
    assert!(store.usage_rows(10).unwrap().is_empty());
}
