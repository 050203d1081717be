import { fireEvent, render } from "@testing-library/svelte";
import { flushSync } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { WireEvent, WireRequest, WireResponse } from "./types";
import { fakeLayout, settle } from "../../../components/VirtualList.testing";
import WireInspector from "./WireInspector.svelte";
import { RunningBytes, decode, formatBytes, isTerminator, preview, prettyJson } from "./wire";

const VIEWPORT = 448;
const ROW = 30;

beforeEach(() => fakeLayout({ viewport: VIEWPORT, row: ROW, tall: 200 }));

const request: WireRequest = {
  method: "POST",
  url: "https://sandbox.local/v1/chat/completions",
  headers: [
    ["content-type", "application/json"],
    ["authorization", "Bearer sk-…demo"],
  ],
  body: '{"model":"gpt-demo","stream":true,"messages":[{"role":"user","content":"hi"}]}',
};
const response: WireResponse = { status: 200, headers: [["content-type", "text/event-stream"]], atMs: 120 };

function stream(n: number, done = true): WireEvent[] {
  const events = Array.from({ length: n }, (_, i): WireEvent => {
    const data = JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: `tok${i}` } }] });
    return { seq: i, event: "", data, bytes: data.length + 8, atMs: 120 + i * 5, sincePrevMs: 5 };
  });
  if (done) events.push({ seq: n, event: "", data: "[DONE]", bytes: 14, atMs: 120 + n * 5, sincePrevMs: 3 });
  return events;
}

async function draw(props: Partial<{ events: WireEvent[]; terminatorSeen: boolean; rawBody: string | null; streaming: boolean; response: WireResponse | null }> = {}) {
  // Wrapped in `props`: `events` is also the name of a Svelte mount option.
  const result = render(WireInspector, {
    props: { request, response, events: [], terminator: "[DONE]", terminatorSeen: true, rawBody: null, ...props },
  });
  await settle();
  return result;
}

describe("WireInspector", () => {
  it("shows the request: method, URL, masked headers and the pretty-printed body", async () => {
    await draw();
    expect(document.querySelector(".request-line")?.textContent?.replace(/\s+/g, " ").trim()).toBe("POST https://sandbox.local/v1/chat/completions");
    const headers = [...document.querySelectorAll("#wire-request-headers tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(headers).toEqual([
      ["content-type", "application/json"],
      ["authorization", "Bearer sk-…demo"],
    ]);
    expect(document.querySelector("#wire-request-body")?.textContent).toBe(JSON.stringify(JSON.parse(request.body), null, 2));
    expect(document.querySelector('button[aria-label="Copy request body"]')).not.toBeNull();
  });

  it("copies the body exactly as sent", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await draw();
    await fireEvent.click(document.querySelector('button[aria-label="Copy request body"]')!);
    expect(writeText).toHaveBeenCalledWith(request.body);
  });

  it("shows the response status as a chip with its text, and its headers", async () => {
    await draw();
    const chip = document.querySelector("#wire-status")!;
    expect(chip.textContent).toBe("200 OK");
    expect(chip.classList.contains("chip-ok")).toBe(true);
    expect(document.querySelector("#wire-response-headers tbody")?.textContent).toContain("text/event-stream");
  });

  it("shows an error body pretty-printed with a bad-status chip", async () => {
    await draw({ response: { status: 429, headers: [], atMs: 40 }, rawBody: '{"error":{"message":"slow down"}}', events: [], terminatorSeen: false });
    expect(document.querySelector("#wire-status")?.textContent).toBe("429 Too Many Requests");
    expect(document.querySelector("#wire-response-body")?.textContent).toBe('{\n  "error": {\n    "message": "slow down"\n  }\n}');
    expect(document.querySelector("#wire-timeline-empty")?.textContent).toBe("Not a stream: the whole body is under Response.");
  });

  it("draws 10,000 events with few DOM rows and totals them", async () => {
    const events = stream(10_000);
    await draw({ events });
    const rows = document.querySelectorAll("#wire-timeline .vlist-row");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(50);
    const totalBytes = events.reduce((a, e) => a + e.bytes, 0);
    expect(document.querySelector("#wire-totals")?.textContent).toBe(`10,001 events · ${formatBytes(totalBytes)} · last at 50.1 s`);
    // A live timeline follows the stream, so it opens at its end.
    const last = [...rows].at(-1)!;
    expect(last.querySelector(".ev-seq")?.textContent).toBe("#10000");
    expect(last.querySelector(".ev-data")?.textContent).toBe("[DONE]");
    const before = [...rows].at(-2)!;
    expect(before.querySelector(".ev-seq")?.textContent).toBe("#9999");
    expect(before.querySelector(".ev-name")?.textContent).toBe("message");
    expect(before.querySelector(".ev-bytes")?.textContent).toBe(`${events[9999]!.bytes} B`);
    expect(before.querySelector(".ev-gap")?.textContent).toBe("+5 ms");
    expect(before.querySelector(".ev-data")?.textContent).toBe(events[9999]!.data);
  });

  it("unfolds one event, decoding only that one", async () => {
    const parse = vi.spyOn(JSON, "parse");
    const events = stream(10_000);
    await draw({ events });
    // Drawing 10,000 events parses nothing but the request body.
    const before = parse.mock.calls.length;
    const timeline = document.querySelector<HTMLElement>("#wire-timeline")!;
    timeline.focus();
    await fireEvent.focus(timeline);
    await fireEvent.keyDown(timeline, { key: "Home" });
    await fireEvent.keyDown(timeline, { key: "ArrowDown" });
    await settle();
    await fireEvent.keyDown(timeline, { key: "Enter" });
    flushSync();
    const row = timeline.querySelector('.vlist-row[data-index="1"]')!;
    expect(row.getAttribute("aria-expanded")).toBe("true");
    expect(row.querySelector("pre")?.textContent).toBe(JSON.stringify(JSON.parse(events[1]!.data), null, 2));
    expect(row.querySelector(".ev-kind")?.textContent?.trim()).toMatch(/^Decoded JSON/);
    expect(parse.mock.calls.length - before).toBe(2); // the row's decode, and the line above
    // Enter again folds it.
    await fireEvent.keyDown(timeline, { key: "Enter" });
    flushSync();
    expect(row.getAttribute("aria-expanded")).toBe("false");
    expect(row.querySelector("pre")).toBeNull();
  });

  it("shows [DONE] as the end marker, not as broken JSON", async () => {
    await draw({ events: stream(3) });
    const timeline = document.querySelector<HTMLElement>("#wire-timeline")!;
    const done = timeline.querySelector('.vlist-row[data-index="3"]')!;
    expect(done.querySelector(".ev-data")?.textContent).toBe("[DONE]");
    expect(done.querySelector(".ev-end")?.textContent).toBe("end of stream");
    await fireEvent.click(done.querySelector(".ev-preview")!);
    flushSync();
    expect(done.querySelector(".ev-kind")?.textContent?.trim()).toBe("[DONE]: the end-of-stream marker (not JSON)");
    expect(done.querySelector("pre")?.textContent).toBe("[DONE]");
  });

  it("says whether the terminator arrived, in words", async () => {
    const { rerender } = await draw({ events: stream(3), terminatorSeen: true });
    const terminator = () => document.querySelector("#wire-terminator")?.textContent?.replace(/\s+/g, " ").trim();
    expect(terminator()).toBe("terminator: [DONE] ✓ arrived");
    await rerender({ events: stream(3, false), terminatorSeen: false, streaming: false });
    expect(terminator()).toBe("terminator: [DONE] ✗ never arrived");
    expect(document.querySelector("#wire-terminator [aria-hidden=true]")?.textContent).toBe("✗");
    await rerender({ streaming: true });
    expect(terminator()).toBe("terminator: [DONE] … not yet");
  });

  it("keeps up with a live stream appending to 10,000 events", async () => {
    let events = stream(10_000, false);
    const { rerender } = await draw({ events, streaming: true, terminatorSeen: false });
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const seq = events.length;
      events = [...events, { seq, event: "", data: `{"n":${seq}}`, bytes: 20, atMs: 50_120 + i, sincePrevMs: 1 }];
      const started = performance.now();
      await rerender({ events });
      flushSync();
      times.push(performance.now() - started);
    }
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    console.info(`wire inspector: append to 10,000 events, avg ${avg.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms per event (happy-dom)`);
    expect(document.querySelector("#wire-totals")?.textContent).toMatch(/^10,050 events/);
    expect(document.querySelectorAll("#wire-timeline .vlist-row").length).toBeLessThan(50);
  });
});

