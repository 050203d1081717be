//! What each SDK fixture normalises to through the core's `chat` layer (the answers the SDK
//! tests expect), plus the non-SSE fixtures: JSON bodies and Gemini's line-delimited stream.

use super::{chunk_lengths, events_of, fixtures_dir, round_trip, transcript};
use anyint_core::chat::ChatFamily;
use anyint_core::sse::SseEvent;
use anyint_core::wire::{anthropic, gemini, openai_chat, openai_responses};

#[test]
fn openai_chat_fixtures_rebuild_their_answers() {
    let Some(dir) = fixtures_dir() else { return };
    let chat = |file: &str| transcript(ChatFamily::OpenAiChat, &events_of(&dir, file));
    let (t, ended) = chat("openai/chat_stream_text.sse");
    assert!(ended);
    assert_eq!(t.text, "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.");
    assert_eq!(
        (
            t.finish_reason.as_deref(),
            t.usage.input_tokens,
            t.usage.output_tokens
        ),
        (Some("stop"), Some(14), Some(30))
    );
    assert_eq!(
        (t.usage.reasoning_tokens, t.usage.cached_input_tokens),
        (Some(0), None),
        "completion_tokens_details is read; there are no prompt_tokens_details"
    );
    assert!(t.model.is_some() && t.response_id.is_some());

    let (t, _) = chat("openai/chat_stream_tool_call_single.sse");
    assert_eq!(t.tool_calls.len(), 1);
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("GetWeatherArgs"));
    let args: serde_json::Value =
        serde_json::from_str(&t.tool_calls[0].arguments).expect("joined arguments are JSON");
    assert_eq!(
        args,
        serde_json::json!({"city": "Edinburgh", "country": "UK", "units": "c"})
    );
    assert_eq!(t.finish_reason.as_deref(), Some("tool_calls"));

    let (t, _) = chat("openai/chat_stream_tool_calls_parallel.sse");
    let names: Vec<_> = t
        .tool_calls
        .iter()
        .map(|c| c.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["GetWeatherArgs", "get_stock_price"]);
    for call in &t.tool_calls {
        serde_json::from_str::<serde_json::Value>(&call.arguments)
            .expect("each call's arguments are JSON");
    }

    let (t, _) = chat("openai/chat_stream_refusal.sse");
    assert_eq!(
        (t.text.as_str(), t.refusal.as_str()),
        ("", "I'm sorry, I can't assist with that request.")
    );
    assert_eq!(
        chat("openai/chat_stream_finish_length.sse")
            .0
            .finish_reason
            .as_deref(),
        Some("length")
    );
    let (t, _) = chat("openai/chat_stream_json_object_large.sse");
    serde_json::from_str::<serde_json::Value>(&t.text).expect("the large JSON answer reassembles");
    // n=3: the transcript follows choice 0; choice 2's refusal stays visible in the wire types.
    let (t, _) = chat("openai/chat_stream_n3_interleaved_refusal.sse");
    assert_eq!(
        t.text,
        r#"{"city":"San Francisco","temperature":65,"units":"f"}"#
    );
}

#[test]
fn responses_fixture_rebuilds_its_answer() {
    let Some(dir) = fixtures_dir() else { return };
    let events = events_of(&dir, "openai/responses_stream_doc_example.sse");
    let (t, ended) = transcript(ChatFamily::OpenAiResponses, &events);
    assert!(ended);
    // The doc example elides all deltas but the first ("..."); the final events carry the text.
    assert_eq!(t.text, "Hi");
    let last: openai_responses::StreamEvent = serde_json::from_str(&events[8].data).unwrap();
    let response = last.final_response().expect("response.completed");
    assert_eq!(
        response.output_text(),
        "Hi there! How can I assist you today?"
    );
    assert_eq!(
        (t.finish_reason.as_deref(), t.usage.output_tokens),
        (Some("completed"), Some(11))
    );
    assert_eq!(
        (t.usage.input_tokens, t.usage.reasoning_tokens),
        (Some(37), Some(0))
    );
    assert_eq!(t.response_id.as_deref(), response.id.as_deref());
    assert!(t.model.is_some());
}

