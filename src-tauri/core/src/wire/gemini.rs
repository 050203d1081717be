//! Gemini generateContent (`/gemini/v1beta/models/{model}:generateContent` and
//! `:streamGenerateContent?alt=sse`, contract §3.7): the request, the response (one per SSE
//! event when streaming, no terminator, `usageMetadata` cumulative) and the Google error
//! envelope `{error:{code,message,status}}`, which may also arrive mid-stream.
//! Shapes are [UPSTREAM] Gemini, as recorded in the generative-ai-js mock responses. Every enum
//! is open: Google adds harm categories and finish reasons without notice. Every count of
//! `usageMetadata` and a candidate's `index` may be missing, and an error `code` may come as a
//! string from a gateway or proxy.

use super::{open_enum, WireCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

open_enum!(
    FinishReason {
        Unspecified = "FINISH_REASON_UNSPECIFIED",
        Stop = "STOP",
        MaxTokens = "MAX_TOKENS",
        Safety = "SAFETY",
        Recitation = "RECITATION",
        Language = "LANGUAGE",
        OtherReason = "OTHER",
        Blocklist = "BLOCKLIST",
        ProhibitedContent = "PROHIBITED_CONTENT",
        Spii = "SPII",
        MalformedFunctionCall = "MALFORMED_FUNCTION_CALL",
        ImageSafety = "IMAGE_SAFETY",
    }
);

open_enum!(
    BlockReason {
        Unspecified = "BLOCK_REASON_UNSPECIFIED",
        Safety = "SAFETY",
        OtherReason = "OTHER",
        Blocklist = "BLOCKLIST",
        ProhibitedContent = "PROHIBITED_CONTENT",
        ImageSafety = "IMAGE_SAFETY",
    }
);

open_enum!(
    HarmCategory {
        Harassment = "HARM_CATEGORY_HARASSMENT",
        HateSpeech = "HARM_CATEGORY_HATE_SPEECH",
        SexuallyExplicit = "HARM_CATEGORY_SEXUALLY_EXPLICIT",
        DangerousContent = "HARM_CATEGORY_DANGEROUS_CONTENT",
        CivicIntegrity = "HARM_CATEGORY_CIVIC_INTEGRITY",
    }
);

open_enum!(
    HarmProbability {
        Unspecified = "HARM_PROBABILITY_UNSPECIFIED",
        Negligible = "NEGLIGIBLE",
        Low = "LOW",
        Medium = "MEDIUM",
        High = "HIGH",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateContentRequest {
    pub contents: Vec<Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_instruction: Option<Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_config: Option<Value>,
    /// temperature, maxOutputTokens, responseModalities, ...; kept as JSON (many options).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_settings: Option<Vec<Value>>,
    /// Fields this type does not name, kept so a raw request loses nothing.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GenerateContentRequest {
    pub fn new(user_text: impl Into<String>) -> Self {
        Self {
            contents: vec![Content {
                role: Some("user".to_owned()),
                parts: vec![Part::text(user_text)],
            }],
            system_instruction: None,
            tools: None,
            tool_config: None,
            generation_config: None,
            safety_settings: None,
            extra: Map::new(),
        }
    }
}

/// A turn: `role` is `user` or `model`. A final chunk may carry `content: {}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// One part. The API makes the kinds exclusive (text | inlineData | functionCall | ...);
/// a struct of options decodes every kind, including ones added later.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A thought summary part (its `text` is reasoning, not answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_data: Option<Blob>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_data: Option<Value>,
}

impl Part {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blob {
    pub mime_type: String,
    /// Base64.
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub args: Value,
}

/// The answer of generateContent, and each event of a stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateContentResponse {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_feedback: Option<PromptFeedback>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_metadata: Option<UsageMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<String>,
}

impl GenerateContentResponse {
    /// The answer text of the first candidate (thought parts excluded).
    pub fn text(&self) -> String {
        self.candidates
            .first()
            .and_then(|c| c.content.as_ref())
            .map(|c| {
                c.parts
                    .iter()
                    .filter(|p| p.thought != Some(true))
                    .filter_map(|p| p.text.as_deref())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_ratings: Option<Vec<SafetyRating>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation_metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grounding_metadata: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyRating {
    pub category: HarmCategory,
    pub probability: HarmProbability,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptFeedback {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_reason: Option<BlockReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_ratings: Option<Vec<SafetyRating>>,
}

/// Token counts; cumulative over a stream, so the last chunk's are the totals. Each is
/// optional (Google leaves zero counts out). `promptTokenCount` includes the cached ones;
/// `candidatesTokenCount` excludes the thoughts (`totalTokenCount` adds them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_token_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_token_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_token_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thoughts_token_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_content_token_count: Option<u64>,
}

/// `{error:{code,message,status,details?}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The HTTP status as a number from Google; as a string from some gateways (`"429"`).
    pub code: WireCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<Value>>,
}

/// One item of a stream: a response, or the error object Google sends mid-stream.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Response(GenerateContentResponse),
    Error(ErrorEnvelope),
}

impl StreamItem {
    /// Decodes one event's data (or one line of a non-SSE stream). A body with a top-level
    /// `error` is the error envelope; anything else must be a response.
    pub fn decode(data: &str) -> Result<Self, serde_json::Error> {
        let value: Value = serde_json::from_str(data)?;
        if value.get("error").is_some() {
            serde_json::from_value(value).map(StreamItem::Error)
        } else {
            serde_json::from_value(value).map(StreamItem::Response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::test_support::round_trip;

    #[test]
    fn unknown_enums_are_kept() {
        let r: GenerateContentResponse = round_trip(
            r#"{"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"},"finishReason":"FAKE_ENUM","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_NEW","probability":"NEGLIGIBLE_UNKNOWN_ENUM"}]}]}"#,
        );
        let c = &r.candidates[0];
        assert_eq!(
            c.finish_reason,
            Some(FinishReason::Other("FAKE_ENUM".into()))
        );
        let rating = &c.safety_ratings.as_ref().unwrap()[0];
        assert_eq!(rating.category.as_str(), "HARM_CATEGORY_NEW");
        assert_eq!(r.text(), "a");
    }

    #[test]
    fn parts_of_every_kind_and_empty_content() {
        let r: GenerateContentResponse = round_trip(
            r#"{"candidates":[{"content":{"role":"model","parts":[{"text":"t"},{"inlineData":{"mimeType":"image/png","data":"AA=="}},{"functionCall":{"name":"f","args":{"a":1}}}]},"finishReason":"STOP"},{"content":{},"index":1}],"usageMetadata":{"promptTokenCount":1,"totalTokenCount":1},"modelVersion":"g"}"#,
        );
        let parts = &r.candidates[0].content.as_ref().unwrap().parts;
        assert_eq!(
            parts[1].inline_data.as_ref().unwrap().mime_type,
            "image/png"
        );
        assert_eq!(parts[2].function_call.as_ref().unwrap().args["a"], 1);
        assert!(r.candidates[1].content.as_ref().unwrap().parts.is_empty());
    }

    #[test]
    fn partial_usage_and_candidates_without_index() {
        let r: GenerateContentResponse = round_trip(
            r#"{"candidates":[{"content":{"parts":[{"text":"a"}]}}],"usageMetadata":{"candidatesTokenCount":3,"thoughtsTokenCount":null},"responseId":"r1"}"#,
        );
        assert_eq!((r.candidates[0].index, r.text().as_str()), (None, "a"));
        let u = r.usage_metadata.clone().unwrap();
        assert_eq!(
            (
                u.prompt_token_count,
                u.candidates_token_count,
                u.thoughts_token_count
            ),
            (None, Some(3), None)
        );
        assert_eq!(
            serde_json::to_value(&r).unwrap()["usageMetadata"],
            serde_json::json!({"candidatesTokenCount": 3})
        );
        let r: GenerateContentResponse = round_trip(r#"{"usageMetadata":{}}"#);
        assert_eq!(r.usage_metadata, Some(UsageMetadata::default()));
    }

    #[test]
    fn stream_items_tell_errors_from_responses() {
        let e =
            StreamItem::decode(r#"{"error":{"code":500,"message":"Error","status":"INTERNAL"}}"#);
        assert!(matches!(e, Ok(StreamItem::Error(ref env)) if env.error.code == 500));
        let e = StreamItem::decode(
            r#"{"error":{"code":"429","message":"slow","status":"RESOURCE_EXHAUSTED"}}"#,
        );
        assert!(matches!(e, Ok(StreamItem::Error(ref env)) if env.error.code == 429));
        let ok = StreamItem::decode(r#"{"candidates":[]}"#);
        assert!(matches!(ok, Ok(StreamItem::Response(_))));
        assert!(StreamItem::decode("{\"sandbox\": \"malformed").is_err());
        let req = serde_json::to_value(GenerateContentRequest::new("hi")).unwrap();
        assert_eq!(
            req,
            serde_json::json!({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})
        );
    }
}
