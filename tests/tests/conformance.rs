//! Conformance: every SSE fixture of the official SDKs (`../shared/fixtures`, never copied into
//! this repo) decodes with the core's SSE decoder into the event counts and names of the
//! fixtures README (hard-coded below: it is the oracle), every payload decodes and round-trips
//! with the family's wire types, and the normalised answer is what the SDK tests expect.
//! `sandbox_streams` checks the sandbox's own streams with the same decoder and types.

// A panic is a test's report; helpers outside #[test] fns need the allowance spelled out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod sandbox_streams;

use anyint_core::chat::{ChatFamily, ChatTranscript, StreamNormaliser};
use anyint_core::sse::{SseDecoder, SseEvent};
use anyint_core::wire::{anthropic, gemini, openai_chat, openai_responses};
use serde::{de::DeserializeOwned, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Wire {
    OpenAiChat,
    Responses,
    Anthropic,
    Gemini,
    /// SSE edge cases: their data is not a family payload.
    Raw,
}

enum Names {
    /// Every event is `message`.
    Message,
    Exactly(&'static [&'static str]),
    /// Each name equals its payload's `type` (the README describes these rows in words).
    Typed,
}

const ANTHROPIC_BASIC: &[&str] = &[
    "message_start", "content_block_start", "ping", "content_block_delta",
    "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
];
const ANTHROPIC_REFUSAL: &[&str] =
    &["message_start", "content_block_start", "content_block_stop", "message_delta"];
const RESPONSES_DOC: &[&str] = &[
    "response.created", "response.in_progress", "response.output_item.added",
    "response.content_part.added", "response.output_text.delta", "response.output_text.done",
    "response.content_part.done", "response.output_item.done", "response.completed",
];

/// The README table: file, events a spec parser dispatches, their names, the wire family.
const TABLE: &[(&str, usize, Names, Wire)] = &[
    ("openai/chat_stream_finish_length.sse", 5, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_json_object_large.sse", 181, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_logprobs.sse", 6, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_n3_interleaved_refusal.sse", 50, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_refusal.sse", 14, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_text.sse", 34, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_tool_call_single.sse", 18, Names::Message, Wire::OpenAiChat),
    ("openai/chat_stream_tool_calls_parallel.sse", 26, Names::Message, Wire::OpenAiChat),
    ("openai/responses_stream_doc_example.sse", 9, Names::Exactly(RESPONSES_DOC), Wire::Responses),
    ("openai/sse_edge_comment_lines.sse", 1, Names::Message, Wire::Raw),
    ("openai/sse_edge_event_without_data.sse", 0, Names::Message, Wire::Raw),
    ("openai/sse_edge_mixed_line_endings_eof.sse", 2, Names::Message, Wire::Raw),
    ("openai/sse_edge_multibyte_split.sse", 1, Names::Message, Wire::Raw),
    ("openai/sse_edge_multiline_data.sse", 1, Names::Exactly(&["ping"]), Wire::Raw),
    ("openai/sse_edge_u2028_in_json.sse", 3, Names::Message, Wire::Raw),
    ("anthropic/messages_stream_basic.sse", 8, Names::Exactly(ANTHROPIC_BASIC), Wire::Anthropic),
    ("anthropic/messages_stream_error_overloaded.sse", 1, Names::Exactly(&["error"]), Wire::Anthropic),
    ("anthropic/messages_stream_max_tokens_partial_json.sse", 15, Names::Typed, Wire::Anthropic),
    ("anthropic/messages_stream_refusal.sse", 4, Names::Exactly(ANTHROPIC_REFUSAL), Wire::Anthropic),
    ("anthropic/messages_stream_thinking_signature.sse", 14, Names::Typed, Wire::Anthropic),
    ("anthropic/messages_stream_tool_use.sse", 14, Names::Typed, Wire::Anthropic),
    ("anthropic/sse_edge_multibyte_split.sse", 1, Names::Message, Wire::Raw),
    ("gemini/stream_basic_reply_long.sse", 6, Names::Message, Wire::Gemini),
    ("gemini/stream_basic_reply_short.sse", 1, Names::Message, Wire::Gemini),
    ("gemini/stream_finish_reason_safety.sse", 1, Names::Message, Wire::Gemini),
    ("gemini/stream_function_call.sse", 1, Names::Message, Wire::Gemini),
    ("gemini/stream_prompt_blocked.sse", 1, Names::Message, Wire::Gemini),
    ("gemini/stream_recitation_no_content.sse", 3, Names::Message, Wire::Gemini),
    ("gemini/stream_search_grounding_usage.sse", 7, Names::Message, Wire::Gemini),
    ("gemini/stream_unknown_enum.sse", 6, Names::Message, Wire::Gemini),
    ("gemini/stream_utf8_chinese.sse", 4, Names::Message, Wire::Gemini),
];

