//! Per-family mapping to [`ChatEvent`]s: the stream normaliser (one SSE event in, zero or
//! more normalised events out) and the same mapping for non-stream answers, so a stream and
//! a JSON call of the same request give the same [`ChatTranscript`].

use super::{ChatError, ChatEvent, ChatFamily, ChatTranscript, ToolCall, Usage};
use crate::sse::SseEvent;
use crate::wire::{anthropic, gemini, openai_chat, openai_responses};

/// Turns one family's SSE events into [`ChatEvent`]s, keeping the little state needed:
/// whether the end came, and Gemini's tool-call count (its calls carry no index).
#[derive(Debug)]
pub struct StreamNormaliser {
    family: ChatFamily,
    /// A finish reason or an in-stream error was seen.
    finished: bool,
    /// The family's terminator was seen (`[DONE]`, `message_stop`, `response.completed`).
    ended: bool,
    gemini_calls: u32,
}

impl StreamNormaliser {
    pub fn new(family: ChatFamily) -> Self {
        Self {
            family,
            finished: false,
            ended: false,
            gemini_calls: 0,
        }
    }

    /// Normalises one event. A payload that is not the family's JSON is an error.
    pub fn push(&mut self, event: &SseEvent) -> Result<Vec<ChatEvent>, ChatError> {
        let decode = |e: serde_json::Error| ChatError::Decode {
            family: self.family,
            reason: e.to_string(),
            data: event.data.chars().take(200).collect(),
        };
        let mut out = Vec::new();
        match self.family {
            ChatFamily::OpenAiChat => {
                if event.is_done() {
                    self.ended = true;
                } else if let Some(e) = error_envelope::<openai_chat::ErrorEnvelope>(&event.data) {
                    out.push(ChatEvent::GatewayError {
                        message: e.error.message,
                    });
                } else {
                    let chunk: openai_chat::ChatCompletionChunk =
                        serde_json::from_str(&event.data).map_err(decode)?;
                    openai_chunk(&chunk, &mut out);
                }
            }
            ChatFamily::OpenAiResponses => {
                let ev: openai_responses::StreamEvent =
                    serde_json::from_str(&event.data).map_err(decode)?;
                if ev.final_response().is_some() {
                    self.ended = true;
                }
                responses_event(ev, &mut out);
            }
            ChatFamily::Anthropic => {
                let ev: anthropic::StreamEvent =
                    serde_json::from_str(&event.data).map_err(decode)?;
                if ev == anthropic::StreamEvent::MessageStop {
                    self.ended = true;
                }
                self.anthropic_event(ev, &mut out);
            }
            ChatFamily::Gemini => match gemini::StreamItem::decode(&event.data).map_err(decode)? {
                gemini::StreamItem::Error(e) => out.push(ChatEvent::GatewayError {
                    message: e.error.message,
                }),
                gemini::StreamItem::Response(r) => self.gemini_response(&r, &mut out),
            },
        }
        self.finished |= out
            .iter()
            .any(|e| matches!(e, ChatEvent::Finish { .. } | ChatEvent::GatewayError { .. }));
        Ok(out)
    }

    /// Whether the family's terminator came (nothing after it needs reading).
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Checks the stream ended properly. A finish reason counts even without the family's
    /// terminator: three Anthropic SDK fixtures lose `message_stop` to a missing blank line,
    /// and the answer is complete all the same.
    pub fn finish(&self) -> Result<(), ChatError> {
        if self.ended || self.finished {
            Ok(())
        } else {
            Err(ChatError::Truncated {
                family: self.family,
            })
        }
    }

