//! Anthropic Messages (`POST /anthropic/v1/messages`, contract §3.6): the request, the
//! `message` object, the typed stream events (`event:` name equal to each payload's `type`)
//! and the error envelope `{type:"error", error:{type,message}}`, which is also a stream
//! event. Shapes are [UPSTREAM] Anthropic, as in the anthropic-sdk-python fixtures. A
//! `message` without `id` and `usage` with any count missing or null are read leniently;
//! absent stays absent when written back.

use super::open_enum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

open_enum!(
    /// Why the model stopped.
    StopReason {
        EndTurn = "end_turn",
        MaxTokens = "max_tokens",
        StopSequence = "stop_sequence",
        ToolUse = "tool_use",
        PauseTurn = "pause_turn",
        Refusal = "refusal",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesRequest {
    pub model: String,
    /// Required by the API (the sandbox answers 400 without it).
    pub max_tokens: u32,
    pub messages: Vec<InputMessage>,
    /// A string or an array of text blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    /// `{"type":"enabled","budget_tokens":N}` asks for thinking blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Value>,
    /// Fields this type does not name, kept so a raw request loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessagesRequest {
    pub fn new(model: impl Into<String>, max_tokens: u32, user_text: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            max_tokens,
            messages: vec![InputMessage {
                role: "user".to_owned(),
                content: Value::String(user_text.into()),
            }],
            system: None,
            stream: None,
            temperature: None,
            top_p: None,
            top_k: None,
            stop_sequences: None,
            tools: None,
            tool_choice: None,
            thinking: None,
            extra: Map::new(),
        }
    }
}

/// A turn in the request: `content` is a string or an array of blocks (text, image,
/// tool_use, tool_result, ...), kept as JSON because block shapes vary by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputMessage {
    pub role: String,
    pub content: Value,
}

/// The `message` object: the non-stream answer, and the start of a stream (empty content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    #[serde(default)]
    pub content: Vec<ContentBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<StopReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

impl Message {
    /// The text of every text block, in order.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A content block, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentBlock {
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citations: Option<Value>,
    },
    ToolUse {
        id: String,
        name: String,
        /// `{}` at a stream's block start; the JSON arrives as `input_json_delta` fragments.
        #[serde(default)]
        input: Value,
    },
    Thinking {
        thinking: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    RedactedThinking {
        data: String,
    },
    /// A block type this version does not model, kept as JSON.
    #[serde(untagged)]
    Other(Value),
}

/// Token counts. `message_start` carries input and a first output count; `message_delta`
/// carries the cumulative output count (and, on newer models, input counts again). Any count
/// may be missing. `input_tokens` excludes both cache counts: the prompt is their sum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Prompt tokens written to the cache by this request (billed above the input rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
    /// Prompt tokens read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// [UPSTREAM] `{thinking_tokens}` on the SDK's fable-fallback fixture's `message_delta`
    /// (the thinking part of `output_tokens`); other fields kept as they came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<OutputTokensDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputTokensDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking_tokens: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One stream event, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    MessageStart {
        message: Message,
    },
    ContentBlockStart {
        index: u32,
        content_block: ContentBlock,
    },
    Ping,
    ContentBlockDelta {
        index: u32,
        delta: BlockDelta,
    },
    ContentBlockStop {
        index: u32,
    },
    MessageDelta {
        delta: MessageDeltaBody,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<Usage>,
    },
    MessageStop,
    /// An error inside an HTTP-200 stream (e.g. `overloaded_error`).
    Error {
        error: ErrorBody,
    },
    /// An event type this version does not model, kept as JSON.
    #[serde(untagged)]
    Other(Value),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockDelta {
    TextDelta {
        text: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    SignatureDelta {
        signature: String,
    },
    /// Another delta type (e.g. `citations_delta`), kept as JSON.
    #[serde(untagged)]
    Other(Value),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageDeltaBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<StopReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequence: Option<String>,
    /// Present with `refusal` (category, explanation); its fields vary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_details: Option<Value>,
}

/// `{type:"error", error:{type,message}, request_id?}` (contract §7.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    #[serde(rename = "type")]
    pub kind: String,
    pub error: ErrorBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// `invalid_request_error`, `authentication_error`, `overloaded_error`, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn block_starts_of_every_kind() {
        for (json, want) in [
            (r#"{"type":"text","text":""}"#, "text"),
            (
                r#"{"type":"tool_use","id":"t","name":"n","caller":{"type":"direct"},"input":{}}"#,
                "tool_use",
            ),
            (
                r#"{"type":"thinking","thinking":"","signature":""}"#,
                "thinking",
            ),
            (
                r#"{"type":"redacted_thinking","data":"abc"}"#,
                "redacted_thinking",
            ),
            (r#"{"type":"server_tool_use","id":"s"}"#, "other"),
        ] {
            let block: ContentBlock = round_trip(json);
            let got = match block {
                ContentBlock::Text { .. } => "text",
                ContentBlock::ToolUse { .. } => "tool_use",
                ContentBlock::Thinking { .. } => "thinking",
                ContentBlock::RedactedThinking { .. } => "redacted_thinking",
                ContentBlock::Other(_) => "other",
            };
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn message_delta_with_refusal_and_unknown_event() {
        let e: StreamEvent = round_trip(
            r#"{"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null,"stop_details":{"type":"refusal"}},"usage":{"output_tokens":0}}"#,
        );
        assert!(matches!(
            e,
            StreamEvent::MessageDelta {
                delta: MessageDeltaBody {
                    stop_reason: Some(StopReason::Refusal),
                    ..
                },
                ..
            }
        ));
        let e: StreamEvent = round_trip(r#"{"type":"message_pause","why":1}"#);
        assert!(matches!(e, StreamEvent::Other(_)));
        let e: StreamEvent = round_trip(r#"{"type":"ping"}"#);
        assert_eq!(e, StreamEvent::Ping);
    }

    #[test]
    fn non_stream_message_text() {
        let m: Message = round_trip(
            r#"{"id":"msg","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"a"},{"type":"tool_use","id":"t","name":"f","input":{"x":1}},{"type":"text","text":"b"}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":4}}"#,
        );
        assert_eq!(m.text(), "ab");
        assert_eq!(m.stop_reason, Some(StopReason::ToolUse));
    }

    #[test]
    fn usage_with_counts_missing_or_null_in_start_and_delta() {
        let e: StreamEvent = round_trip(
            r#"{"type":"message_start","message":{"model":"c","content":[],"usage":{"input_tokens":null,"cache_read_input_tokens":12}}}"#,
        );
        let StreamEvent::MessageStart { message } = e else {
            panic!("{e:?}")
        };
        assert_eq!(message.id, None, "a message without id still starts");
        let u = message.usage.unwrap();
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.cache_read_input_tokens),
            (None, None, Some(12))
        );
        let e: StreamEvent =
            round_trip(r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{}}"#);
        assert!(
            matches!(e, StreamEvent::MessageDelta { usage: Some(ref u), .. } if *u == Usage::default())
        );
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{}}"#
        );
        let u: Usage =
            round_trip(r#"{"output_tokens":106,"output_tokens_details":{"thinking_tokens":67}}"#);
        assert_eq!(
            u.output_tokens_details.and_then(|d| d.thinking_tokens),
            Some(67)
        );
    }
}
