//! OpenAI Responses API (`POST /openai/v1/responses`, Beta on AnyInt, contract §3.3): the
//! request, the `response` object and the `response.*` stream events (SSE with `event:` names
//! equal to each payload's `type`). Errors use the OpenAI envelope of `openai_chat`.
//! Shapes are [UPSTREAM] OpenAI Responses, as in the API reference's streaming example.
//! Read leniently like `openai_chat`: a `response` without `id` or with a float `created_at`,
//! usage counts missing or null, an error `code` of either type; absent stays absent.

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

open_enum!(
    /// A response's lifecycle status.
    ResponseStatus {
        Queued = "queued",
        InProgress = "in_progress",
        Completed = "completed",
        Incomplete = "incomplete",
        Failed = "failed",
        Cancelled = "cancelled",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponsesRequest {
    pub model: String,
    /// A string, or structured input items (kept as JSON: their shapes vary by type).
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_response_id: Option<String>,
    /// Fields this type does not name, kept so a raw request loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResponsesRequest {
    pub fn new(model: impl Into<String>, input: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            input: Value::String(input.into()),
            instructions: None,
            stream: None,
            tools: None,
            tool_choice: None,
            temperature: None,
            top_p: None,
            max_output_tokens: None,
            metadata: None,
            previous_response_id: None,
            extra: Map::new(),
        }
    }
}

/// The `response` object, returned whole and inside the lifecycle events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// Unix seconds; kept as the number it came as (some servers send a float).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Number>,
    pub status: ResponseStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    #[serde(default)]
    pub output: Vec<OutputItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<ResponseUsage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResponseError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl Response {
    /// The text of every `output_text` part of every message item, in order.
    pub fn output_text(&self) -> String {
        self.output
            .iter()
            .filter(|i| i.kind == "message")
            .flat_map(|i| i.content.iter().flatten())
            .filter(|c| c.kind == "output_text")
            .filter_map(|c| c.text.as_deref())
            .collect()
    }
}

/// An output item. Items are typed (`message`, `function_call`, `reasoning`, ...); one struct
/// with optional fields keeps every type decodable, including ones added later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputItem {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Vec<OutputContent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Vec<Value>>,
}

/// A content part: `output_text` (with `text`) or `refusal` (with `refusal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputContent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Vec<Value>>,
}

/// Token counts (`input_tokens` includes the cached ones, `output_tokens` the reasoning ones).
/// OpenAI sends all three totals; each is optional for servers that leave some out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseUsage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_details: Option<InputTokensDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<OutputTokensDetails>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputTokensDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u64>,
    /// Detail counts this version does not name, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputTokensDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_tokens: Option<u64>,
    /// Detail counts this version does not name, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireCode>,
    pub message: String,
}

