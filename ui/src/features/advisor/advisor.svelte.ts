// State of the Advisor tab: which workload, which candidate models (at most 8), the eval set
// (pasted or read from a file, parsed by the backend so JSON and TOML follow one set of rules),
// the bar, the run's per-case progress, the advice with its evidence, and past advice.
// The advisor never changes a workload: `adopt` is the user's explicit "make X the primary".
import * as ipc from "../../ipc";
import type { Advice, AdviseEvent, EvalSet, EvalSetFormat, IpcError, Workload } from "../../ipc";
import { ErrorCodes, toIpcError } from "../../ipc";

export const MAX_MODELS = 8;

export interface Progress {
  done: number;
  passed: number;
  failed: number;
  total: number;
}

/** A parse error's line, when the backend's message names one ("line 3", "at line 3 column 5"). */
export function lineOf(message: string): number | null {
  const m = /\bline (\d+)/i.exec(message);
  return m ? Number(m[1]) : null;
}

/** The format a file name implies; TOML only when it says so, JSON otherwise. */
export function formatOf(fileName: string): EvalSetFormat {
  return /\.toml$/i.test(fileName) ? "toml" : "json";
}

let counter = 0;
function newAdviseId(): string {
  counter += 1;
  return `adv-${Date.now().toString(36)}-${counter}`;
}

export class AdvisorStore {
  workloads = $state<Workload[]>([]);
  workloadsError = $state<IpcError | null>(null);
  workload = $state("");
  models = $state<string[]>([""]);

  evalText = $state("");
  evalFormat = $state<EvalSetFormat>("json");
  evalset = $state<EvalSet | null>(null);
  evalError = $state<IpcError | null>(null);

  /** The bar: pass rate in percent as typed, p95 limits in ms (empty = no limit). */
  minPassPercent = $state("100");
  maxP95TotalMs = $state("");
  maxP95TtftMs = $state("");
  repeats = $state("1");

  running = $state(false);
  progress = $state<Record<string, Progress>>({});
  advice = $state<Advice | null>(null);
  error = $state<IpcError | null>(null);
  past = $state<Advice[]>([]);
  /** What the last "make X the primary" did, in words. */
  adopted = $state<string | null>(null);
  adoptError = $state<IpcError | null>(null);

  private adviseId: string | null = null;

  get chosen(): Workload | null {
    return this.workloads.find((w) => w.name === this.workload) ?? null;
  }

  get problem(): string | null {
    if (!this.workload) return "Choose a workload.";
    const named = this.models.map((m) => m.trim()).filter(Boolean);
    if (named.length === 0) return "Name at least one candidate model.";
    if (new Set(named).size !== named.length) return "A model is listed twice.";
    if (!this.evalset) return "Load an eval set (paste it and press Check, or open a file).";
    if (this.evalset.cases.length === 0) return "The eval set has no cases.";
    const rate = Number(this.minPassPercent);
    if (this.minPassPercent.trim() === "" || !(rate >= 0 && rate <= 100)) return "The minimum pass rate is 0 to 100 %.";
    for (const [v, what] of [
      [this.maxP95TotalMs, "p95 total"],
      [this.maxP95TtftMs, "p95 TTFT"],
    ] as const) {
      if (v.trim() && !(Number(v) > 0)) return `The ${what} limit is a number of milliseconds above 0.`;
    }
    const n = Number(this.repeats);
    if (!(Number.isInteger(n) && n >= 1)) return "Repeats is a whole number of 1 or more.";
    return null;
  }

  async load(): Promise<void> {
    try {
      this.workloads = await ipc.workloadsList();
      this.workloadsError = null;
      if (!this.workload && this.workloads[0]) this.pick(this.workloads[0].name);
    } catch (e) {
      this.workloadsError = toIpcError(e);
    }
    await this.loadPast();
  }

  async loadPast(): Promise<void> {
    try {
      this.past = await ipc.adviceList();
    } catch {
      // Past advice is a convenience: the table of a new run does not depend on it.
      this.past = [];
    }
  }

