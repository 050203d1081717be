use super::*;
use crate::store::Store;

fn workload() -> Workload {
    Workload {
        name: "chat".into(),
        family: ChatFamily::OpenAiChat,
        primary: "gpt-5".into(),
        fallback: Some("gpt-5-mini".into()),
        goal: Goal::Quality,
        paid_tier: false,
        policy: FallbackPolicy::default(),
        notes: None,
    }
}

fn status(status: u16, retry_after_s: Option<u64>) -> Failure {
    Failure::Status {
        status,
        retry_after_s,
        message: "boom".into(),
    }
}

fn first(w: &Workload, f: &Failure) -> Decision {
    decide(w, &Attempt::default(), f)
}

#[test]
fn never_falls_back_on_invalid_auth_or_policy_failures() {
    let w = workload();
    for code in [400, 401, 402, 403, 404, 422] {
        let d = first(&w, &status(code, None));
        assert_eq!(d.action, Action::GiveUp, "{code}");
        assert_eq!(d.trigger, None, "{code}");
        assert!(d.reason.starts_with(&code.to_string()), "{}", d.reason);
    }
    // A content-policy refusal is never worked around, even behind a 5xx or inside a stream.
    let refusal = Failure::Status {
        status: 500,
        retry_after_s: None,
        message: "Your request was rejected by our content_policy".into(),
    };
    assert_eq!(first(&w, &refusal).action, Action::GiveUp);
    let in_stream = Failure::InStream {
        message: "blocked by safety settings".into(),
    };
    assert_eq!(first(&w, &in_stream).action, Action::GiveUp);
    for f in [Failure::Partial, Failure::Malformed, Failure::Stopped] {
        assert_eq!(first(&w, &f).action, Action::GiveUp, "{f:?}");
    }
}

#[test]
fn transient_failures_fall_back_at_once_by_default() {
    let w = workload();
    let cases = [
        (status(500, None), Trigger::ServerError),
        (status(502, None), Trigger::ServerError),
        (status(503, None), Trigger::Unavailable),
        (status(504, None), Trigger::Timeout),
        (Failure::Timeout, Trigger::Timeout),
        (Failure::Unavailable, Trigger::Unavailable),
        (
            Failure::InStream {
                message: "overloaded_error: Overloaded".into(),
            },
            Trigger::Unavailable,
        ),
    ];
    for (f, trigger) in cases {
        let d = first(&w, &f);
        assert_eq!(
            d.action,
            Action::FallBack {
                model: "gpt-5-mini".into()
            },
            "{f:?}"
        );
        assert_eq!(d.trigger, Some(trigger), "{f:?}");
    }
}

#[test]
fn a_429_retries_with_backoff_honouring_retry_after_then_falls_back() {
    let w = workload();
    let f = status(429, Some(2));
    let d0 = decide(&w, &Attempt::default(), &f);
    // Retry-After 2 s beats the 500 ms backoff.
    assert_eq!(d0.action, Action::Retry { after_ms: 2_000 });
    assert!(d0.reason.contains("Retry-After 2 s"), "{}", d0.reason);
    // Without Retry-After the backoff doubles: 500, 1000.
    let bare = status(429, None);
    let waits: Vec<Action> = (0..2)
        .map(|retries| {
            decide(
                &w,
                &Attempt {
                    retries,
                    ..Attempt::default()
                },
                &bare,
            )
            .action
        })
        .collect();
    assert_eq!(
        waits,
        vec![
            Action::Retry { after_ms: 500 },
            Action::Retry { after_ms: 1_000 }
        ]
    );
    let spent = decide(
        &w,
        &Attempt {
            retries: 2,
            ..Attempt::default()
        },
        &f,
    );
    assert_eq!(
        spent.action,
        Action::FallBack {
            model: "gpt-5-mini".into()
        }
    );
    assert!(spent.reason.contains("after 2 retries"), "{}", spent.reason);
    // A Retry-After beyond the policy's wait is not waited out.
    let long = decide(&w, &Attempt::default(), &status(429, Some(120)));
    assert!(matches!(long.action, Action::FallBack { .. }), "{long:?}");
}

