//! Gemini-compatible routes under `/gemini/v1beta/models/{model}:{action}`: generateContent,
//! streamGenerateContent (`alt=sse`) and countTokens (contract §3.7), with function calls,
//! cumulative `usageMetadata` and PNG output when `responseModalities` asks for IMAGE.
//! Shapes are [UPSTREAM] Gemini API.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::artifacts::png;
use crate::catalogue::{family_of, ModelFamily};
use crate::errors::{ApiError, ErrorKind, Family};
use crate::request::{begin, reply_len};
use crate::sse::{self, Frame, Plan};
use crate::state::Shared;
use crate::text::{args_for_schema, base64, estimate_tokens, hash, make_id};

/// `POST /gemini/v1beta/models/{model}:{action}`.
pub(crate) async fn models_action(
    State(state): State<Shared>,
    Path(target): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let not_found = |msg: String| Err(ApiError::not_found(Family::Gemini, msg));
    let Some((model, action)) = target.split_once(':') else {
        return not_found(format!("Unknown route: models/{target}"));
    };
    // An unknown action is a 404 before the key is even looked at, as for any unknown route.
    let stream = match action {
        "generateContent" | "countTokens" => false,
        "streamGenerateContent" => true,
        other => return not_found(format!("Unknown action: {other}")),
    };
    let mut call = begin(&state, Family::Gemini, &headers, &body)?;
    call.model(model, &[ModelFamily::Chat, ModelFamily::Image])?;
    if action == "countTokens" {
        return Ok(Json(json!({"totalTokens": estimate_tokens(&call.prompt)})).into_response());
    }
    let msg = "* GenerateContentRequest.contents: contents is not specified";
    let contents = call.non_empty("contents", msg)?;
    let modalities: Vec<String> = call
        .body
        .pointer("/generationConfig/responseModalities")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_uppercase)
                .collect()
        })
        .unwrap_or_default();
    let wants_image = modalities.iter().any(|m| m == "IMAGE");
    let image_model = family_of(model) == Some(ModelFamily::Image);
    if image_model && !(wants_image && modalities.iter().any(|m| m == "TEXT")) {
        // Contract §3.7: the image model requires responseModalities to include TEXT and IMAGE.
        return Err(call.bad(
            "generationConfig.responseModalities must include TEXT and IMAGE for this model",
        ));
    }
    if wants_image && !image_model {
        return Err(call.bad(format!(
            "Model {model} does not support the requested response modalities: IMAGE"
        )));
    }
    let declarations: Vec<Value> = call
        .body
        .get("tools")
        .and_then(Value::as_array)
        .map(|tools| {
            tools
                .iter()
                .filter_map(|t| t.get("functionDeclarations").and_then(Value::as_array))
                .flatten()
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mode_none = call
        .body
        .pointer("/toolConfig/functionCallingConfig/mode")
        .and_then(Value::as_str)
        == Some("NONE");
    let answered = contents
        .last()
        .and_then(|c| c.get("parts"))
        .and_then(Value::as_array)
        .is_some_and(|parts| parts.iter().any(|p| p.get("functionResponse").is_some()));
    let function_call = (!declarations.is_empty() && !mode_none && !answered).then(|| {
        let d = &declarations[0];
        let args = args_for_schema(d.get("parameters").unwrap_or(&Value::Null), &mut call.rng);
        json!({"functionCall": {"name": d.get("name").and_then(Value::as_str).unwrap_or("tool"), "args": args}})
    });
    let cap = call
        .body
        .pointer("/generationConfig/maxOutputTokens")
        .and_then(Value::as_u64);
    let (n, capped) = reply_len(&state, cap);
    let tokens = if function_call.is_some() {
        Vec::new()
    } else {
        crate::text::answer_tokens(
            &state.config.answer_rules,
            model,
            call.seed,
            &call.prompt,
            n,
        )
    };
    let finish = if capped && function_call.is_none() {
        "MAX_TOKENS"
    } else {
        "STOP"
    };
    let prompt_tokens = estimate_tokens(&call.prompt);
    let response_id = make_id("", &mut call.rng);
    let image_part = wants_image.then(|| {
        json!({"inlineData": {"mimeType": "image/png", "data": base64(&png(call.seed ^ hash(&call.prompt), 16))}})
    });
    // One response object; `usageMetadata` is cumulative over the stream, as upstream.
    let chunk = |parts: Vec<Value>, done: bool, candidates_tokens: usize| {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        if done {
            candidate["finishReason"] = json!(finish);
        }
        let c = candidates_tokens as u32;
        json!({"candidates": [candidate],
            "usageMetadata": {"promptTokenCount": prompt_tokens, "candidatesTokenCount": c, "totalTokenCount": prompt_tokens + c},
            "modelVersion": model, "responseId": response_id})
    };
    let mut tail_parts: Vec<Value> = Vec::new();
    tail_parts.extend(function_call.clone());
    tail_parts.extend(image_part.clone());
    let tail_tokens = tokens.len()
        + if function_call.is_some() { 8 } else { 0 }
        + if image_part.is_some() { 258 } else { 0 };
    if !stream {
        let mut parts = Vec::new();
        if !tokens.is_empty() {
            parts.push(json!({"text": tokens.concat()}));
        }
        parts.extend(tail_parts);
        return Ok(Json(chunk(parts, true, tail_tokens)).into_response());
    }
    let mut chunks = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len() && tail_parts.is_empty();
        chunks.push((chunk(vec![json!({"text": t})], last, i + 1), true));
    }
    if !tail_parts.is_empty() || tokens.is_empty() {
        chunks.push((chunk(tail_parts, true, tail_tokens), false));
    }
    if query.get("alt").map(String::as_str) != Some("sse") {
        // [UPSTREAM] Gemini: without alt=sse the stream is one JSON array of responses.
        return Ok(
            Json(Value::Array(chunks.into_iter().map(|(c, _)| c).collect())).into_response(),
        );
    }
    let frames = chunks
        .iter()
        .map(|(c, is_token)| {
            if *is_token {
                Frame::data(c).token()
            } else {
                Frame::data(c)
            }
        })
        .collect();
    let error = ApiError::new(
        Family::Gemini,
        ErrorKind::Unavailable,
        "The model is overloaded. Please try again later.",
    );
    let error = if call.wire.loose {
        error.loose_body()
    } else {
        error.body()
    };
    Ok(sse::respond(
        &state,
        Plan::new(frames, Frame::data(&error)),
        call.fault,
        call.wire,
    ))
}
