//! Downloads against local HTTP servers (wiremock): one plays a CDN on another host, one the
//! gateway's own content route.

use super::*;
use crate::tasks::download::{extension, file_name, name_part, ArtifactName};
use crate::tasks::view::ArtifactState;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn cdn_with(route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_url_is_streamed_checksummed_named_by_us_and_sent_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let cdn = cdn_with(
        "/files/evil.sh",
        ResponseTemplate::new(200).set_body_raw(bytes.clone(), "audio/mpeg"),
    )
    .await;
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Finished(report(
        TaskState::Succeeded,
        vec![url_artifact(
            ArtifactKind::Audio,
            format!("{}/files/evil.sh", cdn.uri()),
            Some("../../.ssh/authorized_keys"),
        )],
    )));
    let body = json!({"prompt": "../../etc/passwd\u{0}\nNight drive"});
    let row = center.submit(&*double, &args("s", &body)).await.unwrap();
    assert_eq!(row.state, TaskState::Succeeded);
    let art = &center.detail(&row.id).unwrap().artifacts[0];
    assert_eq!(art.state, ArtifactState::Saved);
    assert_eq!(art.sha256.as_deref(), Some(sha256_hex(&bytes).as_str()));
    let saved = std::path::PathBuf::from(art.path.clone().unwrap());
    assert_eq!(saved.parent().unwrap(), dir.path().join("artifacts"));
    assert_eq!(std::fs::read(&saved).unwrap(), bytes);
    let name = &art.file_name;
    assert!(
        name.ends_with(".mp3"),
        "extension not from the MIME type: {name}"
    );
    assert!(
        !name.contains(".sh") && !name.contains('/') && !name.contains(".."),
        "{name}"
    );
    assert!(name.chars().all(|c| !c.is_control()), "{name:?}");
    // No temp file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("artifacts"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let requests = cdn.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(
        !requests[0].headers.contains_key("authorization")
            && !requests[0].headers.contains_key("x-api-key"),
        "a key went to another host: {:?}",
        requests[0].headers
    );
}

