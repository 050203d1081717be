//! OpenAI Chat Completions: `chat.completion.chunk` frames and the `chat.completion` answer.
//! Only choice 0 is followed; a choice without `index` is choice 0 (a server streaming one
//! choice may leave it out).

use super::{known, push_text, push_usage, tool, StreamNormaliser};
use crate::chat::{ChatEvent, ChatTranscript, ToolCall, Usage};
use crate::sse::SseEvent;
use crate::wire::openai_chat;

/// Numbers tool-call pieces. OpenAI gives every piece an `index`; [UPSTREAM] Gemini's
/// OpenAI-compatible endpoint gives none and sends each call whole with its `id`. Without an
/// index, a piece with a new `id` starts the next call and one without continues the last.
#[derive(Debug, Default)]
pub(super) struct CallNumbers {
    next: u32,
    last: Option<(u32, Option<String>)>,
}

impl CallNumbers {
    fn number(&mut self, index: Option<u32>, id: Option<&str>) -> u32 {
        let last = self.last.take();
        let n = match (index, id, &last) {
            (Some(i), _, _) => i,
            (None, None, Some((l, _))) => *l,
            (None, Some(id), Some((l, Some(last_id)))) if id == last_id => *l,
            (None, _, _) => self.next,
        };
        self.next = self.next.max(n.saturating_add(1));
        let same = last.filter(|(l, _)| *l == n).and_then(|(_, id)| id);
        self.last = Some((n, id.map(str::to_owned).or(same)));
        n
    }
}