/// One stream event, tagged by `type`. Types this version does not model decode as
/// `Other` with their JSON kept (the Responses API adds event types often).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum StreamEvent {
    #[serde(rename = "response.created")]
    Created {
        response: Response,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.in_progress")]
    InProgress {
        response: Response,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.output_item.added")]
    OutputItemAdded {
        output_index: u32,
        item: OutputItem,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.content_part.added")]
    ContentPartAdded {
        item_id: String,
        output_index: u32,
        content_index: u32,
        part: OutputContent,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.output_text.delta")]
    OutputTextDelta {
        item_id: String,
        output_index: u32,
        content_index: u32,
        delta: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.output_text.done")]
    OutputTextDone {
        item_id: String,
        output_index: u32,
        content_index: u32,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.content_part.done")]
    ContentPartDone {
        item_id: String,
        output_index: u32,
        content_index: u32,
        part: OutputContent,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.output_item.done")]
    OutputItemDone {
        output_index: u32,
        item: OutputItem,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.function_call_arguments.delta")]
    FunctionCallArgumentsDelta {
        item_id: String,
        output_index: u32,
        delta: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.completed")]
    Completed {
        response: Response,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.incomplete")]
    Incomplete {
        response: Response,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    #[serde(rename = "response.failed")]
    Failed {
        response: Response,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    /// A stream-level error (`event: error`).
    #[serde(rename = "error")]
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<WireCode>,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        param: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sequence_number: Option<u64>,
    },
    /// Any other event type (or a known type whose fields this version cannot read).
    #[serde(untagged)]
    Other(Value),
}

impl StreamEvent {
    /// The response object, on the lifecycle events that carry one.
    pub fn response(&self) -> Option<&Response> {
        match self {
            Self::Created { response, .. } | Self::InProgress { response, .. } => Some(response),
            _ => self.final_response(),
        }
    }

    /// The final response object, on the events that end a stream.
    pub fn final_response(&self) -> Option<&Response> {
        match self {
            Self::Completed { response, .. }
            | Self::Incomplete { response, .. }
            | Self::Failed { response, .. } => Some(response),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn text_delta_and_unknown_events() {
        let e: StreamEvent = round_trip(
            r#"{"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"Hi","sequence_number":4}"#,
        );
        assert!(matches!(e, StreamEvent::OutputTextDelta { ref delta, .. } if delta == "Hi"));
        let e: StreamEvent =
            round_trip(r#"{"type":"response.reasoning_summary_text.delta","delta":"x"}"#);
        assert!(matches!(e, StreamEvent::Other(ref v) if v["delta"] == "x"));
        let e: StreamEvent =
            round_trip(r#"{"type":"error","code":"server_error","message":"boom","param":null}"#);
        assert!(matches!(e, StreamEvent::Error { ref message, .. } if message == "boom"));
    }

    #[test]
    fn response_object_text_and_unknown_status() {
        let r: Response = round_trip(
            r#"{"id":"r","object":"response","created_at":1,"status":"archived","model":"m","output":[{"type":"reasoning","id":"rs","summary":[]},{"type":"message","id":"m","role":"assistant","content":[{"type":"output_text","text":"Hi ","annotations":[]},{"type":"output_text","text":"there"}]}],"usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}"#,
        );
        assert_eq!(r.status, ResponseStatus::Other("archived".into()));
        assert_eq!(r.output_text(), "Hi there");
    }

    #[test]
    fn partial_usage_and_loose_response_fields_decode_and_stay_absent() {
        let raw = r#"{"type":"response.completed","response":{"created_at":1714000000.5,"status":"completed","output":[],"usage":{"output_tokens":7,"input_tokens":null,"output_tokens_details":{"reasoning_tokens":2,"new_count":1},"input_tokens_details":{"cached_tokens":4}}}}"#;
        let e: StreamEvent = round_trip(raw);
        let r = e.final_response().expect("a completed event");
        assert_eq!((r.id.as_deref(), r.model.as_str()), (None, ""));
        let u = r.usage.clone().unwrap();
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.total_tokens),
            (None, Some(7), None)
        );
        let out = u.output_tokens_details.unwrap();
        assert_eq!(
            (out.reasoning_tokens, &out.extra["new_count"]),
            (Some(2), &serde_json::json!(1))
        );
        assert_eq!(u.input_tokens_details.unwrap().cached_tokens, Some(4));
        let back = serde_json::to_value(&e).unwrap();
        let mut want: Value = serde_json::from_str(raw).unwrap();
        want["response"]["usage"]
            .as_object_mut()
            .unwrap()
            .remove("input_tokens");
        assert_eq!(back, want, "only the null count is dropped");
        assert!(e.response().is_some());
    }

    #[test]
    fn error_codes_of_either_type_keep_the_error_event() {
        for raw in [
            r#"{"type":"error","code":429,"message":"slow down"}"#,
            r#"{"type":"error","code":"rate_limit_exceeded","message":"slow down"}"#,
        ] {
            let e: StreamEvent = round_trip(raw);
            assert!(
                matches!(e, StreamEvent::Error { ref message, .. } if message == "slow down"),
                "{raw}"
            );
        }
        let e: StreamEvent = round_trip(
            r#"{"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":500,"message":"boom"}}}"#,
        );
        let err = e.final_response().and_then(|r| r.error.clone()).unwrap();
        assert!(err.code.is_some_and(|c| c == 500));
    }
}
