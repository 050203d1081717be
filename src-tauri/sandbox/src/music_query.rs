//! The `/suno/query/*` polls and the result shapes they share with the callbacks: song items
//! (camelCase in polls, snake_case in callbacks), the per-route results (lyrics, stems, WAV, MP4,
//! cover art) and the status word, with the upstream variants of `variants.rs` applied
//! (`lyrics-response-data`, `success-flag-int`, `create-time-text`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::errors::{ApiError, Family};
use crate::faults::Fault;
use crate::music::{bad, ok, TASK_ROUTES};
use crate::request::Caller;
use crate::state::Shared;
use crate::tasks::{self, ArtifactKind, Phase, Task};
use crate::text::reply_tokens;
use crate::variants::{self, Wire};

/// `createTime` as the wire wants it: milliseconds, or (`create-time-text`) upstream's
/// `"YYYY-MM-DD HH:MM:SS"` text in UTC.
pub(crate) fn create_time(unix: u64, wire: Wire) -> Value {
    if !wire.create_time_text {
        return json!(unix * 1000);
    }
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let text = i64::try_from(unix)
        .ok()
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default();
    json!(text)
}

/// `successFlag` as the wire wants it: the status word, or (`success-flag-int`) an integer:
/// 0 still running, 1 success, 2 the create failed, 3 the generation failed.
pub(crate) fn success_flag(status: &str, wire: Wire) -> Value {
    if !wire.success_flag_int {
        return json!(status);
    }
    json!(match status {
        "SUCCESS" => 1,
        "CREATE_TASK_FAILED" => 2,
        s if s.ends_with("_FAILED") || s.ends_with("_ERROR") || s.ends_with("_EXCEPTION") => 3,
        _ => 0,
    })
}

