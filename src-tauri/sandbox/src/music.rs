//! AI Music routes under `/suno` (contract §3.10): task creation with `{code,msg,data:{taskId}}`,
//! the `query/*` polls (PENDING → TEXT_SUCCESS → FIRST_SUCCESS → SUCCESS, or a failure state),
//! the synchronous helpers, artifacts (WAV audio, PNG covers, MP4 videos) and callbacks.
//! Where AnyInt is silent the shapes are [UPSTREAM] sunoapi.org Suno API (camelCase in polls,
//! snake_case in callbacks).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::auth::check_model;
use crate::callbacks::{self, Stage};
use crate::catalogue::{family_of, ModelFamily};
use crate::errors::{ApiError, Family};
use crate::faults::Fault;
use crate::request::{begin, Call, Caller};
use crate::state::Shared;
use crate::tasks::{self, ArtifactKind, Phase, Task};
use crate::text::{make_id, reply_tokens};

/// Task routes: (route, query route that polls it, upstream `type`, failure status).
const TASK_ROUTES: &[(&str, &str, &str, &str)] = &[
    ("generate", "task", "GENERATE", "GENERATE_AUDIO_FAILED"),
    ("extend", "task", "EXTEND", "GENERATE_AUDIO_FAILED"),
    (
        "upload-cover",
        "task",
        "UPLOAD_COVER",
        "GENERATE_AUDIO_FAILED",
    ),
    (
        "upload-extend",
        "task",
        "UPLOAD_EXTEND",
        "GENERATE_AUDIO_FAILED",
    ),
    ("add-vocals", "task", "ADD_VOCALS", "GENERATE_AUDIO_FAILED"),
    (
        "add-instrumental",
        "task",
        "ADD_INSTRUMENTAL",
        "GENERATE_AUDIO_FAILED",
    ),
    (
        "replace-section",
        "task",
        "REPLACE_SECTION",
        "GENERATE_AUDIO_FAILED",
    ),
    (
        "generate-lyrics",
        "lyrics",
        "LYRICS",
        "GENERATE_LYRICS_FAILED",
    ),
    (
        "vocal-removal",
        "vocal-removal",
        "VOCAL_REMOVAL",
        "GENERATE_AUDIO_FAILED",
    ),
    (
        "split-stem",
        "vocal-removal",
        "SPLIT_STEM",
        "GENERATE_AUDIO_FAILED",
    ),
    ("wav-generate", "wav", "WAV", "GENERATE_WAV_FAILED"),
    ("mp4-generate", "mp4", "MP4", "GENERATE_MP4_FAILED"),
    ("generate-cover", "cover", "COVER", "GENERATE_COVER_FAILED"),
];

/// The synchronous helpers (`music_sync.rs`), which answer at once instead of creating a task.
const SYNC_ROUTES: &[&str] = &["timestamped-lyrics", "style-generate", "generate-persona"];

/// Routes that act on a completed song and so need its `taskId`.
const NEEDS_SOURCE: &[&str] = &[
    "generate-cover",
    "wav-generate",
    "mp4-generate",
    "vocal-removal",
    "split-stem",
    "replace-section",
];

/// The success envelope of every music route.
pub(crate) fn ok(data: Value) -> Json<Value> {
    Json(json!({"code": 200, "msg": "success", "data": data}))
}

/// A 400 in the music envelope.
pub(crate) fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::invalid(Family::Suno, msg)
}

/// `POST /suno/{route}`.
pub(crate) async fn post_route(
    State(state): State<Shared>,
    Path(route): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let sync = SYNC_ROUTES.contains(&route.as_str());
    // An unknown route is a 404 before the key is looked at, as for any unknown route.
    if !sync && !TASK_ROUTES.iter().any(|r| r.0 == route) {
        let msg = format!("Unknown route: /suno/{route}");
        return Err(ApiError::not_found(Family::Suno, msg));
    }
    let call = begin(&state, Family::Suno, &headers, &body)?;
    if sync {
        crate::music_sync::sync_route(call, &route)
    } else {
        create_task(&state, &route, call)
    }
}

