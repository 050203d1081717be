//! AI Music routes under `/suno` (contract §3.10): task creation with `{code,msg,data:{taskId}}`,
//! the `query/*` polls (PENDING → TEXT_SUCCESS → FIRST_SUCCESS → SUCCESS, or a failure state),
//! the synchronous helpers, artifacts (WAV audio, PNG covers, MP4 videos) and callbacks.
//! Where AnyInt is silent the shapes are [UPSTREAM] sunoapi.org Suno API (camelCase in polls,
//! snake_case in callbacks). What each route requires is in `music_rules.rs`, the polls and
//! result shapes in `music_query.rs`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::auth::check_model;
use crate::callbacks::{self, Stage};
use crate::catalogue::{family_of, ModelFamily};
use crate::errors::{ApiError, Family};
use crate::music_query::{callback_items, result_of};
use crate::request::{begin, Call};
use crate::state::Shared;
use crate::tasks;

/// Task routes: (route, query route that polls it, upstream `type`, failure status).
pub(crate) const TASK_ROUTES: &[(&str, &str, &str, &str)] = &[
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

/// The task kinds that make songs (polled through `query/task`): the sources of the follow-up
/// routes.
pub(crate) const SONG_KINDS: &[&str] = &[
    "suno:generate",
    "suno:extend",
    "suno:upload-cover",
    "suno:upload-extend",
    "suno:add-vocals",
    "suno:add-instrumental",
    "suno:replace-section",
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
    if let Some(m) = call.body.get("model").and_then(Value::as_str) {
        check_model(Family::Suno, &call.key, m)?;
        if family_of(m) != Some(ModelFamily::Music) {
            return Err(bad(format!("model {m} is not a music model")));
        }
    }
    crate::music_rules::check(&state, &call.key.secret, &route, &call.body)?;
    if sync {
        crate::music_sync::sync_route(call, &route)
    } else {
        create_task(&state, &route, &call)
    }
}

fn create_task(state: &Shared, route: &str, call: &Call) -> Result<Json<Value>, ApiError> {
    let model = call.body.get("model").and_then(Value::as_str);
    let model = model.unwrap_or("V4_5").to_owned();
    let id = tasks::new_id(state, "").to_lowercase();
    let kind = format!("suno:{route}");
    let task = tasks::create(state, call, id, &kind, &model, call.body.clone());
    if let Some(url) = call.body.get("callBackUrl").and_then(Value::as_str) {
        let wire = call.wire;
        let stages = if TASK_ROUTES.iter().any(|r| r.0 == route && r.1 == "task") {
            [("text", 0.25, 0), ("first", 0.6, 1), ("complete", 1.0, 2)]
                .into_iter()
                .map(|(name, at, stage)| Stage {
                    name,
                    at,
                    items: callback_items(state, &task, stage, wire),
                })
                .collect()
        } else {
            vec![Stage {
                name: "complete",
                at: 1.0,
                items: json!([result_of(state, &task, wire)]),
            }]
        };
        callbacks::schedule(state, &task, url.to_owned(), stages);
    }
    Ok(ok(json!({"taskId": task.id})))
}