/// Files whose last event has no closing blank line, so the decoder must drop it at EOF.
/// (The README names three Anthropic files; `messages_stream_refusal.sse` ends the same way.)
const ENDS_INSIDE_AN_EVENT: &[&str] = &[
    "openai/sse_edge_mixed_line_endings_eof.sse",
    "anthropic/messages_stream_basic.sse",
    "anthropic/messages_stream_tool_use.sse",
    "anthropic/messages_stream_max_tokens_partial_json.sse",
    "anthropic/messages_stream_refusal.sse",
];

/// `../shared/fixtures` beside the repository, or `None` (and a SKIPPED line) outside CI.
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures");
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    println!("SKIPPED: ../shared/fixtures not found (looked for {})", dir.display());
    assert!(std::env::var_os("CI").is_none(), "CI must provide ../shared/fixtures");
    None
}

/// The chunk lengths of `NAME.chunks.json`, when the fixture has one.
fn chunk_lengths(dir: &Path, file: &str) -> Option<Vec<usize>> {
    let text = std::fs::read_to_string(dir.join(format!("{file}.chunks.json"))).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).expect("chunks.json is JSON");
    let lengths = json["chunk_lengths"].as_array().expect("chunk_lengths array");
    Some(lengths.iter().map(|n| n.as_u64().expect("a length") as usize).collect())
}

/// Feeds `bytes` in pieces of `lengths`; returns the events and whether EOF dropped one.
fn decode(bytes: &[u8], lengths: &[usize]) -> (Vec<SseEvent>, bool) {
    assert_eq!(lengths.iter().sum::<usize>(), bytes.len(), "chunks cover the file");
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    let mut at = 0;
    for n in lengths {
        events.extend(decoder.push(&bytes[at..at + n]));
        at += n;
    }
    (events, decoder.finish())
}

/// Decodes `data` as `T`, re-encodes and decodes again: both must be equal.
pub fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &str) -> T {
    let first: T = serde_json::from_str(data).unwrap_or_else(|e| panic!("{e}: {data}"));
    let again: T = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
    assert_eq!(first, again, "round trip of {data}");
    first
}

/// Every payload decodes with the family's types; known types never fall into `Other`.
pub fn decode_payloads(wire: Wire, events: &[SseEvent], file: &str) {
    for (i, ev) in events.iter().enumerate() {
        let at = format!("{file} event {i}");
        match wire {
            Wire::OpenAiChat if ev.is_done() => assert_eq!(i + 1, events.len(), "{at}: [DONE] is last"),
            Wire::OpenAiChat => {
                round_trip::<openai_chat::ChatCompletionChunk>(&ev.data);
            }
            Wire::Responses => {
                let e = round_trip::<openai_responses::StreamEvent>(&ev.data);
                assert!(!matches!(e, openai_responses::StreamEvent::Other(_)), "{at}: {e:?}");
            }
            Wire::Anthropic => {
                let e = round_trip::<anthropic::StreamEvent>(&ev.data);
                assert!(!matches!(e, anthropic::StreamEvent::Other(_)), "{at}: {e:?}");
            }
            Wire::Gemini => {
                round_trip::<gemini::GenerateContentResponse>(&ev.data);
            }
            Wire::Raw => {}
        }
    }
}

