// @vitest-environment jsdom
// The work per frame while one long block streams: it must not grow with the block. Counted in
// characters parsed and DOM nodes created (view.stats), never in time.
import { describe, expect, it } from "vitest";
import { MarkdownView } from "./view";

const WORDS = "the gateway routes each request to a model and streams tokens back as they arrive so clients can rehearse every failure".split(" ");

/** Deterministic prose: words, some punctuation and inline markup, no blank line. */
function prose(length: number, markup: boolean): string {
  let out = "";
  let i = 0;
  while (out.length < length) {
    const w = WORDS[(i * 7 + (i >> 3)) % WORDS.length] ?? "x";
    if (markup && i % 97 === 13) out += `**${w} ${w}** `;
    else if (markup && i % 89 === 5) out += `\`${w}_id\` `;
    else if (markup && i % 113 === 7) out += `[${w}](https://example.com/${w}) `;
    else out += `${w}${i % 17 === 16 ? ". " : " "}`;
    i += 1;
  }
  return out.slice(0, length);
}

/**
 * Stream `doc`: up to `fast` in steps of 3,000 characters (jsdom is slow, and these frames must
 * stay bounded too), then ~30 characters a frame (a fast model at 60 fps) to the end.
 */
function stream(doc: string, fast: number, view: MarkdownView, root: HTMLElement) {
  const frames: { parsed: number; nodes: number; chunks: number; step: number }[] = [];
  view.set(root, doc.slice(0, 2_000), true);
  let end = 2_000;
  while (end < doc.length) {
    const step = end < fast ? 3_000 : 30;
    end = Math.min(doc.length, end + step);
    view.set(root, doc.slice(0, end), true);
    view.flush();
    frames.push({ parsed: view.stats.parsed, nodes: view.stats.nodes, chunks: view.stats.chunks, step });
  }
  return frames;
}

describe("Markdown streaming, one long block", () => {
  const CHUNK = 2048;
  const SIZE = Number(process.env.MD_BOUND_SIZE ?? 300_000);
  // A frame parses at most the live tail (< 2 chunks plus the step) and, when a chunk is frozen,
  // that chunk once more: far below the block's length.
  const MAX_PARSED = 6 * CHUNK;
  // Highlighted code has a node per token, prose one per inline element: ~2 chunks of either.
  const MAX_NODES = 600;
  /** The largest per-frame figures, for frames of the given step. */
  const max = (frames: ReturnType<typeof stream>, step: number, key: "parsed" | "nodes") => Math.max(...frames.filter((f) => f.step === step).map((f) => f[key]));

  it("keeps the work per frame bounded for a 300 KB paragraph without blank lines", () => {
    const doc = `# Story\n\n${prose(SIZE, true)}`;
    const root = document.createElement("div");
    const view = new MarkdownView({ chunk: CHUNK });
    const frames = stream(doc, SIZE - 10_000, view, root);
    expect(frames.filter((f) => f.step === 30).length).toBeGreaterThan(300);
    expect(max(frames, 30, "parsed")).toBeLessThanOrEqual(MAX_PARSED);
    expect(max(frames, 30, "nodes")).toBeLessThanOrEqual(MAX_NODES);
    expect(max(frames, 3_000, "parsed")).toBeLessThanOrEqual(MAX_PARSED + 2 * 3_000);
    // One <p>, made of ~100 frozen chunks and the live tail.
    expect(root.querySelectorAll("p")).toHaveLength(1);
    expect(frames.at(-1)?.chunks).toBeGreaterThan(SIZE / (4 * CHUNK));
    expect(root.querySelector("p")?.textContent?.length).toBeGreaterThan(SIZE - 5_000);
    // When the stream ends: one exact render, the same as a one-shot render.
    view.set(root, doc, false);
    view.flush();
    const once = document.createElement("div");
    new MarkdownView().set(once, doc);
    expect(root.innerHTML).toBe(once.innerHTML);
  }, 120_000);

  it("keeps the work per frame bounded for a long open code fence", () => {
    let code = "";
    for (let i = 0; code.length < 150_000; i++) code += `def f${i}(x):\n    return [y * ${i} for y in range(x) if y % 3]  # "${i}"\n`;
    const doc = `Here:\n\n\`\`\`python\n${code}`;
    const root = document.createElement("div");
    const view = new MarkdownView({ chunk: CHUNK });
    const frames = stream(doc, 140_000, view, root);
    expect(max(frames, 30, "parsed")).toBeLessThanOrEqual(MAX_PARSED);
    expect(max(frames, 30, "nodes")).toBeLessThanOrEqual(5 * MAX_NODES);
    expect(max(frames, 3_000, "parsed")).toBeLessThanOrEqual(MAX_PARSED + 2 * 3_000);
    expect(root.querySelectorAll("pre > code")).toHaveLength(1);
    expect(frames.at(-1)?.chunks).toBeGreaterThan(code.length / (8 * CHUNK));
    expect(root.querySelector("pre > code")?.textContent).toBe(code.slice(0, -1));
    // The fence closes while streaming: the normal path takes over, exactly.
    const closed = `${doc}\`\`\`\n\nAfter.`;
    view.set(root, closed, true);
    view.flush();
    view.set(root, closed, false);
    view.flush();
    const once = document.createElement("div");
    new MarkdownView().set(once, closed);
    expect(root.innerHTML).toBe(once.innerHTML);
  }, 120_000);
});
