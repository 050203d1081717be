// The fake's compare commands (issue 11): a comparison streams every column over the window's
// channel at once, is stoppable by its compareId, and is saved newest first in
// `fake.compare.comparisons`. Follows core/src/compare and desk/compare.rs where a test can see
// it: a failed column does not fail the run, Stop keeps each column's text so far (`partial`),
// cost comes from the price table (`noPrice` when the model has none). Differences: answers are
// `answers[model]` (or a made-up sentence naming the model) sent two words per event; timings
// are fixed per column; the workload's policy is not applied (seed `fallbacks` to show one).
import type { Comparison, CompareColumn, CompareEvent, CompareRequest, ComparisonSummary, Price, Usage } from "../index";
import { ErrorCodes } from "../index";
import { channelTo } from "./playgroundHandlers";
import { fail, NOW } from "./records";
import type { CompareCommand, FakeBackend, Handlers } from "./types";

export interface CompareFake {
  /** Newest first, as comparisons_list answers. */
  comparisons: Comparison[];
  /** What a model answers; others answer `defaultAnswer(model)`. */
  answers: Record<string, string>;
  /** While set, every column pauses after its first text event until it resolves or is stopped. */
  gate: Promise<void> | null;
  /** A model that fails: after its first text event when `partial`, before any otherwise. */
  failures: Record<string, { httpStatus: number | null; error: string; partial: boolean }>;
  /** A model whose column a fallback answers: who answered, and the note the backend sends. */
  fallbacks: Record<string, { answeredBy: string; note: string }>;
}

export function compareFake(): CompareFake {
  return { comparisons: [], answers: {}, gate: null, failures: {}, fallbacks: {} };
}

export function defaultAnswer(model: string): string {
  return `This is ${model} answering the prompt in a few plain words.`;
}

/** The cost of one column from the price table, as the ledger computes it. */
export function costOf(prices: Price[], model: string, usage: Usage): { cost: number | null; currency: string | null; noPrice: boolean } {
  const price = prices.find((p) => p.model === model);
  if (!price || (price.inputPerMtok === null && price.outputPerMtok === null)) return { cost: null, currency: null, noPrice: true };
  const cost = ((usage.inputTokens ?? 0) * (price.inputPerMtok ?? 0) + (usage.outputTokens ?? 0) * (price.outputPerMtok ?? 0)) / 1e6;
  return { cost, currency: price.currency, noPrice: false };
}

/** Runs in flight by id (compareId, adviseId): stopping one wakes whatever it waits on. */
export class StoppableRuns {
  private running = new Map<string, () => void>();

  start(id: string): { stopped: () => boolean; signal: Promise<void>; end: () => void } {
    let stopped = false;
    let wake = () => {};
    const signal = new Promise<void>((resolve) => (wake = resolve));
    this.running.set(id, () => {
      stopped = true;
      wake();
    });
    return { stopped: () => stopped, signal, end: () => this.running.delete(id) };
  }

  /** False when no run has that id (it ended, or never started). */
  stop(id: string): boolean {
    const stop = this.running.get(id);
    stop?.();
    return stop !== undefined;
  }
}

const summaryOf = (c: Comparison): ComparisonSummary => ({
  id: c.id,
  title: c.title,
  createdAt: c.createdAt,
  promptPreview: c.request.prompt.slice(0, 80),
  columns: c.columns.length,
  kept: c.columns.filter((col) => col.kept).length,
});

