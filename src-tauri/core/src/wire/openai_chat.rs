//! OpenAI Chat Completions (`POST /openai/v1/chat/completions`, contract §3.2): the request,
//! the JSON answer, the `chat.completion.chunk` stream frames (ending with `data: [DONE]`,
//! see `crate::sse::is_done`) and the OpenAI error envelope shared by every `/openai` route.
//! Shapes are [UPSTREAM] OpenAI, as recorded in the openai-python fixtures. Answers are read
//! leniently, because OpenAI-compatible servers differ in harmless ways: an answer or chunk
//! without `id` or `created` (or a float `created`), a choice or tool-call piece without
//! `index`, usage counts missing or null, an error `code` of either type. What was absent stays
//! absent when written back.

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

open_enum!(
    /// Who wrote a message.
    Role {
        System = "system",
        Developer = "developer",
        User = "user",
        Assistant = "assistant",
        Tool = "tool",
    }
);

open_enum!(
    /// Why a choice stopped.
    FinishReason {
        Stop = "stop",
        Length = "length",
        ToolCalls = "tool_calls",
        ContentFilter = "content_filter",
        FunctionCall = "function_call",
    }
);

/// The request body. Fields this type does not name (a raw JSON tab, a newer option) travel
/// in `extra` so nothing the user typed is dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatCompletionRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// A string or an array of strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatCompletionRequest {
    /// A one-turn request.
    pub fn new(model: impl Into<String>, user_text: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            messages: vec![ChatMessage::user(user_text)],
            stream: None,
            stream_options: None,
            max_tokens: None,
            max_completion_tokens: None,
            temperature: None,
            top_p: None,
            n: None,
            stop: None,
            tools: None,
            tool_choice: None,
            response_format: None,
            extra: Map::new(),
        }
    }

    /// The same request streamed, with the final usage chunk asked for.
    pub fn streaming(mut self) -> Self {
        self.stream = Some(true);
        self.stream_options = Some(StreamOptions {
            include_usage: Some(true),
        });
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
}

/// A message in the request, and the assistant message of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    /// A string, or an array of content parts (`text`, `image_url`, ...); null with tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

impl ChatMessage {
    pub fn user(text: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: Some(MessageContent::Text(text.into())),
            name: None,
            tool_calls: None,
            tool_call_id: None,
            refusal: None,
        }
    }

    /// The text of the content: the string, or the `text` parts joined.
    pub fn text(&self) -> String {
        match &self.content {
            Some(MessageContent::Text(s)) => s.clone(),
            Some(MessageContent::Parts(parts)) => parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect(),
            None => String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
    Text(String),
    /// Content parts; their shapes vary by type and model, so they stay JSON.
    Parts(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    #[serde(rename = "type", default = "function_type")]
    pub kind: String,
    pub function: FunctionCall,
}

fn function_type() -> String {
    "function".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    /// JSON text, as the model wrote it (not guaranteed valid).
    pub arguments: String,
}

/// Token counts. OpenAI always sends the three totals; other servers leave some out or send
/// `null`, so each is optional (`prompt_tokens` includes the cached ones, `completion_tokens`
/// the reasoning ones).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<PromptTokensDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<CompletionTokensDetails>,
}

/// `prompt_tokens_details`: the cached part of the prompt (and audio, ... kept in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PromptTokensDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u64>,
    /// `audio_tokens` and whatever OpenAI adds next, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `completion_tokens_details`: the reasoning part of the completion (and the rest in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompletionTokensDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_tokens: Option<u64>,
    /// `audio_tokens`, `accepted_prediction_tokens`, ..., kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The non-stream answer (`object: "chat.completion"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatCompletion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// Unix seconds; kept as the number it came as (some servers send a float).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Number>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    pub choices: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Absent on some servers' single-choice answers: read it as 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    pub message: ChatMessage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<Value>,
}

/// One stream frame (`object: "chat.completion.chunk"`). OpenAI's usage frame has no
/// choices; other servers send it with `choices: [{"delta": {}}]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatCompletionChunk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// Unix seconds; kept as the number it came as (some servers send a float).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Number>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub model: String,
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkChoice {
    /// Absent on some servers' single-choice streams: read it as 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default)]
    pub delta: Delta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// Reasoning text some OpenAI-compatible upstreams stream beside `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
}

/// A piece of a tool call: the first carries `id`, `type` and the name; later ones only
/// `index` and an arguments fragment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCallDelta {
    /// [UPSTREAM] Gemini's OpenAI-compatible endpoint sends tool calls without `index`
    /// (each one whole, with its `id`); `chat` then numbers them by their ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionDelta>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionDelta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