/// The normalised answer of a fixture, through the same code the app uses.
fn transcript(family: ChatFamily, events: &[SseEvent]) -> (ChatTranscript, bool) {
    let mut norm = StreamNormaliser::new(family);
    let mut t = ChatTranscript::default();
    for ev in events {
        norm.push(ev).expect("normalises").iter().for_each(|e| t.apply(e));
    }
    (t, norm.finish().is_ok())
}

#[test]
fn every_sse_fixture_matches_the_readme_table() {
    let Some(dir) = fixtures_dir() else { return };
    for (file, count, names, wire) in TABLE {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut runs = vec![("whole", decode(&bytes, &[bytes.len()]))];
        runs.push(("byte by byte", decode(&bytes, &vec![1; bytes.len()])));
        if let Some(lengths) = chunk_lengths(&dir, file) {
            runs.push(("chunks.json", decode(&bytes, &lengths)));
        }
        let (events, dropped) = runs[0].1.clone();
        for (how, run) in &runs {
            assert_eq!(run.0, events, "{file} decoded {how} differs from whole");
            assert_eq!(run.0.len(), *count, "{file} ({how}): event count");
            assert_eq!(run.1, ENDS_INSIDE_AN_EVENT.contains(file), "{file} ({how}): dropped at EOF");
        }
        let got: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
        match names {
            Names::Message => assert!(got.iter().all(|n| *n == "message"), "{file}: {got:?}"),
            Names::Exactly(want) => assert_eq!(&got, want, "{file}"),
            Names::Typed => {
                for ev in &events {
                    let v: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
                    assert_eq!(v["type"], ev.event.as_str(), "{file}");
                }
            }
        }
        decode_payloads(*wire, &events, file);
    }
}

#[test]
fn every_sse_fixture_on_disk_is_in_the_table() {
    let Some(dir) = fixtures_dir() else { return };
    for family in ["openai", "anthropic", "gemini"] {
        for entry in std::fs::read_dir(dir.join(family)).unwrap() {
            let name = format!("{family}/{}", entry.unwrap().file_name().to_string_lossy());
            if name.ends_with(".sse") {
                assert!(TABLE.iter().any(|row| row.0 == name), "{name} has no row in the table");
            }
        }
    }
}

fn events_of(dir: &Path, file: &str) -> Vec<SseEvent> {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    decode(&bytes, &[bytes.len()]).0
}

