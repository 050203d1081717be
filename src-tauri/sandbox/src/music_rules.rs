//! What each `/suno/*` route requires before it accepts a task, no more lenient than the
//! upstream it mirrors ([UPSTREAM] sunoapi.org / kie.ai Suno API, whose OpenAPI `required` lists
//! these are; contract §3.10): `callBackUrl` on every task route, `audioId` wherever a song is
//! named, the model on the generation routes, the conditional fields of custom mode and
//! `defaultParamFlag`, the per-model length limits (code 413), a source that is a completed
//! song of the same key (an `audioId` that is one of its songs, an extend on the song's model),
//! and one cover per song task.

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::music::{bad, SONG_KINDS};
use crate::state::Shared;
use crate::tasks::{self, Phase, Task};

/// A field's JSON type.
#[derive(Clone, Copy, PartialEq)]
enum Ty {
    Str,
    Bool,
    Num,
}

/// The fields every request of a route must carry, and their types.
fn required(route: &str) -> &'static [(&'static str, Ty)] {
    use Ty::{Bool, Num, Str};
    match route {
        "generate" => &[
            ("customMode", Bool),
            ("instrumental", Bool),
            ("model", Str),
            ("callBackUrl", Str),
        ],
        "extend" => &[
            ("defaultParamFlag", Bool),
            ("audioId", Str),
            ("model", Str),
            ("callBackUrl", Str),
        ],
        "upload-cover" => &[
            ("uploadUrl", Str),
            ("customMode", Bool),
            ("instrumental", Bool),
            ("model", Str),
            ("callBackUrl", Str),
        ],
        "upload-extend" => &[
            ("uploadUrl", Str),
            ("defaultParamFlag", Bool),
            ("model", Str),
            ("callBackUrl", Str),
        ],
        "add-instrumental" => &[
            ("uploadUrl", Str),
            ("title", Str),
            ("tags", Str),
            ("negativeTags", Str),
            ("callBackUrl", Str),
        ],
        "add-vocals" => &[
            ("uploadUrl", Str),
            ("prompt", Str),
            ("title", Str),
            ("style", Str),
            ("negativeTags", Str),
            ("callBackUrl", Str),
        ],
        "generate-lyrics" => &[("prompt", Str), ("callBackUrl", Str)],
        "generate-cover" => &[("taskId", Str), ("callBackUrl", Str)],
        "wav-generate" | "vocal-removal" | "split-stem" | "mp4-generate" => {
            &[("taskId", Str), ("audioId", Str), ("callBackUrl", Str)]
        }
        "replace-section" => &[
            ("taskId", Str),
            ("audioId", Str),
            ("prompt", Str),
            ("tags", Str),
            ("title", Str),
            ("infillStartS", Num),
            ("infillEndS", Num),
            ("callBackUrl", Str),
        ],
        "timestamped-lyrics" => &[("taskId", Str), ("audioId", Str)],
        "generate-persona" => &[
            ("taskId", Str),
            ("audioId", Str),
            ("name", Str),
            ("description", Str),
        ],
        "style-generate" => &[("content", Str)],
        _ => &[],
    }
}

fn has(body: &Value, name: &str, ty: Ty) -> bool {
    match (body.get(name), ty) {
        (Some(Value::String(s)), Ty::Str) => !s.trim().is_empty(),
        (Some(v), Ty::Bool) => v.is_boolean(),
        (Some(v), Ty::Num) => v.is_number(),
        _ => false,
    }
}

fn need(body: &Value, fields: &[(&str, Ty)]) -> Result<(), ApiError> {
    match fields.iter().find(|(name, ty)| !has(body, name, *ty)) {
        None => Ok(()),
        Some((name, Ty::Str)) => Err(bad(format!("{name} is required"))),
        Some((name, Ty::Bool)) => Err(bad(format!("{name} is required (a boolean)"))),
        Some((name, Ty::Num)) => Err(bad(format!("{name} is required (a number)"))),
    }
}