/// The OpenAI error envelope `{error:{message,type,code,param}}` (contract §7.3), also sent
/// as a `data:` frame when a stream fails midway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Usually a string; some upstreams send a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WireCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn chunk_with_tool_call_head_round_trips() {
        let c: ChatCompletionChunk = round_trip(
            r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"new_field":1}"#,
        );
        let call = &c.choices[0].delta.tool_calls.as_ref().unwrap()[0];
        assert_eq!(call.id.as_deref(), Some("call_1"));
        assert_eq!(c.choices[0].delta.role, Some(Role::Assistant));
    }

    #[test]
    fn unknown_finish_reason_is_kept() {
        let c: ChatCompletionChunk = round_trip(
            r#"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"brand_new"}]}"#,
        );
        let reason = c.choices[0].finish_reason.clone().unwrap();
        assert_eq!(reason, FinishReason::Other("brand_new".into()));
        assert_eq!(serde_json::to_value(&reason).unwrap(), "brand_new");
    }

    #[test]
    fn completion_and_request_round_trip_without_nulls() {
        let done: ChatCompletion = round_trip(
            r#"{"id":"x","object":"chat.completion","created":2,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#,
        );
        assert_eq!(done.choices[0].message.text(), "hi");
        let encoded = serde_json::to_string(&done).unwrap();
        assert!(!encoded.contains("null"), "{encoded}");

        let req = ChatCompletionRequest::new("gpt-5", "Hello").streaming();
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["stream_options"]["include_usage"], true);
        assert!(json.get("temperature").is_none());
        let raw = r#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]}],"seed":7}"#;
        let req: ChatCompletionRequest = round_trip(raw);
        assert_eq!(req.extra["seed"], 7, "unnamed request fields are kept");
        assert_eq!(req.messages[0].text(), "a");
    }

    #[test]
    fn error_envelope_with_numeric_code() {
        let e: ErrorEnvelope = round_trip(r#"{"error":{"message":"m","type":"t","code":429}}"#);
        assert_eq!(e.error.code, Some(WireCode::Number(429)));
        let e: ErrorEnvelope = round_trip(r#"{"error":{"message":"m","code":"429"}}"#);
        assert!(e.error.code.is_some_and(|c| c == 429));
        let e: ErrorEnvelope = round_trip(r#"{"error":{"message":"m","code":null}}"#);
        assert_eq!(e.error.code, None);
    }

    #[test]
    fn usage_with_missing_or_null_counts_reads_as_none_and_stays_absent() {
        let u: Usage = round_trip(r#"{"prompt_tokens":5,"completion_tokens":null}"#);
        assert_eq!((u.prompt_tokens, u.completion_tokens), (Some(5), None));
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"prompt_tokens":5}"#);
        assert_eq!(round_trip::<Usage>("{}"), Usage::default());
        let u: Usage = round_trip(
            r#"{"prompt_tokens_details":{"cached_tokens":6,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":null}}"#,
        );
        let (prompt, done) = (
            u.prompt_tokens_details.unwrap(),
            u.completion_tokens_details,
        );
        assert_eq!(
            (prompt.cached_tokens, prompt.extra["audio_tokens"].as_u64()),
            (Some(6), Some(0))
        );
        assert_eq!(done.unwrap().reasoning_tokens, None);
    }

    #[test]
    fn chunks_without_id_index_or_integer_created_decode_and_write_back_as_they_came() {
        let raw = r#"{"created":1714000000.5,"choices":[{"delta":{"tool_calls":[{"id":"t","function":{"name":"f"}}]}}]}"#;
        let c: ChatCompletionChunk = round_trip(raw);
        let call = &c.choices[0].delta.tool_calls.as_ref().unwrap()[0];
        assert_eq!(
            (c.id.as_deref(), c.choices[0].index, call.index),
            (None, None, None)
        );
        assert_eq!(
            c.created.as_ref().and_then(Number::as_f64),
            Some(1_714_000_000.5)
        );
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<Value>(raw).unwrap(),
            "nothing added or lost"
        );
        let done: ChatCompletion =
            round_trip(r#"{"choices":[{"message":{"role":"assistant","content":"hi"}}]}"#);
        assert_eq!(
            (done.id, done.created, done.choices[0].index),
            (None, None, None)
        );
        assert_eq!(
            done.model, "",
            "a missing model reads as empty and is not written"
        );
    }
}
