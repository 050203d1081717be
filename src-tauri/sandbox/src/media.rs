//! Media routes: OpenAI-style videos (task + `/content` MP4), images/generations and audio/speech
//! (`/openai/v1`, contract §3.4–3.5), and DashScope image (sync), video task and task poll
//! (`/dashscope/v1`, §3.8). Status vocabularies per §3.11.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::ModelFamily;
use crate::errors::{request_id, ApiError};
use crate::faults::Fault;
use crate::request::{Call, Caller};
use crate::state::Shared;
use crate::tasks::{self, ArtifactKind, Phase, Task};
use crate::text::{base64, make_id, unix_now};

fn time_text(unix: u64) -> String {
    // [UPSTREAM] DashScope: "YYYY-MM-DD HH:MM:SS.mmm" timestamps.
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second].000");
    time::OffsetDateTime::from_unix_timestamp(unix as i64)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

// ---- OpenAI videos ----------------------------------------------------------------------------

/// `POST /openai/v1/videos`.
pub(crate) async fn create_video(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    call.str_field("prompt")?;
    call.model(&model, &[ModelFamily::Video])?;
    let id = make_id("video_", &mut call.rng);
    let task = tasks::create(&state, &call, id, "openai-video", &model, call.body.clone());
    Ok(Json(video_json(&task)))
}

/// [UPSTREAM] OpenAI Videos: `queued` → `in_progress` → `completed` | `failed`.
fn video_json(task: &Task) -> Value {
    let status = match task.phase() {
        Phase::Queued => "queued",
        Phase::Running => "in_progress",
        Phase::Succeeded => "completed",
        Phase::Failed => "failed",
    };
    let seconds = task.request.get("duration").map_or_else(
        || "5".to_owned(),
        |d| d.as_str().map_or_else(|| d.to_string(), str::to_owned),
    );
    let size = match task.request.get("aspect_ratio").and_then(Value::as_str) {
        Some("9:16") => "720x1280",
        Some("1:1") => "720x720",
        _ => "1280x720",
    };
    let error = (task.phase() == Phase::Failed)
        .then(|| json!({"code": "video_generation_failed", "message": "The video could not be generated (sandbox task-fail fault)."}));
    json!({"id": task.id, "object": "video", "model": task.model, "status": status, "progress": task.progress(),
        "created_at": task.created_unix, "completed_at": task.finished_unix(),
        "expires_at": task.finished_unix().map(|t| t + 86_400), "seconds": seconds, "size": size,
        "prompt": task.request.get("prompt"), "error": error})
}

fn find_video(state: &Shared, caller: &Caller, id: &str) -> Result<Task, ApiError> {
    tasks::find(state, id, &caller.key.secret, &["openai-video"])
        .ok_or_else(|| ApiError::not_found(caller.family, format!("Video '{id}' not found")))
}

/// `GET /openai/v1/videos/{id}`.
pub(crate) async fn get_video(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    find_video(&state, &caller, &id).map(|t| Json(video_json(&t)))
}

