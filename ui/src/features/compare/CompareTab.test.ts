// @vitest-environment jsdom
// The Compare tab as a user drives it, with the typed fake: columns stream side by side, Stop
// keeps each column's text so far, keep is saved, the diff marks words in text (not colour
// alone), a saved comparison runs again as a new one, and failures stay in their column.
// jsdom: the answers are Markdown, and DOMPurify needs jsdom.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { defaultAnswer, installFakeBackend, model, type FakeBackend } from "../../ipc/testing/fakeBackend";
import CompareTab from "./CompareTab.svelte";

const $ = (css: string) => document.querySelector(css);
const $$ = (css: string) => [...document.querySelectorAll(css)];
const text = (css: string) => $(css)?.textContent?.trim() ?? "";
const MODELS = [model("gpt-5"), model("claude-sonnet-4-6"), model("gemini-2.5-pro")];

async function open(fake: FakeBackend = installFakeBackend(), sandbox = false) {
  render(CompareTab, { props: { models: MODELS, sandbox } });
  await waitFor(() => expect(fake.callsTo("comparisons_list")).toHaveLength(1));
  return fake;
}

async function type(css: string, value: string) {
  const el = $(css) as HTMLInputElement | HTMLTextAreaElement | null;
  if (!el) throw new Error(`no ${css}`);
  await fireEvent.input(el, { target: { value } });
}

async function fill(prompt: string, targets: [string, string][]) {
  await type("#cmp-prompt", prompt);
  while ($$("#cmp-targets .row").length < targets.length) await fireEvent.click($("#cmp-target-add")!);
  while ($$("#cmp-targets .row").length > targets.length) await fireEvent.click($(`#cmp-target-${targets.length}-remove`)!);
  for (const [i, [family, m]] of targets.entries()) {
    await fireEvent.change($(`#cmp-target-${i}-family`)!, { target: { value: family } });
    await type(`#cmp-target-${i}-model`, m);
  }
}

const FOUR: [string, string][] = [
  ["openai_chat", "gpt-5"],
  ["anthropic", "claude-sonnet-4-6"],
  ["gemini", "gemini-2.5-pro"],
  ["openai_responses", "gpt-5"],
];

const status = (i: number) => $(`#cmp-col-${i}`)?.getAttribute("data-status");

