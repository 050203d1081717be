//! The typed task clients (`tasks::client::TaskClient`) against the sandbox over loopback:
//! every route of the catalogue created, polled to its end and its artifacts fetched; one
//! failing lifecycle per family; refusals before sending; gateway errors in the shared words.

use anyint_core::gateway::GatewayClient;
use anyint_core::keys::ApiKey;
use anyint_core::tasks::client::TaskClient;
use anyint_core::tasks::routes::RouteId;
use anyint_core::tasks::{
    ArtifactKind, ArtifactRef, ArtifactSource, Created, PollReport, TaskBackend, TaskState,
};
use anyint_sandbox::{Fault, Sandbox, SandboxConfig, DEMO_KEY};
use serde_json::{json, Value};
use std::time::Duration;

const CB: &str = "https://callbacks.example.com/suno";

pub async fn sandbox_with(fault: Option<Fault>) -> Sandbox {
    let config = SandboxConfig {
        task_duration: Duration::from_millis(300),
        default_fault: fault,
        ..SandboxConfig::default()
    };
    anyint_sandbox::start(config).await.unwrap()
}

pub fn tasks(sandbox: &Sandbox, key: &str) -> TaskClient {
    let gateway = GatewayClient::new(&sandbox.base_url(), ApiKey::new(key).unwrap()).unwrap();
    TaskClient::new(gateway)
}

/// A finished task: its last report and every state seen on the way.
pub struct Run {
    pub report: PollReport,
    pub seen: Vec<TaskState>,
    pub task_id: Option<String>,
}

