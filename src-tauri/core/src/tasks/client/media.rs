//! Image and video answers (OpenAI-style, Gemini, DashScope, Kling) in the shared words, with
//! each family's status vocabulary mapped per contract §3.11.

use super::{Answer, BackendFailure};
use crate::tasks::routes::RouteId;
use crate::tasks::{ArtifactKind, ArtifactRef, ArtifactSource, Created, PollReport, TaskState};
use crate::wire::dashscope::{self, ImageResponse};
use crate::wire::gemini::GenerateContentResponse;
use crate::wire::kling;
use crate::wire::openai_media::{ImagesResponse, Video, VideoStatus};
use base64::Engine;
use serde::de::DeserializeOwned;

/// Decodes an answer as `T`, or says which shape it was not.
pub(super) fn decode<T: DeserializeOwned>(
    answer: &Answer,
    what: &str,
) -> Result<T, BackendFailure> {
    serde_json::from_value(answer.json.clone()).map_err(|e| BackendFailure {
        status: None,
        message: format!("the gateway's answer is not a {what}: {e}"),
        retryable: false,
        retry_after: None,
        raw: Some(answer.json.to_string()),
    })
}

pub(super) fn artifact(kind: ArtifactKind, source: ArtifactSource) -> ArtifactRef {
    ArtifactRef {
        kind,
        source,
        name_hint: None,
        item_id: None,
    }
}

pub(super) fn url(kind: ArtifactKind, url: &str) -> ArtifactRef {
    artifact(
        kind,
        ArtifactSource::Url {
            url: url.to_owned(),
        },
    )
}

/// Text (lyrics, style, a persona) kept as an inline file.
pub(super) fn text(mime: &str, text: &str) -> ArtifactRef {
    let base64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let source = ArtifactSource::Inline {
        mime: mime.to_owned(),
        base64,
    };
    artifact(ArtifactKind::Text, source)
}

pub(super) fn report(state: TaskState, raw_status: &str, answer: Answer) -> PollReport {
    PollReport {
        state,
        raw_status: raw_status.to_owned(),
        progress: None,
        artifacts: Vec::new(),
        failure: None,
        raw: answer.json,
    }
}

/// A failure a family reported inside an HTTP 200 (`code != 0`, `code != 200`).
pub(super) fn business_failure(
    code: Option<i64>,
    message: Option<&str>,
    retryable: bool,
    answer: Answer,
) -> BackendFailure {
    let code_text = code.map_or_else(|| "?".to_owned(), |c| c.to_string());
    BackendFailure {
        // The business codes mirror HTTP statuses (Suno 429, 455); Kling's (1102) do not.
        status: code
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (100..600).contains(c)),
        message: format!(
            "the gateway refused with code {code_text}: {}",
            message.unwrap_or("no message")
        ),
        retryable,
        retry_after: answer.retry_after,
        raw: Some(answer.json.to_string()),
    }
}

pub(super) fn created(route: RouteId, answer: Answer) -> Result<Created, BackendFailure> {
    match route {
        RouteId::OpenAiVideos => {
            let video: Video = decode(&answer, "video object")?;
            Ok(Created::Task {
                gateway_task_id: video.id,
                raw: answer.json,
            })
        }
        RouteId::OpenAiImages => {
            let images: ImagesResponse = decode(&answer, "images answer")?;
            let artifacts = images
                .data
                .iter()
                .filter_map(|d| match (&d.url, &d.b64_json) {
                    (Some(u), _) => Some(url(ArtifactKind::Image, u)),
                    (None, Some(b)) => Some(artifact(
                        ArtifactKind::Image,
                        ArtifactSource::Inline {
                            mime: "image/png".to_owned(),
                            base64: b.clone(),
                        },
                    )),
                    (None, None) => None,
                })
                .collect();
            Ok(Created::Finished(finished("completed", artifacts, answer)))
        }
        RouteId::GeminiImage => {
            let reply: GenerateContentResponse = decode(&answer, "generateContent answer")?;
            let parts = reply.candidates.iter().filter_map(|c| c.content.as_ref());
            let mut artifacts = Vec::new();
            for part in parts.flat_map(|c| &c.parts) {
                if let Some(blob) = &part.inline_data {
                    let source = ArtifactSource::Inline {
                        mime: blob.mime_type.clone(),
                        base64: blob.data.clone(),
                    };
                    artifacts.push(artifact(ArtifactKind::Image, source));
                }
            }
            let words = reply.text();
            if !words.trim().is_empty() {
                artifacts.push(text("text/plain", &words));
            }
            let reason = reply
                .candidates
                .first()
                .and_then(|c| c.finish_reason.clone());
            let raw = reason.map_or_else(|| "STOP".to_owned(), |r| r.as_str().to_owned());
            let mut report = finished(&raw, artifacts, answer);
            if !report
                .artifacts
                .iter()
                .any(|a| a.kind == ArtifactKind::Image)
            {
                report.state = TaskState::Failed;
                report.failure = Some(format!("no image in the answer (finish reason {raw})"));
            }
            Ok(Created::Finished(report))
        }
        RouteId::DashScopeImage => {
            let image: ImageResponse = decode(&answer, "DashScope image answer")?;
            let artifacts: Vec<ArtifactRef> = image
                .image_urls()
                .into_iter()
                .map(|u| url(ArtifactKind::Image, u))
                .collect();
            let mut report = finished("SUCCEEDED", artifacts, answer);
            if report.artifacts.is_empty() {
                report.state = TaskState::Failed;
                report.failure = Some(
                    image
                        .message
                        .unwrap_or_else(|| "no image in the answer".into()),
                );
            }
            Ok(Created::Finished(report))
        }
        RouteId::DashScopeVideo => {
            let task: dashscope::TaskResponse = decode(&answer, "DashScope task answer")?;
            match task.output.and_then(|o| o.task_id) {
                Some(id) => Ok(Created::Task {
                    gateway_task_id: id,
                    raw: answer.json,
                }),
                None => {
                    let msg = task.message.unwrap_or_else(|| "no task id".into());
                    Err(business_failure(None, Some(&msg), false, answer))
                }
            }
        }
        _ => {
            let task = kling_data(answer)?;
            Ok(Created::Task {
                gateway_task_id: task.0.task_id,
                raw: task.1.json,
            })
        }
    }
}

