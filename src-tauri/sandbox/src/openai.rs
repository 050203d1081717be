//! OpenAI-compatible routes under `/openai/v1`: chat completions (JSON and SSE), embeddings and
//! moderations (contract §3.2, §3.4). Shapes follow upstream OpenAI where AnyInt is silent.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::ModelFamily;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::loose;
use crate::request::{reply_len, Call};
use crate::sse::{self, Frame, Plan, Template};
use crate::state::Shared;
use crate::text::{
    args_for_schema, base64, estimate_tokens, hash, make_id, pieces, unix_now, SplitMix64,
};

/// A simulated tool call: id, function name, JSON arguments.
struct ToolCall {
    id: String,
    name: String,
    arguments: String,
}

/// Which tools the model "decides" to call: none when `tool_choice` is `none` or the last turn
/// already carries a tool result (so a tool loop always ends with text); a named tool when
/// `tool_choice` names one; every tool (up to 3, parallel) for `required`; else the first tool.
fn plan_tool_calls(call: &mut Call, last_role_is_tool: bool) -> Vec<ToolCall> {
    let tools = call.array("tools");
    let choice = call.body.get("tool_choice").cloned().unwrap_or(Value::Null);
    if tools.is_empty() || choice == json!("none") || last_role_is_tool {
        return Vec::new();
    }
    let named = choice
        .pointer("/function/name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let chosen: Vec<&Value> = match (&named, choice.as_str()) {
        (Some(n), _) => tools
            .iter()
            .filter(|t| t.pointer("/function/name").and_then(Value::as_str) == Some(n))
            .collect(),
        (None, Some("required")) => tools.iter().take(3).collect(),
        _ => tools.iter().take(1).collect(),
    };
    chosen
        .into_iter()
        .map(|t| {
            let schema = t
                .pointer("/function/parameters")
                .cloned()
                .unwrap_or(Value::Null);
            ToolCall {
                id: make_id("call_", &mut call.rng),
                name: t
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or("tool")
                    .to_owned(),
                arguments: args_for_schema(&schema, &mut call.rng).to_string(),
            }
        })
        .collect()
}