#[test]
fn the_backoff_is_capped() {
    let mut w = workload();
    w.policy.transient_retries = 10;
    let d = decide(
        &w,
        &Attempt {
            retries: 9,
            ..Attempt::default()
        },
        &status(503, None),
    );
    assert_eq!(d.action, Action::Retry { after_ms: 8_000 });
}

#[test]
fn policy_switches_are_honoured() {
    let mut w = workload();
    w.policy.triggers.timeout = false;
    let d = first(&w, &Failure::Timeout);
    assert_eq!(d.action, Action::GiveUp);
    assert_eq!(d.trigger, Some(Trigger::Timeout));
    assert!(d.reason.contains("does not allow"), "{}", d.reason);

    w.fallback = None;
    assert!(first(&w, &status(503, None)).reason.contains("no fallback"));

    let mut paid = workload();
    paid.paid_tier = true;
    assert_eq!(
        first(&paid, &status(503, None)).action,
        Action::AskFirst {
            model: "gpt-5-mini".into()
        }
    );
    let consent = Attempt {
        consent: true,
        ..Attempt::default()
    };
    assert!(matches!(
        decide(&paid, &consent, &status(503, None)).action,
        Action::FallBack { .. }
    ));
    // The fallback failing too ends the run.
    let on_fallback = Attempt {
        on_fallback: true,
        ..Attempt::default()
    };
    let d = decide(&workload(), &on_fallback, &status(503, None));
    assert_eq!(d.action, Action::GiveUp);
    assert!(d.reason.contains("failed too"), "{}", d.reason);
}

#[test]
fn the_dry_run_walks_the_same_table() {
    let w = workload();
    let steps = dry_run(
        &w,
        &DryRunInput::Fault {
            name: "rate-limit".into(),
        },
        false,
    )
    .unwrap();
    let actions: Vec<&Action> = steps.iter().map(|d| &d.action).collect();
    assert_eq!(
        actions,
        vec![
            &Action::Retry { after_ms: 2_000 },
            &Action::Retry { after_ms: 2_000 },
            &Action::FallBack {
                model: "gpt-5-mini".into()
            }
        ]
    );
    let typed = DryRunInput::Status {
        status: 401,
        body: r#"{"error":{"message":"Invalid or missing API key"}}"#.into(),
        retry_after_s: None,
    };
    let steps = dry_run(&w, &typed, false).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].action, Action::GiveUp);
    assert!(dry_run(
        &w,
        &DryRunInput::Fault {
            name: "slow".into()
        },
        false
    )
    .unwrap()
    .is_empty());
    assert!(dry_run(
        &w,
        &DryRunInput::Fault {
            name: "task-fail".into()
        },
        false
    )
    .is_err());
    assert!(dry_run(
        &w,
        &DryRunInput::Fault {
            name: "nope".into()
        },
        false
    )
    .is_err());
}

#[test]
fn workloads_are_validated_with_reasons() {
    assert!(workload().validate().is_ok());
    let bad = |edit: fn(&mut Workload)| {
        let mut w = workload();
        edit(&mut w);
        w.validate().unwrap_err().reason
    };
    assert!(bad(|w| w.name = "Chat Bot".into()).contains("lowercase"));
    assert!(bad(|w| w.primary = String::new()).contains("primary"));
    assert!(bad(|w| w.fallback = Some("gpt-5".into())).contains("is the primary"));
    assert!(bad(|w| w.policy.backoff_base_ms = 0).contains("backoff"));
    assert!(bad(|w| w.policy.rate_limit_retries = 99).contains("at most"));
}

