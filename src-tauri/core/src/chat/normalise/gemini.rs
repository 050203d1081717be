//! Gemini generateContent: one response per stream event (no terminator; `usageMetadata`
//! cumulative), the same shape whole for a JSON call, and Google's error envelope mid-stream.
//! Only candidate 0 is followed; a candidate without `index` is candidate 0.

use super::{push_text, push_usage, tool, StreamNormaliser};
use crate::chat::{ChatEvent, ChatFamily, ChatTranscript, Usage};
use crate::wire::gemini::{self, StreamItem};

impl StreamNormaliser {
    pub(super) fn gemini_event(
        &mut self,
        data: &str,
        out: &mut Vec<ChatEvent>,
    ) -> Result<(), serde_json::Error> {
        match StreamItem::decode(data)? {
            StreamItem::Error(e) => out.push(ChatEvent::GatewayError {
                message: e.error.message,
            }),
            StreamItem::Response(r) => self.gemini_response(&r, out),
        }
        Ok(())
    }

    fn gemini_response(&mut self, r: &gemini::GenerateContentResponse, out: &mut Vec<ChatEvent>) {
        self.meta(r.model_version.as_deref(), r.response_id.as_deref(), out);
        let candidate = r.candidates.iter().find(|c| c.index.unwrap_or(0) == 0);
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
            push_usage(out, usage(u));
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

/// Google's counts as they are: the prompt count includes the cached tokens, the candidates
/// count excludes the thoughts.
fn usage(u: &gemini::UsageMetadata) -> Usage {
    Usage {
        input_tokens: u.prompt_token_count,
        output_tokens: u.candidates_token_count,
        cached_input_tokens: u.cached_content_token_count,
        cache_creation_input_tokens: None,
        reasoning_tokens: u.thoughts_token_count,
    }
}

pub fn transcript_of_gemini(r: &gemini::GenerateContentResponse) -> ChatTranscript {
    let mut out = Vec::new();
    StreamNormaliser::new(ChatFamily::Gemini).gemini_response(r, &mut out);
    ChatTranscript::from_events(&out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use super::*;

    #[test]
    fn partial_usage_metadata_and_candidates_without_index() {
        let (events, t, ended) = run(
            ChatFamily::Gemini,
            &[
                r#"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]}}],"usageMetadata":{"promptTokenCount":8},"modelVersion":"gemini-x","responseId":"r1"}"#,
                r#"{"candidates":[{"content":{"parts":[{"text":"lo"}]},"finishReason":"STOP"}],"usageMetadata":{"candidatesTokenCount":2,"thoughtsTokenCount":5,"cachedContentTokenCount":6},"modelVersion":"gemini-x","responseId":"r1"}"#,
            ],
        );
        assert!(ended);
        assert_eq!(
            (t.text.as_str(), t.finish_reason.as_deref()),
            ("Hello", Some("STOP"))
        );
        assert_eq!(
            t.usage,
            Usage {
                input_tokens: Some(8),
                output_tokens: Some(2),
                cached_input_tokens: Some(6),
                reasoning_tokens: Some(5),
                cache_creation_input_tokens: None,
            }
        );
        assert_eq!(
            (t.model.as_deref(), t.response_id.as_deref()),
            (Some("gemini-x"), Some("r1"))
        );
        let metas = events
            .iter()
            .filter(|e| matches!(e, ChatEvent::Meta { .. }));
        assert_eq!(metas.count(), 1, "{events:?}");
    }

    #[test]
    fn another_candidate_and_empty_usage_add_nothing() {
        let (events, _, ended) = run(
            ChatFamily::Gemini,
            &[
                r#"{"candidates":[{"index":1,"content":{"parts":[{"text":"other"}]},"finishReason":"STOP"}],"usageMetadata":{}}"#,
            ],
        );
        assert!(events.is_empty() && !ended, "{events:?}");
    }

    #[test]
    fn a_midstream_error_with_a_string_code_is_a_gateway_error() {
        let (events, _, ended) = run(
            ChatFamily::Gemini,
            &[r#"{"error":{"code":"503","message":"overloaded","status":"UNAVAILABLE"}}"#],
        );
        assert!(ended);
        assert_eq!(
            events,
            [ChatEvent::GatewayError {
                message: "overloaded".into()
            }]
        );
    }

    #[test]
    fn a_json_answer_fills_model_and_id() {
        let r: gemini::GenerateContentResponse = serde_json::from_str(
            r#"{"candidates":[{"content":{"parts":[{"text":"ok"}]},"finishReason":"STOP"}],"modelVersion":"gemini-x","responseId":"r9"}"#,
        )
        .unwrap();
        let t = transcript_of_gemini(&r);
        assert_eq!(
            (
                t.text.as_str(),
                t.model.as_deref(),
                t.response_id.as_deref()
            ),
            ("ok", Some("gemini-x"), Some("r9"))
        );
    }
}
