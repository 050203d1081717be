//! The task clients survive each way the upstream APIs differ from the AnyInt docs, as the
//! sandbox's variant switches emit them (Suno and Kling errors inside HTTP 200, lyrics under
//! `data[]`, `successFlag` as an integer, `createTime` as text), and the sandbox's task faults
//! (an exhausted balance, maintenance, a create that fails at once, polls answering 5xx, a
//! rate limit, expired artifacts) and plain gateway errors in the shared words.

use super::task_clients::{check_artifacts, run, sandbox_with, tasks};
use anyint_core::tasks::routes::RouteId;
use anyint_core::tasks::{
    ArtifactKind, ArtifactSource, BackendFailure, Created, TaskBackend, TaskState,
};
use anyint_core::wire::suno::{Envelope, TaskRecord, Timestamp};
use anyint_sandbox::{Fault, Sandbox, SandboxConfig, Variant, DEMO_KEY, DISABLED_KEY};
use serde_json::{json, Value};
use std::time::Duration;

const CB: &str = "https://callbacks.example.com/suno";

async fn sandbox(variants: &[Variant], fault: Option<Fault>) -> Sandbox {
    let config = SandboxConfig {
        task_duration: Duration::from_millis(300),
        default_fault: fault,
        default_variants: variants.to_vec(),
        ..SandboxConfig::default()
    };
    anyint_sandbox::start(config).await.unwrap()
}

fn song() -> Value {
    json!({"customMode": false, "instrumental": false, "model": "V5",
        "prompt": "A song about a night drive", "callBackUrl": CB})
}

#[tokio::test]
async fn suno_errors_fail_the_same_whether_the_code_is_in_the_status_or_only_in_the_body() {
    // (fault, code in the body, HTTP status without the variant, retryable by that status).
    let cases = [
        (Fault::Exhausted, 429, 402, false),
        (Fault::Maintenance, 455, 503, true),
    ];
    for (fault, code, status, by_status) in cases {
        for http_200 in [false, true] {
            let variants: &[Variant] = if http_200 {
                &[Variant::SunoHttp200]
            } else {
                &[]
            };
            let sb = sandbox(variants, Some(fault)).await;
            let c = tasks(&sb, DEMO_KEY);
            let e = c.create("suno.generate", &song()).await.unwrap_err();
            let case = format!("{variants:?} {fault:?}: {e:?}");
            if http_200 {
                // Only the body says what went wrong: its code stands in for the status, and
                // 429 (credits) and 455 (maintenance) back off as those statuses would.
                assert_eq!((e.status, e.retryable), (Some(code), true), "{case}");
                assert!(e.message.contains(&code.to_string()), "{case}");
            } else {
                assert_eq!((e.status, e.retryable), (Some(status), by_status), "{case}");
            }
            assert!(
                e.raw
                    .as_deref()
                    .is_some_and(|r| r.contains(&code.to_string())),
                "{case}"
            );
        }
    }
}

#[tokio::test]
async fn kling_non_zero_codes_in_http_200_are_failures_with_the_retry_hint_kept() {
    let sb = sandbox(&[Variant::KlingHttp200], Some(Fault::RateLimit)).await;
    let c = tasks(&sb, DEMO_KEY);
    let body = json!({"model_name": "kling-v3", "prompt": "night street"});
    let e = c.create("kling.text2video", &body).await.unwrap_err();
    assert!(e.retryable, "{e:?}");
    assert!(e.message.contains("1302"), "{e:?}");
    assert_eq!(e.retry_after, Some(Duration::from_secs(2)), "{e:?}");

    let sb = sandbox(&[Variant::KlingHttp200], Some(Fault::Exhausted)).await;
    let c = tasks(&sb, DEMO_KEY);
    let e = c.create("kling.text2video", &body).await.unwrap_err();
    assert!(!e.retryable, "an empty balance is not retried as is: {e:?}");
}

#[tokio::test]
async fn lyrics_under_response_data_are_read_like_lyrics_data() {
    for variants in [&[][..], &[Variant::LyricsResponseData][..]] {
        let sb = sandbox(variants, None).await;
        let c = tasks(&sb, DEMO_KEY);
        let body = json!({"prompt": "The sea at night", "callBackUrl": CB});
        let run = run(&c, RouteId::SunoLyrics, &body).await;
        assert_eq!(run.report.state, TaskState::Succeeded, "{variants:?}");
        let texts = run
            .report
            .artifacts
            .iter()
            .filter(|a| a.kind == ArtifactKind::Text);
        assert!(texts.count() >= 1, "{variants:?}: {:?}", run.report.raw);
        let response = &run.report.raw["data"]["response"];
        let key = if variants.is_empty() {
            "lyricsData"
        } else {
            "data"
        };
        assert!(response[key].is_array(), "{variants:?}: {response}");
    }
}

