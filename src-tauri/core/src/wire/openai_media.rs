//! OpenAI-style media (`/openai/v1`, contract §3.4-3.5): the video object of `POST /videos` and
//! `GET /videos/{id}`, and the images answer. Shapes are [UPSTREAM] OpenAI where AnyInt is
//! silent; `progress` and `seconds` are read as numbers or text.

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

open_enum! {
    /// A video's `status`.
    VideoStatus {
        Queued = "queued",
        InProgress = "in_progress",
        Completed = "completed",
        Failed = "failed",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Video {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// 0-100; a number, or text from some adapters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<VideoError>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Video {
    pub fn progress_percent(&self) -> Option<f32> {
        let p = self.progress.as_ref()?;
        let n = p.as_f64().or_else(|| p.as_str()?.trim().parse().ok())?;
        Some(n.clamp(0.0, 100.0) as f32)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /images/generations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImagesResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
    #[serde(default)]
    pub data: Vec<ImageDatum>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageDatum {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64_json: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_prompt: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn video_objects_decode_every_status_and_odd_progress() {
        let v: Video = round_trip(
            r#"{"id":"video_1","object":"video","model":"kling-3.0","status":"in_progress","progress":40,"created_at":1,"seconds":"5","size":"1280x720","prompt":"p"}"#,
        );
        assert_eq!(
            (v.status.clone(), v.progress_percent()),
            (Some(VideoStatus::InProgress), Some(40.0))
        );
        assert_eq!(v.extra["prompt"], "p");
        let f: Video = round_trip(
            r#"{"id":"video_1","status":"failed","progress":"12","error":{"code":"video_generation_failed","message":"policy"}}"#,
        );
        assert_eq!(f.progress_percent(), Some(12.0));
        assert_eq!(f.error.unwrap().message.as_deref(), Some("policy"));
        let odd: Video = round_trip(r#"{"id":"v","status":"cancelled"}"#);
        assert_eq!(odd.status, Some(VideoStatus::Other("cancelled".into())));
    }

    #[test]
    fn images_answer_keeps_urls_and_inline_bytes() {
        let r: ImagesResponse = round_trip(
            r#"{"created":1,"data":[{"url":"https://c/a.png"},{"b64_json":"iVBORw=="}]}"#,
        );
        assert_eq!(r.data[0].url.as_deref(), Some("https://c/a.png"));
        assert_eq!(r.data[1].b64_json.as_deref(), Some("iVBORw=="));
    }
}