/// Creates a task and polls it (through the `TaskBackend` trait, as the poller does) until it
/// is terminal; a sync route's answer is its end.
pub async fn run(c: &TaskClient, route: RouteId, body: &Value) -> Run {
    let created = c.create(route.as_str(), body).await;
    let created = created.unwrap_or_else(|e| panic!("{route}: create failed: {e:?}"));
    let id = match created {
        Created::Finished(report) => {
            let seen = vec![report.state];
            return Run {
                report,
                seen,
                task_id: None,
            };
        }
        Created::Task {
            gateway_task_id, ..
        } => gateway_task_id,
    };
    let mut seen = Vec::new();
    let mut last = Value::Null;
    for _ in 0..400 {
        let report = c.poll(route.as_str(), &id).await;
        let report = report.unwrap_or_else(|e| panic!("{route}: poll failed: {e:?}"));
        last = report.raw.clone();
        if seen.last() != Some(&report.state) {
            seen.push(report.state);
        }
        if report.state.is_terminal() {
            return Run {
                report,
                seen,
                task_id: Some(id),
            };
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{route}: task {id} never finished; states {seen:?}, last {last}")
}

/// Fetches every artifact's bytes (URLs without a key, gateway content with it) and checks
/// each is the kind of file it claims to be.
pub async fn check_artifacts(c: &TaskClient, route: RouteId, artifacts: &[ArtifactRef]) {
    assert!(!artifacts.is_empty(), "{route}: no artifacts");
    for a in artifacts {
        let bytes = match &a.source {
            ArtifactSource::Url { url } => {
                let r = reqwest::get(url).await.unwrap();
                assert!(
                    r.status().is_success(),
                    "{route}: {url} answered {}",
                    r.status()
                );
                r.bytes().await.unwrap().to_vec()
            }
            ArtifactSource::GatewayContent { path } => {
                let r = c.open_content(path).await.unwrap();
                r.bytes().await.unwrap().to_vec()
            }
            ArtifactSource::Inline { base64, mime } => {
                assert!(!base64.is_empty() && !mime.is_empty(), "{route}");
                continue;
            }
        };
        let ok = match a.kind {
            ArtifactKind::Image => bytes.starts_with(b"\x89PNG"),
            ArtifactKind::Audio => bytes.starts_with(b"RIFF"),
            ArtifactKind::Video => bytes.get(4..8) == Some(b"ftyp"),
            ArtifactKind::Text => !bytes.is_empty(),
        };
        assert!(
            ok,
            "{route}: a {:?} artifact is not one ({} bytes)",
            a.kind,
            bytes.len()
        );
    }
}

async fn succeeds(c: &TaskClient, route: RouteId, body: Value) -> Run {
    let run = run(c, route, &body).await;
    let r = &run.report;
    assert_eq!(
        r.state,
        TaskState::Succeeded,
        "{route}: {:?} {:?}",
        r.failure,
        r.raw
    );
    assert!(r.failure.is_none(), "{route}: {:?}", r.failure);
    assert!(!r.raw_status.is_empty(), "{route}");
    check_artifacts(c, route, &r.artifacts).await;
    run
}

fn media_bodies() -> Vec<(RouteId, Value)> {
    let prompt = "A paper airplane over a blue sky";
    vec![
        (
            RouteId::OpenAiVideos,
            json!({"model": "kling-3.0", "prompt": prompt, "duration": 5}),
        ),
        (
            RouteId::OpenAiImages,
            json!({"model": "nano-banana-2", "prompt": prompt, "n": 2}),
        ),
        (
            RouteId::OpenAiImages,
            json!({"model": "nano-banana-2", "prompt": prompt, "response_format": "b64_json"}),
        ),
        (
            RouteId::GeminiImage,
            json!({"model": "gemini-3.1-flash-image-preview",
                "contents": [{"role": "user", "parts": [{"text": prompt}]}],
                "generationConfig": {"responseModalities": ["TEXT", "IMAGE"]}}),
        ),
        (
            RouteId::DashScopeImage,
            json!({"model": "qwen-image-plus",
                "input": {"messages": [{"role": "user", "content": [{"text": prompt}]}]}}),
        ),
        (
            RouteId::DashScopeVideo,
            json!({"model": "wan2.5-t2v-preview", "input": {"prompt": prompt},
                "parameters": {"resolution": "720P", "duration": 5}}),
        ),
        (
            RouteId::KlingImage,
            json!({"model_name": "kling-v2-1", "model": "kling-v2-1", "prompt": prompt, "n": 2}),
        ),
        (
            RouteId::KlingOmniImage,
            json!({"model_name": "kling-v3-omni", "prompt": prompt}),
        ),
        (
            RouteId::KlingOmniVideo,
            json!({"model_name": "kling-v3-omni", "prompt": prompt, "sound": "off"}),
        ),
        (
            RouteId::KlingText2Video,
            json!({"model_name": "kling-v3", "prompt": prompt, "mode": "std", "duration": "5"}),
        ),
        (
            RouteId::KlingImage2Video,
            json!({"model_name": "kling-v3", "image": "https://example.com/first.png", "mode": "pro"}),
        ),
    ]
}

#[tokio::test]
async fn every_image_and_video_route_reaches_success_with_real_files() {
    let sandbox = sandbox_with(None).await;
    let c = tasks(&sandbox, DEMO_KEY);
    for (route, body) in media_bodies() {
        let run = succeeds(&c, route, body.clone()).await;
        let r = &run.report;
        if route.is_sync() {
            assert!(run.task_id.is_none(), "{route}");
        } else {
            // Polled from the start: a queued or running state came before success.
            assert!(run.seen.len() >= 2, "{route}: {:?}", run.seen);
        }
        match route {
            RouteId::OpenAiVideos => {
                let id = run.task_id.clone().unwrap();
                let want = ArtifactSource::GatewayContent {
                    path: format!("/videos/{id}/content"),
                };
                assert_eq!(r.artifacts[0].source, want);
                assert_eq!(r.raw_status, "completed");
                assert_eq!(r.progress, Some(100.0));
            }
            RouteId::OpenAiImages if body.get("n").is_some() => assert_eq!(r.artifacts.len(), 2),
            RouteId::OpenAiImages | RouteId::GeminiImage => {
                assert!(
                    matches!(r.artifacts[0].source, ArtifactSource::Inline { .. }),
                    "{route}"
                );
            }
            RouteId::KlingImage => assert_eq!(r.artifacts.len(), 2),
            RouteId::DashScopeVideo => assert_eq!(r.raw_status, "SUCCEEDED"),
            RouteId::KlingText2Video => assert_eq!(r.raw_status, "succeed"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn every_music_route_reaches_success_from_one_song() {
    let sandbox = sandbox_with(None).await;
    let c = tasks(&sandbox, DEMO_KEY);
    let song = succeeds(
        &c,
        RouteId::SunoGenerate,
        json!({"customMode": false, "instrumental": false, "model": "V5",
            "prompt": "A bright summer pop song about travel", "callBackUrl": CB}),
    )
    .await;
    // PENDING -> TEXT_SUCCESS / FIRST_SUCCESS (partial) -> SUCCESS.
    assert!(song.seen.contains(&TaskState::Partial), "{:?}", song.seen);
    assert_eq!(song.report.raw_status, "SUCCESS");
    let audio: Vec<&ArtifactRef> = song
        .report
        .artifacts
        .iter()
        .filter(|a| a.kind == ArtifactKind::Audio)
        .collect();
    assert_eq!(audio.len(), 2, "two songs per generation");
    assert!(song
        .report
        .artifacts
        .iter()
        .any(|a| a.kind == ArtifactKind::Image));
    let task_id = song.task_id.clone().unwrap();
    let audio_id = audio[0].item_id.clone().expect("a song id");

    let source = json!({"taskId": task_id, "audioId": audio_id, "callBackUrl": CB});
    let with = |extra: Value| {
        let mut body = source.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let upload = "https://example.com/source.mp3";
    let cases = vec![
        (
            RouteId::SunoExtend,
            json!({"audioId": audio_id, "defaultParamFlag": false, "model": "V5", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoLyrics,
            json!({"prompt": "A song about the sea", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoTimestampedLyrics,
            json!({"taskId": task_id, "audioId": audio_id}),
        ),
        (RouteId::SunoStyle, json!({"content": "Pop, Mysterious"})),
        (
            RouteId::SunoCoverArt,
            json!({"taskId": task_id, "callBackUrl": CB}),
        ),
        (
            RouteId::SunoUploadCover,
            json!({"uploadUrl": upload, "customMode": false, "instrumental": false, "model": "V5", "prompt": "A cover", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoUploadExtend,
            json!({"uploadUrl": upload, "defaultParamFlag": false, "model": "V5", "prompt": "Keep going", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoAddVocals,
            json!({"uploadUrl": upload, "prompt": "la la", "title": "T", "style": "pop", "negativeTags": "metal", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoAddInstrumental,
            json!({"uploadUrl": upload, "title": "T", "tags": "pop", "negativeTags": "metal", "callBackUrl": CB}),
        ),
        (
            RouteId::SunoPersona,
            json!({"taskId": task_id, "audioId": audio_id, "name": "Night voice", "description": "warm"}),
        ),
        (RouteId::SunoVocalRemoval, source.clone()),
        (RouteId::SunoSplitStem, source.clone()),
        (
            RouteId::SunoReplaceSection,
            with(
                json!({"prompt": "new words", "tags": "pop", "title": "T", "infillStartS": 10.0, "infillEndS": 20.0}),
            ),
        ),
        (RouteId::SunoWav, source.clone()),
        (RouteId::SunoMp4, with(json!({"author": "Me"}))),
    ];
    for (route, body) in cases {
        let run = succeeds(&c, route, body).await;
        let kinds: Vec<ArtifactKind> = run.report.artifacts.iter().map(|a| a.kind).collect();
        let want = match route {
            RouteId::SunoLyrics
            | RouteId::SunoTimestampedLyrics
            | RouteId::SunoStyle
            | RouteId::SunoPersona => ArtifactKind::Text,
            RouteId::SunoCoverArt => ArtifactKind::Image,
            RouteId::SunoMp4 => ArtifactKind::Video,
            _ => ArtifactKind::Audio,
        };
        assert!(kinds.contains(&want), "{route}: {kinds:?}");
        if route == RouteId::SunoSplitStem {
            assert!(kinds.len() > 3, "split stems: {kinds:?}");
            let hints: Vec<_> = run
                .report
                .artifacts
                .iter()
                .filter_map(|a| a.name_hint.clone())
                .collect();
            assert!(hints.iter().any(|h| h == "stem-vocal"), "{hints:?}");
        }
        if route == RouteId::SunoPersona {
            assert!(run.report.artifacts[0].item_id.is_some(), "persona id kept");
        }
    }
}

fn failure_text(report: &PollReport) -> &str {
    report.failure.as_deref().unwrap_or_default()
}

#[tokio::test]
async fn each_family_reports_a_failed_task_with_its_words() {
    let sandbox = sandbox_with(Some(Fault::TaskFail)).await;
    let c = tasks(&sandbox, DEMO_KEY);
    let song = json!({"customMode": false, "instrumental": true, "model": "V4_5",
        "prompt": "Ambient drones", "callBackUrl": CB});
    let mut cases: Vec<(RouteId, Value, &str)> =
        vec![(RouteId::SunoGenerate, song, "GENERATE_AUDIO_FAILED")];
    for (route, body) in media_bodies().into_iter().filter(|(r, _)| !r.is_sync()) {
        let raw = match route.family() {
            anyint_core::gateway::Family::OpenAi => "failed",
            anyint_core::gateway::Family::DashScope => "FAILED",
            _ => "failed",
        };
        cases.push((route, body, raw));
    }
    for (route, body, raw) in cases {
        let run = run(&c, route, &body).await;
        let r = &run.report;
        assert_eq!(r.state, TaskState::Failed, "{route}: {:?}", r.raw);
        assert_eq!(r.raw_status, raw, "{route}");
        assert!(!failure_text(r).is_empty(), "{route}: no failure text");
        assert!(
            r.artifacts.is_empty(),
            "{route}: a failed task has no artifacts"
        );
    }
}

#[tokio::test]
async fn a_body_that_breaks_a_documented_limit_is_never_sent() {
    let sandbox = sandbox_with(None).await;
    let c = tasks(&sandbox, DEMO_KEY);
    let no_callback =
        json!({"customMode": false, "instrumental": false, "model": "V5", "prompt": "x"});
    let e = c.create("suno.generate", &no_callback).await.unwrap_err();
    assert!(!e.retryable && e.status.is_none(), "{e:?}");
    assert!(e.message.contains("/callBackUrl"), "{}", e.message);
    let long = json!({"customMode": false, "instrumental": false, "model": "V5",
        "prompt": "x".repeat(501), "callBackUrl": CB});
    let e = c.create("suno.generate", &long).await.unwrap_err();
    assert!(e.message.contains("500"), "{}", e.message);
    let e = c.create("suno.nope", &json!({})).await.unwrap_err();
    assert!(
        !e.retryable && e.message.contains("suno.generate"),
        "{}",
        e.message
    );
    let e = c.poll("suno.style", "abc").await.unwrap_err();
    assert!(!e.retryable, "a sync route has nothing to poll");
    let e = c
        .poll("kling.image", "../../openai/v1/models")
        .await
        .unwrap_err();
    assert!(!e.retryable && e.status.is_none(), "{e:?}");
    let e = c
        .open_content("/../../anthropic/v1/models")
        .await
        .unwrap_err();
    assert!(!e.retryable, "{e:?}");
}
