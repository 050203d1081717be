//! Anthropic-compatible routes under `/anthropic/v1`: messages (JSON and SSE with every event
//! type) and count_tokens (contract §3.6). Shapes are [UPSTREAM] Anthropic Messages API.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::ModelFamily;
use crate::errors::{ApiError, ErrorKind, Family};
use crate::request::{reply_len, Call};
use crate::sse::{self, Frame, Plan, Template};
use crate::state::Shared;
use crate::text::{args_for_schema, estimate_tokens, make_id, pieces, reply_tokens};

/// One planned content block.
enum Block {
    Thinking {
        text: Vec<String>,
        signature: String,
    },
    Text(Vec<String>),
    ToolUse {
        id: String,
        name: String,
        input: String,
    },
}

fn validate(call: &Call) -> Result<(String, Vec<Value>), ApiError> {
    let model = call.str_field("model")?;
    let messages = call.non_empty("messages", "messages: Field required")?;
    call.model(&model, &[ModelFamily::Chat])?;
    Ok((model, messages))
}

/// Whether the last user turn returns a tool result (then the model answers in text).
fn last_turn_has_tool_result(messages: &[Value]) -> bool {
    messages
        .last()
        .and_then(|m| m.get("content"))
        .and_then(Value::as_array)
        .is_some_and(|blocks| {
            blocks
                .iter()
                .any(|b| b.get("type") == Some(&json!("tool_result")))
        })
}

/// `POST /anthropic/v1/messages`.
pub(crate) async fn messages(
    State(state): State<Shared>,
    mut call: Call,
) -> Result<Response, ApiError> {
    let (model, messages) = validate(&call)?;
    let max_tokens = match call.body.get("max_tokens").and_then(Value::as_u64) {
        Some(n) if n >= 1 => n,
        _ => return Err(call.bad("max_tokens: Field required (integer >= 1)")),
    };
    let (n, capped) = reply_len(&state, Some(max_tokens));
    let mut blocks = Vec::new();
    if call.body.pointer("/thinking/type").and_then(Value::as_str) == Some("enabled") {
        let text = reply_tokens(call.seed ^ 0x0074_6869_6e6b, &call.prompt, 12);
        blocks.push(Block::Thinking {
            text,
            signature: make_id("sig_", &mut call.rng),
        });
    }
    let tools = call.array("tools");
    let choice_none = call
        .body
        .pointer("/tool_choice/type")
        .and_then(Value::as_str)
        == Some("none");
    let use_tool =
        !tools.is_empty() && !choice_none && !last_turn_has_tool_result(&messages) && !capped;
    if use_tool {
        let named = call
            .body
            .pointer("/tool_choice/name")
            .and_then(Value::as_str);
        let tool = named
            .and_then(|n| {
                tools
                    .iter()
                    .find(|t| t.get("name").and_then(Value::as_str) == Some(n))
            })
            .unwrap_or(&tools[0]);
        blocks.push(Block::Text(reply_tokens(call.seed, &call.prompt, 6)));
        let schema = tool.get("input_schema").cloned().unwrap_or(Value::Null);
        blocks.push(Block::ToolUse {
            id: make_id("toolu_", &mut call.rng),
            name: tool
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("tool")
                .to_owned(),
            input: args_for_schema(&schema, &mut call.rng).to_string(),
        });
    } else {
        blocks.push(Block::Text(crate::text::answer_tokens(
            &state.config.answer_rules,
            &model,
            call.seed,
            &call.prompt,
            n,
        )));
    }
    let stop_reason = if use_tool {
        "tool_use"
    } else if capped {
        "max_tokens"
    } else {
        "end_turn"
    };
    let input_tokens = estimate_tokens(&call.prompt);
    let output_tokens: u32 = blocks
        .iter()
        .map(|b| match b {
            Block::Thinking { text, .. } | Block::Text(text) => text.len() as u32,
            Block::ToolUse { input, .. } => estimate_tokens(input) + 3,
        })
        .sum();
    let id = make_id("msg_", &mut call.rng);
    if call.body.get("stream").and_then(Value::as_bool) != Some(true) {
        let content: Vec<Value> = blocks
            .iter()
            .map(|b| match b {
                Block::Thinking { text, signature } => json!({"type": "thinking", "thinking": text.concat(), "signature": signature}),
                Block::Text(text) => json!({"type": "text", "text": text.concat()}),
                Block::ToolUse { id, name, input } => {
                    json!({"type": "tool_use", "id": id, "name": name, "input": serde_json::from_str::<Value>(input).unwrap_or(Value::Null)})
                }
            })
            .collect();
        return Ok(Json(json!({
            "id": id, "type": "message", "role": "assistant", "model": model, "content": content,
            "stop_reason": stop_reason, "stop_sequence": null,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }))
        .into_response());
    }
    let mut frames = vec![Frame::event(
        "message_start",
        &json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant",
            "content": [], "model": model, "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": input_tokens, "output_tokens": 1}}}),
    )];
    for (index, block) in blocks.iter().enumerate() {
        let start = match block {
            Block::Thinking { .. } => json!({"type": "thinking", "thinking": "", "signature": ""}),
            Block::Text(_) => json!({"type": "text", "text": ""}),
            Block::ToolUse { id, name, .. } => {
                json!({"type": "tool_use", "id": id, "name": name, "input": {}})
            }
        };
        frames.push(Frame::event(
            "content_block_start",
            &json!({"type": "content_block_start", "index": index, "content_block": start}),
        ));
        if index == 0 {
            // [UPSTREAM] Anthropic sends a ping after the first content_block_start.
            frames.push(Frame::event("ping", &json!({"type": "ping"})));
        }
        let delta = |d: Value| {
            Frame::event(
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": index, "delta": d}),
            )
            .token()
        };
        match block {
            Block::Thinking { text, signature } => {
                frames.extend(
                    text.iter()
                        .map(|t| delta(json!({"type": "thinking_delta", "thinking": t}))),
                );
                frames.push(delta(
                    json!({"type": "signature_delta", "signature": signature}),
                ));
            }
            Block::Text(text) => {
                // Text deltas are the bulk of a long stream: fill a template, not a new Value.
                let template =
                    Template::new(&json!({"type": "content_block_delta", "index": index,
                    "delta": {"type": "text_delta", "text": Template::SLOT}}));
                frames.extend(
                    text.iter().map(|t| {
                        Frame::text(Some("content_block_delta"), template.fill(t)).token()
                    }),
                );
            }
            Block::ToolUse { input, .. } => {
                frames.extend(
                    pieces(input, 6)
                        .into_iter()
                        .map(|p| delta(json!({"type": "input_json_delta", "partial_json": p}))),
                );
            }
        }
        frames.push(Frame::event(
            "content_block_stop",
            &json!({"type": "content_block_stop", "index": index}),
        ));
    }
    frames.push(Frame::event(
        "message_delta",
        &json!({"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": null}, "usage": {"output_tokens": output_tokens}}),
    ));
    frames.push(Frame::event(
        "message_stop",
        &json!({"type": "message_stop"}),
    ));
    let error = ApiError::new(Family::Anthropic, ErrorKind::Unavailable, "Overloaded");
    let plan = Plan::new(frames, Frame::event("error", &error.body()));
    Ok(sse::respond(&state, plan, call.fault, call.wire))
}

/// `POST /anthropic/v1/messages/count_tokens`: `{"input_tokens": N}` [UPSTREAM].
pub(crate) async fn count_tokens(call: Call) -> Result<Json<Value>, ApiError> {
    validate(&call)?;
    Ok(Json(json!({"input_tokens": estimate_tokens(&call.prompt)})))
}