#[test]
fn anthropic_fixtures_keep_every_token_even_without_the_final_blank_line() {
    let Some(dir) = fixtures_dir() else { return };
    let anthropic = |file: &str| transcript(ChatFamily::Anthropic, &events_of(&dir, file));
    let (t, ended) = anthropic("anthropic/messages_stream_basic.sse");
    assert!(
        ended,
        "message_delta's stop reason finishes the message without message_stop"
    );
    assert_eq!(
        (t.text.as_str(), t.finish_reason.as_deref()),
        ("Hello there!", Some("end_turn"))
    );

    let (t, ended) = anthropic("anthropic/messages_stream_tool_use.sse");
    assert!(ended);
    assert_eq!(t.text, "I'll check the current weather in Paris for you.");
    assert_eq!(t.tool_calls.len(), 1);
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("get_weather"));
    let input: serde_json::Value =
        serde_json::from_str(&t.tool_calls[0].arguments).expect("partial JSON assembles");
    assert_eq!(input, serde_json::json!({"location": "Paris"}));

    let (t, ended) = anthropic("anthropic/messages_stream_max_tokens_partial_json.sse");
    assert!(ended);
    assert!(
        t.text.starts_with("I'll create a comprehensive tax guide"),
        "{}",
        t.text
    );
    assert_eq!(t.finish_reason.as_deref(), Some("max_tokens"));
    assert!(
        t.tool_calls[0].arguments.ends_with("Filing taxes"),
        "the cut-off JSON is kept"
    );
    assert!(serde_json::from_str::<serde_json::Value>(&t.tool_calls[0].arguments).is_err());

    let (t, _) = anthropic("anthropic/messages_stream_refusal.sse");
    assert_eq!(
        (t.text.as_str(), t.finish_reason.as_deref()),
        ("", Some("refusal"))
    );
    let (t, _) = anthropic("anthropic/messages_stream_thinking_signature.sse");
    assert!(t.thinking.starts_with("Simple educational question") && t.thinking.contains('—'));
    assert_eq!((t.text.as_str(), t.usage.output_tokens), ("Hi", Some(106)));
    assert_eq!(
        (
            t.usage.input_tokens,
            t.usage.cached_input_tokens,
            t.usage.cache_creation_input_tokens,
            t.usage.reasoning_tokens
        ),
        (Some(28), Some(0), Some(0), Some(67)),
        "message_delta's thinking_tokens are the reasoning count"
    );
    assert_eq!(
        (t.model.as_deref(), t.response_id.as_deref()),
        (Some("claude-fable-5"), Some("msg_fixture_a_0001"))
    );
    let (t, _) = anthropic("anthropic/messages_stream_error_overloaded.sse");
    assert_eq!(t.gateway_error.as_deref(), Some("Overloaded"));
}

#[test]
fn gemini_fixtures_rebuild_their_answers() {
    let Some(dir) = fixtures_dir() else { return };
    let g = |file: &str| transcript(ChatFamily::Gemini, &events_of(&dir, file));
    let (t, ended) = g("gemini/stream_utf8_chinese.sse");
    assert!(
        ended && t.text.starts_with("秋风瑟瑟，叶落纷纷，\n"),
        "{}",
        t.text
    );
    let (t, _) = g("gemini/stream_search_grounding_usage.sse");
    assert_eq!(
        (t.usage.input_tokens, t.usage.output_tokens),
        (Some(8), Some(106)),
        "usage is cumulative"
    );
    let (t, _) = g("gemini/stream_function_call.sse");
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("getTemperature"));
    assert_eq!(t.tool_calls[0].arguments, r#"{"city":"San Jose"}"#);
    assert_eq!(
        g("gemini/stream_finish_reason_safety.sse")
            .0
            .finish_reason
            .as_deref(),
        Some("SAFETY")
    );
    assert_eq!(
        g("gemini/stream_recitation_no_content.sse")
            .0
            .finish_reason
            .as_deref(),
        Some("RECITATION")
    );
    let (t, ended) = g("gemini/stream_prompt_blocked.sse");
    assert!(ended && t.text.is_empty());
    assert_eq!(t.finish_reason.as_deref(), Some("prompt blocked: SAFETY"));
    let unknown = events_of(&dir, "gemini/stream_unknown_enum.sse");
    let last: gemini::GenerateContentResponse = serde_json::from_str(&unknown[5].data).unwrap();
    assert_eq!(
        last.candidates[0].finish_reason,
        Some(gemini::FinishReason::Other("FAKE_ENUM".into()))
    );
}

