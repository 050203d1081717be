//! Transtreams Kling native routes (`/transtreams/kling/v1`, contract §3.9): the envelope
//! `{code, message, request_id, data}` and the task record. Shapes are [UPSTREAM] Kling API.
//! `code` 0 is success; any other code is an error, even inside an HTTP 200.

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub code: WireCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Task>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Envelope {
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }

    /// [UPSTREAM] Kling codes: 1302/1303 rate and concurrency limits and 5000-5999 server
    /// errors may pass; auth (1000s), balance (1100s), parameter (1200s) and policy errors not.
    pub fn is_retryable(&self) -> bool {
        matches!(self.code.as_i64(), Some(1302 | 1303) | Some(5000..=5999))
    }
}

open_enum! {
    /// `data.task_status`.
    Status {
        Submitted = "submitted",
        Processing = "processing",
        Succeed = "succeed",
        Failed = "failed",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub task_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status_msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_info: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_result: Option<TaskResult>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Item>,
    /// Omni image with `result_type: series`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series_images: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub videos: Vec<Item>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An image (`index`, `url`) or a video (`id`, `url`, `duration` as text or a number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn create_and_query_answers_decode() {
        let created: Envelope = round_trip(
            r#"{"code":0,"message":"SUCCEED","request_id":"r","data":{"task_id":"t1","task_status":"submitted","task_info":{"external_task_id":null},"created_at":1,"updated_at":2}}"#,
        );
        assert!(created.is_ok());
        assert_eq!(created.data.unwrap().task_status, Some(Status::Submitted));
        let done: Envelope = round_trip(
            r#"{"code":0,"data":{"task_id":"t1","task_status":"succeed","task_result":{"videos":[{"id":"v","url":"https://c/v.mp4","duration":"5"}],"images":[{"index":0,"url":"https://c/i.png"}]}}}"#,
        );
        let result = done.data.unwrap().task_result.unwrap();
        assert_eq!(result.videos[0].duration, Some(Value::from("5")));
        assert_eq!(result.images[0].index, Some(0));
        let odd: Envelope =
            round_trip(r#"{"code":0,"data":{"task_id":"t","task_status":"queued_again"}}"#);
        assert_eq!(
            odd.data.unwrap().task_status,
            Some(Status::Other("queued_again".into()))
        );
    }

    #[test]
    fn a_non_zero_code_is_an_error_retryable_only_for_limits_and_server_faults() {
        let e: Envelope = round_trip(
            r#"{"code":1102,"message":"balance not enough","request_id":"r","data":null}"#,
        );
        assert!(!e.is_ok() && !e.is_retryable());
        let e: Envelope = round_trip(r#"{"code":"1302","message":"rate limit"}"#);
        assert!(!e.is_ok() && e.is_retryable());
        let e: Envelope = round_trip(r#"{"code":5000,"message":"server"}"#);
        assert!(e.is_retryable());
    }
}
