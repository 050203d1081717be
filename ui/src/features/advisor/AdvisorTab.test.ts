// @vitest-environment jsdom
// The Advisor tab with the typed fake: an eval set is checked (errors name their line), the
// run reports per-case progress, the evidence table shows every model's figures and why one
// misses the bar, the recommendation saves the workload only when the user presses its button.
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { installFakeBackend, model, workload, type FakeBackend } from "../../ipc/testing/fakeBackend";
import { formatOf, lineOf } from "./advisor.svelte";
import AdvisorTab from "./AdvisorTab.svelte";

const $ = (css: string) => document.querySelector(css);
const $$ = (css: string) => [...document.querySelectorAll(css)];
const text = (css: string) => $(css)?.textContent?.trim() ?? "";

const EXTRACT = workload("extract", { fallback: "gpt-5-mini" });

const EVALSET = JSON.stringify(
  {
    name: "capitals",
    cases: [
      { prompt: "Capital of France?", check: { kind: "contains", value: "Paris" } },
      { prompt: "Capital of Japan?", check: { kind: "contains", value: "Tokyo" } },
    ],
  },
  null,
  2,
);

const price = (m: string, output: number) => ({ model: m, inputPerMtok: 1, outputPerMtok: output, cachedInputPerMtok: null, perImage: null, perVideoSecond: null, perSong: null, currency: "USD" });

function seeded(): FakeBackend {
  const fake = installFakeBackend();
  fake.modelChoice.workloads = [EXTRACT];
  fake.modelChoice.prices = [price("gpt-5", 10), price("gpt-5-mini", 1)];
  return fake;
}

async function open(fake: FakeBackend) {
  render(AdvisorTab, { props: { models: [model("gpt-5"), model("gpt-5-mini")] } });
  await waitFor(() => expect(fake.callsTo("advice_list")).toHaveLength(1));
  await waitFor(() => expect(($("#adv-model-0") as HTMLInputElement).value).toBe("gpt-5"));
}

async function loadEval(value = EVALSET) {
  await fireEvent.input($("#adv-eval-text")!, { target: { value } });
  await fireEvent.click($("#adv-eval-check")!);
}