fn create_task(state: &Shared, route: &str, mut call: Call) -> Result<Json<Value>, ApiError> {
    let b = &call.body;
    let model = b.get("model").and_then(Value::as_str).map(str::to_owned);
    if route == "generate" {
        let (Some(custom), Some(_)) = (
            b.get("customMode").and_then(Value::as_bool),
            b.get("instrumental").and_then(Value::as_bool),
        ) else {
            return Err(bad("customMode and instrumental are required booleans"));
        };
        if model.is_none() {
            return Err(bad("model is required (V4, V4_5, V4_5PLUS, V4_5ALL, V5)"));
        }
        if b.get("callBackUrl").and_then(Value::as_str).is_none() {
            return Err(bad("callBackUrl is required"));
        }
        let prompt = b.get("prompt").and_then(Value::as_str).unwrap_or("");
        if custom {
            if b.get("style").and_then(Value::as_str).is_none()
                || b.get("title").and_then(Value::as_str).is_none()
            {
                return Err(bad("style and title are required in custom mode"));
            }
        } else if prompt.is_empty() {
            return Err(bad("prompt is required in simple mode"));
        } else if prompt.chars().count() > 500 {
            // AnyInt music code 413: text too long (simple-mode prompt limit 500, [UPSTREAM]).
            return Err(
                bad("prompt is too long (max 500 characters in simple mode)").with_code(413),
            );
        }
    }
    // [UPSTREAM] Suno API: the upload routes take the source audio URL, extend takes the audio ID.
    let required: &[&str] = match route {
        "upload-cover" | "upload-extend" | "add-vocals" | "add-instrumental" => &["uploadUrl"],
        "extend" => &["audioId"],
        "generate-lyrics" => &["prompt"],
        _ => &[],
    };
    if let Some(missing) = required
        .iter()
        .find(|f| b.get(**f).and_then(Value::as_str).is_none())
    {
        return Err(bad(format!("{missing} is required")));
    }
    if let Some(m) = &model {
        check_model(Family::Suno, &call.key, m)?;
        if family_of(m) != Some(ModelFamily::Music) {
            return Err(bad(format!("model {m} is not a music model")));
        }
    }
    if NEEDS_SOURCE.contains(&route) {
        let source = b
            .get("taskId")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("taskId is required"))?;
        let done = tasks::find(
            state,
            source,
            &call.key.secret,
            &[
                "suno:generate",
                "suno:extend",
                "suno:upload-cover",
                "suno:upload-extend",
                "suno:add-vocals",
                "suno:add-instrumental",
                "suno:replace-section",
            ],
        )
        .is_some_and(|t| t.phase() == Phase::Succeeded);
        if !done {
            return Err(bad(format!(
                "taskId {source} is not a completed music task"
            )));
        }
    }
    let id = make_id("", &mut call.rng).to_lowercase();
    let model = model.unwrap_or_else(|| "V4_5".to_owned());
    let kind = format!("suno:{route}");
    let task = tasks::create(state, &call, id, &kind, &model, call.body.clone());
    if let Some(url) = call.body.get("callBackUrl").and_then(Value::as_str) {
        let stages = if TASK_ROUTES.iter().any(|r| r.0 == route && r.1 == "task") {
            vec![
                Stage {
                    name: "text",
                    at: 0.25,
                    items: callback_items(state, &task, 0),
                },
                Stage {
                    name: "first",
                    at: 0.6,
                    items: callback_items(state, &task, 1),
                },
                Stage {
                    name: "complete",
                    at: 1.0,
                    items: callback_items(state, &task, 2),
                },
            ]
        } else {
            vec![Stage {
                name: "complete",
                at: 1.0,
                items: json!([result_of(state, &task)]),
            }]
        };
        callbacks::schedule(state, &task, url.to_owned(), stages);
    }
    Ok(ok(json!({"taskId": task.id})))
}

