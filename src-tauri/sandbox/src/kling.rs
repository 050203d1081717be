//! Transtreams Kling native routes under `/transtreams/kling/v1` (contract §3.9): image and video
//! tasks with the Kling envelope `{code:0, message, request_id, data}` and the Kling status
//! vocabulary `submitted` → `processing` → `succeed` | `failed`. Shapes are [UPSTREAM] Kling API.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::auth::{authorize, check_model};
use crate::errors::{request_id, ApiError, Family};
use crate::request::begin;
use crate::state::Shared;
use crate::tasks::{self, ArtifactKind, Phase, Task};

/// Route kinds (group/kind) and the model names each accepts.
const ROUTES: &[(&str, &str, &[&str])] = &[
    ("images", "generations", &["kling-v2-1"]),
    ("images", "omni-image", &["kling-v3-omni"]),
    ("videos", "omni-video", &["kling-v3-omni"]),
    ("videos", "text2video", &["kling-v3", "kling-3.0"]),
    ("videos", "image2video", &["kling-v3", "kling-3.0"]),
];

/// The models a route accepts; an unknown route is a 404 before the key is looked at, as for
/// any unknown route.
fn route(group: &str, kind: &str) -> Result<&'static [&'static str], ApiError> {
    ROUTES
        .iter()
        .find(|(g, k, _)| *g == group && *k == kind)
        .map(|(_, _, models)| *models)
        .ok_or_else(|| ApiError::not_found(Family::Kling, format!("Unknown route: {group}/{kind}")))
}

/// The Kling success envelope around `data`.
fn envelope(data: Value) -> Json<Value> {
    Json(json!({"code": 0, "message": "SUCCEED", "request_id": request_id(), "data": data}))
}

/// `POST /transtreams/kling/v1/{group}/{kind}`.
pub(crate) async fn create(
    State(state): State<Shared>,
    Path((group, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let models = route(&group, &kind)?;
    let call = begin(&state, Family::Kling, &headers, &body)?;
    // Contract §3.9: `model_name` is required; `model` is kept aligned for tracking.
    let model = call
        .body
        .get("model_name")
        .or_else(|| call.body.get("model"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| call.bad("model_name is required"))?;
    if kind != "image2video" && kind != "omni-image" {
        call.str_field("prompt")?;
    }
    if kind == "image2video" && call.body.get("image").and_then(Value::as_str).is_none() {
        return Err(call.bad("image is required for image2video"));
    }
    check_model(Family::Kling, &call.key, &model)?;
    if !models.contains(&model.as_str()) {
        return Err(call.bad(format!(
            "model_name {model} is not supported on {group}/{kind}"
        )));
    }
    let id = tasks::new_id(&state, "");
    let callback = call
        .body
        .get("callback_url")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let kind = format!("kling:{group}/{kind}");
    let task = tasks::create(&state, &call, id, &kind, &model, call.body.clone());
    if let Some(url) = callback {
        crate::callbacks::schedule_final(&state, &task, url, task_json);
    }
    Ok(envelope(task_json(&state, &task)))
}

/// `GET /transtreams/kling/v1/{group}/{kind}/{task_id}`.
pub(crate) async fn query(
    State(state): State<Shared>,
    Path((group, kind, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    route(&group, &kind)?;
    let key = authorize(&state, Family::Kling, &headers)?;
    let kind = format!("kling:{group}/{kind}");
    let task = tasks::find(&state, &id, &key.secret, &[kind.as_str()])
        .ok_or_else(|| ApiError::not_found(Family::Kling, format!("task {id} not found")))?;
    tasks::poll_gate(&state, Family::Kling, &task)?;
    Ok(envelope(task_json(&state, &task)))
}

fn task_json(state: &Shared, task: &Task) -> Value {
    let status = match task.phase() {
        Phase::Queued => "submitted",
        Phase::Running => "processing",
        Phase::Succeeded => "succeed",
        Phase::Failed => "failed",
    };
    let created_ms = task.created_unix * 1000;
    let updated_ms = task.finished_unix().map_or(
        created_ms + task.created.elapsed().as_millis() as u64,
        |t| t * 1000,
    );
    let external = task
        .request
        .get("external_task_id")
        .cloned()
        .unwrap_or(Value::Null);
    let mut data = json!({"task_id": task.id, "task_status": status, "task_info": {"external_task_id": external},
        "created_at": created_ms, "updated_at": updated_ms});
    match task.phase() {
        Phase::Failed => {
            data["task_status_msg"] = json!(format!("Generation failed ({})", task.failure_cause()))
        }
        Phase::Succeeded if task.kind.starts_with("kling:images") => {
            let n = task
                .request
                .get("n")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .clamp(1, 9) as usize;
            let images: Vec<Value> = (0..n)
                .map(|i| json!({"index": i, "url": task.artifact_url(state, i, ArtifactKind::Png)}))
                .collect();
            data["task_result"] = json!({"images": images});
        }
        Phase::Succeeded => {
            let duration = task.request.get("duration").map_or_else(
                || "5".to_owned(),
                |d| d.as_str().map_or_else(|| d.to_string(), str::to_owned),
            );
            data["task_result"] = json!({"videos": [{"id": format!("{}-v0", task.id), "url": task.artifact_url(state, 0, ArtifactKind::Mp4), "duration": duration}]});
        }
        _ => {}
    }
    data
}