describe("wire helpers", () => {
  it("pretty-prints JSON and leaves anything else alone", () => {
    expect(prettyJson('{"a":[1]}').text).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson("not json")).toEqual({ text: "not json", json: false });
    expect(prettyJson("{broken")).toEqual({ text: "{broken", json: false });
  });

  it("previews one line, cut short", () => {
    expect(preview('{\n  "a": 1\n}')).toBe('{ "a": 1 }');
    expect(preview("x".repeat(1000))).toBe(`${"x".repeat(160)}…`);
  });

  it("decodes [DONE], JSON and text", () => {
    expect(decode("[DONE]").kind).toBe("done");
    expect(decode('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', kind: "json" });
    expect(decode("ping").kind).toBe("text");
  });

  it("knows each family's terminator", () => {
    const e = (event: string, data: string): WireEvent => ({ seq: 0, event, data, bytes: 0, atMs: 0, sincePrevMs: 0 });
    expect(isTerminator(e("", "[DONE]"), "[DONE]")).toBe(true);
    expect(isTerminator(e("", '{"choices":[]}'), "[DONE]")).toBe(false);
    expect(isTerminator(e("message_stop", '{"type":"message_stop"}'), "message_stop")).toBe(true);
    expect(isTerminator(e("response.completed", "{}"), "response.completed")).toBe(true);
    expect(isTerminator(e("", '{"candidates":[{"finishReason": "STOP"}]}'), "finishReason")).toBe(true);
    expect(isTerminator(e("", '{"candidates":[{"content":{}}]}'), "finishReason")).toBe(false);
  });

  it("adds only the appended events to the byte total", () => {
    const total = new RunningBytes();
    const events = stream(3, false);
    expect(total.total(events)).toBe(events.reduce((a, e) => a + e.bytes, 0));
    const spy = vi.fn(() => 7);
    const extra = { seq: 3, event: "", data: "", atMs: 0, sincePrevMs: 0 } as WireEvent;
    Object.defineProperty(extra, "bytes", { get: spy });
    events.push(extra);
    const grown = total.total(events);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(grown).toBe(events.slice(0, 3).reduce((a, e) => a + e.bytes, 0) + 7);
    // A new stream starts again.
    expect(total.total(stream(1, false))).toBe(stream(1, false)[0]!.bytes);
  });
});
