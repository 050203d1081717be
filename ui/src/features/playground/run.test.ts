// PlaygroundRun as pure logic: how the backend's events fold into the live answer, and that the
// reactive state moves only when a frame is drawn (the frame function is injected here, so a
// test decides when "the screen refreshes").
import { describe, expect, it } from "vitest";
import { manualFrames } from "../../testing/frames";
import type { ChatEvent, ChatTranscript, PlaygroundEvent, RunSummary, SentRequest, WireEvent } from "../../ipc";
import { PlaygroundRun } from "./run.svelte";

const text = (t: string): ChatEvent => ({ kind: "text_delta", text: t });
const call = (index: number, argumentsFragment: string, id: string | null = null, name: string | null = null): ChatEvent => ({
  kind: "tool_call_delta",
  index,
  id,
  name,
  argumentsFragment,
});
const wire = (seq: number): WireEvent => ({ seq, event: "message", data: `{"n":${seq}}`, bytes: 10, atMs: seq, sincePrevMs: 1 });
const chunk = (chat: ChatEvent[], events: WireEvent[] = []): PlaygroundEvent => ({ type: "chunk", wire: events, chat });

const REQUEST: SentRequest = { method: "POST", url: "http://127.0.0.1:41234/anthropic/v1/messages", headers: [], body: "{}" };

function transcript(over: Partial<ChatTranscript> = {}): ChatTranscript {
  return {
    model: "claude-sonnet-4-5",
    responseId: "msg_1",
    text: "",
    thinking: "",
    refusal: "",
    toolCalls: [],
    usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null },
    finishReason: "end_turn",
    gatewayError: null,
    ...over,
  };
}

function summary(t: ChatTranscript): RunSummary {
  return {
    runId: "run-1",
    family: "anthropic",
    model: "claude-sonnet-4-5",
    status: "complete",
    transcript: t,
    stats: { ttftMs: 120, totalMs: 200, tokensPerS: 10, tokensEstimated: false, events: 3, bytes: 300 },
    failure: null,
    terminator: "message_stop",
    terminatorSeen: true,
    httpStatus: 200,
    requestId: null,
    request: REQUEST,
    turnId: "turn-1",
    conversationId: "conv-1",
  };
}

describe("PlaygroundRun: folding", () => {
  it("appends text, thinking and refusal deltas in order", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([text("Hel"), { kind: "thinking_delta", text: "hmm " }, text("lo")]));
    run.take(chunk([{ kind: "thinking_delta", text: "ok" }, text(", world"), { kind: "refusal", text: "no" }]));
    f.draw();
    expect(run.answer).toEqual({ text: "Hello, world", thinking: "hmm ok", refusal: "no", toolCalls: [] });
  });

  it("rebuilds tool calls from deltas by index, keeping the first id and name", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([call(1, '{"q":', "call_b", "search"), call(0, "", "call_a", "get_weather")]));
    run.take(chunk([call(0, '{"city":'), call(1, '"x"}'), call(0, '"Oslo"}', "ignored", "ignored")]));
    f.draw();
    expect(run.answer.toolCalls).toEqual([
      { index: 0, id: "call_a", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { index: 1, id: "call_b", name: "search", arguments: '{"q":"x"}' },
    ]);
  });

  it("ignores the kinds only the summary carries", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(
      chunk([
        { kind: "meta", model: "m", responseId: "r" },
        text("a"),
        { kind: "usage", inputTokens: 1, outputTokens: 2, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null },
        { kind: "finish", reason: "end_turn" },
        { kind: "gateway_error", message: "boom" },
      ]),
    );
    f.draw();
    expect(run.answer).toEqual({ text: "a", thinking: "", refusal: "", toolCalls: [] });
  });

  it("keeps the request, the response head and a body as they come", () => {
    const run = new PlaygroundRun(manualFrames().frame);
    run.take({ type: "request", request: REQUEST });
    run.take({ type: "response", response: { status: 200, headers: [["content-type", "application/json"]], atMs: 45 } });
    run.take({ type: "body", text: '{"ok":true}' });
    expect(run.request).toEqual(REQUEST);
    expect(run.response?.status).toBe(200);
    expect(run.body).toBe('{"ok":true}');
  });
});

