//! `/suno/*` answers in the shared words: the `{code,msg,data}` envelope (an error even inside
//! an HTTP 200), the status vocabulary of contract §3.10, and each task type's artifacts: songs
//! (audio, stream preview, cover image), lyrics, stems, WAV, MP4, cover art.

use super::media::{business_failure, decode, report, text, url};
use super::{Answer, BackendFailure};
use crate::tasks::routes::RouteId;
use crate::tasks::{ArtifactKind, ArtifactRef, Created, PollReport, TaskState};
use crate::wire::suno::{CreatedTask, Envelope, Status, StyleResult, TaskRecord, TaskResponse};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The envelope's `data`, or its `code != 200` as a failure. Codes 429 (no credits), 430
/// (rate), 455 (maintenance) and 5xx back off and retry, as the same HTTP statuses would
/// (decision 6); 400, 401, 405, 413 are the request's fault and never retry.
fn data<T: DeserializeOwned>(answer: Answer, what: &str) -> Result<(T, Answer), BackendFailure> {
    let envelope: Envelope<Value> = decode(&answer, "music envelope")?;
    if !envelope.is_ok() {
        let code = envelope.code.as_i64();
        let retry = matches!(code, Some(429 | 430 | 455) | Some(500..=599));
        return Err(business_failure(
            code,
            envelope.msg.as_deref(),
            retry,
            answer,
        ));
    }
    let inner = Answer {
        json: envelope.data.unwrap_or(Value::Null),
        retry_after: None,
    };
    let value: T = decode(&inner, what)?;
    Ok((value, answer))
}

pub(super) fn created(route: RouteId, answer: Answer) -> Result<Created, BackendFailure> {
    match route {
        RouteId::SunoTimestampedLyrics | RouteId::SunoPersona => {
            let (value, answer): (Value, _) = data(answer, "music answer")?;
            let mut artifact = text("application/json", &value.to_string());
            artifact.item_id = value
                .get("personaId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            artifact.name_hint = Some(match route {
                RouteId::SunoPersona => "persona".to_owned(),
                _ => "timestamped-lyrics".to_owned(),
            });
            Ok(Created::Finished(done("SUCCESS", vec![artifact], answer)))
        }
        RouteId::SunoStyle => {
            let (style, answer): (StyleResult, _) = data(answer, "style answer")?;
            let status = style.success_flag.as_ref().map(|f| f.status());
            let failed = status.as_ref().is_some_and(is_failure) || style.result.is_none();
            let raw = status.map_or_else(|| "SUCCESS".to_owned(), |s| s.as_str().to_owned());
            let mut r = done(&raw, Vec::new(), answer);
            if failed {
                r.state = TaskState::Failed;
                r.failure = Some(
                    style
                        .error_message
                        .unwrap_or_else(|| "no style text in the answer".into()),
                );
            } else if let Some(result) = &style.result {
                let mut a = text("text/plain", result);
                a.name_hint = Some("style".to_owned());
                r.artifacts.push(a);
            }
            Ok(Created::Finished(r))
        }
        _ => {
            let (task, answer): (CreatedTask, _) = data(answer, "music task")?;
            Ok(Created::Task {
                gateway_task_id: task.task_id,
                raw: answer.json,
            })
        }
    }
}

fn done(raw_status: &str, artifacts: Vec<ArtifactRef>, answer: Answer) -> PollReport {
    PollReport {
        progress: Some(100.0),
        artifacts,
        ..report(TaskState::Succeeded, raw_status, answer)
    }
}

fn is_failure(status: &Status) -> bool {
    match status {
        Status::CreateTaskFailed
        | Status::GenerateAudioFailed
        | Status::CallbackException
        | Status::SensitiveWordError
        | Status::GenerateLyricsFailed
        | Status::GenerateWavFailed
        | Status::GenerateMp4Failed
        | Status::GenerateCoverFailed => true,
        Status::Other(s) => s.ends_with("FAILED") || s.ends_with("ERROR"),
        _ => false,
    }
}

pub(super) fn polled(route: RouteId, answer: Answer) -> Result<PollReport, BackendFailure> {
    let (record, answer): (TaskRecord, _) = data(answer, "music task record")?;
    let status = record.effective_status().unwrap_or(Status::Pending);
    let response = record.response.clone().unwrap_or_default();
    let artifacts = artifacts_of(route, &response);
    let state = match &status {
        Status::Pending => TaskState::Queued,
        Status::TextSuccess | Status::FirstSuccess => TaskState::Partial,
        Status::Success => TaskState::Succeeded,
        // [UPSTREAM] the callback failed, not the task: its results stand when present.
        Status::CallbackException if !artifacts.is_empty() => TaskState::Succeeded,
        s if is_failure(s) => TaskState::Failed,
        _ => TaskState::Running,
    };
    let mut r = report(state, status.as_str(), answer);
    r.artifacts = artifacts;
    if state == TaskState::Failed {
        let code = record
            .error_code
            .map(|c| format!(" (code {c})"))
            .unwrap_or_default();
        let message = record.error_message.filter(|m| !m.is_empty());
        r.failure = Some(format!(
            "{}{code}",
            message.unwrap_or_else(|| status.as_str().to_owned())
        ));
    }
    // Contract §3.10: ready only when the status is successful and output URLs are present.
    if state == TaskState::Succeeded && r.artifacts.is_empty() {
        r.state = TaskState::Running;
    }
    Ok(r)
}