#[test]
fn gemini_midstream_error_lines_surface_the_error() {
    let Some(dir) = fixtures_dir() else { return };
    let file = "gemini/stream_midstream_error.lines";
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let lengths = chunk_lengths(&dir, file).expect("chunks.json");
    // Not SSE: one JSON object per line, fed in the SDK test's chunks.
    let (mut pending, mut lines, mut at) = (Vec::new(), Vec::new(), 0);
    for n in lengths {
        pending.extend_from_slice(&bytes[at..at + n]);
        at += n;
        while let Some(pos) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=pos).collect();
            lines.push(String::from_utf8(line).unwrap().trim().to_owned());
        }
    }
    lines.push(String::from_utf8(pending).unwrap().trim().to_owned());
    lines.retain(|l| !l.is_empty());
    let items: Vec<_> = lines
        .iter()
        .map(|l| gemini::StreamItem::decode(l).expect("decodes"))
        .collect();
    assert!(matches!(&items[0], gemini::StreamItem::Response(r) if r.text() == "test"));
    assert!(
        matches!(&items[1], gemini::StreamItem::Error(e) if e.error.code == 500 && e.error.status.as_deref() == Some("INTERNAL"))
    );
    let events: Vec<SseEvent> = lines
        .iter()
        .map(|data| SseEvent {
            event: "message".into(),
            data: data.clone(),
            id: None,
            retry: None,
        })
        .collect();
    let (t, _) = transcript(ChatFamily::Gemini, &events);
    assert_eq!(
        (t.text.as_str(), t.gateway_error.as_deref()),
        ("test", Some("Error"))
    );
}

#[test]
fn json_fixtures_decode() {
    let Some(dir) = fixtures_dir() else { return };
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let e = round_trip::<openai_chat::ErrorEnvelope>(&read("openai/error_401_minimal.json"));
    assert_eq!(e.error.message, "Unauthorized");
    let e = round_trip::<anthropic::ErrorEnvelope>(&read("anthropic/error_not_found.json"));
    assert_eq!(
        (e.kind.as_str(), e.error.kind.as_str()),
        ("error", "not_found_error")
    );
    let e = round_trip::<gemini::ErrorEnvelope>(&read("gemini/error_400_invalid_argument.json"));
    assert_eq!(
        (e.error.code.as_i64(), e.error.status.as_deref()),
        (Some(400), Some("INVALID_ARGUMENT"))
    );
    assert_eq!(e.error.details.as_ref().map(Vec::len), Some(1));
    let r = round_trip::<gemini::GenerateContentResponse>(&read(
        "gemini/generateContent_basic_reply_short.json",
    ));
    assert!(!r.text().is_empty());
    let r = round_trip::<gemini::GenerateContentResponse>(&read(
        "gemini/generateContent_recitation_usage_modelVersion.json",
    ));
    assert_eq!(
        r.candidates[0].finish_reason,
        Some(gemini::FinishReason::Recitation)
    );
    assert_eq!(r.model_version.as_deref(), Some("gemini-1.5-flash-001"));
    assert_eq!(
        r.usage_metadata.and_then(|u| u.candidates_token_count),
        None
    );
}