describe("Advisor tab", () => {
  it("starts from the workload's primary and fallback, and checks a pasted eval set", async () => {
    const fake = seeded();
    await open(fake);
    expect(($("#adv-model-1") as HTMLInputElement).value).toBe("gpt-5-mini");
    expect(text("#adv-problem")).toMatch(/^Load an eval set/);
    await loadEval();
    await waitFor(() => expect(text("#adv-eval-ok")).toBe("capitals: 2 cases, 2 with a check"));
    expect(fake.callsTo("evalset_parse")[0]!.args.format).toBe("json");
    expect($("#adv-problem")).toBeNull();
  });

  it("shows an eval set's error with its line", async () => {
    const fake = seeded();
    await open(fake);
    await loadEval('{\n  "name": "x",\n  "cases": [ oops ]\n}');
    await waitFor(() => expect($("#adv-eval-error")).not.toBeNull());
    expect(text("#adv-eval-error")).toContain("line 3");
    expect(text("#adv-eval-error")).toContain('Line 3:   "cases": [ oops ]');
    expect(($("#adv-run") as HTMLButtonElement).disabled).toBe(true);
  });

  it("runs, reports progress per case, and recommends the cheaper model when both pass", async () => {
    const fake = seeded();
    fake.advisor.answers = { "gpt-5": ["Paris.", "Tokyo."], "gpt-5-mini": ["Paris", "Tokyo"] };
    let go = () => {};
    fake.advisor.gate = new Promise<void>((r) => (go = r));
    await open(fake);
    await loadEval();
    await waitFor(() => expect($("#adv-eval-ok")).not.toBeNull());
    await fireEvent.click($("#adv-run")!);
    await waitFor(() => expect(text("#adv-progress li[data-model='gpt-5']")).toContain("1/2 cases, 1 passed, 0 failed"));
    expect($("#adv-stop")).not.toBeNull();
    go();
    await waitFor(() => expect(text("#adv-recommended")).toBe("gpt-5-mini"));
    expect(text("#adv-reason")).toContain("cheapest");
    const rows = $$("#adv-evidence tbody tr[data-model]");
    expect(rows.map((r) => r.getAttribute("data-model"))).toEqual(["gpt-5", "gpt-5-mini"]);
    expect(rows.map((r) => r.getAttribute("data-meets"))).toEqual(["true", "true"]);
    expect(text("#adv-row-0")).toContain("2/2 (100%)");
    expect(text("#adv-row-0")).toContain("USD");
    const sent = fake.callsTo("advise_run")[0]!.args.request;
    expect(sent).toMatchObject({ workload: "extract", models: ["gpt-5", "gpt-5-mini"], repeats: 1, bar: { minPassRate: 1, maxP95TotalMs: null, maxP95TtftMs: null } });
    // Nothing changed the workload by itself.
    expect(fake.callsTo("workload_save")).toHaveLength(0);
    expect(fake.modelChoice.workloads[0]!.primary).toBe("gpt-5");
  });

  it("picks the better model when only it passes, says why the other misses, and folds the cases open", async () => {
    const fake = seeded();
    fake.advisor.answers = { "gpt-5": ["Paris", "Tokyo"], "gpt-5-mini": ["Lyon", "Tokyo"] };
    await open(fake);
    await loadEval();
    await waitFor(() => expect($("#adv-eval-ok")).not.toBeNull());
    await fireEvent.click($("#adv-run")!);
    await waitFor(() => expect(text("#adv-recommended")).toBe("gpt-5"));
    expect($("#adv-row-1")?.getAttribute("data-meets")).toBe("false");
    expect(text("#adv-row-1")).toContain("1/2 (50%)");
    expect(text("#adv-row-1")).toContain("✗ no");
    expect(text("#adv-row-1")).toContain("below the bar");
    const toggle = $("#adv-cases-1") as HTMLButtonElement;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(text("#adv-cases-1-list")).toContain("Case 1: ✗ failed");
    expect(text("#adv-cases-1-list")).toContain("Lyon");
  });

  it("Make X the primary saves the workload with X, only when pressed, and past advice can be reopened", async () => {
    const fake = seeded();
    fake.advisor.answers = { "gpt-5": ["Paris", "Tokyo"], "gpt-5-mini": ["Paris", "Tokyo"] };
    await open(fake);
    await loadEval();
    await waitFor(() => expect($("#adv-eval-ok")).not.toBeNull());
    await fireEvent.click($("#adv-run")!);
    await waitFor(() => expect(text("#adv-adopt")).toBe("Make gpt-5-mini the primary of extract"));
    expect(fake.callsTo("workload_save")).toHaveLength(0);
    await fireEvent.click($("#adv-adopt")!);
    await waitFor(() => expect($("#adv-adopted")).not.toBeNull());
    const saved = fake.callsTo("workload_save")[0]!.args.workload;
    // The fallback was the new primary: a workload never falls back to itself.
    expect(saved).toEqual({ ...EXTRACT, primary: "gpt-5-mini", fallback: null });
    expect(fake.modelChoice.workloads[0]!.primary).toBe("gpt-5-mini");
    expect(text("#adv-adopted")).toContain("was gpt-5");
    await waitFor(() => expect($$("#adv-past li")).toHaveLength(1));
    expect(text("#adv-past")).toContain("recommended gpt-5-mini");
  });

  it("sends the bar as typed (percent to a rate, p95 limits in ms) and repeats", async () => {
    const fake = seeded();
    await open(fake);
    await loadEval();
    await waitFor(() => expect($("#adv-eval-ok")).not.toBeNull());
    await fireEvent.input($("#adv-min-pass")!, { target: { value: "50" } });
    await fireEvent.input($("#adv-p95-total")!, { target: { value: "250" } });
    await fireEvent.input($("#adv-repeats")!, { target: { value: "2" } });
    await fireEvent.click($("#adv-run")!);
    await waitFor(() => expect($("#adv-result")).not.toBeNull());
    const sent = fake.callsTo("advise_run")[0]!.args.request;
    expect(sent.bar).toEqual({ minPassRate: 0.5, maxP95TotalMs: 250, maxP95TtftMs: null });
    expect(sent.repeats).toBe(2);
    // The fake's second candidate takes 300 ms a case: over the p95 limit.
    expect(text("#adv-row-1")).toContain("p95 total 300 ms is over 250 ms");
    await fireEvent.input($("#adv-repeats")!, { target: { value: "0" } });
    expect(text("#adv-problem")).toBe("Repeats is a whole number of 1 or more.");
  });
});

describe("eval set helpers", () => {
  it("reads the line from serde's and TOML's messages, and the format from a file name", () => {
    expect(lineOf("expected `,` or `]` at line 3 column 13")).toBe(3);
    expect(lineOf("TOML parse error at line 12, column 1")).toBe(12);
    expect(lineOf("the eval set has no cases")).toBeNull();
    expect(formatOf("cases.TOML")).toBe("toml");
    expect(formatOf("cases.json")).toBe("json");
  });
});