#[tokio::test]
async fn gateway_content_goes_through_the_backend_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let gateway = cdn_with(
        "/videos/video_1/content",
        ResponseTemplate::new(200).set_body_raw(b"mp4 bytes".to_vec(), "video/mp4"),
    )
    .await;
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Finished(report(
        TaskState::Succeeded,
        vec![ArtifactRef {
            kind: ArtifactKind::Video,
            source: ArtifactSource::GatewayContent {
                path: "/videos/video_1/content".into(),
            },
            name_hint: None,
            item_id: Some("video_1".into()),
        }],
    )));
    *double.content_base.lock().unwrap() = Some(gateway.uri());
    let row = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap();
    let art = &center.detail(&row.id).unwrap().artifacts[0];
    assert_eq!(art.state, ArtifactState::Saved);
    assert!(art.file_name.ends_with(".mp4"));
    let requests = gateway.received_requests().await.unwrap();
    assert!(requests[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn an_expired_url_makes_the_artifact_and_the_task_expired_with_re_run_offered() {
    for status in [403u16, 404, 410] {
        let dir = tempfile::tempdir().unwrap();
        let cdn = cdn_with("/v.mp4", ResponseTemplate::new(status)).await;
        let center = center_in(dir.path());
        let double = Double::new(CreateMode::Finished(report(
            TaskState::Succeeded,
            vec![url_artifact(
                ArtifactKind::Video,
                format!("{}/v.mp4", cdn.uri()),
                None,
            )],
        )));
        let row = center
            .submit(&*double, &args("s", &json!({"prompt": "p"})))
            .await
            .unwrap();
        assert_eq!(row.state, TaskState::Expired, "HTTP {status}");
        assert!(row.error.unwrap().contains("re-run"));
        let art = &center.detail(&row.id).unwrap().artifacts[0];
        assert_eq!(art.state, ArtifactState::Expired);
        assert!(art.path.is_none());
    }
}

#[tokio::test]
async fn a_5xx_file_keeps_the_task_open_and_a_later_answer_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let cdn = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/a.png"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&cdn)
        .await;
    Mock::given(method("GET"))
        .and(path("/a.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"png".to_vec(), "image/png"))
        .mount(&cdn)
        .await;
    let center = center_in(dir.path());
    let double = Double::new(CreateMode::Task);
    let id = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap()
        .id;
    let done = report(
        TaskState::Succeeded,
        vec![url_artifact(
            ArtifactKind::Image,
            format!("{}/a.png", cdn.uri()),
            None,
        )],
    );
    let first = center
        .apply_report(&*double, &id, TaskState::Queued, &done, false)
        .await
        .unwrap();
    assert_eq!(
        first.state,
        TaskState::Queued,
        "succeeded before its file was saved"
    );
    assert!(first.downloads_pending);
    let second = center
        .apply_report(&*double, &id, TaskState::Queued, &done, false)
        .await
        .unwrap();
    assert_eq!(second.state, TaskState::Succeeded);
    let art = &center.detail(&id).unwrap().artifacts[0];
    assert_eq!(art.state, ArtifactState::Saved);
}

#[tokio::test]
async fn bad_inline_bytes_and_odd_urls_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    let bad = ArtifactRef {
        kind: ArtifactKind::Image,
        source: ArtifactSource::Inline {
            mime: "image/png".into(),
            base64: "not base64 !!".into(),
        },
        name_hint: None,
        item_id: None,
    };
    let file = url_artifact(ArtifactKind::Text, "file:///etc/passwd".into(), None);
    let double = Double::new(CreateMode::Finished(report(
        TaskState::Succeeded,
        vec![bad, file],
    )));
    let row = center
        .submit(&*double, &args("s", &json!({"prompt": "p"})))
        .await
        .unwrap();
    // The gateway did the work: succeeded, with each file's failure on the file.
    assert_eq!(row.state, TaskState::Succeeded);
    assert!(row.error.unwrap().contains("could not be saved"));
    let arts = center.detail(&row.id).unwrap().artifacts;
    assert!(arts.iter().all(|a| a.state == ArtifactState::Failed));
    assert!(arts[0].error.as_deref().unwrap().contains("base64"));
    assert!(arts[1].error.as_deref().unwrap().contains("http"));
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn names_are_built_not_trusted() {
    for evil in [
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "a\u{0}b\nc\rd\u{7}",
        "/abs/path",
        "CON",
        ".",
        "",
    ] {
        let part = name_part(evil);
        assert!(
            part.chars().all(|c| c.is_alphanumeric() || c == '-'),
            "{part:?}"
        );
        assert!(!part.contains(['.', '/', '\\']), "{part:?}");
        assert!(!part.chars().any(char::is_control), "{part:?}");
        let name = file_name(
            &ArtifactName {
                task_id: "task-1",
                label: evil,
                route: "suno.generate",
                hint: Some(evil),
                index: 0,
            },
            "mp3",
        );
        assert_eq!(
            std::path::Path::new(&name).components().count(),
            1,
            "{name}"
        );
        assert!(
            name.ends_with("-1.mp3") && name.matches('.').count() == 1,
            "{name}"
        );
    }
    assert_eq!(name_part("Ночь — drive!"), "Ночь-drive");
    assert_eq!(
        extension(ArtifactKind::Audio, Some("audio/wav"), None),
        "wav"
    );
    assert_eq!(extension(ArtifactKind::Image, None, Some("x.WEBP")), "webp");
    assert_eq!(extension(ArtifactKind::Image, None, Some("x.exe")), "png");
    assert_eq!(
        extension(ArtifactKind::Video, Some("text/html"), Some("v.mp4")),
        "mp4"
    );
}

#[tokio::test]
async fn a_url_is_fetched_through_the_settings_proxy_which_a_direct_fetch_cannot_do_without() {
    use crate::gateway::network::{ManualProxy, Network, ProxyChoice};
    // `.invalid` never resolves (RFC 2606): only a proxy can reach this "CDN". The mock server
    // plays the HTTP proxy, which gets the request in absolute form and answers for the host.
    let file = "http://cdn.anyint.invalid/files/song.mp3";
    let proxy = cdn_with(
        "/files/song.mp3",
        ResponseTemplate::new(200).set_body_raw(b"through the proxy".to_vec(), "audio/mpeg"),
    )
    .await;
    let through = |choice| Network {
        proxy: choice,
        ..Network::default()
    };
    let manual = ProxyChoice::Manual(ManualProxy {
        url: url::Url::parse(&proxy.uri()).unwrap(),
        username: None,
        password: None,
    });

    let dir = tempfile::tempdir().unwrap();
    let center = center_in(dir.path());
    // One task finishing with the file, fetched under `choice`: its one artifact's view.
    let fetch_under = |choice, id: &'static str| {
        center.downloader().use_network(through(choice));
        let center = center.clone();
        async move {
            let double = Double::new(CreateMode::Finished(report(
                TaskState::Succeeded,
                vec![url_artifact(ArtifactKind::Audio, file.to_string(), None)],
            )));
            let row = center
                .submit(&*double, &args(id, &json!({})))
                .await
                .unwrap();
            center.detail(&row.id).unwrap().artifacts[0].clone()
        }
    };
    let art = fetch_under(ProxyChoice::Direct, "d").await;
    assert_ne!(art.state, ArtifactState::Saved, "reached directly: {art:?}");
    assert!(proxy.received_requests().await.unwrap().is_empty());

    let art = fetch_under(manual, "p").await;
    assert_eq!(art.state, ArtifactState::Saved, "{art:?}");
    let saved = std::fs::read(art.path.clone().unwrap()).unwrap();
    assert_eq!(saved, b"through the proxy");
    let seen = proxy.received_requests().await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url.host_str(), Some("cdn.anyint.invalid"));
}
