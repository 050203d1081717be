// LiveRun as pure logic: text events only fill buffers, and the columns' reactive text moves
// on drawn frames, a few columns a frame, however many events arrived.
import { describe, expect, it } from "vitest";
import { manualFrames } from "../../testing/frames";
import type { CompareColumn, CompareEvent, CompareTarget } from "../../ipc";
import { COLUMNS_PER_FRAME, LiveRun } from "./live.svelte";

const targets: CompareTarget[] = Array.from({ length: 8 }, (_, i) => ({ family: i % 2 ? "anthropic" : "gemini", model: `m${i}` }));

function result(i: number, text: string, status: CompareColumn["status"] = "complete"): CompareColumn {
  return {
    target: targets[i]!,
    answeredBy: targets[i]!.model,
    status,
    httpStatus: 200,
    text,
    error: null,
    stats: { ttftMs: 10, totalMs: 20, tokensPerS: 5, tokensEstimated: false, events: 1, bytes: 1 },
    usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null },
    cost: null,
    currency: null,
    noPrice: true,
    fallbackNote: null,
    kept: false,
    runId: `r${i}`,
  };
}

describe("LiveRun", () => {
  it("asks for one frame for any number of deltas across 8 columns, and shows them only when it is drawn", () => {
    const frames = manualFrames();
    const run = new LiveRun(targets, frames.frame);
    for (let round = 0; round < 50; round++) {
      for (let c = 0; c < 8; c++) run.take({ kind: "text", column: c, text: `${c}.${round} ` } satisfies CompareEvent);
    }
    expect(frames.pending).toBe(1);
    expect(run.columns.map((c) => c.text)).toEqual(Array(8).fill(""));
    expect(run.columns.every((c) => c.phase === "running")).toBe(true);
    // Every column's whole buffer, a few columns a frame, until all are shown.
    let draws = 0;
    while (frames.pending > 0) {
      frames.draw();
      draws++;
    }
    expect(draws).toBe(Math.ceil(8 / COLUMNS_PER_FRAME));
    expect(run.columns[3]!.text.startsWith("3.0 3.1 ")).toBe(true);
    expect(run.columns.every((c) => c.text.split(" ").filter(Boolean).length === 50)).toBe(true);
    // Only the column that moved asks for the next frame's work.
    run.take({ kind: "text", column: 5, text: "more" });
    expect(frames.pending).toBe(1);
    frames.draw();
    expect(run.columns[5]!.text.endsWith("5.49 more")).toBe(true);
    expect(frames.pending).toBe(0);
  });

  it("updates at most COLUMNS_PER_FRAME columns a frame, and the columns take turns", () => {
    const frames = manualFrames();
    const run = new LiveRun(targets, frames.frame);
    const shown = () => run.columns.map((c) => c.text);
    for (let c = 0; c < 8; c++) run.take({ kind: "text", column: c, text: "a" });
    frames.draw();
    expect(shown().filter((t) => t === "a")).toHaveLength(COLUMNS_PER_FRAME);
    // Columns 0-2 moved; they stream on, yet the ones still waiting go first.
    for (let c = 0; c < 3; c++) run.take({ kind: "text", column: c, text: "b" });
    frames.draw();
    expect(shown().slice(3, 6)).toEqual(["a", "a", "a"]);
    expect(shown().slice(0, 3)).toEqual(["a", "a", "a"]);
    frames.draw();
    expect(shown().slice(6)).toEqual(["a", "a"]);
    expect(shown()[0]).toBe("ab");
  });

  it("a finished column takes the backend's text, and a frame drawn later does not replace it", () => {
    const frames = manualFrames();
    const run = new LiveRun(targets.slice(0, 2), frames.frame);
    run.take({ kind: "text", column: 0, text: "partial" });
    run.take({ kind: "finished", column: 0, result: result(0, "the whole answer") });
    frames.draw();
    expect(run.columns[0]!.text).toBe("the whole answer");
    expect(run.columns[0]!.phase).toBe("complete");
    run.take({ kind: "text", column: 0, text: " late" });
    frames.draw();
    expect(run.columns[0]!.text).toBe("the whole answer");
  });

  it("records a fallback's note and the model that started, and ignores a column it does not have", () => {
    const run = new LiveRun(targets.slice(0, 1), manualFrames().frame);
    run.take({ kind: "started", column: 0, family: "anthropic", model: "m0" });
    run.take({ kind: "fallback", column: 0, note: "answered by b after a failed: 503" });
    run.take({ kind: "text", column: 7, text: "nobody" });
    expect(run.columns[0]!.phase).toBe("running");
    expect(run.columns[0]!.fallbackNote).toBe("answered by b after a failed: 503");
  });
});