#[test]
fn edge_cases_carry_the_right_data() {
    let Some(dir) = fixtures_dir() else { return };
    let mixed = events_of(&dir, "openai/sse_edge_mixed_line_endings_eof.sse");
    assert_eq!((mixed[0].data.as_str(), mixed[0].id.as_deref()), ("известни", Some("one")));
    assert_eq!(mixed[1].data, "two");
    for file in ["openai/sse_edge_multibyte_split.sse", "anthropic/sse_edge_multibyte_split.sse"] {
        assert_eq!(events_of(&dir, file)[0].data, r#"{"content":"известни"}"#);
    }
    let multiline = events_of(&dir, "openai/sse_edge_multiline_data.sse");
    assert_eq!(multiline[0].data, "{\n\"foo\":\n\n\ntrue}");
    let u2028 = events_of(&dir, "openai/sse_edge_u2028_in_json.sse");
    let v: serde_json::Value = serde_json::from_str(&u2028[1].data).unwrap();
    assert_eq!(v["content"], " \u{2028}");
    assert_eq!(events_of(&dir, "openai/sse_edge_comment_lines.sse")[0].data, "ok");
}

#[test]
fn openai_chat_fixtures_rebuild_their_answers() {
    let Some(dir) = fixtures_dir() else { return };
    let chat = |file: &str| transcript(ChatFamily::OpenAiChat, &events_of(&dir, file));
    let (t, ended) = chat("openai/chat_stream_text.sse");
    assert!(ended);
    assert_eq!(t.text, "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.");
    assert_eq!((t.finish_reason.as_deref(), t.usage.input_tokens, t.usage.output_tokens), (Some("stop"), Some(14), Some(30)));

    let (t, _) = chat("openai/chat_stream_tool_call_single.sse");
    assert_eq!(t.tool_calls.len(), 1);
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("GetWeatherArgs"));
    let args: serde_json::Value = serde_json::from_str(&t.tool_calls[0].arguments).expect("joined arguments are JSON");
    assert_eq!(args, serde_json::json!({"city": "Edinburgh", "country": "UK", "units": "c"}));
    assert_eq!(t.finish_reason.as_deref(), Some("tool_calls"));

    let (t, _) = chat("openai/chat_stream_tool_calls_parallel.sse");
    let names: Vec<_> = t.tool_calls.iter().map(|c| c.name.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["GetWeatherArgs", "get_stock_price"]);
    for call in &t.tool_calls {
        serde_json::from_str::<serde_json::Value>(&call.arguments).expect("each call's arguments are JSON");
    }

    let (t, _) = chat("openai/chat_stream_refusal.sse");
    assert_eq!((t.text.as_str(), t.refusal.as_str()), ("", "I'm sorry, I can't assist with that request."));
    assert_eq!(chat("openai/chat_stream_finish_length.sse").0.finish_reason.as_deref(), Some("length"));
    let (t, _) = chat("openai/chat_stream_json_object_large.sse");
    serde_json::from_str::<serde_json::Value>(&t.text).expect("the large JSON answer reassembles");
    // n=3: the transcript follows choice 0; choice 2's refusal stays visible in the wire types.
    let (t, _) = chat("openai/chat_stream_n3_interleaved_refusal.sse");
    assert_eq!(t.text, r#"{"city":"San Francisco","temperature":65,"units":"f"}"#);
}

#[test]
fn responses_fixture_rebuilds_its_answer() {
    let Some(dir) = fixtures_dir() else { return };
    let events = events_of(&dir, "openai/responses_stream_doc_example.sse");
    let (t, ended) = transcript(ChatFamily::OpenAiResponses, &events);
    assert!(ended);
    assert_eq!(t.text, "Hi there! How can I assist you today?");
    assert_eq!((t.finish_reason.as_deref(), t.usage.output_tokens), (Some("completed"), Some(11)));
}

#[test]
fn anthropic_fixtures_keep_every_token_even_without_the_final_blank_line() {
    let Some(dir) = fixtures_dir() else { return };
    let anthropic = |file: &str| transcript(ChatFamily::Anthropic, &events_of(&dir, file));
    let (t, ended) = anthropic("anthropic/messages_stream_basic.sse");
    assert!(ended, "message_delta's stop reason finishes the message without message_stop");
    assert_eq!((t.text.as_str(), t.finish_reason.as_deref()), ("Hello there!", Some("end_turn")));

    let (t, ended) = anthropic("anthropic/messages_stream_tool_use.sse");
    assert!(ended);
    assert_eq!(t.text, "I'll check the current weather in Paris for you.");
    assert_eq!(t.tool_calls.len(), 1);
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("get_weather"));
    let input: serde_json::Value = serde_json::from_str(&t.tool_calls[0].arguments).expect("partial JSON assembles");
    assert_eq!(input, serde_json::json!({"location": "Paris"}));

    let (t, ended) = anthropic("anthropic/messages_stream_max_tokens_partial_json.sse");
    assert!(ended);
    assert!(t.text.starts_with("I'll create a comprehensive tax guide"), "{}", t.text);
    assert_eq!(t.finish_reason.as_deref(), Some("max_tokens"));
    assert!(t.tool_calls[0].arguments.ends_with("Filing taxes"), "the cut-off JSON is kept");
    assert!(serde_json::from_str::<serde_json::Value>(&t.tool_calls[0].arguments).is_err());

    let (t, _) = anthropic("anthropic/messages_stream_refusal.sse");
    assert_eq!((t.text.as_str(), t.finish_reason.as_deref()), ("", Some("refusal")));
    let (t, _) = anthropic("anthropic/messages_stream_thinking_signature.sse");
    assert!(t.thinking.starts_with("Simple educational question") && t.thinking.contains('—'));
    assert_eq!((t.text.as_str(), t.usage.output_tokens), ("Hi", Some(106)));
    let (t, _) = anthropic("anthropic/messages_stream_error_overloaded.sse");
    assert_eq!(t.gateway_error.as_deref(), Some("Overloaded"));
}