/// What a task type's `response` holds; empty URLs (a song not yet rendered) are left out.
fn artifacts_of(route: RouteId, response: &TaskResponse) -> Vec<ArtifactRef> {
    let mut out = Vec::new();
    let mut add = |kind, link: Option<&str>, hint: Option<String>, item: Option<&String>| {
        if let Some(link) = link.filter(|l| !l.trim().is_empty()) {
            let mut a = url(kind, link);
            a.name_hint = hint;
            a.item_id = item.cloned();
            out.push(a);
        }
    };
    match route {
        RouteId::SunoLyrics => {
            for lyric in response.lyrics() {
                if let Some(words) = lyric.text.as_deref().filter(|t| !t.is_empty()) {
                    let mut a = text("text/plain", words);
                    a.name_hint = lyric.title.clone();
                    out.push(a);
                }
            }
        }
        RouteId::SunoVocalRemoval | RouteId::SunoSplitStem => {
            for (key, link) in response.stems() {
                let name = key.trim_end_matches("Url").trim_end_matches("_url");
                add(
                    ArtifactKind::Audio,
                    Some(link),
                    Some(format!("stem-{name}")),
                    None,
                );
            }
        }
        RouteId::SunoWav => add(
            ArtifactKind::Audio,
            response.audio_wav_url.as_deref(),
            Some("wav".into()),
            None,
        ),
        RouteId::SunoMp4 => add(
            ArtifactKind::Video,
            response.video_url.as_deref(),
            Some("music-video".into()),
            None,
        ),
        RouteId::SunoCoverArt => {
            for (i, image) in response.images.iter().enumerate() {
                add(
                    ArtifactKind::Image,
                    Some(image),
                    Some(format!("cover-{}", i + 1)),
                    None,
                );
            }
        }
        _ => {
            for song in &response.suno_data {
                let title = song.title.clone();
                let id = song.id.as_ref();
                let audio = song.audio_url.as_deref().filter(|u| !u.is_empty());
                match audio {
                    Some(a) => add(ArtifactKind::Audio, Some(a), title.clone(), id),
                    // Before the final file, the stream preview is what can be heard.
                    None => add(
                        ArtifactKind::Audio,
                        song.stream_audio_url.as_deref(),
                        title.as_ref().map(|t| format!("{t} (preview)")),
                        id,
                    ),
                }
                let cover = title.as_ref().map(|t| format!("{t} cover"));
                add(ArtifactKind::Image, song.image_url.as_deref(), cover, id);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn poll(route: RouteId, data: Value) -> PollReport {
        let answer = Answer {
            json: json!({"code": 200, "msg": "success", "data": data}),
            retry_after: None,
        };
        polled(route, answer).unwrap()
    }

    #[test]
    fn the_status_vocabulary_maps_to_one_state_machine() {
        let song = json!({"sunoData": [{"id": "a", "audioUrl": "https://c/a.mp3", "title": "T"}]});
        let cases = [
            ("PENDING", TaskState::Queued),
            ("TEXT_SUCCESS", TaskState::Partial),
            ("FIRST_SUCCESS", TaskState::Partial),
            ("SUCCESS", TaskState::Succeeded),
            ("CREATE_TASK_FAILED", TaskState::Failed),
            ("GENERATE_AUDIO_FAILED", TaskState::Failed),
            ("SENSITIVE_WORD_ERROR", TaskState::Failed),
            ("SOMETHING_NEW_FAILED", TaskState::Failed),
            ("QUEUED_SOMEWHERE", TaskState::Running),
            // The callback failed, not the song.
            ("CALLBACK_EXCEPTION", TaskState::Succeeded),
        ];
        for (status, want) in cases {
            let r = poll(
                RouteId::SunoGenerate,
                json!({"status": status, "response": song}),
            );
            assert_eq!((r.state, r.raw_status.as_str()), (want, status));
            assert_eq!(r.failure.is_some(), want == TaskState::Failed, "{status}");
        }
        let r = poll(RouteId::SunoWav, json!({"status": "CALLBACK_EXCEPTION"}));
        assert_eq!(
            r.state,
            TaskState::Failed,
            "no results: the exception stands"
        );
    }

    #[test]
    fn success_without_urls_is_not_ready_and_empty_urls_are_left_out() {
        // Contract §3.10: an asset is ready only when the status says so and URLs are present.
        let r = poll(
            RouteId::SunoWav,
            json!({"status": "SUCCESS", "response": {"audio_wav_url": ""}}),
        );
        assert_eq!(r.state, TaskState::Running);
        let preview = json!({"status": "FIRST_SUCCESS", "response": {"sunoData": [
            {"id": "a", "audioUrl": "", "streamAudioUrl": "https://c/s", "imageUrl": "", "title": "T"}]}});
        let r = poll(RouteId::SunoGenerate, preview);
        assert_eq!(r.artifacts.len(), 1);
        assert_eq!(r.artifacts[0].name_hint.as_deref(), Some("T (preview)"));
        assert_eq!(r.artifacts[0].item_id.as_deref(), Some("a"));
    }

    #[test]
    fn business_codes_retry_like_the_statuses_they_mirror() {
        for (code, retry) in [
            (429, true),
            (430, true),
            (455, true),
            (500, true),
            (400, false),
            (413, false),
        ] {
            let answer = Answer {
                json: json!({"code": code, "msg": "m", "data": null}),
                retry_after: Some(std::time::Duration::from_secs(3)),
            };
            let e = created(RouteId::SunoGenerate, answer).unwrap_err();
            assert_eq!(
                (e.status, e.retryable),
                (Some(code as u16), retry),
                "{code}"
            );
            assert_eq!(e.retry_after, Some(std::time::Duration::from_secs(3)));
        }
    }
}
