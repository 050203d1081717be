//! Per-family mapping to [`ChatEvent`]s: the stream normaliser (one SSE event in, zero or
//! more normalised events out) and the same mapping for non-stream answers, so a stream and
//! a JSON call of the same request give the same [`ChatTranscript`](super::ChatTranscript).
//! One file per family; this one holds the shared state and helpers. Readers are lenient
//! where gateways differ harmlessly (see `wire`): a missing id, index or count is no error.

mod anthropic;
mod gemini;
mod openai;
mod responses;

pub use anthropic::transcript_of_anthropic;
pub use gemini::transcript_of_gemini;
pub use openai::transcript_of_openai;
pub use responses::transcript_of_responses;

use super::{ChatError, ChatEvent, ChatFamily, Usage};
use crate::sse::SseEvent;

/// Turns one family's SSE events into [`ChatEvent`]s, keeping the little state needed:
/// whether the end came, what `Meta` said, and how to number tool calls that carry no index.
#[derive(Debug)]
pub struct StreamNormaliser {
    family: ChatFamily,
    /// A finish reason or an in-stream error was seen.
    finished: bool,
    /// The family's terminator was seen (`[DONE]`, `message_stop`, `response.completed`).
    ended: bool,
    /// The model and response id already sent in a `Meta` event.
    model: Option<String>,
    response_id: Option<String>,
    /// OpenAI tool-call pieces without `index`.
    openai_calls: openai::CallNumbers,
    /// Gemini's calls carry no index at all: they are numbered in order.
    gemini_calls: u32,
}

impl StreamNormaliser {
    pub fn new(family: ChatFamily) -> Self {
        Self {
            family,
            finished: false,
            ended: false,
            model: None,
            response_id: None,
            openai_calls: openai::CallNumbers::default(),
            gemini_calls: 0,
        }
    }

    /// Normalises one event. A payload that is not the family's JSON is an error.
    pub fn push(&mut self, event: &SseEvent) -> Result<Vec<ChatEvent>, ChatError> {
        let mut out = Vec::new();
        // An event whose data is empty (`data:` alone, or only spaces) carries nothing: some
        // proxies send it as a keep-alive instead of a `:` comment line.
        if event.data.trim().is_empty() {
            return Ok(out);
        }
        let family = self.family;
        let read = match family {
            ChatFamily::OpenAiChat => self.openai_event(event, &mut out),
            ChatFamily::OpenAiResponses => self.responses_event(&event.data, &mut out),
            ChatFamily::Anthropic => self.anthropic_stream_event(&event.data, &mut out),
            ChatFamily::Gemini => self.gemini_event(&event.data, &mut out),
        };
        read.map_err(|e| ChatError::Decode {
            family,
            reason: e.to_string(),
            data: event.data.chars().take(200).collect(),
        })?;
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

    /// Sends `Meta` when the model or the response id becomes known. Families repeat both on
    /// every chunk (OpenAI, Gemini), so only a value not known before makes a new event.
    fn meta(&mut self, model: Option<&str>, response_id: Option<&str>, out: &mut Vec<ChatEvent>) {
        let fresh = |known: &Option<String>, new: Option<&str>| {
            new.filter(|v| known.is_none() && !v.is_empty())
                .map(str::to_owned)
        };
        let (model, response_id) = (
            fresh(&self.model, model),
            fresh(&self.response_id, response_id),
        );
        if model.is_none() && response_id.is_none() {
            return;
        }
        self.model = self.model.take().or(model);
        self.response_id = self.response_id.take().or(response_id);
        out.push(ChatEvent::Meta {
            model: self.model.clone(),
            response_id: self.response_id.clone(),
        });
    }
}

/// A non-empty string, for the `model` fields a lenient reader defaults to `""`.
fn known(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
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

/// A usage report, unless it knows no count (`usage: {}` or all null says nothing).
fn push_usage(out: &mut Vec<ChatEvent>, usage: Usage) {
    if !usage.is_empty() {
        out.push(ChatEvent::Usage(usage));
    }
}

fn tool(index: u32, id: Option<String>, name: Option<String>, fragment: String) -> ChatEvent {
    ChatEvent::ToolCallDelta {
        index,
        id,
        name,
        arguments_fragment: fragment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::ChatTranscript;

    pub(super) fn sse(data: &str) -> SseEvent {
        SseEvent {
            event: "message".into(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    /// Every event normalised, their transcript, and whether the stream ended properly.
    pub(super) fn run(family: ChatFamily, data: &[&str]) -> (Vec<ChatEvent>, ChatTranscript, bool) {
        let mut norm = StreamNormaliser::new(family);
        let events: Vec<ChatEvent> = data
            .iter()
            .flat_map(|d| norm.push(&sse(d)).unwrap_or_else(|e| panic!("{e}: {d}")))
            .collect();
        let t = ChatTranscript::from_events(&events);
        (events, t, norm.finish().is_ok())
    }

    #[test]
    fn blank_data_events_are_keep_alives_in_every_family() {
        for family in [
            ChatFamily::OpenAiChat,
            ChatFamily::OpenAiResponses,
            ChatFamily::Anthropic,
            ChatFamily::Gemini,
        ] {
            let (events, _, ended) = run(family, &["", "  "]);
            assert!(events.is_empty() && !ended, "{family:?}: {events:?}");
        }
    }

    #[test]
    fn meta_is_sent_once_and_again_only_for_a_value_learned_later() {
        let mut norm = StreamNormaliser::new(ChatFamily::OpenAiChat);
        let mut out = Vec::new();
        norm.meta(Some(""), Some("r"), &mut out);
        norm.meta(Some("m"), Some("r"), &mut out);
        norm.meta(Some("m"), Some("other"), &mut out);
        let meta = |m: Option<&str>| ChatEvent::Meta {
            model: m.map(str::to_owned),
            response_id: Some("r".into()),
        };
        assert_eq!(out, [meta(None), meta(Some("m"))]);
    }
}