impl StreamNormaliser {
    pub(super) fn openai_event(
        &mut self,
        event: &SseEvent,
        out: &mut Vec<ChatEvent>,
    ) -> Result<(), serde_json::Error> {
        if event.is_done() {
            self.ended = true;
            return Ok(());
        }
        if let Some(e) = error_envelope(&event.data) {
            out.push(ChatEvent::GatewayError {
                message: e.error.message,
            });
            return Ok(());
        }
        let chunk: openai_chat::ChatCompletionChunk = serde_json::from_str(&event.data)?;
        self.meta(Some(&chunk.model), chunk.id.as_deref(), out);
        for choice in chunk.choices.iter().filter(|c| c.index.unwrap_or(0) == 0) {
            let d = &choice.delta;
            push_text(out, d.reasoning_content.clone().unwrap_or_default(), true);
            push_text(out, d.content.clone().unwrap_or_default(), false);
            if let Some(text) = d.refusal.clone().filter(|r| !r.is_empty()) {
                out.push(ChatEvent::Refusal { text });
            }
            for t in d.tool_calls.iter().flatten() {
                let f = t.function.as_ref();
                let fragment = f.and_then(|f| f.arguments.clone()).unwrap_or_default();
                let index = self.openai_calls.number(t.index, t.id.as_deref());
                out.push(tool(
                    index,
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
            push_usage(out, usage(u));
        }
        Ok(())
    }
}

fn error_envelope(data: &str) -> Option<openai_chat::ErrorEnvelope> {
    // Cheap pre-check: only frames mentioning "error" are tried as an error envelope.
    data.contains("\"error\"")
        .then(|| serde_json::from_str(data).ok())
        .flatten()
}

fn usage(u: &openai_chat::Usage) -> Usage {
    Usage {
        input_tokens: u.prompt_tokens,
        output_tokens: u.completion_tokens,
        cached_input_tokens: u
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens),
        cache_creation_input_tokens: None,
        reasoning_tokens: u
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens),
    }
}

pub fn transcript_of_openai(c: &openai_chat::ChatCompletion) -> ChatTranscript {
    let mut t = ChatTranscript {
        model: known(&c.model),
        response_id: c.id.clone(),
        ..ChatTranscript::default()
    };
    if let Some(choice) = c.choices.iter().find(|c| c.index.unwrap_or(0) == 0) {
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
    t.usage = c.usage.as_ref().map(usage).unwrap_or_default();
    t
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use super::*;
    use crate::chat::ChatFamily;

    #[test]
    fn a_usage_chunk_with_an_empty_choice_gives_usage_and_no_text_or_finish() {
        let (events, t, ended) = run(
            ChatFamily::OpenAiChat,
            &[
                r#"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}"#,
                r#"{"id":"c1","model":"m","choices":[{"delta":{}}],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":0}}}"#,
                "[DONE]",
            ],
        );
        assert!(ended);
        let finishes = events
            .iter()
            .filter(|e| matches!(e, ChatEvent::Finish { .. }));
        assert_eq!(finishes.count(), 1, "{events:?}");
        assert!(!events.contains(&ChatEvent::TextDelta {
            text: String::new()
        }));
        assert_eq!(t.text, "Hi");
        let want = Usage {
            input_tokens: Some(4),
            output_tokens: Some(1),
            cached_input_tokens: Some(2),
            reasoning_tokens: Some(0),
            ..Usage::default()
        };
        assert_eq!(t.usage, want);
        assert_eq!(
            (t.model.as_deref(), t.response_id.as_deref()),
            (Some("m"), Some("c1"))
        );
        let metas = events
            .iter()
            .filter(|e| matches!(e, ChatEvent::Meta { .. }));
        assert_eq!(metas.count(), 1, "Meta comes once: {events:?}");
        assert!(matches!(events[0], ChatEvent::Meta { .. }), "and first");
    }

    #[test]
    fn chunks_without_id_or_index_and_with_a_float_created_still_stream() {
        let (events, t, ended) = run(
            ChatFamily::OpenAiChat,
            &[
                r#"{"object":"chat.completion.chunk","created":1714000000.5,"choices":[{"delta":{"role":"assistant","content":"a"}}]}"#,
                r#"{"choices":[{"delta":{"content":"b"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":null}}"#,
            ],
        );
        assert!(ended, "a finish reason ends it even without [DONE]");
        assert_eq!(t.text, "ab");
        assert_eq!((t.model, t.response_id), (None, None));
        assert!(!events.iter().any(|e| matches!(e, ChatEvent::Meta { .. })));
        assert_eq!(
            (t.usage.input_tokens, t.usage.output_tokens),
            (Some(3), None)
        );
        let (events, _, _) = run(
            ChatFamily::OpenAiChat,
            &[
                r#"{"choices":[],"usage":{"prompt_tokens":null}}"#,
                r#"{"choices":[],"usage":{}}"#,
            ],
        );
        assert!(
            events.is_empty(),
            "a usage report that knows nothing is not sent: {events:?}"
        );
    }

    #[test]
    fn tool_call_pieces_without_index_are_numbered_by_their_ids() {
        let piece = |id: Option<&str>, args: &str| {
            let id = id
                .map(|i| format!(r#""id":"{i}","type":"function","#))
                .unwrap_or_default();
            format!(
                r#"{{"choices":[{{"delta":{{"tool_calls":[{{{id}"function":{{"name":"f","arguments":"{args}"}}}}]}}}}]}}"#
            )
        };
        let pieces = [
            piece(Some("a"), "{"),
            piece(None, "}"),
            piece(Some("b"), "[]"),
            piece(Some("b"), ""),
        ];
        let data: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let (_, t, _) = run(ChatFamily::OpenAiChat, &data);
        let calls: Vec<_> = t
            .tool_calls
            .iter()
            .map(|c| (c.index, c.id.as_deref(), c.arguments.as_str()))
            .collect();
        assert_eq!(calls, [(0, Some("a"), "{}"), (1, Some("b"), "[]")]);
        // Indexed pieces are taken as they come; an unindexed one after them continues the last.
        let mut n = CallNumbers::default();
        let got = [
            n.number(Some(2), Some("x")),
            n.number(None, None),
            n.number(None, Some("y")),
        ];
        assert_eq!(got, [2, 2, 3]);
    }

    #[test]
    fn error_frames_with_either_code_type_are_gateway_errors() {
        for frame in [
            r#"{"error":{"message":"slow down","type":"rate_limit","code":"429"}}"#,
            r#"{"error":{"message":"slow down","code":429}}"#,
        ] {
            let (events, _, ended) = run(ChatFamily::OpenAiChat, &[frame]);
            assert_eq!(
                events,
                [ChatEvent::GatewayError {
                    message: "slow down".into()
                }]
            );
            assert!(ended, "{frame}");
        }
    }

    #[test]
    fn a_json_answer_without_id_or_index_fills_the_transcript() {
        let c: openai_chat::ChatCompletion = serde_json::from_str(
            r#"{"created":1.5,"model":"m","choices":[{"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"completion_tokens":1,"completion_tokens_details":{"reasoning_tokens":7}}}"#,
        )
        .unwrap();
        let t = transcript_of_openai(&c);
        assert_eq!(
            (t.text.as_str(), t.finish_reason.as_deref()),
            ("hi", Some("stop"))
        );
        assert_eq!((t.model.as_deref(), t.response_id), (Some("m"), None));
        assert_eq!(
            (
                t.usage.output_tokens,
                t.usage.reasoning_tokens,
                t.usage.input_tokens
            ),
            (Some(1), Some(7), None)
        );
    }
}
