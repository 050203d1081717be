//! One chat request, any family -> normalised [`ChatEvent`]s, and a [`ChatTranscript`] that
//! rebuilds the answer (text, thinking, tool calls, usage, finish reason) from them. A broken
//! stream keeps what arrived: [`collect`] returns the partial transcript with the error.
//! Built on `gateway` (HTTP), `sse` (framing) and `wire` (shapes); it must not depend on any
//! UI or on tauri. Only the first choice / candidate is followed (the app asks for one).

use crate::gateway::{Family, GatewayClient, GatewayError};
use crate::sse::{self, SseError, SseEvent};
use crate::wire::{anthropic, gemini, openai_chat, openai_responses};
use futures::{Stream, StreamExt};
use serde::Serialize;
use std::collections::VecDeque;

/// The chat wire formats the gateway offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatFamily {
    OpenAiChat,
    OpenAiResponses,
    Anthropic,
    Gemini,
}

impl ChatFamily {
    pub fn gateway_family(self) -> Family {
        match self {
            Self::OpenAiChat | Self::OpenAiResponses => Family::OpenAi,
            Self::Anthropic => Family::Anthropic,
            Self::Gemini => Family::Gemini,
        }
    }

    /// The route after the family prefix. Gemini names the model in the path; the others
    /// in the body, so `model` is only used there.
    pub fn path(self, model: &str, stream: bool) -> String {
        match (self, stream) {
            (Self::OpenAiChat, _) => "/chat/completions".to_owned(),
            (Self::OpenAiResponses, _) => "/responses".to_owned(),
            (Self::Anthropic, _) => "/messages".to_owned(),
            (Self::Gemini, true) => format!("/models/{model}:streamGenerateContent?alt=sse"),
            (Self::Gemini, false) => format!("/models/{model}:generateContent"),
        }
    }
}

/// Token counts in the family-neutral form; `None` where the family did not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
}

/// A normalised stream event. `reason` in `Finish` is the family's own word (`stop`,
/// `end_turn`, `STOP`, `completed`, ...) so the UI can show it verbatim.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChatEvent {
    TextDelta {
        text: String,
    },
    Refusal {
        text: String,
    },
    ThinkingDelta {
        text: String,
    },
    /// A piece of tool call `index`: id and name come once (first piece), arguments in
    /// fragments to concatenate.
    ToolCallDelta {
        index: u32,
        id: Option<String>,
        name: Option<String>,
        arguments_fragment: String,
    },
    Usage(Usage),
    Finish {
        reason: String,
    },
    /// An error the gateway reported inside the stream (HTTP status was 200).
    GatewayError {
        message: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    #[error(transparent)]
    Stream(#[from] SseError),
    #[error("a {family:?} stream event could not be read ({reason}): {data}")]
    Decode {
        family: ChatFamily,
        reason: String,
        data: String,
    },
    #[error("the gateway reported an error mid-stream: {message}")]
    Upstream { message: String },
    #[error("the {family:?} stream ended before the answer was finished")]
    Truncated { family: ChatFamily },
}

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

/// A tool call rebuilt from its deltas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ToolCall {
    pub index: u32,
    pub id: Option<String>,
    pub name: Option<String>,
    /// The concatenated argument fragments (JSON text when the stream was complete).
    pub arguments: String,
}

/// The answer so far: everything the events said, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChatTranscript {
    pub text: String,
    pub thinking: String,
    pub refusal: String,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Usage,
    pub finish_reason: Option<String>,
    pub gateway_error: Option<String>,
}

impl ChatTranscript {
    pub fn apply(&mut self, event: &ChatEvent) {
        match event {
            ChatEvent::TextDelta { text } => self.text.push_str(text),
            ChatEvent::Refusal { text } => self.refusal.push_str(text),
            ChatEvent::ThinkingDelta { text } => self.thinking.push_str(text),
            ChatEvent::ToolCallDelta {
                index,
                id,
                name,
                arguments_fragment,
            } => {
                let pos = match self.tool_calls.iter().position(|t| t.index == *index) {
                    Some(pos) => pos,
                    None => {
                        self.tool_calls.push(ToolCall {
                            index: *index,
                            ..ToolCall::default()
                        });
                        self.tool_calls.len() - 1
                    }
                };
                let call = &mut self.tool_calls[pos];
                call.id = call.id.take().or_else(|| id.clone());
                call.name = call.name.take().or_else(|| name.clone());
                call.arguments.push_str(arguments_fragment);
            }
            // Counts are cumulative in every family, so the latest known value wins.
            ChatEvent::Usage(u) => {
                self.usage.input_tokens = u.input_tokens.or(self.usage.input_tokens);
                self.usage.output_tokens = u.output_tokens.or(self.usage.output_tokens);
            }
            ChatEvent::Finish { reason } => self.finish_reason = Some(reason.clone()),
            ChatEvent::GatewayError { message } => self.gateway_error = Some(message.clone()),
        }
    }