    fn anthropic_event(&mut self, ev: anthropic::StreamEvent, out: &mut Vec<ChatEvent>) {
        use anthropic::{BlockDelta, ContentBlock, StreamEvent as E};
        match ev {
            E::MessageStart { message } => out.extend(message.usage.map(anthropic_usage)),
            E::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                ContentBlock::Text { text, .. } => push_text(out, text, false),
                ContentBlock::Thinking { thinking, .. } => push_text(out, thinking, true),
                ContentBlock::ToolUse { id, name, .. } => {
                    out.push(tool(index, Some(id), Some(name), String::new()))
                }
                ContentBlock::RedactedThinking { .. } | ContentBlock::Other(_) => {}
            },
            E::ContentBlockDelta { index, delta } => match delta {
                BlockDelta::TextDelta { text } => push_text(out, text, false),
                BlockDelta::ThinkingDelta { thinking } => push_text(out, thinking, true),
                BlockDelta::InputJsonDelta { partial_json } => {
                    out.push(tool(index, None, None, partial_json))
                }
                BlockDelta::SignatureDelta { .. } | BlockDelta::Other(_) => {}
            },
            E::MessageDelta { delta, usage } => {
                out.extend(usage.map(anthropic_usage));
                if let Some(reason) = delta.stop_reason {
                    out.push(ChatEvent::Finish {
                        reason: reason.to_string(),
                    });
                }
            }
            E::Error { error } => out.push(ChatEvent::GatewayError {
                message: error.message,
            }),
            E::Ping | E::ContentBlockStop { .. } | E::MessageStop | E::Other(_) => {}
        }
    }

    fn gemini_response(&mut self, r: &gemini::GenerateContentResponse, out: &mut Vec<ChatEvent>) {
        let candidate = r.candidates.first();
        for part in candidate
            .and_then(|c| c.content.as_ref())
            .map(|c| c.parts.as_slice())
            .unwrap_or_default()
        {
            if let Some(text) = &part.text {
                push_text(out, text.clone(), part.thought == Some(true));
            }
            if let Some(call) = &part.function_call {
                // Gemini sends each call whole: one delta carries all of it.
                out.push(tool(
                    self.gemini_calls,
                    call.id.clone(),
                    Some(call.name.clone()),
                    call.args.to_string(),
                ));
                self.gemini_calls += 1;
            }
        }
        if let Some(u) = &r.usage_metadata {
            out.push(ChatEvent::Usage(Usage {
                input_tokens: u.prompt_token_count,
                output_tokens: u.candidates_token_count,
            }));
        }
        if let Some(reason) = candidate.and_then(|c| c.finish_reason.as_ref()) {
            out.push(ChatEvent::Finish {
                reason: reason.to_string(),
            });
        } else if let Some(block) = r
            .prompt_feedback
            .as_ref()
            .and_then(|f| f.block_reason.as_ref())
        {
            out.push(ChatEvent::Finish {
                reason: format!("prompt blocked: {block}"),
            });
        }
    }
}

fn error_envelope<T: serde::de::DeserializeOwned>(data: &str) -> Option<T> {
    // Cheap pre-check: only frames mentioning "error" are tried as an error envelope.
    data.contains("\"error\"")
        .then(|| serde_json::from_str(data).ok())
        .flatten()
}

fn push_text(out: &mut Vec<ChatEvent>, text: String, thinking: bool) {
    if text.is_empty() {
        return;
    }
    out.push(if thinking {
        ChatEvent::ThinkingDelta { text }
    } else {
        ChatEvent::TextDelta { text }
    });
}

fn tool(index: u32, id: Option<String>, name: Option<String>, fragment: String) -> ChatEvent {
    ChatEvent::ToolCallDelta {
        index,
        id,
        name,
        arguments_fragment: fragment,
    }
}

fn anthropic_usage(u: anthropic::Usage) -> ChatEvent {
    ChatEvent::Usage(Usage {
        input_tokens: u.input_tokens,
        output_tokens: u.output_tokens,
    })
}

fn openai_chunk(chunk: &openai_chat::ChatCompletionChunk, out: &mut Vec<ChatEvent>) {
    for choice in chunk.choices.iter().filter(|c| c.index == 0) {
        let d = &choice.delta;
        push_text(out, d.reasoning_content.clone().unwrap_or_default(), true);
        push_text(out, d.content.clone().unwrap_or_default(), false);
        if let Some(text) = d.refusal.clone().filter(|r| !r.is_empty()) {
            out.push(ChatEvent::Refusal { text });
        }
        for t in d.tool_calls.iter().flatten() {
            let f = t.function.as_ref();
            let fragment = f.and_then(|f| f.arguments.clone()).unwrap_or_default();
            out.push(tool(
                t.index,
                t.id.clone(),
                f.and_then(|f| f.name.clone()),
                fragment,
            ));
        }
        if let Some(reason) = &choice.finish_reason {
            out.push(ChatEvent::Finish {
                reason: reason.to_string(),
            });
        }
    }
    if let Some(u) = &chunk.usage {
        out.push(ChatEvent::Usage(Usage {
            input_tokens: Some(u.prompt_tokens),
            output_tokens: Some(u.completion_tokens),
        }));
    }
}