describe("PlaygroundRun: once per frame", () => {
  it("changes the reactive state only when the frame is drawn, with one frame per burst", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([text("one")], [wire(0)]));
    run.take(chunk([text(" two")], [wire(1)]));
    run.take(chunk([call(0, "{}", "c", "n")], [wire(2)]));
    expect(f.pending).toBe(1);
    expect(run.answer.text).toBe("");
    expect(run.answer.toolCalls).toEqual([]);
    expect(run.events).toEqual([]);

    f.draw();
    expect(run.answer.text).toBe("one two");
    expect(run.answer.toolCalls).toHaveLength(1);
    expect(run.events.map((e) => e.seq)).toEqual([0, 1, 2]);

    // The next chunk asks for a new frame, and waits for it.
    run.take(chunk([text("!")], [wire(3)]));
    expect(f.pending).toBe(1);
    expect(run.answer.text).toBe("one two");
    f.draw();
    expect(run.answer.text).toBe("one two!");
  });

  it("hands the inspector a new array per frame, never the one it already has", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([], [wire(0)]));
    f.draw();
    const first = run.events;
    run.take(chunk([], [wire(1)]));
    f.draw();
    expect(run.events).not.toBe(first);
    expect(first).toHaveLength(1);
    expect(run.events).toHaveLength(2);
  });

  it("falls back to a timer when there is no requestAnimationFrame", async () => {
    const raf = globalThis.requestAnimationFrame;
    // @ts-expect-error: removed to exercise the fallback
    delete globalThis.requestAnimationFrame;
    try {
      const run = new PlaygroundRun();
      run.take(chunk([text("later")]));
      expect(run.answer.text).toBe("");
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(run.answer.text).toBe("later");
    } finally {
      globalThis.requestAnimationFrame = raf;
    }
  });
});

describe("PlaygroundRun: done", () => {
  it("replaces the live answer with the summary's transcript at once", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([text("Hel"), call(0, '{"ci')], [wire(0)]));
    const final = transcript({ text: "Hello", thinking: "t", toolCalls: [{ index: 0, id: "toolu_1", name: "get_weather", arguments: '{"city":"Oslo"}' }] });
    run.take({ type: "done", summary: summary(final) });
    expect(run.summary?.status).toBe("complete");
    expect(run.answer).toEqual({ text: "Hello", thinking: "t", refusal: "", toolCalls: final.toolCalls });
    // What arrived before the end is in the timeline without waiting for a frame.
    expect(run.events.map((e) => e.seq)).toEqual([0]);
  });

  it("is not overwritten by a frame that was still pending when it came", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take(chunk([text("partial buffer")]));
    run.take({ type: "done", summary: summary(transcript({ text: "the backend's whole answer" })) });
    f.draw();
    expect(run.answer.text).toBe("the backend's whole answer");
  });

  it("takes the answer of a JSON reply, which has no chunks, from the summary", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    run.take({ type: "body", text: '{"content":[{"type":"text","text":"Hi"}]}' });
    run.take({ type: "done", summary: summary(transcript({ text: "Hi" })) });
    expect(f.pending).toBe(0);
    expect(run.answer.text).toBe("Hi");
  });
});

describe("PlaygroundRun: long streams", () => {
  it("keeps 10,000 wire events, in order", () => {
    const f = manualFrames();
    const run = new PlaygroundRun(f.frame);
    const N = 10_000;
    for (let seq = 0; seq < N; seq += 4) {
      run.take(chunk([text("x")], [wire(seq), wire(seq + 1), wire(seq + 2), wire(seq + 3)]));
      // A frame every 100 chunks, as a fast stream outruns the screen.
      if (seq % 400 === 0) f.draw();
    }
    f.draw();
    expect(run.events).toHaveLength(N);
    expect(run.events.every((e, i) => e.seq === i)).toBe(true);
    expect(run.answer.text).toHaveLength(N / 4);
  });
});
