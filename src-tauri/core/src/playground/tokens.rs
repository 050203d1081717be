//! Token counts before sending, on the family's own route: Anthropic `POST
//! /messages/count_tokens` (answers `{"input_tokens": N}`) and Gemini `POST
//! /models/{model}:countTokens` (answers `{"totalTokens": N}`). The OpenAI families have no
//! such route; the window shows no live count for them.

use crate::chat::ChatFamily;
use crate::gateway::{GatewayClient, GatewayError};
use serde_json::{Map, Value};

/// What Anthropic's count route accepts of a Messages body ([UPSTREAM] Anthropic API: other
/// fields such as `max_tokens` or `stream` are rejected there).
const ANTHROPIC_COUNTED: [&str; 6] = [
    "model",
    "messages",
    "system",
    "tools",
    "tool_choice",
    "thinking",
];

pub async fn count_tokens(
    client: &GatewayClient,
    family: ChatFamily,
    model: &str,
    body: &Value,
) -> Result<u64, GatewayError> {
    match family {
        ChatFamily::Anthropic => {
            let mut counted: Map<String, Value> = body
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, _)| ANTHROPIC_COUNTED.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            counted
                .entry("model")
                .or_insert_with(|| Value::String(model.to_owned()));
            let answer: Value = client
                .post_json(family.gateway_family(), "/messages/count_tokens", &counted)
                .await?;
            read_count(client, &answer, "input_tokens")
        }
        ChatFamily::Gemini => {
            // [UPSTREAM] Gemini counts `contents`; system instruction and tools count only
            // inside a `generateContentRequest`, which carries the model too.
            let mut request = body.as_object().cloned().unwrap_or_default();
            request.insert("model".into(), Value::String(format!("models/{model}")));
            let wrapped = serde_json::json!({ "generateContentRequest": request });
            let plain = serde_json::json!({ "contents": body.get("contents").cloned().unwrap_or(Value::Array(vec![])) });
            let has_extras = ["systemInstruction", "tools"]
                .iter()
                .any(|k| body.get(k).is_some());
            let payload = if has_extras { wrapped } else { plain };
            let answer: Value = client
                .post_json(
                    family.gateway_family(),
                    &format!("/models/{model}:countTokens"),
                    &payload,
                )
                .await?;
            read_count(client, &answer, "totalTokens")
        }
        ChatFamily::OpenAiChat | ChatFamily::OpenAiResponses => Err(GatewayError::Unsupported {
            what: "token counting (the OpenAI families have no count route)",
        }),
    }
}

fn read_count(client: &GatewayClient, answer: &Value, field: &str) -> Result<u64, GatewayError> {
    answer.get(field).and_then(Value::as_u64).ok_or_else(|| {
        client.decode_error(
            format!("the count answer has no `{field}`"),
            answer.to_string().as_bytes(),
        )
    })
}
