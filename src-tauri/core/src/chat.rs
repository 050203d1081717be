//! One chat request, any family -> normalised [`ChatEvent`]s, and a [`ChatTranscript`] that
//! rebuilds the answer (text, thinking, tool calls, usage, model, finish reason) from them. A
//! broken stream keeps what arrived: [`collect`] returns the partial transcript with the error.
//! The event and transcript types cross to the UI (camelCase JSON, generated TypeScript).
//! Built on `gateway` (HTTP), `sse` (framing) and `wire` (shapes); it must not depend on any
//! UI or on tauri. Only the first choice / candidate is followed (the app asks for one).

mod normalise;

pub use normalise::{
    transcript_of_anthropic, transcript_of_gemini, transcript_of_openai, transcript_of_responses,
    StreamNormaliser,
};

use crate::gateway::{Family, GatewayClient, GatewayError};
use crate::sse::{self, SseError, SseEvent};
use crate::wire::gemini;
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use ts_rs::TS;

/// The chat wire formats the gateway offers. The JSON words (`openai_chat`,
/// `openai_responses`, `anthropic`, `gemini`) are the ones the history stores and the UI sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum ChatFamily {
    #[serde(rename = "openai_chat")]
    OpenAiChat,
    #[serde(rename = "openai_responses")]
    OpenAiResponses,
    #[serde(rename = "anthropic")]
    Anthropic,
    #[serde(rename = "gemini")]
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

/// Token counts in one shape for every family; `None` where the family did not say. Each
/// count is the family's own, unconverted (as the provider reports and bills it): OpenAI's and
/// Gemini's input includes the cached tokens while Anthropic's excludes cache reads and writes;
/// OpenAI's and Anthropic's output includes the reasoning tokens while Gemini's excludes them.
/// (Token counts stay far below 2^53, so `number` is exact in TypeScript.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    #[ts(type = "number | null")]
    pub input_tokens: Option<u64>,
    #[ts(type = "number | null")]
    pub output_tokens: Option<u64>,
    /// Input tokens read from the prompt cache (OpenAI `cached_tokens`, Anthropic
    /// `cache_read_input_tokens`, Gemini `cachedContentTokenCount`).
    #[ts(type = "number | null")]
    pub cached_input_tokens: Option<u64>,
    /// Input tokens written to the prompt cache: Anthropic only, billed above the input rate.
    #[ts(type = "number | null")]
    pub cache_creation_input_tokens: Option<u64>,
    /// Output tokens spent thinking (OpenAI `reasoning_tokens`, Anthropic `thinking_tokens`,
    /// Gemini `thoughtsTokenCount`).
    #[ts(type = "number | null")]
    pub reasoning_tokens: Option<u64>,
}

impl Usage {
    /// Whether no count is known (a `usage: {}` frame says nothing).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Folds in a later report. Counts are cumulative in every family, so the latest known
    /// value wins, and a count the later report leaves out keeps its earlier value.
    pub fn merge(&mut self, later: &Usage) {
        self.input_tokens = later.input_tokens.or(self.input_tokens);
        self.output_tokens = later.output_tokens.or(self.output_tokens);
        self.cached_input_tokens = later.cached_input_tokens.or(self.cached_input_tokens);
        self.cache_creation_input_tokens = later
            .cache_creation_input_tokens
            .or(self.cache_creation_input_tokens);
        self.reasoning_tokens = later.reasoning_tokens.or(self.reasoning_tokens);
    }
}

/// A normalised stream event. `reason` in `Finish` is the family's own word (`stop`,
/// `end_turn`, `STOP`, `completed`, ...) so the UI can show it verbatim. JSON: `kind` in
/// snake_case (`tool_call_delta`), fields in camelCase (`argumentsFragment`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum ChatEvent {
    /// Who answered: the model and the family's response or message id. Sent once, before
    /// the first delta that knows them (again only if a value missing at first turns up).
    Meta {
        model: Option<String>,
        response_id: Option<String>,
    },
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

/// A tool call rebuilt from its deltas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    pub index: u32,
    pub id: Option<String>,
    pub name: Option<String>,
    /// The concatenated argument fragments (JSON text when the stream was complete).
    pub arguments: String,
}

/// The answer so far: everything the events said, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatTranscript {
    /// The model that answered, as the family names it (may differ from the one asked for).
    pub model: Option<String>,
    /// OpenAI's chunk/response `id`, Anthropic's message `id`, Gemini's `responseId`.
    pub response_id: Option<String>,
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
            ChatEvent::Meta { model, response_id } => {
                self.model = model.clone().or(self.model.take());
                self.response_id = response_id.clone().or(self.response_id.take());
            }
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
            ChatEvent::Usage(u) => self.usage.merge(u),
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
                    None => {
                        done = true; // an ended stream must not be polled again
                        norm.finish().err()
                    }
                };
                if let Some(err) = failed {
                    done = true;
                    return Some((Err(err), (events, norm, ready, done)));
                }
                // After the terminator nothing more is read: the body is dropped with the stream.
                done |= norm.is_ended();
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
            transcript_of_gemini(&r)
        }
    })
}

#[cfg(test)]
mod tests;