fn responses_event(ev: openai_responses::StreamEvent, out: &mut Vec<ChatEvent>) {
    use openai_responses::StreamEvent as E;
    match ev {
        E::OutputTextDelta { delta, .. } => push_text(out, delta, false),
        E::OutputItemAdded {
            output_index, item, ..
        } if item.kind == "function_call" => {
            out.push(tool(output_index, item.call_id, item.name, String::new()))
        }
        E::FunctionCallArgumentsDelta {
            output_index,
            delta,
            ..
        } => out.push(tool(output_index, None, None, delta)),
        E::Completed { response, .. } | E::Incomplete { response, .. } => {
            out.extend(response.usage.map(|u| {
                ChatEvent::Usage(Usage {
                    input_tokens: Some(u.input_tokens),
                    output_tokens: Some(u.output_tokens),
                })
            }));
            out.push(ChatEvent::Finish {
                reason: response.status.to_string(),
            });
        }
        E::Failed { response, .. } => {
            let message = response
                .error
                .map(|e| e.message)
                .unwrap_or_else(|| "the response failed".to_owned());
            out.push(ChatEvent::GatewayError { message });
        }
        E::Error { message, .. } => out.push(ChatEvent::GatewayError { message }),
        E::Other(v)
            if v.get("type").and_then(|t| t.as_str())
                == Some("response.reasoning_summary_text.delta") =>
        {
            push_text(
                out,
                v.get("delta")
                    .and_then(|d| d.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                true,
            )
        }
        _ => {}
    }
}

pub fn transcript_of_openai(c: &openai_chat::ChatCompletion) -> ChatTranscript {
    let mut t = ChatTranscript::default();
    if let Some(choice) = c.choices.iter().find(|c| c.index == 0) {
        t.text = choice.message.text();
        t.refusal = choice.message.refusal.clone().unwrap_or_default();
        t.finish_reason = choice.finish_reason.as_ref().map(ToString::to_string);
        for (i, call) in choice.message.tool_calls.iter().flatten().enumerate() {
            let (id, name) = (Some(call.id.clone()), Some(call.function.name.clone()));
            t.tool_calls.push(ToolCall {
                index: i as u32,
                id,
                name,
                arguments: call.function.arguments.clone(),
            });
        }
    }
    t.usage = c
        .usage
        .as_ref()
        .map(|u| Usage {
            input_tokens: Some(u.prompt_tokens),
            output_tokens: Some(u.completion_tokens),
        })
        .unwrap_or_default();
    t
}

pub fn transcript_of_responses(r: &openai_responses::Response) -> ChatTranscript {
    let mut out = Vec::new();
    push_text(&mut out, r.output_text(), false);
    for (i, item) in r
        .output
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == "function_call")
    {
        let arguments = item.arguments.clone().unwrap_or_default();
        out.push(tool(
            i as u32,
            item.call_id.clone(),
            item.name.clone(),
            arguments,
        ));
    }
    // The same mapping as the stream's last event gives usage, finish and failure.
    let (response, sequence_number) = (r.clone(), None);
    responses_event(
        if r.status == openai_responses::ResponseStatus::Failed {
            openai_responses::StreamEvent::Failed {
                response,
                sequence_number,
            }
        } else {
            openai_responses::StreamEvent::Completed {
                response,
                sequence_number,
            }
        },
        &mut out,
    );
    ChatTranscript::from_events(&out)
}

pub fn transcript_of_anthropic(m: &anthropic::Message) -> ChatTranscript {
    let mut norm = StreamNormaliser::new(ChatFamily::Anthropic);
    let mut out = Vec::new();
    for (i, block) in m.content.iter().enumerate() {
        let index = i as u32;
        match block {
            anthropic::ContentBlock::ToolUse { id, name, input } => out.push(tool(
                index,
                Some(id.clone()),
                Some(name.clone()),
                input.to_string(),
            )),
            other => norm.anthropic_event(
                anthropic::StreamEvent::ContentBlockStart {
                    index,
                    content_block: other.clone(),
                },
                &mut out,
            ),
        }
    }
    out.extend(m.usage.clone().map(anthropic_usage));
    out.extend(m.stop_reason.as_ref().map(|r| ChatEvent::Finish {
        reason: r.to_string(),
    }));
    ChatTranscript::from_events(&out)
}

pub fn transcript_of_gemini(r: &gemini::GenerateContentResponse) -> ChatTranscript {
    let mut out = Vec::new();
    StreamNormaliser::new(ChatFamily::Gemini).gemini_response(r, &mut out);
    ChatTranscript::from_events(&out)
}
