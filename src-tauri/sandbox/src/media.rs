//! Media routes: OpenAI-style videos (task + `/content` MP4), images/generations and audio/speech
//! (`/openai/v1`, contract §3.4–3.5), and DashScope image (sync), video task and task poll
//! (`/dashscope/v1`, §3.8). Status vocabularies per §3.11.
//!
//! As strict as upstream: `videos` takes JSON or multipart/form-data (the official OpenAI SDK
//! posts a form); DashScope video needs `X-DashScope-Async: enable` and the sync image route
//! refuses it (403 `AccessDenied`, as [UPSTREAM] DashScope); Wan i2v models need `img_url`;
//! `qwen-image-plus` takes only its five sizes.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::ModelFamily;
use crate::errors::{request_id, ApiError, ErrorKind};
use crate::large_files::ArtifactBytes;
use crate::request::{Call, Caller, FormCall};
use crate::state::Shared;
use crate::tasks::{self, ArtifactKind, Phase, Task};
use crate::text::{base64, unix_now};

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

/// `POST /openai/v1/videos`, as JSON or (as the official Python SDK sends it) a form whose
/// `input_reference` is a file.
pub(crate) async fn create_video(
    State(state): State<Shared>,
    FormCall(call): FormCall,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    call.str_field("prompt")?;
    call.model(&model, &[ModelFamily::Video])?;
    if let Some(file) = call.body.get("input_reference").filter(|r| r.is_object()) {
        // [UPSTREAM] OpenAI: the reference is an image (or a video) file.
        let media = file["content_type"].as_str().unwrap_or("");
        if !(media.starts_with("image/") || media.starts_with("video/")) {
            return Err(call.bad(format!(
                "input_reference: unsupported file type `{media}` (an image or video file)"
            )));
        }
    }
    let id = tasks::new_id(&state, "video_");
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
    // `seconds` and `size` are the OpenAI SDK's names; `duration` and `aspect_ratio` AnyInt's.
    let seconds = task
        .request
        .get("seconds")
        .or_else(|| task.request.get("duration"))
        .map_or_else(
            || "5".to_owned(),
            |d| d.as_str().map_or_else(|| d.to_string(), str::to_owned),
        );
    let size = match (
        task.request.get("size").and_then(Value::as_str),
        task.request.get("aspect_ratio").and_then(Value::as_str),
    ) {
        (Some(size), _) => size,
        (None, Some("9:16")) => "720x1280",
        (None, Some("1:1")) => "720x720",
        _ => "1280x720",
    };
    let error = (task.phase() == Phase::Failed).then(|| {
        json!({"code": "video_generation_failed",
            "message": format!("The video could not be generated ({}).", task.failure_cause())})
    });
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
    let task = find_video(&state, &caller, &id)?;
    tasks::poll_gate(&state, caller.family, &task)?;
    Ok(Json(video_json(&task)))
}

/// `GET /openai/v1/videos/{id}/content`: the MP4 once completed; 400 before; 404 when expired.
pub(crate) async fn video_content(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response, ApiError> {
    let task = find_video(&state, &caller, &id)?;
    if task.phase() != Phase::Succeeded {
        let status = &video_json(&task)["status"];
        return Err(ApiError::invalid(
            caller.family,
            format!("Video '{id}' is not completed (status: {status})"),
        ));
    }
    if task.content_expired(&state) {
        return Err(ApiError::not_found(
            caller.family,
            "Video content has expired",
        ));
    }
    let bytes = ArtifactBytes::new(ArtifactKind::Mp4, task.seed, state.config.artifact_size);
    Ok(bytes.respond(ArtifactKind::Mp4, &headers))
}

// ---- OpenAI images and speech ------------------------------------------------------------------

/// `POST /openai/v1/images/generations` (sync) [UPSTREAM] OpenAI images shape.
pub(crate) async fn images_generations(
    State(state): State<Shared>,
    call: Call,
) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    call.str_field("prompt")?;
    call.model(&model, &[ModelFamily::Image])?;
    let n = call.body.get("n").and_then(Value::as_u64).unwrap_or(1);
    if !(1..=4).contains(&n) {
        return Err(call.bad("n: must be between 1 and 4"));
    }
    let b64 = call.body.get("response_format").and_then(Value::as_str) == Some("b64_json");
    let id = tasks::new_id(&state, "img_");
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

/// Whether the request asked for DashScope's asynchronous mode (`X-DashScope-Async: enable`).
fn dashscope_async(headers: &HeaderMap) -> bool {
    headers
        .get("x-dashscope-async")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("enable"))
}

/// [UPSTREAM] DashScope answers a call in the wrong mode with 403 `AccessDenied`.
fn wrong_mode(call: &Call, mode: &str) -> ApiError {
    let msg = format!("current user api does not support {mode} calls");
    ApiError::new(call.family, ErrorKind::Permission, msg)
}

/// [UPSTREAM] DashScope `qwen-image-plus` sizes.
const QWEN_IMAGE_SIZES: &[&str] = &[
    "1664*928",
    "1472*1140",
    "1328*1328",
    "1140*1472",
    "928*1664",
];

/// `POST /dashscope/v1/services/aigc/multimodal-generation/generation` (sync image).
pub(crate) async fn dashscope_image(
    State(state): State<Shared>,
    headers: HeaderMap,
    call: Call,
) -> Result<Json<Value>, ApiError> {
    if dashscope_async(&headers) {
        return Err(wrong_mode(&call, "asynchronous"));
    }
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
    if model == "qwen-image-plus" && !QWEN_IMAGE_SIZES.contains(&size.as_str()) {
        let sizes = QWEN_IMAGE_SIZES.join(", ");
        return Err(call.bad(format!("parameters.size must be one of {sizes}")));
    }
    let id = tasks::new_id(&state, "ds-img-");
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
    headers: HeaderMap,
    call: Call,
) -> Result<Json<Value>, ApiError> {
    if !dashscope_async(&headers) {
        return Err(wrong_mode(&call, "synchronous"));
    }
    let model = call.str_field("model")?;
    let input = |name: &str| call.body.get("input").and_then(|i| i.get(name));
    if input("prompt").and_then(Value::as_str).is_none() && input("img_url").is_none() {
        return Err(call.bad("input.prompt or input.img_url is required"));
    }
    call.model(&model, &[ModelFamily::Video])?;
    if !model.starts_with("wan") {
        return Err(call.bad(format!("Model `{model}` does not support this route")));
    }
    // [UPSTREAM] Wan image-to-video models need the first frame.
    if model.contains("-i2v") && input("img_url").and_then(Value::as_str).is_none() {
        return Err(call.bad(format!("input.img_url is required for {model}")));
    }
    let id = tasks::new_id(&state, "").to_lowercase();
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
) -> Result<Json<Value>, ApiError> {
    let request_id = request_id();
    let Some(task) = tasks::find(&state, &id, &caller.key.secret, &["dashscope-video"]) else {
        return Ok(Json(
            json!({"request_id": request_id, "output": {"task_id": id, "task_status": "UNKNOWN"}}),
        ));
    };
    tasks::poll_gate(&state, caller.family, &task)?;
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
            let cause = task.failure_cause();
            output["message"] = json!(format!("Video generation failed ({cause})."));
        }
        _ => {}
    }
    let mut body = json!({"request_id": request_id, "output": output});
    if task.phase() == Phase::Succeeded {
        body["usage"] = json!({"video_duration": 5, "video_count": 1, "SR": 720});
    }
    Ok(Json(body))
}