describe("Compare tab", () => {
  it("streams every column side by side, then shows each one's figures, cost or 'no price'", async () => {
    const fake = installFakeBackend();
    fake.modelChoice.prices = [{ model: "gpt-5", inputPerMtok: 1, outputPerMtok: 10, cachedInputPerMtok: null, perImage: null, perVideoSecond: null, perSong: null, currency: "USD" }];
    let open_ = () => {};
    fake.compare.gate = new Promise<void>((r) => (open_ = r));
    await open(fake);
    await fill("Say hello", FOUR);
    await fireEvent.click($("#cmp-run")!);
    // All four columns show their first words while none has finished.
    await waitFor(() => expect([0, 1, 2, 3].map((i) => text(`#cmp-col-${i}-text`) !== "")).toEqual([true, true, true, true]));
    expect([0, 1, 2, 3].map(status)).toEqual(["running", "running", "running", "running"]);
    expect($("#cmp-stop")).not.toBeNull();
    open_();
    await waitFor(() => expect([0, 1, 2, 3].map(status)).toEqual(["complete", "complete", "complete", "complete"]));
    await waitFor(() => expect(text("#cmp-col-2-text")).toBe(defaultAnswer("gemini-2.5-pro")));
    expect(text("#cmp-col-1-ttft")).toBe("110 ms");
    expect(text("#cmp-col-0-cost")).toMatch(/USD$/);
    expect(text("#cmp-col-1-cost")).toBe("no price");
    const sent = fake.callsTo("compare_run")[0]!.args.request;
    expect(sent.targets).toEqual(FOUR.map(([family, m]) => ({ family, model: m })));
    expect(sent.prompt).toBe("Say hello");
    expect(sent.maxTokens).toBeNull();
    await waitFor(() => expect($$("#cmp-history li")).toHaveLength(1));
  });

  it("Stop keeps each column's text so far and marks it partial", async () => {
    const fake = installFakeBackend();
    fake.compare.gate = new Promise<void>(() => {});
    await open(fake);
    await fill("Say hello", FOUR.slice(0, 2));
    await fireEvent.keyDown($("#cmp-prompt")!, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(text("#cmp-col-1-text")).not.toBe(""));
    const partial = text("#cmp-col-1-text");
    // The prompt is disabled while the run goes, so the focus is on <body>: Escape still stops.
    await fireEvent.keyDown(document.body, { key: "Escape" });
    await waitFor(() => expect([status(0), status(1)]).toEqual(["partial", "partial"]));
    expect(text("#cmp-col-1-text")).toBe(partial);
    expect(defaultAnswer("claude-sonnet-4-6").startsWith(partial) && partial.length < defaultAnswer("claude-sonnet-4-6").length).toBe(true);
    expect($("#cmp-col-1-error")?.textContent).toContain("The answer so far is kept");
    const id = fake.callsTo("compare_run")[0]!.args.request.compareId;
    expect(fake.callsTo("compare_stop").map((c) => c.args.compareId)).toEqual([id]);
  });

  it("keep marks a column acceptable in the saved comparison and in the history", async () => {
    const fake = await open();
    await fill("Say hello", FOUR.slice(0, 3));
    expect(($("#cmp-col-0-keep") as HTMLInputElement | null)).toBeNull();
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect(status(2)).toBe("complete"));
    const keep = $("#cmp-col-1-keep") as HTMLInputElement;
    await waitFor(() => expect(keep.disabled).toBe(false));
    await fireEvent.click(keep);
    await waitFor(() => expect(fake.callsTo("comparison_keep")).toHaveLength(1));
    expect(fake.callsTo("comparison_keep")[0]!.args).toEqual({ id: "cmp-1", column: 1, kept: true });
    expect(fake.compare.comparisons[0]!.columns.map((c) => c.kept)).toEqual([false, true, false]);
    await waitFor(() => expect(text("#cmp-history")).toContain("1 kept"));
    expect(keep.checked).toBe(true);
  });

  it("shows the word difference between two chosen answers, marked in words too", async () => {
    const fake = installFakeBackend();
    fake.compare.answers = { "gpt-5": "The sky is blue today.", "claude-sonnet-4-6": "The sky is grey today, sadly." };
    await open(fake);
    await fill("Sky?", FOUR.slice(0, 2));
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect(status(1)).toBe("complete"));
    await waitFor(() => expect($("#cmp-diff-open")).not.toBeNull());
    expect(($("#cmp-diff-open") as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click($("#cmp-diff-open")!);
    const ins = $$("#cmp-diff-text ins").map((e) => e.textContent);
    const del = $$("#cmp-diff-text del").map((e) => e.textContent);
    expect(del.join("|")).toMatch(/removed:\s*−blue/);
    expect(ins.join("|")).toMatch(/added:\s*\+grey/);
    expect(ins.join("|")).toContain("sadly");
    expect(text("#cmp-diff-summary")).toMatch(/^3 words only in 2\. claude-sonnet-4-6/);
    // The same column on both sides is not a difference.
    await fireEvent.change($("#cmp-diff-right")!, { target: { value: "0" } });
    expect(($("#cmp-diff-open") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click($("#cmp-diff-close")!);
    expect($("#cmp-diff")).toBeNull();
  });

  it("re-runs a saved comparison from the history as a new comparison with the same request", async () => {
    const fake = await open();
    await fill("Say hello", FOUR.slice(0, 2));
    await type("#cmp-max-tokens", "64");
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect($$("#cmp-history li")).toHaveLength(1));
    // The form is edited afterwards; the re-run still sends the saved request.
    await type("#cmp-prompt", "Something else");
    await fireEvent.click($("#cmp-history .cmp-rerun")!);
    await waitFor(() => expect($$("#cmp-history li")).toHaveLength(2));
    const [first, second] = fake.callsTo("compare_run").map((c) => c.args.request);
    expect(second!.compareId).not.toBe(first!.compareId);
    expect({ ...second, compareId: "" }).toEqual({ ...first, compareId: "" });
    expect(second!.maxTokens).toBe(64);
    expect(($("#cmp-prompt") as HTMLTextAreaElement).value).toBe("Say hello");
    expect(fake.compare.comparisons.map((c) => c.id)).toEqual(["cmp-2", "cmp-1"]);
  });

  it("opens and deletes a saved comparison", async () => {
    const fake = await open();
    await fill("First prompt", FOUR.slice(0, 1));
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect($$("#cmp-history li")).toHaveLength(1));
    await type("#cmp-prompt", "");
    await fireEvent.click($("#cmp-history .cmp-open")!);
    await waitFor(() => expect(($("#cmp-prompt") as HTMLTextAreaElement).value).toBe("First prompt"));
    await waitFor(() => expect(text("#cmp-col-0-text")).toBe(defaultAnswer("gpt-5")));
    await fireEvent.click($("#cmp-history .cmp-delete")!);
    await waitFor(() => expect($$("#cmp-history li")).toHaveLength(0));
    expect(fake.callsTo("comparison_delete")[0]!.args.id).toBe("cmp-1");
    expect($("#cmp-columns")).toBeNull();
  });

  it("keeps a failed column's error and a partial one's text, and shows who answered after a fallback", async () => {
    const fake = installFakeBackend();
    fake.compare.failures = {
      "gpt-5": { httpStatus: 401, error: "invalid key", partial: false },
      "claude-sonnet-4-6": { httpStatus: null, error: "the connection broke", partial: true },
    };
    fake.compare.fallbacks = { "gemini-2.5-pro": { answeredBy: "gemini-2.0-flash", note: "answered by gemini-2.0-flash after gemini-2.5-pro failed: 503" } };
    await open(fake);
    await fill("Hi", FOUR.slice(0, 3));
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect([0, 1, 2].map(status)).toEqual(["failed", "partial", "complete"]));
    expect(text("#cmp-col-0-error")).toContain("HTTP 401");
    expect(text("#cmp-col-0-error")).toContain("invalid key");
    expect(text("#cmp-col-1-text")).not.toBe("");
    expect(text("#cmp-col-1-error")).toContain("the connection broke");
    expect(text("#cmp-col-2-fallback")).toContain("after gemini-2.5-pro failed: 503");
    expect(text("#cmp-col-2")).toContain("answered by gemini-2.0-flash");
    expect($("#cmp-error")).toBeNull();
  });

  it("refuses to run without a prompt or with an unnamed target, and allows at most 8 targets", async () => {
    const fake = await open();
    expect(($("#cmp-run") as HTMLButtonElement).disabled).toBe(true);
    expect(text("#cmp-problem")).toBe("Write a prompt.");
    await type("#cmp-prompt", "Hi");
    expect(text("#cmp-problem")).toBe("Name at least one model.");
    await type("#cmp-target-0-model", "gpt-5");
    expect(text("#cmp-problem")).toBe("Every target needs a model (or remove the row).");
    for (let i = 0; i < 10; i++) await fireEvent.click($("#cmp-target-add")!);
    expect($$("#cmp-targets .row")).toHaveLength(8);
    expect(($("#cmp-target-add") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown($("#cmp-prompt")!, { key: "Enter", ctrlKey: true });
    expect(fake.callsTo("compare_run")).toHaveLength(0);
  });

  it("on the Sandbox, a target may rehearse a fault, sent with that target only", async () => {
    const fake = installFakeBackend();
    await open(fake, true);
    await fill("Hi", FOUR.slice(0, 2));
    await fireEvent.change($("#cmp-target-1-fault")!, { target: { value: "burst" } });
    await fireEvent.click($("#cmp-run")!);
    await waitFor(() => expect(fake.callsTo("compare_run")).toHaveLength(1));
    expect(fake.callsTo("compare_run")[0]!.args.request.targets).toEqual([
      { family: "openai_chat", model: "gpt-5" },
      { family: "anthropic", model: "claude-sonnet-4-6", rehearseFault: "burst" },
    ]);
  });

  it("offers no faults on a real gateway", async () => {
    await open();
    expect($("#cmp-target-0-fault")).toBeNull();
  });
});