export function compareHandlers(fake: FakeBackend): Pick<Handlers, CompareCommand> {
  const state = fake.compare;
  const running = new StoppableRuns();
  let runs = 0;
  const named = (id: string) => state.comparisons.find((c) => c.id === id) ?? fail(ErrorCodes.NotFound, `no comparison \`${id}\``);

  async function column(request: CompareRequest, index: number, send: (e: CompareEvent) => void, stopped: () => boolean, stop: Promise<void>): Promise<CompareColumn> {
    const target = request.targets[index]!;
    send({ kind: "started", column: index, family: target.family, model: target.model });
    const fallback = state.fallbacks[target.model];
    const answeredBy = fallback?.answeredBy ?? target.model;
    if (fallback) send({ kind: "fallback", column: index, note: fallback.note });
    const broken = state.failures[target.model];
    const words = (state.answers[answeredBy] ?? defaultAnswer(answeredBy)).split(/(?<=\s)/);
    let text = "";
    let status: CompareColumn["status"] = "complete";
    let error: string | null = null;
    let httpStatus: number | null = 200;
    if (broken && !broken.partial) {
      status = "failed";
      error = broken.error;
      httpStatus = broken.httpStatus;
    } else {
      for (let i = 0; i < words.length; i += 2) {
        if (i > 0) {
          await Promise.resolve();
          if (stopped()) {
            status = "partial";
            error = "stopped; the answer so far is kept";
            break;
          }
        }
        const delta = words.slice(i, i + 2).join("");
        text += delta;
        send({ kind: "text", column: index, text: delta });
        if (i === 0) {
          if (state.gate) await Promise.race([state.gate, stop]);
          if (broken) {
            status = "partial";
            error = broken.error;
            httpStatus = broken.httpStatus;
            break;
          }
          if (stopped()) {
            status = "partial";
            error = "stopped; the answer so far is kept";
            break;
          }
        }
      }
    }
    const out = text.split(/\s+/).filter(Boolean).length;
    const usage: Usage = { inputTokens: status === "failed" ? null : 12, outputTokens: status === "failed" ? null : out, cachedInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null };
    const result: CompareColumn = {
      target,
      answeredBy,
      status,
      httpStatus,
      text,
      error,
      stats: { ttftMs: status === "failed" ? null : 100 + index * 10, totalMs: 300 + index * 20, tokensPerS: status === "failed" ? null : 40, tokensEstimated: false, events: Math.ceil(words.length / 2), bytes: text.length },
      usage,
      ...costOf(fake.modelChoice.prices, answeredBy, usage),
      fallbackNote: fallback?.note ?? null,
      kept: false,
      runId: `run-${request.compareId}-${index}`,
    };
    send({ kind: "finished", column: index, result });
    return result;
  }

  return {
    compare_run: async ({ request, onEvent }) => {
      const channel = channelTo<CompareEvent>(onEvent, "compare_run");
      if (!request.prompt.trim()) fail(ErrorCodes.InvalidInput, "a comparison needs a prompt");
      if (request.targets.length < 1 || request.targets.length > 8) fail(ErrorCodes.InvalidInput, "a comparison has 1 to 8 targets");
      if (request.targets.some((t) => !t.model.trim())) fail(ErrorCodes.InvalidInput, "every target needs a model");
      const run = running.start(request.compareId);
      try {
        const columns = await Promise.all(request.targets.map((_, i) => column(request, i, (e) => channel.send(e), run.stopped, run.signal)));
        const n = ++runs;
        const saved: Comparison = {
          id: `cmp-${n}`,
          title: request.title ?? request.prompt.slice(0, 40),
          createdAt: NOW,
          request,
          columns,
        };
        state.comparisons = [saved, ...state.comparisons];
        return saved;
      } finally {
        run.end();
        channel.end();
      }
    },
    compare_stop: ({ compareId }) => running.stop(compareId),
    comparisons_list: () => state.comparisons.map(summaryOf),
    comparison_get: ({ id }) => named(id),
    comparison_keep: ({ id, column, kept }) => {
      const c = named(id);
      const col = c.columns[column] ?? fail(ErrorCodes.InvalidInput, `comparison \`${id}\` has no column ${column}`);
      col.kept = kept;
      return c;
    },
    comparison_delete: ({ id }) => {
      const before = state.comparisons.length;
      state.comparisons = state.comparisons.filter((c) => c.id !== id);
      return state.comparisons.length < before;
    },
  };
}