    /// Folds events into a transcript.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a ChatEvent>) -> Self {
        let mut t = Self::default();
        events.into_iter().for_each(|e| t.apply(e));
        t
    }
}

/// What a stream produced: the transcript (partial if it broke) and why it broke, if it did.
#[derive(Debug)]
pub struct ChatOutcome {
    pub transcript: ChatTranscript,
    pub error: Option<ChatError>,
}

/// Normalises decoded SSE events; ends with `Truncated` when the family's end never came.
pub fn normalise<S>(
    family: ChatFamily,
    events: S,
) -> impl Stream<Item = Result<ChatEvent, ChatError>> + Send
where
    S: Stream<Item = Result<SseEvent, SseError>> + Send + 'static,
{
    let state = (
        Box::pin(events),
        StreamNormaliser::new(family),
        VecDeque::new(),
        false,
    );
    futures::stream::unfold(
        state,
        |(mut events, mut norm, mut ready, mut done)| async move {
            loop {
                if let Some(e) = ready.pop_front() {
                    return Some((Ok(e), (events, norm, ready, done)));
                }
                if done {
                    return None;
                }
                let failed = match events.next().await {
                    Some(Ok(ev)) => norm.push(&ev).map(|out| ready.extend(out)).err(),
                    Some(Err(e)) => Some(ChatError::Stream(e)),
                    None => norm.finish().err(),
                };
                if let Some(err) = failed {
                    done = true;
                    return Some((Err(err), (events, norm, ready, done)));
                }
                // After the terminator nothing more is read: the body is dropped with the stream.
                done = norm.ended;
            }
        },
    )
}

/// Sends a streaming request and returns its normalised events. Dropping the stream
/// cancels the request. `body` must ask for streaming (`stream: true`, except for Gemini).
pub async fn stream<B: Serialize + ?Sized>(
    client: &GatewayClient,
    family: ChatFamily,
    model: &str,
    body: &B,
) -> Result<impl Stream<Item = Result<ChatEvent, ChatError>> + Send, ChatError> {
    let bytes = client
        .post_stream(family.gateway_family(), &family.path(model, true), body)
        .await?;
    Ok(normalise(family, sse::events(bytes)))
}

/// Reads a whole stream. A mid-stream gateway error or a break keeps the partial answer.
pub async fn collect<S>(events: S) -> ChatOutcome
where
    S: Stream<Item = Result<ChatEvent, ChatError>>,
{
    let mut transcript = ChatTranscript::default();
    let mut error = None;
    futures::pin_mut!(events);
    while let Some(item) = events.next().await {
        match item {
            Ok(ev) => {
                transcript.apply(&ev);
                if let ChatEvent::GatewayError { message } = ev {
                    error = Some(ChatError::Upstream { message });
                }
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    ChatOutcome { transcript, error }
}

/// Sends a non-stream request and normalises the answer through the same transcript.
pub async fn complete<B: Serialize + ?Sized>(
    client: &GatewayClient,
    family: ChatFamily,
    model: &str,
    body: &B,
) -> Result<ChatTranscript, ChatError> {
    let (gw, path) = (family.gateway_family(), family.path(model, false));
    Ok(match family {
        ChatFamily::OpenAiChat => transcript_of_openai(&client.post_json(gw, &path, body).await?),
        ChatFamily::OpenAiResponses => {
            transcript_of_responses(&client.post_json(gw, &path, body).await?)
        }
        ChatFamily::Anthropic => transcript_of_anthropic(&client.post_json(gw, &path, body).await?),
        ChatFamily::Gemini => {
            let r: gemini::GenerateContentResponse = client.post_json(gw, &path, body).await?;
            let mut norm = StreamNormaliser::new(family);
            let mut out = Vec::new();
            norm.gemini_response(&r, &mut out);
            ChatTranscript::from_events(&out)
        }
    })
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
