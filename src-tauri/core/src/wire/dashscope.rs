//! DashScope media (`/dashscope/v1`, contract §3.8): the sync image answer, the video task's
//! create and poll answers and the error body. Shapes are [UPSTREAM] DashScope.

use super::open_enum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

open_enum! {
    /// `output.task_status`; `UNKNOWN` is an unknown or expired task id.
    Status {
        Pending = "PENDING",
        Running = "RUNNING",
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
        Canceled = "CANCELED",
        Unknown = "UNKNOWN",
    }
}

/// The create answer and the poll answer of a video task (and the error body: `code`,
/// `message` at the top).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<TaskOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Valid for 24 h after the task ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// Image tasks (`[{url}]` or `[{code, message}]` per image).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orig_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The multimodal-generation (image) answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<ImageOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageOutput {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<ChoiceMessage>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoiceMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `[{image: url}]` or `[{text}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<ContentItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageResponse {
    /// Every image URL in the answer, in order.
    pub fn image_urls(&self) -> Vec<&str> {
        let choices = self.output.iter().flat_map(|o| &o.choices);
        choices
            .filter_map(|c| c.message.as_ref())
            .flat_map(|m| &m.content)
            .filter_map(|c| c.image.as_deref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn video_task_create_poll_and_unknown_decode() {
        let c: TaskResponse =
            round_trip(r#"{"output":{"task_id":"t","task_status":"PENDING"},"request_id":"r"}"#);
        assert_eq!(c.output.unwrap().task_status, Some(Status::Pending));
        let done: TaskResponse = round_trip(
            r#"{"request_id":"r","output":{"task_id":"t","task_status":"SUCCEEDED","video_url":"https://c/v.mp4","submit_time":"2025-01-01 00:00:00.000","x":1},"usage":{"video_count":1}}"#,
        );
        let out = done.output.unwrap();
        assert_eq!(
            (out.task_status, out.video_url.as_deref()),
            (Some(Status::Succeeded), Some("https://c/v.mp4"))
        );
        let failed: TaskResponse = round_trip(
            r#"{"output":{"task_id":"t","task_status":"FAILED","code":"InternalError.Algo","message":"m"}}"#,
        );
        assert_eq!(failed.output.unwrap().message.as_deref(), Some("m"));
        let err: TaskResponse =
            round_trip(r#"{"code":"InvalidParameter","message":"bad","request_id":"r"}"#);
        assert!(err.output.is_none() && err.code.is_some());
        let odd: TaskResponse = round_trip(r#"{"output":{"task_status":"SUSPENDED"}}"#);
        assert_eq!(
            odd.output.unwrap().task_status,
            Some(Status::Other("SUSPENDED".into()))
        );
    }

    #[test]
    fn image_answer_lists_its_urls() {
        let r: ImageResponse = round_trip(
            r#"{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":[{"image":"https://c/a.png"},{"text":"t"}]}}]},"usage":{"width":1328},"request_id":"r"}"#,
        );
        assert_eq!(r.image_urls(), ["https://c/a.png"]);
    }
}