/// Song items as a poll shows them at `stage` (0 text, 1 first, 2 complete), camelCase.
fn songs(state: &Shared, task: &Task, stage: u8) -> Vec<Value> {
    let p = |k: &str| {
        task.request
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    (0..2)
        .map(|i| {
            let ready = stage >= 2 || (stage == 1 && i == 0);
            let audio = if ready { task.artifact_url(state, i, ArtifactKind::Wav) } else { String::new() };
            let title = if p("title").is_empty() { reply_tokens(task.seed, "title", 3).concat() } else { p("title") };
            json!({"id": format!("{}-{i}", task.id), "audioUrl": audio, "streamAudioUrl": format!("{}?stream=1", task.artifact_url(state, i, ArtifactKind::Wav)),
                "imageUrl": task.artifact_url(state, 10 + i, ArtifactKind::Png), "prompt": p("prompt"), "modelName": task.model,
                "title": title, "tags": p("style"), "createTime": task.created_unix * 1000, "duration": if ready { json!(2.0) } else { Value::Null }})
        })
        .collect()
}

/// The same items in the snake_case callback shape.
fn callback_items(state: &Shared, task: &Task, stage: u8) -> Value {
    let items: Vec<Value> = songs(state, task, stage)
        .into_iter()
        .map(|s| {
            json!({"id": s["id"], "audio_url": s["audioUrl"], "stream_audio_url": s["streamAudioUrl"], "image_url": s["imageUrl"],
                "prompt": s["prompt"], "model_name": s["modelName"], "title": s["title"], "tags": s["tags"], "createTime": s["createTime"], "duration": s["duration"]})
        })
        .collect();
    Value::Array(items)
}

/// The `response` object of a finished non-song task.
fn result_of(state: &Shared, task: &Task) -> Value {
    let url = |n, kind| task.artifact_url(state, n, kind);
    match task.kind.as_str() {
        "suno:generate-lyrics" => {
            json!({"lyricsData": [{"text": format!("[Verse]\n{}\n\n[Chorus]\n{}", reply_tokens(task.seed, "verse", 12).concat(), reply_tokens(task.seed, "chorus", 8).concat()),
            "title": reply_tokens(task.seed, "title", 3).concat(), "status": "complete", "errorMessage": ""}]})
        }
        "suno:vocal-removal" => {
            json!({"originUrl": url(0, ArtifactKind::Wav), "instrumentalUrl": url(1, ArtifactKind::Wav), "vocalUrl": url(2, ArtifactKind::Wav)})
        }
        "suno:split-stem" => {
            let mut stems = serde_json::Map::new();
            for (i, name) in [
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
            ]
            .iter()
            .enumerate()
            {
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

/// `GET /suno/query/{kind}?taskId=`.
pub(crate) async fn query(
    State(state): State<Shared>,
    Path(kind): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let routes: Vec<&(&str, &str, &str, &str)> =
        TASK_ROUTES.iter().filter(|r| r.1 == kind).collect();
    if routes.is_empty() {
        let msg = format!("Unknown route: /suno/query/{kind}");
        return Err(ApiError::not_found(Family::Suno, msg));
    }
    let id = q.get("taskId").ok_or_else(|| bad("taskId is required"))?;
    let kinds: Vec<String> = routes.iter().map(|r| format!("suno:{}", r.0)).collect();
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    let task = tasks::find(&state, id, &caller.key.secret, &kinds)
        .ok_or_else(|| ApiError::not_found(Family::Suno, format!("task {id} not found")))?;
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
    let (status, response) = match (task.phase(), kind.as_str()) {
        (Phase::Failed, _) => (route.3, Value::Null),
        (Phase::Succeeded, "task") => (
            "SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 2)}),
        ),
        (Phase::Succeeded, _) => ("SUCCESS", result_of(&state, &task)),
        (_, "task") if f >= 0.6 => (
            "FIRST_SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 1)}),
        ),
        (_, "task") if f >= 0.25 => (
            "TEXT_SUCCESS",
            json!({"taskId": task.id, "sunoData": songs(&state, &task, 0)}),
        ),
        _ => ("PENDING", Value::Null),
    };
    let failed = task.phase() == Phase::Failed;
    Ok(ok(
        json!({"taskId": task.id, "parentMusicId": "", "param": task.request.to_string(), "response": response,
        "status": status, "successFlag": status, "type": route.2,
        "errorCode": if failed { json!(501) } else { Value::Null },
        "errorMessage": if failed { json!("Generation failed (sandbox task-fail fault)") } else { Value::Null }}),
    ))
}