/// Checks a request to `route`: its fields, its lengths and its source song.
pub(crate) fn check(
    state: &Shared,
    owner: &str,
    route: &str,
    body: &Value,
) -> Result<(), ApiError> {
    need(body, required(route))?;
    let flag = |name: &str| body.get(name).and_then(Value::as_bool).unwrap_or(false);
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    match route {
        "generate" | "upload-cover" if flag("customMode") => {
            need(body, &[("style", Ty::Str), ("title", Ty::Str)])?;
            if !flag("instrumental") {
                need(body, &[("prompt", Ty::Str)])?;
            }
        }
        "generate" | "upload-cover" => need(body, &[("prompt", Ty::Str)])?,
        "extend" | "upload-extend" if flag("defaultParamFlag") => {
            need(
                body,
                &[
                    ("style", Ty::Str),
                    ("title", Ty::Str),
                    ("continueAt", Ty::Num),
                ],
            )?;
            if !flag("instrumental") {
                need(body, &[("prompt", Ty::Str)])?;
            }
        }
        "upload-extend" => need(body, &[("prompt", Ty::Str)])?,
        "replace-section" => {
            let at = |name: &str| body.get(name).and_then(Value::as_f64).unwrap_or(0.0);
            let window = at("infillEndS") - at("infillStartS");
            // Contract §3.10: the window is 6-60 s.
            if !(6.0..=60.0).contains(&window) {
                return Err(bad(
                    "infillEndS - infillStartS must be between 6 and 60 seconds",
                ));
            }
        }
        "mp4-generate" if text("author").chars().count() > 50 => {
            return Err(bad("author is too long (max 50 characters)").with_code(413));
        }
        "mp4-generate" if text("domainName").chars().count() > 50 => {
            return Err(bad("domainName is too long (max 50 characters)").with_code(413));
        }
        _ => {}
    }
    lengths(route, body)?;
    source(state, owner, route, body)
}

/// [UPSTREAM] character limits per model version (contract §3.10), answered with code 413.
fn lengths(route: &str, body: &Value) -> Result<(), ApiError> {
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    let count = |name: &str| text(name).chars().count();
    let v4 = text("model") == "V4";
    let custom = body.get("customMode").and_then(Value::as_bool) == Some(true)
        || body.get("defaultParamFlag").and_then(Value::as_bool) == Some(true);
    let creates_song = matches!(
        route,
        "generate" | "extend" | "upload-cover" | "upload-extend"
    );
    if !creates_song {
        return Ok(());
    }
    let limits: [(&str, usize); 3] = if custom {
        [
            ("prompt", if v4 { 3000 } else { 5000 }),
            ("style", if v4 { 200 } else { 1000 }),
            ("title", 80),
        ]
    } else {
        [
            ("prompt", 500),
            ("style", usize::MAX),
            ("title", usize::MAX),
        ]
    };
    for (name, max) in limits {
        if count(name) > max {
            let msg = format!("{name} is too long (max {max} characters for this mode and model)");
            return Err(bad(msg).with_code(413));
        }
    }
    Ok(())
}

/// The completed song task of `owner` named by a song's `audioId` (`{taskId}-{n}`).
fn song_task(state: &Shared, owner: &str, audio_id: &str) -> Option<Task> {
    let (task_id, _) = audio_id.rsplit_once('-')?;
    let task = tasks::find(state, task_id, owner, SONG_KINDS)?;
    (task.phase() == Phase::Succeeded).then_some(task)
}

/// The routes that act on an existing song: it must be a completed song task of this key, the
/// `audioId` one of its songs, and an extend must use the song's model.
fn source(state: &Shared, owner: &str, route: &str, body: &Value) -> Result<(), ApiError> {
    let text = |name: &str| body.get(name).and_then(Value::as_str);
    if route == "extend" {
        let audio = text("audioId").unwrap_or("");
        let song = song_task(state, owner, audio)
            .ok_or_else(|| bad(format!("audioId {audio} is not a completed song")))?;
        let model = text("model").unwrap_or("");
        if song.model != model {
            // [UPSTREAM] "The model must match the source song".
            let msg = format!(
                "model {model} must match the source song's model {}",
                song.model
            );
            return Err(bad(msg));
        }
        return Ok(());
    }
    let Some(source) = text("taskId") else {
        return Ok(());
    };
    let done = tasks::find(state, source, owner, SONG_KINDS)
        .filter(|t| t.phase() == Phase::Succeeded)
        .ok_or_else(|| bad(format!("taskId {source} is not a completed music task")))?;
    if let Some(audio) = text("audioId") {
        if song_task(state, owner, audio).is_none_or(|t| t.id != done.id) {
            return Err(bad(format!(
                "audioId {audio} is not a song of task {source}"
            )));
        }
    }
    if route == "generate-cover" {
        // [UPSTREAM] one cover per music task: a repeat is a 400 naming the existing task.
        let existing = state.task_where(|t| {
            t.owner == owner
                && t.kind == "suno:generate-cover"
                && t.request.get("taskId").and_then(Value::as_str) == Some(source)
        });
        if let Some(cover) = existing {
            let msg = format!("A cover was already generated for task {source}");
            return Err(bad(msg).with_data(json!({"taskId": cover.id})));
        }
    }
    Ok(())
}
