//! One chat request, any family -> normalised [`ChatEvent`]s, and a [`ChatTranscript`] that
//! rebuilds the answer (text, thinking, tool calls, usage, finish reason) from them. A broken
//! stream keeps what arrived: [`collect`] returns the partial transcript with the error.
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
mod tests {
    use super::*;

    fn sse(data: &str) -> SseEvent {
        SseEvent {
            event: "message".into(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    #[test]
    fn tool_call_pieces_merge_by_index_and_usage_keeps_known_counts() {
        let piece = |index, id: Option<&str>, fragment: &str| ChatEvent::ToolCallDelta {
            index,
            id: id.map(str::to_owned),
            name: id.map(|_| "f".to_owned()),
            arguments_fragment: fragment.into(),
        };
        let t = ChatTranscript::from_events(&[
            piece(0, Some("a"), ""),
            piece(1, Some("b"), "{}"),
            piece(0, None, "{\"x\":"),
            piece(0, None, "1}"),
            ChatEvent::Usage(Usage {
                input_tokens: Some(3),
                output_tokens: Some(1),
            }),
            ChatEvent::Usage(Usage {
                input_tokens: None,
                output_tokens: Some(9),
            }),
        ]);
        assert_eq!(t.tool_calls.len(), 2);
        assert_eq!(
            (
                t.tool_calls[0].id.as_deref(),
                t.tool_calls[0].arguments.as_str()
            ),
            (Some("a"), "{\"x\":1}")
        );
        assert_eq!(
            t.usage,
            Usage {
                input_tokens: Some(3),
                output_tokens: Some(9)
            }
        );
    }

    #[tokio::test]
    async fn a_stream_without_its_end_is_truncated_and_keeps_its_text() {
        let chunk = r#"{"id":"c","choices":[{"index":0,"delta":{"content":"Hel"}}]}"#;
        let events = futures::stream::iter(vec![Ok(sse(chunk)), Ok(sse(chunk))]);
        let outcome = collect(normalise(ChatFamily::OpenAiChat, events)).await;
        assert_eq!(outcome.transcript.text, "HelHel");
        assert!(matches!(outcome.error, Some(ChatError::Truncated { .. })));

        let done = futures::stream::iter(vec![Ok(sse(chunk)), Ok(sse("[DONE]"))]);
        let outcome = collect(normalise(ChatFamily::OpenAiChat, done)).await;
        assert!(outcome.error.is_none(), "[DONE] ends an OpenAI stream");
    }

    #[tokio::test]
    async fn an_in_stream_error_frame_is_reported_and_not_a_decode_failure() {
        let events = futures::stream::iter(vec![
            Ok(sse(
                r#"{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]}"#,
            )),
            Ok(sse(
                r#"{"error":{"message":"overloaded","type":"server_error"}}"#,
            )),
        ]);
        let outcome = collect(normalise(ChatFamily::OpenAiChat, events)).await;
        assert_eq!(outcome.transcript.text, "Hi");
        assert!(
            matches!(outcome.error, Some(ChatError::Upstream { ref message }) if message == "overloaded")
        );
    }
}
