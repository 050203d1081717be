//! Anthropic Messages: the typed stream events and the `message` object. `message_start`
//! brings the model, the id and the first counts; `message_delta` the stop reason and the
//! cumulative counts. Either `usage` may leave any count out.

use super::{known, push_text, push_usage, tool, StreamNormaliser};
use crate::chat::{ChatEvent, ChatFamily, ChatTranscript, Usage};
use crate::wire::anthropic::{self, BlockDelta, ContentBlock, StreamEvent as E};

impl StreamNormaliser {
    pub(super) fn anthropic_stream_event(
        &mut self,
        data: &str,
        out: &mut Vec<ChatEvent>,
    ) -> Result<(), serde_json::Error> {
        let ev: E = serde_json::from_str(data)?;
        if ev == E::MessageStop {
            self.ended = true;
        }
        self.anthropic_event(ev, out);
        Ok(())
    }

    fn anthropic_event(&mut self, ev: E, out: &mut Vec<ChatEvent>) {
        match ev {
            E::MessageStart { message } => {
                self.meta(Some(&message.model), message.id.as_deref(), out);
                if let Some(u) = &message.usage {
                    push_usage(out, usage(u));
                }
            }
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
            E::MessageDelta { delta, usage: u } => {
                if let Some(u) = &u {
                    push_usage(out, usage(u));
                }
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
}

/// Anthropic's counts as they are: `input_tokens` excludes both cache counts, so cache reads
/// are the cached input and cache writes stay apart (they are billed differently).
fn usage(u: &anthropic::Usage) -> Usage {
    Usage {
        input_tokens: u.input_tokens,
        output_tokens: u.output_tokens,
        cached_input_tokens: u.cache_read_input_tokens,
        cache_creation_input_tokens: u.cache_creation_input_tokens,
        reasoning_tokens: u
            .output_tokens_details
            .as_ref()
            .and_then(|d| d.thinking_tokens),
    }
}

pub fn transcript_of_anthropic(m: &anthropic::Message) -> ChatTranscript {
    let mut norm = StreamNormaliser::new(ChatFamily::Anthropic);
    let mut out = Vec::new();
    for (i, block) in m.content.iter().enumerate() {
        let index = i as u32;
        match block {
            ContentBlock::ToolUse { id, name, input } => out.push(tool(
                index,
                Some(id.clone()),
                Some(name.clone()),
                input.to_string(),
            )),
            other => norm.anthropic_event(
                E::ContentBlockStart {
                    index,
                    content_block: other.clone(),
                },
                &mut out,
            ),
        }
    }
    if let Some(u) = &m.usage {
        push_usage(&mut out, usage(u));
    }
    out.extend(m.stop_reason.as_ref().map(|r| ChatEvent::Finish {
        reason: r.to_string(),
    }));
    ChatTranscript {
        model: known(&m.model),
        response_id: m.id.clone(),
        ..ChatTranscript::from_events(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use super::*;

    #[test]
    fn usage_counts_missing_in_start_or_delta_keep_the_ones_known() {
        let (events, t, ended) = run(
            ChatFamily::Anthropic,
            &[
                r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":10,"cache_read_input_tokens":40,"cache_creation_input_tokens":5}}}"#,
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
                r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3,"input_tokens":null}}"#,
                r#"{"type":"message_delta","delta":{},"usage":{}}"#,
                r#"{"type":"message_stop"}"#,
            ],
        );
        assert!(ended);
        assert_eq!(
            t.usage,
            Usage {
                input_tokens: Some(10),
                output_tokens: Some(3),
                cached_input_tokens: Some(40),
                cache_creation_input_tokens: Some(5),
                reasoning_tokens: None,
            }
        );
        assert_eq!(
            (t.model.as_deref(), t.response_id.as_deref()),
            (Some("claude-x"), Some("msg_1"))
        );
        assert!(matches!(events[0], ChatEvent::Meta { .. }), "{events:?}");
        let (events, t, _) = run(
            ChatFamily::Anthropic,
            &[r#"{"type":"message_start","message":{"content":[]}}"#],
        );
        assert!(
            events.is_empty() && t == ChatTranscript::default(),
            "{events:?}"
        );
    }

    #[test]
    fn a_message_without_id_fills_the_transcript_with_its_thinking_count() {
        let m: anthropic::Message = serde_json::from_str(
            r#"{"type":"message","model":"claude-x","content":[{"type":"text","text":"a"}],"stop_reason":"end_turn","usage":{"output_tokens":9,"output_tokens_details":{"thinking_tokens":4}}}"#,
        )
        .unwrap();
        let t = transcript_of_anthropic(&m);
        assert_eq!(
            (t.text.as_str(), t.model.as_deref(), t.response_id),
            ("a", Some("claude-x"), None)
        );
        assert_eq!(
            (t.usage.output_tokens, t.usage.reasoning_tokens),
            (Some(9), Some(4))
        );
    }
}
