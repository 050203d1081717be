use super::*;
use crate::tasks::limits::validate;
use crate::tasks::routes::RouteId;
use serde_json::json;

/// A mono 8-bit PCM WAV of `seconds` of silence at 2 kHz.
pub(crate) fn wav(seconds: u32) -> Vec<u8> {
    let rate = 2000u32;
    let data = rate * seconds;
    let mut b = Vec::with_capacity(44 + data as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes()); // bytes per second
    b.extend_from_slice(&1u16.to_le_bytes()); // block align
    b.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data.to_le_bytes());
    b.resize(44 + data as usize, 128);
    b
}

/// The smallest PNG signature-led bytes: enough for a file that says it is an image.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot-really-pixels";

fn store() -> (tempfile::TempDir, InputStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = InputStore::new(dir.path().join("task-inputs"));
    (dir, store)
}

#[test]
fn a_file_is_kept_once_by_checksum_and_read_back_checked() {
    let (_dir, store) = store();
    let a = store
        .save("../../etc/Night\u{7}drive.wav", "", &wav(3))
        .unwrap();
    assert_eq!(a.name, "Nightdrive.wav");
    assert_eq!(a.mime, "audio/wav");
    assert_eq!(a.size, 44 + 6000);
    assert_eq!(a.sha256.len(), 64);
    let seconds = a.seconds.unwrap();
    assert!((seconds - 3.0).abs() < 0.01, "{seconds}");
    let b = store.save("copy.wav", "audio/wav", &wav(3)).unwrap();
    assert_eq!(a.sha256, b.sha256);
    let kept: Vec<_> = std::fs::read_dir(store.dir()).unwrap().collect();
    assert_eq!(kept.len(), 1, "the same bytes are kept once");
    assert_eq!(store.read(&a).unwrap(), wav(3));

    // Changed on disk, or a checksum that is not one: refused, not sent.
    std::fs::write(store.dir().join(&a.sha256), b"other").unwrap();
    assert!(store.read(&a).unwrap_err().contains("changed"));
    let mut forged = b.clone();
    forged.sha256 = "../x".into();
    assert!(store.read(&forged).unwrap_err().contains("choose it again"));
    assert!(store.save("e.wav", "audio/wav", b"").is_err());
    // Not audio: no length; an unreadable audio file: no length either (the gateway checks).
    assert_eq!(store.save("p.png", "image/png", PNG).unwrap().seconds, None);
    assert_eq!(store.save("x.mp3", "", b"junk").unwrap().seconds, None);
}

fn cover(model: &str, upload: Value) -> Value {
    json!({"uploadUrl": upload, "customMode": false, "instrumental": true, "model": model,
        "prompt": "a calm piano cover", "callBackUrl": "https://example.com/cb"})
}

