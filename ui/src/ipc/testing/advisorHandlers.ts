// The fake's model advisor (issue 11): each candidate runs every case of the eval set, the
// checks are applied, the evidence and the advice are built and saved newest first in
// `fake.advisor.past`. Follows core/src/advisor where a test can see it: the workload must
// exist, its family is the advice's, the workload is never changed; the pick is the cheapest
// model that meets the bar (priced before unpriced, then the faster p95). Differences: answers
// are `answers[model][case]` or a sentence naming the model; each model's timings are fixed
// (200 ms + 100 ms per candidate position); a JSON schema check only asks for valid JSON;
// evalset_parse reads JSON only, with serde_json's "at line L column C" in its errors.
import type { Advice, AdviseEvent, CaseResult, Check, EvalSet, Evidence } from "../index";
import { ErrorCodes } from "../index";
import { costOf, StoppableRuns } from "./compareHandlers";
import { channelTo } from "./playgroundHandlers";
import { fail, NOW } from "./records";
import type { AdvisorCommand, FakeBackend, Handlers } from "./types";

export interface AdvisorFake {
  /** Newest first, as advice_list answers. */
  past: Advice[];
  /** What a model answers to each case (by index); others answer `This is <model>.`. */
  answers: Record<string, string[]>;
  /** While set, the run pauses after each model's first case until it resolves or is stopped. */
  gate: Promise<void> | null;
}

export function advisorFake(): AdvisorFake {
  return { past: [], answers: {}, gate: null };
}

function passes(check: Check, answer: string): boolean {
  switch (check.kind) {
    case "contains":
      return answer.includes(check.value);
    case "exact":
      return answer.trim() === check.value.trim();
    case "regex":
      return new RegExp(check.pattern).test(answer);
    case "jsonSchema":
      try {
        JSON.parse(answer);
        return true;
      } catch {
        return false;
      }
  }
}

/** Nearest-rank percentile, as core's stats use. */
function pct(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Where JSON.parse stopped: its message gives a position, or (Node 20) the token in context. */
function errorOffset(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  const token = /Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(message);
  if (token) {
    const context = text.indexOf(token[2]!);
    if (context >= 0) return context + token[2]!.indexOf(token[1]!);
  }
  return text.length;
}

function parseJson(text: string): EvalSet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = String((e as Error).message);
    const pos = errorOffset(text, message);
    const before = text.slice(0, pos).split("\n");
    fail(ErrorCodes.InvalidInput, `not a valid eval set: ${message.replace(/ in JSON.*$/, "")} at line ${before.length} column ${before[before.length - 1]!.length + 1}`);
  }
  const set = value as Partial<EvalSet> | null;
  if (!set || typeof set.name !== "string" || !Array.isArray(set.cases)) fail(ErrorCodes.InvalidInput, "not a valid eval set: it needs `name` and `cases`");
  if (set.cases.length === 0) fail(ErrorCodes.InvalidInput, "the eval set has no cases");
  return {
    name: set.name,
    cases: set.cases.map((c, i) => {
      if (typeof c?.prompt !== "string" || !c.prompt.trim()) fail(ErrorCodes.InvalidInput, `case ${i + 1} has no prompt`);
      return { id: c.id ?? null, prompt: c.prompt, system: c.system ?? null, check: c.check ?? null };
    }),
  };
}