/// `GET /openai/v1/videos/{id}/content`: the MP4 once completed; 400 before; 404 when expired.
pub(crate) async fn video_content(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<impl IntoResponse, ApiError> {
    let task = find_video(&state, &caller, &id)?;
    if task.phase() != Phase::Succeeded {
        let status = &video_json(&task)["status"];
        return Err(ApiError::invalid(
            caller.family,
            format!("Video '{id}' is not completed (status: {status})"),
        ));
    }
    if task.fault == Some(Fault::Expired) {
        return Err(ApiError::not_found(
            caller.family,
            "Video content has expired",
        ));
    }
    let bytes = ArtifactKind::Mp4.bytes(task.seed);
    Ok(([(header::CONTENT_TYPE, "video/mp4")], bytes))
}

// ---- OpenAI images and speech ------------------------------------------------------------------

/// `POST /openai/v1/images/generations` (sync) [UPSTREAM] OpenAI images shape.
pub(crate) async fn images_generations(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    call.str_field("prompt")?;
    call.model(&model, &[ModelFamily::Image])?;
    let n = call.body.get("n").and_then(Value::as_u64).unwrap_or(1);
    if !(1..=4).contains(&n) {
        return Err(call.bad("n: must be between 1 and 4"));
    }
    let b64 = call.body.get("response_format").and_then(Value::as_str) == Some("b64_json");
    let id = make_id("img_", &mut call.rng);
    let task = tasks::create(&state, &call, id, "openai-image", &model, Value::Null);
    let data: Vec<Value> = (0..n as usize)
        .map(|i| {
            if b64 {
                json!({"b64_json": base64(&ArtifactKind::Png.bytes(task.seed ^ i as u64))})
            } else {
                json!({"url": task.artifact_url(&state, i, ArtifactKind::Png)})
            }
        })
        .collect();
    Ok(Json(json!({"created": unix_now(), "data": data})))
}

/// `POST /openai/v1/audio/speech`: a small real WAV. The sandbox only produces WAV, whatever
/// `response_format` asks for, and says so in the content type.
pub(crate) async fn audio_speech(call: Call) -> Result<impl IntoResponse, ApiError> {
    let model = call.str_field("model")?;
    call.str_field("input")?;
    call.model(&model, &[ModelFamily::Speech])?;
    let bytes = ArtifactKind::Wav.bytes(call.seed);
    Ok(([(header::CONTENT_TYPE, "audio/wav")], bytes))
}

// ---- DashScope ---------------------------------------------------------------------------------

/// `POST /dashscope/v1/services/aigc/multimodal-generation/generation` (sync image).
pub(crate) async fn dashscope_image(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    if call
        .body
        .pointer("/input/messages")
        .and_then(Value::as_array)
        .is_none_or(|m| m.is_empty())
    {
        return Err(call.bad("input.messages is required"));
    }
    call.model(&model, &[ModelFamily::Image])?;
    let size = call
        .body
        .pointer("/parameters/size")
        .and_then(Value::as_str)
        .unwrap_or("1328*1328")
        .to_owned();
    let (w, h) = size
        .split_once('*')
        .and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)))
        .ok_or_else(|| call.bad("parameters.size must look like 1328*1328"))?;
    let id = make_id("ds-img-", &mut call.rng);
    let task = tasks::create(&state, &call, id, "dashscope-image", &model, Value::Null);
    let url = task.artifact_url(&state, 0, ArtifactKind::Png);
    // [UPSTREAM] DashScope multimodal-generation response.
    Ok(Json(
        json!({"output": {"choices": [{"finish_reason": "stop", "message": {"role": "assistant", "content": [{"image": url}]}}]},
        "usage": {"width": w, "height": h, "image_count": 1}, "request_id": request_id()}),
    ))
}

/// `POST /dashscope/v1/services/aigc/video-generation/video-synthesis` (task).
pub(crate) async fn dashscope_video(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    let input = |name: &str| call.body.get("input").and_then(|i| i.get(name));
    if input("prompt").and_then(Value::as_str).is_none() && input("img_url").is_none() {
        return Err(call.bad("input.prompt or input.img_url is required"));
    }
    call.model(&model, &[ModelFamily::Video])?;
    let id = make_id("", &mut call.rng).to_lowercase();
    let body = call.body.clone();
    let task = tasks::create(&state, &call, id, "dashscope-video", &model, body);
    Ok(Json(
        json!({"output": {"task_id": task.id, "task_status": "PENDING"}, "request_id": request_id()}),
    ))
}

/// `GET /dashscope/v1/tasks/{task_id}`: `PENDING` → `RUNNING` → `SUCCEEDED` | `FAILED`;
/// an unknown ID is HTTP 200 with `UNKNOWN`, as [UPSTREAM] DashScope does.
pub(crate) async fn dashscope_task(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> Json<Value> {
    let request_id = request_id();
    let Some(task) = tasks::find(&state, &id, &caller.key.secret, &["dashscope-video"]) else {
        return Json(
            json!({"request_id": request_id, "output": {"task_id": id, "task_status": "UNKNOWN"}}),
        );
    };
    let status = match task.phase() {
        Phase::Queued => "PENDING",
        Phase::Running => "RUNNING",
        Phase::Succeeded => "SUCCEEDED",
        Phase::Failed => "FAILED",
    };
    let prompt = task
        .request
        .pointer("/input/prompt")
        .cloned()
        .unwrap_or(Value::Null);
    let mut output = json!({"task_id": task.id, "task_status": status, "submit_time": time_text(task.created_unix),
        "scheduled_time": time_text(task.created_unix), "orig_prompt": prompt, "actual_prompt": prompt});
    let end_time = json!(time_text(task.finished_unix().unwrap_or(task.created_unix)));
    match task.phase() {
        Phase::Succeeded => {
            output["end_time"] = end_time;
            output["video_url"] = json!(task.artifact_url(&state, 0, ArtifactKind::Mp4));
        }
        Phase::Failed => {
            output["end_time"] = end_time;
            output["code"] = json!("InternalError.Algo");
            output["message"] = json!("Video generation failed (sandbox task-fail fault).");
        }
        _ => {}
    }
    let mut body = json!({"request_id": request_id, "output": output});
    if task.phase() == Phase::Succeeded {
        body["usage"] = json!({"video_duration": 5, "video_count": 1, "SR": 720});
    }
    Json(body)
}
