// State of the Compare tab: the form (prompt, system, max tokens, up to 8 targets, a workload),
// the run in flight or the comparison shown, the two columns being diffed, and the history of
// saved comparisons. Kept outside the component so switching tabs keeps a half-written prompt.
import * as ipc from "../../ipc";
import type { ChatFamily, Comparison, CompareRequest, CompareTarget, ComparisonSummary, IpcError, Workload } from "../../ipc";
import { toIpcError } from "../../ipc";
import { LiveColumn, LiveRun, defaultFrame, type Frame } from "./live.svelte";

/** The backend takes 1..=8 targets (CompareRequest). */
export const MAX_TARGETS = 8;

export const FAMILIES: { id: ChatFamily; label: string }[] = [
  { id: "openai_chat", label: "OpenAI Chat" },
  { id: "openai_responses", label: "OpenAI Responses" },
  { id: "anthropic", label: "Anthropic" },
  { id: "gemini", label: "Gemini" },
];

/** The Sandbox's faults a chat request can rehearse (anyint-sandbox faults.rs names). */
export const SANDBOX_FAULTS = ["burst", "rate-limit", "maintenance", "reset", "stall", "truncate", "stream-error", "malformed", "slow"] as const;

export function familyLabel(family: ChatFamily): string {
  return FAMILIES.find((f) => f.id === family)?.label ?? family;
}

let counter = 0;
function newCompareId(): string {
  counter += 1;
  return `cmp-${Date.now().toString(36)}-${counter}`;
}

export class CompareStore {
  prompt = $state("");
  system = $state("");
  /** As typed; empty leaves the backend's default. */
  maxTokens = $state("");
  workload = $state("");
  targets = $state<CompareTarget[]>([
    { family: "openai_chat", model: "" },
    { family: "anthropic", model: "" },
  ]);

  workloads = $state<Workload[]>([]);
  running = $state(false);
  /** The columns shown: live while running, then the saved comparison's. */
  columns = $state.raw<LiveColumn[]>([]);
  /** The saved comparison the columns belong to (keep and re-run need it). */
  comparison = $state<Comparison | null>(null);
  error = $state<IpcError | null>(null);
  /** Two column indexes; null until the user opens the diff. */
  diff = $state<{ left: number; right: number } | null>(null);

  history = $state<ComparisonSummary[]>([]);
  historyError = $state<IpcError | null>(null);

  private compareId: string | null = null;

  constructor(private readonly frame: Frame = defaultFrame) {}

  /** Why Run is refused, or null when the form can be sent. */
  get problem(): string | null {
    if (!this.prompt.trim()) return "Write a prompt.";
    const named = this.targets.filter((t) => t.model.trim());
    if (named.length === 0) return "Name at least one model.";
    if (named.length !== this.targets.length) return "Every target needs a model (or remove the row).";
    const max = this.maxTokens.trim();
    if (max && !(Number.isInteger(Number(max)) && Number(max) > 0)) return "Max tokens is a whole number above 0.";
    return null;
  }

  addTarget(): void {
    if (this.targets.length >= MAX_TARGETS) return;
    const last = this.targets[this.targets.length - 1];
    this.targets = [...this.targets, { family: last?.family ?? "openai_chat", model: "" }];
  }

  removeTarget(index: number): void {
    if (this.targets.length <= 1) return;
    this.targets = this.targets.filter((_, i) => i !== index);
  }

  async loadWorkloads(): Promise<void> {
    try {
      this.workloads = await ipc.workloadsList();
    } catch {
      // Optional: without the list the field offers no workload, and runs go without one.
      this.workloads = [];
    }
  }

  async loadHistory(): Promise<void> {
    try {
      this.history = await ipc.comparisonsList();
      this.historyError = null;
    } catch (e) {
      this.historyError = toIpcError(e);
    }
  }

  /** Runs the form as it stands. */
  async run(): Promise<void> {
    if (this.running || this.problem) return;
    const max = this.maxTokens.trim();
    await this.send({
      compareId: newCompareId(),
      title: null,
      prompt: this.prompt,
      system: this.system.trim() ? this.system : null,
      maxTokens: max ? Number(max) : null,
      targets: this.targets.map((t) => ({ family: t.family, model: t.model.trim(), ...(t.rehearseFault ? { rehearseFault: t.rehearseFault } : {}) })),
      workload: this.workload || null,
    });
  }

  /** Runs a saved comparison's request again, as a new comparison. */
  async rerun(id: string): Promise<void> {
    if (this.running) return;
    let saved: Comparison;
    try {
      saved = this.comparison?.id === id ? this.comparison : await ipc.comparisonGet(id);
    } catch (e) {
      this.error = toIpcError(e);
      return;
    }
    this.fillForm(saved.request);
    await this.send({ ...saved.request, compareId: newCompareId() });
  }

  private async send(request: CompareRequest): Promise<void> {
    const live = new LiveRun(request.targets, this.frame);
    this.compareId = request.compareId;
    this.columns = live.columns;
    this.comparison = null;
    this.diff = null;
    this.error = null;
    this.running = true;
    try {
      const saved = await ipc.runCompare(request, (e) => live.take(e));
      live.finish(saved.columns);
      this.comparison = saved;
    } catch (e) {
      this.error = toIpcError(e);
      // A column the backend never finished has no result: say it stopped where it was.
      for (const c of live.columns) if (!c.result) c.phase = c.text ? "partial" : "failed";
    } finally {
      this.running = false;
      this.compareId = null;
    }
    await this.loadHistory();
  }

  async stop(): Promise<void> {
    if (!this.compareId) return;
    try {
      await ipc.compareStop(this.compareId);
    } catch (e) {
      this.error = toIpcError(e);
    }
  }

  /** Shows a saved comparison (its form too, so it can be edited and run again). */
  async open(id: string): Promise<void> {
    if (this.running) return;
    try {
      const saved = await ipc.comparisonGet(id);
      this.comparison = saved;
      this.columns = saved.columns.map((c) => LiveColumn.finished(c));
      this.fillForm(saved.request);
      this.diff = null;
      this.error = null;
    } catch (e) {
      this.error = toIpcError(e);
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await ipc.comparisonDelete(id);
      if (this.comparison?.id === id) {
        this.comparison = null;
        this.columns = [];
        this.diff = null;
      }
    } catch (e) {
      this.historyError = toIpcError(e);
    }
    await this.loadHistory();
  }

  async keep(column: number, kept: boolean): Promise<void> {
    const id = this.comparison?.id;
    if (!id || this.running) return;
    try {
      const saved = await ipc.comparisonKeep(id, column, kept);
      this.comparison = saved;
      saved.columns.forEach((c, i) => this.columns[i]?.settle(c));
    } catch (e) {
      this.error = toIpcError(e);
    }
    await this.loadHistory();
  }

  openDiff(left: number, right: number): void {
    this.diff = { left, right };
  }

  closeDiff(): void {
    this.diff = null;
  }

  private fillForm(request: CompareRequest): void {
    this.prompt = request.prompt;
    this.system = request.system ?? "";
    this.maxTokens = request.maxTokens === null ? "" : String(request.maxTokens);
    this.workload = request.workload ?? "";
    this.targets = request.targets.map((t) => ({ ...t }));
  }
}