/// Song items as a poll shows them at `stage` (0 text, 1 first, 2 complete), camelCase.
fn songs(state: &Shared, task: &Task, stage: u8, wire: Wire) -> Vec<Value> {
    let p = |k: &str| {
        task.request
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let created = create_time(task.created_unix, wire);
    (0..2)
        .map(|i| {
            let ready = stage >= 2 || (stage == 1 && i == 0);
            let audio = if ready { task.artifact_url(state, i, ArtifactKind::Wav) } else { String::new() };
            let title = if p("title").is_empty() { reply_tokens(task.seed, "title", 3).concat() } else { p("title") };
            json!({"id": format!("{}-{i}", task.id), "audioUrl": audio, "streamAudioUrl": format!("{}?stream=1", task.artifact_url(state, i, ArtifactKind::Wav)),
                "imageUrl": task.artifact_url(state, 10 + i, ArtifactKind::Png), "prompt": p("prompt"), "modelName": task.model,
                "title": title, "tags": p("style"), "createTime": created, "duration": if ready { json!(2.0) } else { Value::Null }})
        })
        .collect()
}

/// The same items in the snake_case callback shape.
pub(crate) fn callback_items(state: &Shared, task: &Task, stage: u8, wire: Wire) -> Value {
    let items: Vec<Value> = songs(state, task, stage, wire)
        .into_iter()
        .map(|s| {
            json!({"id": s["id"], "audio_url": s["audioUrl"], "stream_audio_url": s["streamAudioUrl"], "image_url": s["imageUrl"],
                "prompt": s["prompt"], "model_name": s["modelName"], "title": s["title"], "tags": s["tags"], "createTime": s["createTime"], "duration": s["duration"]})
        })
        .collect();
    Value::Array(items)
}

/// The `response` object of a finished non-song task.
pub(crate) fn result_of(state: &Shared, task: &Task, wire: Wire) -> Value {
    let url = |n, kind| task.artifact_url(state, n, kind);
    match task.kind.as_str() {
        "suno:generate-lyrics" => {
            let lyrics = json!([{"text": format!("[Verse]\n{}\n\n[Chorus]\n{}", reply_tokens(task.seed, "verse", 12).concat(), reply_tokens(task.seed, "chorus", 8).concat()),
                "title": reply_tokens(task.seed, "title", 3).concat(), "status": "complete", "errorMessage": ""}]);
            // Both spellings are seen upstream; `lyrics-response-data` sends the other one.
            let field = if wire.lyrics_response_data {
                "data"
            } else {
                "lyricsData"
            };
            json!({ "taskId": task.id, field: lyrics })
        }
        "suno:vocal-removal" => {
            json!({"originUrl": url(0, ArtifactKind::Wav), "instrumentalUrl": url(1, ArtifactKind::Wav), "vocalUrl": url(2, ArtifactKind::Wav)})
        }
        "suno:split-stem" => {
            let mut stems = serde_json::Map::new();
            for (i, name) in STEMS.iter().enumerate() {
                stems.insert((*name).to_owned(), json!(url(i, ArtifactKind::Wav)));
            }
            Value::Object(stems)
        }
        "suno:wav-generate" => json!({"audio_wav_url": url(0, ArtifactKind::Wav)}),
        "suno:mp4-generate" => json!({"videoUrl": url(0, ArtifactKind::Mp4)}),
        "suno:generate-cover" => {
            json!({"images": [url(0, ArtifactKind::Png), url(1, ArtifactKind::Png)]})
        }
        _ => Value::Null,
    }
}

/// The stem URLs of a `split-stem` result, in upstream's order.
const STEMS: [&str; 13] = [
    "originUrl",
    "vocalUrl",
    "backingVocalsUrl",
    "drumsUrl",
    "bassUrl",
    "guitarUrl",
    "keyboardUrl",
    "percussionUrl",
    "stringsUrl",
    "synthUrl",
    "fxUrl",
    "brassUrl",
    "woodwindsUrl",
];

/// `GET /suno/query/{kind}?taskId=`.
pub(crate) async fn query(
    State(state): State<Shared>,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let routes: Vec<&(&str, &str, &str, &str)> =
        TASK_ROUTES.iter().filter(|r| r.1 == kind).collect();
    if routes.is_empty() {
        let msg = format!("Unknown route: /suno/query/{kind}");
        return Err(ApiError::not_found(Family::Suno, msg));
    }
    let wire = variants::of(&state, &headers);
    let id = q.get("taskId").ok_or_else(|| bad("taskId is required"))?;
    let kinds: Vec<String> = routes.iter().map(|r| format!("suno:{}", r.0)).collect();
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    let task = tasks::find(&state, id, &caller.key.secret, &kinds)
        .ok_or_else(|| ApiError::not_found(Family::Suno, format!("task {id} not found")))?;
    tasks::poll_gate(&state, Family::Suno, &task)?;
    let route = routes
        .iter()
        .find(|r| task.kind == format!("suno:{}", r.0))
        .copied()
        .copied()
        .unwrap_or(("", "", "", "GENERATE_AUDIO_FAILED"));
    let f = if task.fault == Some(Fault::TaskStuck) {
        task.fraction().min(0.5)
    } else {
        task.fraction()
    };
    let create_failed = task.fault == Some(Fault::CreateFail);
    let (status, response) = match (task.phase(), kind.as_str()) {
        (Phase::Failed, _) if create_failed => ("CREATE_TASK_FAILED", Value::Null),
        (Phase::Failed, _) => (route.3, Value::Null),
        (Phase::Succeeded, "task") => (
            "SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 2, wire)}),
        ),
        (Phase::Succeeded, _) => ("SUCCESS", result_of(&state, &task, wire)),
        (_, "task") if f >= 0.6 => (
            "FIRST_SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 1, wire)}),
        ),
        (_, "task") if f >= 0.25 => (
            "TEXT_SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 0, wire)}),
        ),
        _ => ("PENDING", Value::Null),
    };
    let (error_code, error_message) = match task.phase() {
        Phase::Failed if create_failed => (
            json!(400),
            json!("Task creation failed (sandbox create-fail fault)"),
        ),
        Phase::Failed => (
            json!(501),
            json!("Generation failed (sandbox task-fail fault)"),
        ),
        _ => (Value::Null, Value::Null),
    };
    Ok(ok(
        json!({"taskId": task.id, "parentMusicId": "", "param": task.request.to_string(), "response": response,
        "status": status, "successFlag": success_flag(status, wire), "type": route.2,
        "createTime": create_time(task.created_unix, wire), "errorCode": error_code, "errorMessage": error_message}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_flag_and_create_time_variants() {
        let plain = Wire::default();
        let ints = Wire {
            success_flag_int: true,
            create_time_text: true,
            ..Wire::default()
        };
        assert_eq!(success_flag("SUCCESS", plain), json!("SUCCESS"));
        let flags: Vec<Value> = [
            "PENDING",
            "FIRST_SUCCESS",
            "SUCCESS",
            "CREATE_TASK_FAILED",
            "GENERATE_WAV_FAILED",
        ]
        .iter()
        .map(|s| success_flag(s, ints))
        .collect();
        assert_eq!(flags, [json!(0), json!(0), json!(1), json!(2), json!(3)]);
        assert_eq!(
            create_time(1_735_689_600, plain),
            json!(1_735_689_600_000u64)
        );
        assert_eq!(
            create_time(1_735_689_600, ints),
            json!("2025-01-01 00:00:00")
        );
    }
}