fn finished(raw_status: &str, artifacts: Vec<ArtifactRef>, answer: Answer) -> PollReport {
    PollReport {
        progress: Some(100.0),
        artifacts,
        ..report(TaskState::Succeeded, raw_status, answer)
    }
}

/// Kling's `data`, or its `code != 0` as a failure.
fn kling_data(answer: Answer) -> Result<(kling::Task, Answer), BackendFailure> {
    let envelope: kling::Envelope = decode(&answer, "Kling envelope")?;
    if !envelope.is_ok() {
        let retry = envelope.is_retryable();
        let code = envelope.code.as_i64();
        return Err(business_failure(
            code,
            envelope.message.as_deref(),
            retry,
            answer,
        ));
    }
    match envelope.data {
        Some(task) => Ok((task, answer)),
        None => Err(business_failure(
            Some(0),
            Some("no task in the answer"),
            false,
            answer,
        )),
    }
}

pub(super) fn polled(
    route: RouteId,
    id: &str,
    answer: Answer,
) -> Result<PollReport, BackendFailure> {
    match route {
        RouteId::OpenAiVideos => {
            let video: Video = decode(&answer, "video object")?;
            let raw = video
                .status
                .as_ref()
                .map_or("", VideoStatus::as_str)
                .to_owned();
            let state = match &video.status {
                Some(VideoStatus::Queued) => TaskState::Queued,
                Some(VideoStatus::Completed) => TaskState::Succeeded,
                Some(VideoStatus::Failed) => TaskState::Failed,
                Some(VideoStatus::Other(s)) if s == "cancelled" || s == "canceled" => {
                    TaskState::Cancelled
                }
                Some(VideoStatus::Other(s)) if s == "expired" => TaskState::Expired,
                _ => TaskState::Running,
            };
            let mut r = report(state, &raw, answer);
            r.progress = video.progress_percent();
            r.failure = video.error.and_then(|e| e.message);
            if state == TaskState::Succeeded {
                let path = format!("/videos/{id}/content");
                let mut a = artifact(ArtifactKind::Video, ArtifactSource::GatewayContent { path });
                a.item_id = Some(video.id);
                r.artifacts.push(a);
            }
            Ok(r)
        }
        RouteId::DashScopeVideo => {
            let task: dashscope::TaskResponse = decode(&answer, "DashScope task answer")?;
            let out = task.output.unwrap_or_default();
            let status = out
                .task_status
                .clone()
                .unwrap_or(dashscope::Status::Unknown);
            let state = match status {
                dashscope::Status::Pending => TaskState::Queued,
                dashscope::Status::Succeeded => TaskState::Succeeded,
                dashscope::Status::Failed | dashscope::Status::Unknown => TaskState::Failed,
                dashscope::Status::Canceled => TaskState::Cancelled,
                _ => TaskState::Running,
            };
            let mut r = report(state, status.as_str(), answer);
            r.failure = match status {
                // [UPSTREAM] DashScope forgets task ids after 24 h.
                dashscope::Status::Unknown => {
                    Some("the gateway does not know this task (ids last 24 h)".into())
                }
                _ => out.message.clone().or(task.message),
            };
            r.artifacts
                .extend(out.video_url.iter().map(|u| url(ArtifactKind::Video, u)));
            let results = out.results.iter().filter_map(|v| v.get("url")?.as_str());
            r.artifacts
                .extend(results.map(|u| url(ArtifactKind::Image, u)));
            Ok(r)
        }
        _ => {
            let (task, answer) = kling_data(answer)?;
            let status = task.task_status.clone().unwrap_or(kling::Status::Submitted);
            let state = match status {
                kling::Status::Submitted => TaskState::Queued,
                kling::Status::Succeed => TaskState::Succeeded,
                kling::Status::Failed => TaskState::Failed,
                _ => TaskState::Running,
            };
            let mut r = report(state, status.as_str(), answer);
            r.failure = task.task_status_msg.filter(|m| !m.is_empty());
            let result = task.task_result.unwrap_or_default();
            let images = result.images.iter().chain(&result.series_images);
            let items = images
                .map(|i| (ArtifactKind::Image, i))
                .chain(result.videos.iter().map(|v| (ArtifactKind::Video, v)));
            for (kind, item) in items {
                if let Some(u) = item.url.as_deref().filter(|u| !u.is_empty()) {
                    let mut a = url(kind, u);
                    a.item_id = item
                        .id
                        .clone()
                        .or_else(|| item.index.map(|i| i.to_string()));
                    r.artifacts.push(a);
                }
            }
            Ok(r)
        }
    }
}