export function advisorHandlers(fake: FakeBackend): Pick<Handlers, AdvisorCommand> {
  const state = fake.advisor;
  const running = new StoppableRuns();
  let runs = 0;

  return {
    advise_run: async ({ request, onEvent }) => {
      const channel = channelTo<AdviseEvent>(onEvent, "advise_run");
      const workload = fake.modelChoice.workloads.find((w) => w.name === request.workload) ?? fail(ErrorCodes.NotFound, `no workload \`${request.workload}\``);
      if (request.models.length < 1 || request.models.length > 8) fail(ErrorCodes.InvalidInput, "the advisor takes 1 to 8 models");
      const run = running.start(request.adviseId);
      try {
        const evidence: Evidence[] = [];
        for (const [m, model] of request.models.entries()) {
          const cases: CaseResult[] = [];
          outer: for (let r = 0; r < request.repeats; r++) {
            for (const [i, c] of request.evalset.cases.entries()) {
              if (run.stopped()) break outer;
              const answer = state.answers[model]?.[i] ?? `This is ${model}.`;
              const passed = c.check ? passes(c.check, answer) : null;
              const totalMs = 200 + m * 100;
              cases.push({ caseIndex: i, passed, detail: passed === false ? `the answer fails the ${c.check!.kind} check` : null, answer, ttftMs: totalMs / 2, totalMs, httpStatus: 200, error: null });
              channel.send({ kind: "case", model, caseIndex: i, passed, totalMs });
              if (cases.length === 1 && state.gate) await Promise.race([state.gate, run.signal]);
            }
          }
          const checked = cases.filter((c) => c.passed !== null).length;
          const passed = cases.filter((c) => c.passed === true).length;
          const passRate = checked === 0 ? 1 : passed / checked;
          const totals = cases.map((c) => c.totalMs);
          const ttfts = cases.map((c) => c.ttftMs ?? 0);
          const tokens = cases.reduce((n, c) => n + c.answer.split(/\s+/).filter(Boolean).length, 0);
          const { cost, currency, noPrice } = costOf(fake.modelChoice.prices, model, { inputTokens: 10 * cases.length, outputTokens: tokens, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null });
          const p95Total = pct(totals, 95) ?? 0;
          const p95Ttft = pct(ttfts, 95);
          const why: string[] = [];
          if (passRate < request.bar.minPassRate) why.push(`passed ${passed} of ${checked}, below the bar`);
          if (request.bar.maxP95TotalMs !== null && p95Total > request.bar.maxP95TotalMs) why.push(`p95 total ${p95Total} ms is over ${request.bar.maxP95TotalMs} ms`);
          if (request.bar.maxP95TtftMs !== null && (p95Ttft ?? 0) > request.bar.maxP95TtftMs) why.push(`p95 TTFT ${p95Ttft} ms is over ${request.bar.maxP95TtftMs} ms`);
          if (run.stopped() && cases.length < request.evalset.cases.length * request.repeats) why.push("stopped before every case ran");
          const e: Evidence = {
            model,
            passed,
            checked,
            passRate,
            ttftP50Ms: pct(ttfts, 50),
            ttftP95Ms: p95Ttft,
            totalP50Ms: pct(totals, 50) ?? 0,
            totalP95Ms: p95Total,
            cost,
            costPerCase: cost === null || cases.length === 0 ? null : cost / cases.length,
            currency,
            noPrice,
            meetsBar: why.length === 0,
            whyNot: why.length ? why.join("; ") : null,
            cases,
          };
          evidence.push(e);
          channel.send({ kind: "modelDone", evidence: e });
        }
        const meeting = evidence
          .filter((e) => e.meetsBar)
          .sort((a, b) => Number(a.noPrice) - Number(b.noPrice) || (a.cost ?? 0) - (b.cost ?? 0) || a.totalP95Ms - b.totalP95Ms);
        const best = meeting[0] ?? null;
        const advice: Advice = {
          id: `adv-${++runs}`,
          workload: workload.name,
          goal: workload.goal,
          family: workload.family,
          evidence,
          recommended: best?.model ?? null,
          reason: best
            ? `${best.model} is the cheapest of the ${meeting.length} model${meeting.length === 1 ? "" : "s"} that meet the bar`
            : "no model meets the bar",
          at: NOW,
          bar: request.bar,
        };
        state.past = [advice, ...state.past];
        return advice;
      } finally {
        run.end();
        channel.end();
      }
    },
    advise_stop: ({ adviseId }) => running.stop(adviseId),
    evalset_parse: ({ text, format }) => {
      if (format !== "json") fail(ErrorCodes.Unsupported, "the fake reads JSON eval sets only");
      return parseJson(text);
    },
    advice_list: () => [...state.past],
  };
}