fn team() -> Vec<Workload> {
    let mut code = workload();
    code.name = "image-understanding".into();
    code.family = ChatFamily::Gemini;
    code.primary = "gemini-2.5-pro".into();
    code.fallback = None;
    code.goal = Goal::Reliability;
    code.paid_tier = true;
    code.notes = Some("vision; it's the team's".into());
    code.policy.triggers.rate_limited = false;
    code.policy.rate_limit_retries = 4;
    vec![workload(), code]
}

#[test]
fn exports_round_trip_in_every_format() {
    for format in [ExportFormat::Json, ExportFormat::Toml, ExportFormat::Env] {
        let text = export(&team(), format).unwrap();
        assert_eq!(
            import(&text, format).unwrap(),
            team(),
            "{format:?}:\n{text}"
        );
    }
    let env = export(&team(), ExportFormat::Env).unwrap();
    assert!(
        env.contains("ANYINT_WORKLOAD_IMAGE_UNDERSTANDING_PRIMARY='gemini-2.5-pro'"),
        "{env}"
    );
}

#[test]
fn a_bad_import_keeps_nothing_and_says_why() {
    let dup = format!(
        "{}\n{}",
        export(&[workload()], ExportFormat::Env).unwrap(),
        "ANYINT_WORKLOAD_CHAT2_NAME='chat'\nANYINT_WORKLOAD_CHAT2_FAMILY='openai_chat'\nANYINT_WORKLOAD_CHAT2_PRIMARY='x'\nANYINT_WORKLOAD_CHAT2_GOAL='cost'\n"
    );
    assert!(import(&dup, ExportFormat::Env)
        .unwrap_err()
        .contains("twice"));
    let missing = "ANYINT_WORKLOAD_X_NAME='x'\n";
    assert!(import(missing, ExportFormat::Env)
        .unwrap_err()
        .contains("FAMILY"));
    let invalid =
        r#"{"workloads":[{"name":"a b","family":"anthropic","primary":"m","goal":"cost"}]}"#;
    assert!(import(invalid, ExportFormat::Json)
        .unwrap_err()
        .contains("lowercase"));
    assert!(import("[[workloads]]\nname = 1", ExportFormat::Toml).is_err());
    // Other variables of a shared .env file are left alone.
    let mixed = format!(
        "PATH=/bin\n{}",
        export(&[workload()], ExportFormat::Env).unwrap()
    );
    assert_eq!(import(&mixed, ExportFormat::Env).unwrap(), vec![workload()]);
}

#[test]
fn workloads_and_the_fallback_log_survive_the_store() {
    let store = Store::in_memory().unwrap();
    for w in team() {
        store.upsert_workload(&w, "2026-12-01T00:00:00Z").unwrap();
    }
    let mut changed = workload();
    changed.fallback = Some("gpt-4.1".into());
    store
        .upsert_workload(&changed, "2026-12-01T00:00:01Z")
        .unwrap();
    let all = store.workloads().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(store.workload("chat").unwrap(), Some(changed));
    assert_eq!(
        store.workload("image-understanding").unwrap(),
        Some(team()[1].clone())
    );
    assert!(store.delete_workload("chat").unwrap());
    assert!(!store.delete_workload("chat").unwrap());

    let row = crate::store::FallbackLogRow {
        id: 0,
        at: "2026-12-01T00:00:02Z".into(),
        workload: "chat".into(),
        family: ChatFamily::OpenAiChat,
        primary_model: "gpt-5".into(),
        fallback_model: "gpt-5-mini".into(),
        status: Some(503),
        failure: "503".into(),
        trigger: Some("unavailable".into()),
        reason: "503 upstream unavailable".into(),
        action: "fell_back".into(),
        run_id: Some("r1".into()),
        answered: None,
    };
    let id = store.insert_fallback(&row).unwrap();
    store.set_fallback_answered(id, true).unwrap();
    let log = store.fallback_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].answered, Some(true));
    assert_eq!(log[0].status, Some(503));
    assert_eq!(log[0].fallback_model, "gpt-5-mini");
}