/// `POST /openai/v1/chat/completions`.
pub(crate) async fn chat_completions(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Response, ApiError> {
    let model = call.str_field("model")?;
    let messages = call.non_empty("messages", "messages: must be a non-empty array")?;
    call.model(&model, &[ModelFamily::Chat, ModelFamily::Image])?;
    let last_is_tool = messages
        .last()
        .and_then(|m| m.get("role"))
        .and_then(Value::as_str)
        == Some("tool");
    let tool_calls = plan_tool_calls(&mut call, last_is_tool);
    let cap = call
        .body
        .get("max_completion_tokens")
        .or_else(|| call.body.get("max_tokens"))
        .and_then(Value::as_u64);
    let (n, capped) = reply_len(&state, cap);
    let tokens = if tool_calls.is_empty() {
        crate::text::answer_tokens(
            &state.config.answer_rules,
            &model,
            call.seed,
            &call.prompt,
            n,
        )
    } else {
        Vec::new()
    };
    let finish = if !tool_calls.is_empty() {
        "tool_calls"
    } else if capped {
        "length"
    } else {
        "stop"
    };
    let prompt_tokens = estimate_tokens(&call.prompt);
    let completion_tokens = if tool_calls.is_empty() {
        tokens.len() as u32
    } else {
        tool_calls
            .iter()
            .map(|t| estimate_tokens(&t.arguments) + 3)
            .sum()
    };
    let usage = json!({"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens});
    let id = make_id("chatcmpl-", &mut call.rng);
    let created = unix_now();
    if call.body.get("stream").and_then(Value::as_bool) != Some(true) {
        let mut message = json!({"role": "assistant", "content": null, "refusal": null});
        if tool_calls.is_empty() {
            message["content"] = json!(tokens.concat());
        } else {
            message["tool_calls"] = tool_calls
                .iter()
                .map(|t| json!({"id": t.id, "type": "function", "function": {"name": t.name, "arguments": t.arguments}}))
                .collect();
        }
        return Ok(Json(json!({
            "id": id, "object": "chat.completion", "created": created, "model": model,
            "system_fingerprint": "fp_sandbox",
            "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
            "usage": usage,
        }))
        .into_response());
    }
    let include_usage = call
        .body
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        == Some(true);
    let loose = call.wire.loose;
    // `k` numbers the chunks, so the `loose` variant can vary their shape (see loose.rs).
    let chunk = |choices: Value, k: usize| {
        let mut c = json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
            "system_fingerprint": "fp_sandbox", "choices": choices});
        if include_usage {
            // [UPSTREAM] OpenAI: with include_usage every chunk carries `usage: null` except the last.
            c["usage"] = Value::Null;
        }
        if loose {
            loose::chunk(c, k)
        } else {
            c
        }
    };
    let delta = |d: Value, finish: Value| json!([{"index": 0, "delta": d, "logprobs": null, "finish_reason": finish}]);
    let mut frames = Vec::new();
    let text_shapes = if loose { 3 } else { 1 };
    let text_templates: Vec<Template> = (0..text_shapes)
        .map(|k| {
            Template::new(&chunk(
                delta(json!({"content": Template::SLOT}), Value::Null),
                k,
            ))
        })
        .collect();
    if tool_calls.is_empty() {
        frames.push(Frame::data(&chunk(
            delta(
                json!({"role": "assistant", "content": "", "refusal": null}),
                Value::Null,
            ),
            0,
        )));
    } else {
        frames.push(Frame::data(&chunk(
            delta(json!({"role": "assistant", "content": null}), Value::Null),
            0,
        )));
        for (index, t) in tool_calls.iter().enumerate() {
            // [UPSTREAM] OpenAI: the first delta of a call has id, type and name with empty
            // arguments; later deltas carry only `index` and an arguments fragment.
            let head = json!({"tool_calls": [{"index": index, "id": t.id, "type": "function", "function": {"name": t.name, "arguments": ""}}]});
            frames.push(Frame::data(&chunk(delta(head, Value::Null), frames.len())));
            for piece in pieces(&t.arguments, 6) {
                let d = json!({"tool_calls": [{"index": index, "function": {"arguments": piece}}]});
                frames.push(Frame::data(&chunk(delta(d, Value::Null), frames.len())).token());
            }
        }
    }
    let mut tail = vec![Frame::data(&chunk(delta(json!({}), json!(finish)), 0))];
    if include_usage {
        let mut last = chunk(json!([]), 0);
        last["usage"] = usage.clone();
        if loose {
            last = loose::usage_chunk(last, &usage);
        }
        tail.push(Frame::data(&last));
    }
    tail.push(Frame::raw("[DONE]"));
    let error = ApiError::new(
        Family::OpenAi,
        ErrorKind::Unavailable,
        "The server had an error while processing your request.",
    );
    let error = if loose {
        error.loose_body()
    } else {
        error.body()
    };
    let mut next = 1;
    let make = move |t: String| {
        let template = &text_templates[next % text_templates.len()];
        next += 1;
        Frame::text(None, template.fill(&t)).token()
    };
    let plan = Plan::lazy(frames, tokens, make, tail, Frame::data(&error));
    Ok(sse::respond(&state, plan, call.fault, call.wire))
}

/// `POST /openai/v1/embeddings`.
pub(crate) async fn embeddings(call: Call) -> Result<Json<Value>, ApiError> {
    let model = call.str_field("model")?;
    call.model(&model, &[ModelFamily::Embedding])?;
    let inputs: Vec<String> = match call.body.get("input") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) if !items.is_empty() => {
            items.iter().map(Value::to_string).collect()
        }
        _ => return Err(call.bad("input: must be a string or a non-empty array")),
    };
    let dims = match call.body.get("dimensions") {
        None => 1024,
        Some(d) => match d.as_u64() {
            Some(n @ 1..=4096) => n as usize,
            _ => return Err(call.bad("dimensions: must be an integer between 1 and 4096")),
        },
    };
    let as_base64 = call.body.get("encoding_format").and_then(Value::as_str) == Some("base64");
    let mut tokens = 0;
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| {
            tokens += estimate_tokens(text);
            let vector = unit_vector(call.seed ^ hash(text), dims);
            let embedding = if as_base64 {
                let bytes: Vec<u8> = vector.iter().flat_map(|f| f.to_le_bytes()).collect();
                json!(base64(&bytes))
            } else {
                json!(vector)
            };
            json!({"object": "embedding", "index": index, "embedding": embedding})
        })
        .collect();
    Ok(Json(
        json!({"object": "list", "data": data, "model": model, "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}),
    ))
}

/// A deterministic unit-length vector (same text and seed, same embedding).
fn unit_vector(seed: u64, dims: usize) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed);
    let raw: Vec<f64> = (0..dims).map(|_| rng.unit()).collect();
    let norm = raw
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::EPSILON);
    raw.iter().map(|x| (x / norm) as f32).collect()
}

/// `POST /openai/v1/moderations`: never flags (the sandbox has no real classifier).
pub(crate) async fn moderations(mut call: Call) -> Result<Json<Value>, ApiError> {
    if call.body.get("input").is_none() {
        return Err(call.bad("input: field required"));
    }
    let model = call
        .body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("omni-moderation-latest")
        .to_owned();
    let categories = ["harassment", "hate", "self-harm", "sexual", "violence"];
    let flags: serde_json::Map<String, Value> = categories
        .iter()
        .map(|c| ((*c).to_owned(), json!(false)))
        .collect();
    let scores: serde_json::Map<String, Value> = categories
        .iter()
        .map(|c| ((*c).to_owned(), json!(0.0001)))
        .collect();
    Ok(Json(
        json!({"id": make_id("modr-", &mut call.rng), "model": model,
        "results": [{"flagged": false, "categories": flags, "category_scores": scores}]}),
    ))
}
