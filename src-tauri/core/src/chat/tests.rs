//! `chat`'s own tests: the transcript, the UI's JSON and TypeScript, and whole streams
//! through `normalise` (the per-family cases live beside each family in `normalise/`).

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
            cached_input_tokens: Some(2),
            cache_creation_input_tokens: Some(1),
            ..Usage::default()
        }),
        ChatEvent::Usage(Usage {
            output_tokens: Some(9),
            reasoning_tokens: Some(4),
            cache_creation_input_tokens: Some(0),
            ..Usage::default()
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
            output_tokens: Some(9),
            cached_input_tokens: Some(2),
            cache_creation_input_tokens: Some(0),
            reasoning_tokens: Some(4),
        }
    );
}

#[test]
fn meta_fills_the_transcript_and_a_later_value_fills_only_what_was_missing() {
    let meta = |model: Option<&str>, id: Option<&str>| ChatEvent::Meta {
        model: model.map(str::to_owned),
        response_id: id.map(str::to_owned),
    };
    let t = ChatTranscript::from_events(&[meta(None, Some("r1")), meta(Some("m"), None)]);
    assert_eq!(
        (t.model.as_deref(), t.response_id.as_deref()),
        (Some("m"), Some("r1"))
    );
    let empty = ChatTranscript::default();
    assert!(empty.usage.is_empty() && empty.model.is_none() && empty.response_id.is_none());
}

#[test]
fn events_and_transcripts_cross_to_the_ui_in_camel_case() {
    let piece = ChatEvent::ToolCallDelta {
        index: 0,
        id: Some("c".into()),
        name: None,
        arguments_fragment: "{".into(),
    };
    assert_eq!(
        serde_json::to_value(&piece).unwrap(),
        serde_json::json!({"kind": "tool_call_delta", "index": 0, "id": "c", "name": null, "argumentsFragment": "{"})
    );
    let usage = ChatEvent::Usage(Usage {
        cached_input_tokens: Some(5),
        ..Usage::default()
    });
    let json = serde_json::to_value(&usage).unwrap();
    assert_eq!(
        (&json["kind"], &json["cachedInputTokens"]),
        (&serde_json::json!("usage"), &serde_json::json!(5))
    );
    let meta = serde_json::to_value(ChatEvent::Meta {
        model: None,
        response_id: Some("r".into()),
    })
    .unwrap();
    assert_eq!(
        meta,
        serde_json::json!({"kind": "meta", "model": null, "responseId": "r"})
    );
    let t = serde_json::to_value(ChatTranscript::default()).unwrap();
    for key in [
        "responseId",
        "toolCalls",
        "finishReason",
        "gatewayError",
        "usage",
    ] {
        assert!(t.get(key).is_some(), "{key} in {t}");
    }
    for (family, word) in [
        (ChatFamily::OpenAiChat, "openai_chat"),
        (ChatFamily::OpenAiResponses, "openai_responses"),
        (ChatFamily::Anthropic, "anthropic"),
        (ChatFamily::Gemini, "gemini"),
    ] {
        assert_eq!(serde_json::to_value(family).unwrap(), word);
        let got = serde_json::from_value::<ChatFamily>(word.into()).unwrap();
        assert_eq!(got, family, "{word}");
        // The history stores the same word.
        assert!(crate::history::FAMILIES.contains(&word));
    }
    assert!(serde_json::from_value::<ChatFamily>("openai".into()).is_err());
    assert!(ChatFamily::decl().contains(r#""openai_chat" | "openai_responses""#));
    // The generated TypeScript says the same as the JSON.
    let ts = ChatEvent::decl();
    assert!(
        ts.contains("argumentsFragment")
            && ts.contains("responseId")
            && ts.contains("\"kind\": \"tool_call_delta\""),
        "{ts}"
    );
    let ts = Usage::decl();
    assert!(
        ts.contains("cachedInputTokens: number | null") && !ts.contains("bigint"),
        "{ts}"
    );
    assert!(ChatTranscript::decl().contains("toolCalls: Array<ToolCall>"));
}

#[tokio::test]
async fn crlf_line_ends_and_keep_alive_comments_reach_the_normaliser_as_plain_events() {
    let wire = ": keep-alive\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n: ping\r\n\r\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\ndata: [DONE]\r\n\r\n";
    // Split mid-CRLF, so a `\r` ends one network chunk and its `\n` starts the next.
    let (a, b) = wire.split_at(wire.find("\n").unwrap());
    let bytes = futures::stream::iter(
        [a, b].map(|s| Ok::<_, std::io::Error>(bytes::Bytes::from(s.to_owned()))),
    );
    let outcome = collect(normalise(ChatFamily::OpenAiChat, sse::events(bytes))).await;
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(
        (
            outcome.transcript.text.as_str(),
            outcome.transcript.finish_reason.as_deref()
        ),
        ("Hi", Some("stop"))
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