#[test]
fn gemini_fixtures_rebuild_their_answers() {
    let Some(dir) = fixtures_dir() else { return };
    let g = |file: &str| transcript(ChatFamily::Gemini, &events_of(&dir, file));
    let (t, ended) = g("gemini/stream_utf8_chinese.sse");
    assert!(ended && t.text.starts_with("秋风瑟瑟，叶落纷纷，\n"), "{}", t.text);
    let (t, _) = g("gemini/stream_search_grounding_usage.sse");
    assert_eq!((t.usage.input_tokens, t.usage.output_tokens), (Some(8), Some(106)), "usage is cumulative");
    let (t, _) = g("gemini/stream_function_call.sse");
    assert_eq!(t.tool_calls[0].name.as_deref(), Some("getTemperature"));
    assert_eq!(t.tool_calls[0].arguments, r#"{"city":"San Jose"}"#);
    assert_eq!(g("gemini/stream_finish_reason_safety.sse").0.finish_reason.as_deref(), Some("SAFETY"));
    assert_eq!(g("gemini/stream_recitation_no_content.sse").0.finish_reason.as_deref(), Some("RECITATION"));
    let (t, ended) = g("gemini/stream_prompt_blocked.sse");
    assert!(ended && t.text.is_empty());
    assert_eq!(t.finish_reason.as_deref(), Some("prompt blocked: SAFETY"));
    let unknown = events_of(&dir, "gemini/stream_unknown_enum.sse");
    let last: gemini::GenerateContentResponse = serde_json::from_str(&unknown[5].data).unwrap();
    assert_eq!(last.candidates[0].finish_reason, Some(gemini::FinishReason::Other("FAKE_ENUM".into())));
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
    let items: Vec<_> = lines.iter().map(|l| gemini::StreamItem::decode(l).expect("decodes")).collect();
    assert!(matches!(&items[0], gemini::StreamItem::Response(r) if r.text() == "test"));
    assert!(matches!(&items[1], gemini::StreamItem::Error(e) if e.error.code == 500 && e.error.status.as_deref() == Some("INTERNAL")));
    let events: Vec<SseEvent> = lines
        .iter()
        .map(|data| SseEvent { event: "message".into(), data: data.clone(), id: None, retry: None })
        .collect();
    let (t, _) = transcript(ChatFamily::Gemini, &events);
    assert_eq!((t.text.as_str(), t.gateway_error.as_deref()), ("test", Some("Error")));
}

#[test]
fn json_fixtures_decode() {
    let Some(dir) = fixtures_dir() else { return };
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let e = round_trip::<openai_chat::ErrorEnvelope>(&read("openai/error_401_minimal.json"));
    assert_eq!(e.error.message, "Unauthorized");
    let e = round_trip::<anthropic::ErrorEnvelope>(&read("anthropic/error_not_found.json"));
    assert_eq!((e.kind.as_str(), e.error.kind.as_str()), ("error", "not_found_error"));
    let e = round_trip::<gemini::ErrorEnvelope>(&read("gemini/error_400_invalid_argument.json"));
    assert_eq!((e.error.code, e.error.status.as_deref()), (400, Some("INVALID_ARGUMENT")));
    assert_eq!(e.error.details.as_ref().map(Vec::len), Some(1));
    let r = round_trip::<gemini::GenerateContentResponse>(&read("gemini/generateContent_basic_reply_short.json"));
    assert!(!r.text().is_empty());
    let r = round_trip::<gemini::GenerateContentResponse>(&read("gemini/generateContent_recitation_usage_modelVersion.json"));
    assert_eq!(r.candidates[0].finish_reason, Some(gemini::FinishReason::Recitation));
    assert_eq!(r.model_version.as_deref(), Some("gemini-1.5-flash-001"));
    assert_eq!(r.usage_metadata.and_then(|u| u.candidates_token_count), None);
}
