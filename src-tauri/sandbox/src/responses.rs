//! OpenAI Responses API (Beta on AnyInt, contract §3.3): `POST /openai/v1/responses` (JSON and
//! SSE `response.*` events) and `GET /openai/v1/responses/{id}` for stored responses.
//! Shapes are [UPSTREAM] OpenAI Responses.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::ModelFamily;
use crate::errors::ApiError;
use crate::request::{reply_len, Call, Caller};
use crate::sse::{self, Frame, Plan};
use crate::state::Shared;
use crate::text::{args_for_schema, estimate_tokens, make_id, pieces, unix_now};

/// `GET /openai/v1/responses/{id}`.
pub(crate) async fn retrieve(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    state.stored(&id).map(Json).ok_or_else(|| {
        ApiError::not_found(caller.family, format!("No response found with id '{id}'."))
    })
}

/// `POST /openai/v1/responses`.
pub(crate) async fn create(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Response, ApiError> {
    let model = call.str_field("model")?;
    let input = call.body.get("input").cloned().unwrap_or(Value::Null);
    let answered = match &input {
        Value::String(s) if !s.is_empty() => false,
        Value::Array(items) if !items.is_empty() => {
            items
                .last()
                .and_then(|i| i.get("type"))
                .and_then(Value::as_str)
                == Some("function_call_output")
        }
        _ => return Err(call.bad("input: must be a non-empty string or array")),
    };
    call.model(&model, &[ModelFamily::Chat])?;
    let tool = call
        .body
        .get("tools")
        .and_then(Value::as_array)
        .and_then(|t| {
            t.iter()
                .find(|t| t.get("type") == Some(&json!("function")))
                .cloned()
        })
        .filter(|_| !answered && call.body.get("tool_choice") != Some(&json!("none")));
    let cap = call.body.get("max_output_tokens").and_then(Value::as_u64);
    let (n, capped) = reply_len(&state, cap);
    let id = make_id("resp_", &mut call.rng);
    let item_id = make_id("msg_", &mut call.rng);
    let (item, deltas): (Value, Vec<String>) = match &tool {
        Some(t) => {
            let args = args_for_schema(t.get("parameters").unwrap_or(&Value::Null), &mut call.rng)
                .to_string();
            let item = json!({"id": make_id("fc_", &mut call.rng), "type": "function_call", "status": "completed",
                "call_id": make_id("call_", &mut call.rng), "name": t.get("name").cloned().unwrap_or(json!("tool")), "arguments": args});
            (item, pieces(&args, 6))
        }
        None => {
            let tokens = crate::text::answer_tokens(
                &state.config.answer_rules,
                &model,
                call.seed,
                &call.prompt,
                n,
            );
            let item = json!({"id": item_id, "type": "message", "status": "completed", "role": "assistant",
                "content": [{"type": "output_text", "text": tokens.concat(), "annotations": []}]});
            (item, tokens)
        }
    };
    let input_tokens = estimate_tokens(&call.prompt);
    let output_tokens = deltas.len() as u32;
    let incomplete = capped && tool.is_none();
    let base = |status: &str, output: Value, usage: Value| {
        json!({"id": id, "object": "response", "created_at": unix_now(), "status": status, "error": null,
            "incomplete_details": if status == "incomplete" { json!({"reason": "max_output_tokens"}) } else { Value::Null },
            "instructions": call.body.get("instructions").cloned().unwrap_or(Value::Null),
            "max_output_tokens": cap, "model": model, "output": output, "parallel_tool_calls": true,
            "tool_choice": call.body.get("tool_choice").cloned().unwrap_or(json!("auto")),
            "tools": call.body.get("tools").cloned().unwrap_or(json!([])), "usage": usage,
            "metadata": call.body.get("metadata").cloned().unwrap_or(json!({}))})
    };
    let usage = json!({"input_tokens": input_tokens, "output_tokens": output_tokens, "total_tokens": input_tokens + output_tokens});
    let done = base(
        if incomplete {
            "incomplete"
        } else {
            "completed"
        },
        json!([item]),
        usage,
    );
    state.store(&id, done.clone());
    if call.body.get("stream").and_then(Value::as_bool) != Some(true) {
        return Ok(Json(done).into_response());
    }
    let mut seq = 0u64;
    let mut frames = Vec::new();
    let mut push = |name: &str, mut data: Value, token: bool| {
        data["type"] = json!(name);
        data["sequence_number"] = json!(seq);
        seq += 1;
        let f = Frame::event(name, &data);
        frames.push(if token { f.token() } else { f });
    };
    let created = base("in_progress", json!([]), Value::Null);
    push("response.created", json!({"response": created}), false);
    push("response.in_progress", json!({"response": created}), false);
    let mut added = item.clone();
    added["status"] = json!("in_progress");
    let oid = item["id"].clone();
    if tool.is_some() {
        added["arguments"] = json!("");
        push(
            "response.output_item.added",
            json!({"output_index": 0, "item": added}),
            false,
        );
        for d in &deltas {
            push(
                "response.function_call_arguments.delta",
                json!({"item_id": oid, "output_index": 0, "delta": d}),
                true,
            );
        }
        push(
            "response.function_call_arguments.done",
            json!({"item_id": oid, "output_index": 0, "arguments": item["arguments"]}),
            false,
        );
    } else {
        added["content"] = json!([]);
        push(
            "response.output_item.added",
            json!({"output_index": 0, "item": added}),
            false,
        );
        let part = |text: &str| json!({"type": "output_text", "text": text, "annotations": []});
        let at = |extra: Value| {
            let mut v = json!({"item_id": oid, "output_index": 0, "content_index": 0});
            if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
                m.extend(e);
            }
            v
        };
        push(
            "response.content_part.added",
            at(json!({"part": part("")})),
            false,
        );
        for d in &deltas {
            push("response.output_text.delta", at(json!({"delta": d})), true);
        }
        let text = deltas.concat();
        push(
            "response.output_text.done",
            at(json!({"text": text})),
            false,
        );
        push(
            "response.content_part.done",
            at(json!({"part": part(&text)})),
            false,
        );
    }
    push(
        "response.output_item.done",
        json!({"output_index": 0, "item": item}),
        false,
    );
    let last = if incomplete {
        "response.incomplete"
    } else {
        "response.completed"
    };
    push(last, json!({"response": done}), false);
    let error = json!({"type": "error", "code": "server_error", "message": "The server had an error while processing your request.", "param": null});
    Ok(sse::respond(
        &state,
        Plan::new(frames, Frame::event("error", &error)),
        call.fault,
        call.wire,
    ))
}
