//! OpenAI Responses: the `response.*` stream events and the `response` object. Usage and the
//! finish come with the final event (`response.completed`, `.incomplete`, `.failed`).

use super::{known, push_text, push_usage, tool, StreamNormaliser};
use crate::chat::{ChatEvent, ChatTranscript, Usage};
use crate::wire::openai_responses::{self, StreamEvent as E};

impl StreamNormaliser {
    pub(super) fn responses_event(
        &mut self,
        data: &str,
        out: &mut Vec<ChatEvent>,
    ) -> Result<(), serde_json::Error> {
        let ev: E = serde_json::from_str(data)?;
        if ev.final_response().is_some() {
            self.ended = true;
        }
        if let Some(r) = ev.response() {
            self.meta(Some(&r.model), r.id.as_deref(), out);
        }
        response_event(ev, out);
        Ok(())
    }
}

fn response_event(ev: E, out: &mut Vec<ChatEvent>) {
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
            if let Some(u) = &response.usage {
                push_usage(out, usage(u));
            }
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

fn usage(u: &openai_responses::ResponseUsage) -> Usage {
    Usage {
        input_tokens: u.input_tokens,
        output_tokens: u.output_tokens,
        cached_input_tokens: u
            .input_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens),
        cache_creation_input_tokens: None,
        reasoning_tokens: u
            .output_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens),
    }
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
    response_event(
        if r.status == openai_responses::ResponseStatus::Failed {
            E::Failed {
                response,
                sequence_number,
            }
        } else {
            E::Completed {
                response,
                sequence_number,
            }
        },
        &mut out,
    );
    ChatTranscript {
        model: known(&r.model),
        response_id: r.id.clone(),
        ..ChatTranscript::from_events(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use super::*;
    use crate::chat::ChatFamily;

    #[test]
    fn partial_usage_in_the_final_response_keeps_what_it_says() {
        let (events, t, ended) = run(
            ChatFamily::OpenAiResponses,
            &[
                r#"{"type":"response.created","response":{"id":"resp_1","status":"in_progress","model":"gpt-5","created_at":1714000000.5}}"#,
                r#"{"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"Hi"}"#,
                r#"{"type":"response.completed","response":{"id":"resp_1","status":"completed","model":"gpt-5","usage":{"output_tokens":5,"total_tokens":null,"input_tokens_details":{"cached_tokens":3},"output_tokens_details":{"reasoning_tokens":2}}}}"#,
            ],
        );
        assert!(ended);
        assert_eq!(
            t.usage,
            Usage {
                output_tokens: Some(5),
                cached_input_tokens: Some(3),
                reasoning_tokens: Some(2),
                ..Usage::default()
            }
        );
        assert_eq!(
            (t.model.as_deref(), t.response_id.as_deref()),
            (Some("gpt-5"), Some("resp_1"))
        );
        let metas = events
            .iter()
            .filter(|e| matches!(e, ChatEvent::Meta { .. }));
        assert_eq!(metas.count(), 1, "{events:?}");
    }

    #[test]
    fn error_events_and_failures_with_numeric_codes_are_reported() {
        let (_, t, ended) = run(
            ChatFamily::OpenAiResponses,
            &[r#"{"type":"error","code":500,"message":"boom","sequence_number":3}"#],
        );
        assert!(ended && t.gateway_error.as_deref() == Some("boom"));
        let (_, t, ended) = run(
            ChatFamily::OpenAiResponses,
            &[
                r#"{"type":"response.failed","response":{"status":"failed","error":{"code":429,"message":"slow"}}}"#,
            ],
        );
        assert!(ended && t.gateway_error.as_deref() == Some("slow"));
    }

    #[test]
    fn a_response_object_without_id_fills_the_transcript() {
        let r: openai_responses::Response = serde_json::from_str(
            r#"{"status":"completed","model":"gpt-5","output":[{"type":"message","content":[{"type":"output_text","text":"ok"}]}],"usage":{"input_tokens":2}}"#,
        )
        .unwrap();
        let t = transcript_of_responses(&r);
        assert_eq!(
            (t.text.as_str(), t.finish_reason.as_deref()),
            ("ok", Some("completed"))
        );
        assert_eq!(
            (t.model.as_deref(), t.response_id, t.usage.input_tokens),
            (Some("gpt-5"), None, Some(2))
        );
    }
}
