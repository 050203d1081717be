//! Conformance: every SSE fixture of the official SDKs (`../shared/fixtures`, never copied into
//! this repo) decodes with the core's SSE decoder into the event counts and names of the
//! fixtures README (hard-coded below: it is the oracle), every payload decodes and round-trips
//! with the family's wire types, and the normalised answer is what the SDK tests expect.
//! `fixture_answers` checks what each fixture normalises to; `sandbox_streams` checks the
//! sandbox's own streams with the same decoder and types.

// A panic is a test's report; helpers outside #[test] fns need the allowance spelled out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "conformance/fixture_answers.rs"]
mod fixture_answers;
#[path = "conformance/sandbox_streams.rs"]
mod sandbox_streams;

use anyint_core::chat::{ChatFamily, ChatTranscript, StreamNormaliser};
use anyint_core::sse::{SseDecoder, SseEvent};
use anyint_core::wire::{anthropic, gemini, openai_chat, openai_responses};
use serde::{de::DeserializeOwned, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wire {
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
    "message_start",
    "content_block_start",
    "ping",
    "content_block_delta",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
];
const ANTHROPIC_REFUSAL: &[&str] = &[
    "message_start",
    "content_block_start",
    "content_block_stop",
    "message_delta",
];
const RESPONSES_DOC: &[&str] = &[
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
];

/// The README table: file, events a spec parser dispatches, their names, the wire family.
#[rustfmt::skip]
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
    println!(
        "SKIPPED: ../shared/fixtures not found (looked for {})",
        dir.display()
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must provide ../shared/fixtures"
    );
    None
}

/// The chunk lengths of `NAME.chunks.json`, when the fixture has one.
pub fn chunk_lengths(dir: &Path, file: &str) -> Option<Vec<usize>> {
    let text = std::fs::read_to_string(dir.join(format!("{file}.chunks.json"))).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).expect("chunks.json is JSON");
    let lengths = json["chunk_lengths"]
        .as_array()
        .expect("chunk_lengths array");
    Some(
        lengths
            .iter()
            .map(|n| n.as_u64().expect("a length") as usize)
            .collect(),
    )
}

/// Feeds `bytes` in pieces of `lengths`; returns the events and whether EOF dropped one.
fn decode(bytes: &[u8], lengths: &[usize]) -> (Vec<SseEvent>, bool) {
    assert_eq!(
        lengths.iter().sum::<usize>(),
        bytes.len(),
        "chunks cover the file"
    );
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
            Wire::OpenAiChat if ev.is_done() => {
                assert_eq!(i + 1, events.len(), "{at}: [DONE] is last")
            }
            Wire::OpenAiChat => {
                round_trip::<openai_chat::ChatCompletionChunk>(&ev.data);
            }
            Wire::Responses => {
                let e = round_trip::<openai_responses::StreamEvent>(&ev.data);
                assert!(
                    !matches!(e, openai_responses::StreamEvent::Other(_)),
                    "{at}: {e:?}"
                );
            }
            Wire::Anthropic => {
                let e = round_trip::<anthropic::StreamEvent>(&ev.data);
                assert!(
                    !matches!(e, anthropic::StreamEvent::Other(_)),
                    "{at}: {e:?}"
                );
            }
            Wire::Gemini => {
                round_trip::<gemini::GenerateContentResponse>(&ev.data);
            }
            Wire::Raw => {}
        }
    }
}

/// The normalised answer of a fixture, through the same code the app uses.
pub fn transcript(family: ChatFamily, events: &[SseEvent]) -> (ChatTranscript, bool) {
    let mut norm = StreamNormaliser::new(family);
    let mut t = ChatTranscript::default();
    for ev in events {
        norm.push(ev)
            .expect("normalises")
            .iter()
            .for_each(|e| t.apply(e));
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
        let events = runs[0].1 .0.clone();
        for (how, run) in &runs {
            assert_eq!(run.0, events, "{file} decoded {how} differs from whole");
            assert_eq!(run.0.len(), *count, "{file} ({how}): event count");
            assert_eq!(
                run.1,
                ENDS_INSIDE_AN_EVENT.contains(file),
                "{file} ({how}): dropped at EOF"
            );
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
                assert!(
                    TABLE.iter().any(|row| row.0 == name),
                    "{name} has no row in the table"
                );
            }
        }
    }
}

pub fn events_of(dir: &Path, file: &str) -> Vec<SseEvent> {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    decode(&bytes, &[bytes.len()]).0
}

#[test]
fn edge_cases_carry_the_right_data() {
    let Some(dir) = fixtures_dir() else { return };
    let mixed = events_of(&dir, "openai/sse_edge_mixed_line_endings_eof.sse");
    assert_eq!(
        (mixed[0].data.as_str(), mixed[0].id.as_deref()),
        ("известни", Some("one"))
    );
    assert_eq!(mixed[1].data, "two");
    for file in [
        "openai/sse_edge_multibyte_split.sse",
        "anthropic/sse_edge_multibyte_split.sse",
    ] {
        assert_eq!(events_of(&dir, file)[0].data, r#"{"content":"известни"}"#);
    }
    let multiline = events_of(&dir, "openai/sse_edge_multiline_data.sse");
    assert_eq!(multiline[0].data, "{\n\"foo\":\n\n\ntrue}");
    let u2028 = events_of(&dir, "openai/sse_edge_u2028_in_json.sse");
    let v: serde_json::Value = serde_json::from_str(&u2028[1].data).unwrap();
    assert_eq!(v["content"], " \u{2028}");
    assert_eq!(
        events_of(&dir, "openai/sse_edge_comment_lines.sse")[0].data,
        "ok"
    );
}
