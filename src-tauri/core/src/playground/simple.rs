//! The simplest body of each family for one prompt: what `anyint chat` sends, and what the
//! playground's editors start from. The exact shapes are the contract's §3.2-3.7.

use crate::chat::ChatFamily;
use serde_json::{json, Map, Value};

/// The documented default the Anthropic route requires (`max_tokens` has no default there).
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

pub fn simple_body(
    family: ChatFamily,
    model: &str,
    system: Option<&str>,
    max_tokens: Option<u32>,
    prompt: &str,
    stream: bool,
) -> Value {
    let mut body = Map::new();
    match family {
        ChatFamily::OpenAiChat => {
            body.insert("model".into(), json!(model));
            let mut messages = Vec::new();
            if let Some(s) = system {
                messages.push(json!({"role": "system", "content": s}));
            }
            messages.push(json!({"role": "user", "content": prompt}));
            body.insert("messages".into(), Value::Array(messages));
            if let Some(n) = max_tokens {
                body.insert("max_tokens".into(), json!(n));
            }
            if stream {
                body.insert("stream".into(), json!(true));
                body.insert("stream_options".into(), json!({"include_usage": true}));
            }
        }
        ChatFamily::OpenAiResponses => {
            body.insert("model".into(), json!(model));
            body.insert("input".into(), json!(prompt));
            if let Some(s) = system {
                body.insert("instructions".into(), json!(s));
            }
            if let Some(n) = max_tokens {
                body.insert("max_output_tokens".into(), json!(n));
            }
            if stream {
                body.insert("stream".into(), json!(true));
            }
        }
        ChatFamily::Anthropic => {
            body.insert("model".into(), json!(model));
            body.insert(
                "max_tokens".into(),
                json!(max_tokens.unwrap_or(DEFAULT_MAX_TOKENS)),
            );
            if let Some(s) = system {
                body.insert("system".into(), json!(s));
            }
            body.insert(
                "messages".into(),
                json!([{"role": "user", "content": prompt}]),
            );
            if stream {
                body.insert("stream".into(), json!(true));
            }
        }
        ChatFamily::Gemini => {
            // The model is in the path and streaming is the path: neither is in the body.
            body.insert(
                "contents".into(),
                json!([{"role": "user", "parts": [{"text": prompt}]}]),
            );
            if let Some(s) = system {
                body.insert("systemInstruction".into(), json!({"parts": [{"text": s}]}));
            }
            if let Some(n) = max_tokens {
                body.insert("generationConfig".into(), json!({"maxOutputTokens": n}));
            }
        }
    }
    Value::Object(body)
}