fn problems(route: RouteId, body: &Value) -> Vec<String> {
    validate(route, body)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn a_file_is_checked_against_its_fields_types_size_and_length_before_sending() {
    let (_dir, store) = store();
    let seventy = store.save("seventy.wav", "audio/wav", &wav(70)).unwrap();
    assert_eq!(
        problems(RouteId::SunoUploadCover, &cover("V5", seventy.marker())),
        Vec::<String>::new()
    );
    let err = problems(
        RouteId::SunoUploadCover,
        &cover("V4_5ALL", seventy.marker()),
    );
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(
        err[0].starts_with("/uploadUrl:") && err[0].contains("1:10 long; at most 1:00"),
        "{err:?}"
    );
    let nine = store.save("nine.wav", "audio/wav", &wav(9 * 60)).unwrap();
    let err = problems(RouteId::SunoUploadCover, &cover("V5", nine.marker()));
    assert!(err[0].contains("9:00 long; at most 8:00"), "{err:?}");

    // An image is not audio; a file too large for the field; a URL-only field.
    let png = store.save("a.png", "image/png", PNG).unwrap();
    let err = problems(
        RouteId::SunoAddInstrumental,
        &json!({"uploadUrl": png.marker(),
        "title": "T", "tags": "pop", "negativeTags": "metal", "callBackUrl": "https://e.com/cb"}),
    );
    assert!(
        err[0].contains("image/png; this route takes audio/mpeg"),
        "{err:?}"
    );
    let mut big = png.clone();
    big.size = 11 << 20;
    let body = json!({"model_name": "kling-v3", "image": big.marker()});
    let err = problems(RouteId::KlingImage2Video, &body);
    assert!(err[0].contains("11.0 MiB; at most 10.0 MiB"), "{err:?}");
    let body = json!({"model": "kling-3.0", "prompt": "p", "image": png.marker()});
    let err = problems(RouteId::OpenAiVideos, &body);
    assert!(
        err[0].contains("takes a URL here, not a local file"),
        "{err:?}"
    );
    let body = json!({"model": "kling-3.0", "prompt": "p", "input_reference": png.marker()});
    assert_eq!(problems(RouteId::OpenAiVideos, &body), Vec::<String>::new());
    // A marker the app did not make is refused, not sent.
    let body = json!({"model": "kling-3.0", "prompt": "p", "input_reference": {"$file": 1}});
    assert!(problems(RouteId::OpenAiVideos, &body)[0].contains("not one the app made"));
}

#[test]
fn each_upstream_gets_the_bytes_its_own_way_and_the_body_kept_names_only_the_file() {
    let (_dir, store) = store();
    let png = store.save("frame.png", "image/png", PNG).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(PNG);

    // Kling: bare base64.
    let body = json!({"model_name": "kling-v3", "image": png.marker(), "image_tail": "https://x.example/t.png"});
    let out = outgoing(&RouteId::KlingImage2Video.spec(), &body, Some(&store)).unwrap();
    assert_eq!(out.json["image"], b64);
    assert_eq!(out.json["image_tail"], "https://x.example/t.png");
    assert!(out.parts.is_empty());
    assert_eq!(
        body["image"]["$file"]["sha256"], png.sha256,
        "the kept body is unchanged"
    );

    // DashScope: a data URL.
    let body = json!({"model": "wan2.5-i2v-preview", "input": {"img_url": png.marker()}});
    let out = outgoing(&RouteId::DashScopeVideo.spec(), &body, Some(&store)).unwrap();
    assert_eq!(
        out.json["input"]["img_url"],
        format!("data:image/png;base64,{b64}")
    );

    // OpenAI videos: a multipart part, the field out of the JSON.
    let body = json!({"model": "kling-3.0", "prompt": "p", "duration": 5, "input_reference": png.marker()});
    let out = outgoing(&RouteId::OpenAiVideos.spec(), &body, Some(&store)).unwrap();
    assert_eq!(
        out.json,
        json!({"model": "kling-3.0", "prompt": "p", "duration": 5})
    );
    assert_eq!(out.parts.len(), 1);
    assert_eq!(out.parts[0].name, "input_reference");
    assert_eq!(out.parts[0].bytes, PNG);
    assert_eq!(form_text(&out.json["duration"]), "5");

    // Suno: the hosted URL, and nothing without one; no inputs folder, no bytes.
    let wav3 = store.save("a.wav", "audio/wav", &wav(3)).unwrap();
    let mut marker = wav3.marker();
    let body = cover("V5", marker.clone());
    let err = outgoing(&RouteId::SunoUploadCover.spec(), &body, Some(&store)).unwrap_err();
    assert!(err.contains("was not uploaded"), "{err}");
    marker[HOSTED_KEY] = json!("https://files.example/a.wav");
    let out = outgoing(&RouteId::SunoUploadCover.spec(), &cover("V5", marker), None).unwrap();
    assert_eq!(out.json["uploadUrl"], "https://files.example/a.wav");
    let body = json!({"model_name": "kling-v3", "image": png.marker()});
    assert!(outgoing(&RouteId::KlingImage2Video.spec(), &body, None).is_err());
}