  /** Chooses the workload; its primary and fallback become the first candidates. */
  pick(name: string): void {
    this.workload = name;
    const w = this.chosen;
    if (!w) return;
    const start = [w.primary, w.fallback ?? ""].filter(Boolean);
    if (this.models.every((m) => !m.trim())) this.models = start.length ? start : [""];
  }

  addModel(): void {
    if (this.models.length < MAX_MODELS) this.models = [...this.models, ""];
  }

  removeModel(index: number): void {
    if (this.models.length > 1) this.models = this.models.filter((_, i) => i !== index);
  }

  /** Text changed: the parsed set no longer matches it. */
  editEval(text: string): void {
    this.evalText = text;
    this.evalset = null;
    this.evalError = null;
  }

  async parseEval(): Promise<void> {
    try {
      this.evalset = await ipc.evalsetParse(this.evalText, this.evalFormat);
      this.evalError = null;
    } catch (e) {
      this.evalset = null;
      this.evalError = toIpcError(e);
    }
  }

  async openFile(file: File): Promise<void> {
    this.evalFormat = formatOf(file.name);
    this.editEval(await file.text());
    await this.parseEval();
  }

  async run(): Promise<void> {
    if (this.running || this.problem || !this.evalset) return;
    const models = this.models.map((m) => m.trim()).filter(Boolean);
    const repeats = Number(this.repeats);
    const total = this.evalset.cases.length * repeats;
    this.progress = Object.fromEntries(models.map((m) => [m, { done: 0, passed: 0, failed: 0, total }]));
    this.advice = null;
    this.error = null;
    this.adopted = null;
    this.adoptError = null;
    this.running = true;
    const adviseId = newAdviseId();
    this.adviseId = adviseId;
    try {
      this.advice = await ipc.runAdvise(
        {
          adviseId,
          workload: this.workload,
          models,
          evalset: this.evalset,
          bar: {
            minPassRate: Number(this.minPassPercent) / 100,
            maxP95TotalMs: this.maxP95TotalMs.trim() ? Number(this.maxP95TotalMs) : null,
            maxP95TtftMs: this.maxP95TtftMs.trim() ? Number(this.maxP95TtftMs) : null,
          },
          repeats,
        },
        (e) => this.take(e),
      );
    } catch (e) {
      this.error = toIpcError(e);
    } finally {
      this.running = false;
      this.adviseId = null;
    }
    await this.loadPast();
  }

  private take(e: AdviseEvent): void {
    const p = this.progress[e.kind === "case" ? e.model : e.evidence.model];
    if (!p) return;
    if (e.kind === "case") {
      p.done += 1;
      if (e.passed === true) p.passed += 1;
      if (e.passed === false) p.failed += 1;
    } else {
      p.done = p.total;
    }
  }

  async stop(): Promise<void> {
    if (!this.adviseId) return;
    try {
      await ipc.adviseStop(this.adviseId);
    } catch (e) {
      this.error = toIpcError(e);
    }
  }

  show(advice: Advice): void {
    if (this.running) return;
    this.advice = advice;
    this.adopted = null;
    this.adoptError = null;
  }

  /**
   * The user's explicit choice: `model` becomes the primary of the advice's workload. A fallback
   * equal to it would be refused (a workload never falls back to itself), so it is cleared.
   */
  async adopt(model: string, workloadName: string): Promise<void> {
    this.adopted = null;
    this.adoptError = null;
    try {
      const current = (await ipc.workloadsList()).find((w) => w.name === workloadName);
      if (!current) {
        this.adoptError = { code: ErrorCodes.NotFound, message: `no workload \`${workloadName}\` (deleted since the advice?)` };
        return;
      }
      const fallback = current.fallback === model ? null : (current.fallback ?? null);
      const saved = await ipc.workloadSave({ ...current, primary: model, fallback });
      this.workloads = this.workloads.map((w) => (w.name === saved.name ? saved : w));
      this.adopted =
        `${saved.name} now answers with ${model} (was ${current.primary})` +
        (current.fallback === model ? "; its fallback was that model, so it has none now." : ".");
    } catch (e) {
      this.adoptError = toIpcError(e);
    }
  }
}