#[tokio::test]
async fn success_flag_as_an_integer_and_create_time_as_text_still_finish_with_artifacts() {
    let sb = sandbox(&[Variant::SuccessFlagInt, Variant::CreateTimeText], None).await;
    let c = tasks(&sb, DEMO_KEY);
    let run = run(&c, RouteId::SunoGenerate, &song()).await;
    assert_eq!(
        run.report.state,
        TaskState::Succeeded,
        "{:?}",
        run.report.raw
    );
    check_artifacts(&c, RouteId::SunoGenerate, &run.report.artifacts).await;
    let envelope: Envelope<TaskRecord> = serde_json::from_value(run.report.raw.clone()).unwrap();
    let record = envelope.data.unwrap();
    assert!(
        run.report.raw["data"]["successFlag"].is_number(),
        "{:?}",
        run.report.raw
    );
    let song = &record.response.unwrap().suno_data[0];
    let time = song.create_time.as_ref().unwrap();
    assert!(matches!(time, Timestamp::Text(_)), "{time:?}");
    assert!(time.unix_millis().is_some_and(|ms| ms > 0), "{time:?}");

    // The sync style route's flag in the same variant.
    let created = c
        .create("suno.style", &json!({"content": "Pop, Mysterious"}))
        .await
        .unwrap();
    let Created::Finished(style) = created else {
        panic!("style is sync")
    };
    assert_eq!(style.state, TaskState::Succeeded, "{:?}", style.raw);
    assert_eq!(style.artifacts.len(), 1);
}

#[tokio::test]
async fn a_create_that_fails_at_once_is_a_failed_task_not_a_lost_one() {
    let sb = sandbox(&[], Some(Fault::CreateFail)).await;
    let c = tasks(&sb, DEMO_KEY);
    let run = run(&c, RouteId::SunoGenerate, &song()).await;
    assert_eq!(run.report.state, TaskState::Failed);
    assert_eq!(run.report.raw_status, "CREATE_TASK_FAILED");
    assert!(run.report.failure.is_some());
    let video = json!({"model": "kling-3.0", "prompt": "p"});
    let run = super::task_clients::run(&c, RouteId::OpenAiVideos, &video).await;
    assert_eq!(
        (run.report.state, run.report.raw_status.as_str()),
        (TaskState::Failed, "failed")
    );
}

#[tokio::test]
async fn polls_answering_5xx_are_retryable_and_the_task_still_finishes() {
    let sb = sandbox(&[], Some(Fault::Poll5xx)).await;
    let c = tasks(&sb, DEMO_KEY);
    let body = json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "waves"}});
    let Created::Task {
        gateway_task_id: id,
        ..
    } = c.create("dashscope.video", &body).await.unwrap()
    else {
        panic!("a task route")
    };
    let mut failures = 0;
    for _ in 0..200 {
        match c.poll("dashscope.video", &id).await {
            Err(e) => {
                assert!(e.retryable && e.status.is_some_and(|s| s >= 500), "{e:?}");
                failures += 1;
            }
            Ok(r) if r.state.is_terminal() => {
                assert_eq!(r.state, TaskState::Succeeded);
                assert!(failures > 0, "the fault made no poll fail");
                return;
            }
            Ok(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("never finished after {failures} failed polls");
}

#[tokio::test]
async fn gateway_errors_become_failures_that_keep_status_retry_hint_and_no_key() {
    let sandbox = sandbox_with(None).await;
    let c = tasks(&sandbox, DISABLED_KEY);
    let body = json!({"model": "kling-3.0", "prompt": "p"});
    let e: BackendFailure = c.create("openai.videos", &body).await.unwrap_err();
    assert_eq!((e.status, e.retryable), (Some(401), false), "{e:?}");
    let all = format!("{} {:?}", e.message, e.raw);
    assert!(!all.contains(DISABLED_KEY), "{all}");

    let limited = sandbox_with(Some(Fault::RateLimit)).await;
    let c = tasks(&limited, DEMO_KEY);
    for (route, body) in [
        ("openai.videos", body.clone()),
        (
            "kling.text2video",
            json!({"model_name": "kling-v3", "prompt": "p"}),
        ),
        ("suno.style", json!({"content": "pop"})),
    ] {
        let e = c.create(route, &body).await.unwrap_err();
        assert!(e.retryable, "{route}: {e:?}");
        assert_eq!(e.status, Some(429), "{route}");
        assert_eq!(e.retry_after, Some(Duration::from_secs(2)), "{route}");
    }

    // Polling a task this key never made: the family's not-found, never retried.
    let c = tasks(&sandbox, DEMO_KEY);
    let e = c.poll("openai.videos", "video_missing").await.unwrap_err();
    assert_eq!((e.status, e.retryable), (Some(404), false), "{e:?}");
    // DashScope answers an unknown id with HTTP 200 and `UNKNOWN`.
    let r = c.poll("dashscope.video", "missing-task").await.unwrap();
    assert_eq!(
        (r.state, r.raw_status.as_str()),
        (TaskState::Failed, "UNKNOWN")
    );
}

#[tokio::test]
async fn expired_artifacts_are_reported_finished_but_their_urls_no_longer_answer() {
    let sandbox = sandbox_with(Some(Fault::Expired)).await;
    let c = tasks(&sandbox, DEMO_KEY);
    let body = json!({"model": "wan2.5-t2v-preview", "input": {"prompt": "waves"}});
    let done = run(&c, RouteId::DashScopeVideo, &body).await;
    assert_eq!(done.report.state, TaskState::Succeeded);
    let ArtifactSource::Url { url } = &done.report.artifacts[0].source else {
        panic!("{:?}", done.report.artifacts)
    };
    assert_eq!(reqwest::get(url).await.unwrap().status(), 404);
    let video = json!({"model": "kling-3.0", "prompt": "p"});
    let done = run(&c, RouteId::OpenAiVideos, &video).await;
    let ArtifactSource::GatewayContent { path } = &done.report.artifacts[0].source else {
        panic!("{:?}", done.report.artifacts)
    };
    let e = c.open_content(path).await.unwrap_err();
    assert_eq!((e.status, e.retryable), (Some(404), false), "{e:?}");
}
