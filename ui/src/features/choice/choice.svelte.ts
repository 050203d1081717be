// State of the Choice screen (issue 11): the workloads, the usage totals, the price table and
// the fallback log, each loaded by the tab that shows it. Kept outside the components so
// switching tabs or screens keeps what was loaded; every write reloads the list it changed, so
// the screen shows what the backend holds, not what it was sent.
import * as ipc from "../../ipc";
import type { Decision, DryRunInput, ExportFormat, FallbackLogRow, GroupBy, IpcError, Price, UsageTotal, Workload } from "../../ipc";
import { toIpcError } from "../../ipc";
import { AdvisorStore } from "../advisor/advisor.svelte";
import { CompareStore } from "../compare/compare.svelte";

/** How many fallback log rows the tab shows (newest first). */
export const FALLBACK_LOG_LIMIT = 200;

/** Runs `work`; a rejection comes back as the boundary error, so callers show it in place. */
async function attempt<T>(work: () => Promise<T>): Promise<{ ok: T } | { error: IpcError }> {
  try {
    return { ok: await work() };
  } catch (e) {
    return { error: toIpcError(e) };
  }
}

export class ChoiceStore {
  /** The Compare and Advisor tabs keep their own state; held here so it outlives the tab. */
  readonly compare = new CompareStore();
  readonly advisor = new AdvisorStore();

  workloads = $state<Workload[]>([]);
  workloadsError = $state<IpcError | null>(null);
  workloadsLoaded = $state(false);

  groupBy = $state<GroupBy>("day");
  totals = $state<UsageTotal[]>([]);
  totalsError = $state<IpcError | null>(null);
  totalsLoaded = $state(false);

  prices = $state<Price[]>([]);
  pricesError = $state<IpcError | null>(null);

  fallbackLog = $state<FallbackLogRow[]>([]);
  fallbackLogError = $state<IpcError | null>(null);
  fallbackLogLoaded = $state(false);

  private totalsSeq = 0;

  async loadWorkloads(): Promise<void> {
    const r = await attempt(() => ipc.workloadsList());
    if ("ok" in r) {
      this.workloads = r.ok;
      this.workloadsError = null;
    } else this.workloadsError = r.error;
    this.workloadsLoaded = true;
  }

  /** Saves (creates or replaces by name); the core's validation error comes back to the form. */
  async saveWorkload(w: Workload): Promise<IpcError | null> {
    const r = await attempt(() => ipc.workloadSave(w));
    if ("error" in r) return r.error;
    await this.loadWorkloads();
    return null;
  }

  async deleteWorkload(name: string): Promise<IpcError | null> {
    const r = await attempt(() => ipc.workloadDelete(name));
    if ("error" in r) return r.error;
    await this.loadWorkloads();
    return null;
  }

  exportWorkloads(format: ExportFormat): Promise<{ ok: string } | { error: IpcError }> {
    return attempt(() => ipc.workloadsExport(format));
  }

  /** Writes the export into the Downloads folder; resolves with the file's path. */
  saveExport(format: ExportFormat): Promise<{ ok: string } | { error: IpcError }> {
    return attempt(() => ipc.workloadsExportSave(format));
  }

  /** Puts the export on the clipboard (from Rust: the webview has no clipboard grant). */
  copyExport(format: ExportFormat): Promise<{ ok: null } | { error: IpcError }> {
    return attempt(async () => {
      await ipc.workloadsExportCopy(format);
      return null;
    });
  }

  /** Whole or not at all (the core checks every workload first); the list reloads after. */
  async importWorkloads(text: string, format: ExportFormat): Promise<{ ok: Workload[] } | { error: IpcError }> {
    const r = await attempt(() => ipc.workloadsImport(text, format));
    if ("ok" in r) await this.loadWorkloads();
    return r;
  }

  dryRun(name: string, input: DryRunInput, consent: boolean): Promise<{ ok: Decision[] } | { error: IpcError }> {
    return attempt(() => ipc.workloadDryRun(name, input, consent));
  }

  async loadTotals(by: GroupBy = this.groupBy): Promise<void> {
    this.groupBy = by;
    // A slower answer for the grouping chosen before must not replace the current one.
    const seq = ++this.totalsSeq;
    const r = await attempt(() => ipc.usageTotals(by));
    if (seq !== this.totalsSeq) return;
    if ("ok" in r) {
      this.totals = r.ok;
      this.totalsError = null;
    } else this.totalsError = r.error;
    this.totalsLoaded = true;
  }

  /** Puts the ledger's CSV on the clipboard (from Rust). */
  copyUsageCsv(): Promise<{ ok: null } | { error: IpcError }> {
    return attempt(async () => {
      await ipc.usageCsvCopy();
      return null;
    });
  }

  /** Writes the ledger's CSV into the Downloads folder; resolves with the file's path. */
  saveUsageCsv(): Promise<{ ok: string } | { error: IpcError }> {
    return attempt(() => ipc.usageCsvSave());
  }

  async loadPrices(): Promise<void> {
    const r = await attempt(() => ipc.pricesList());
    if ("ok" in r) {
      this.prices = r.ok;
      this.pricesError = null;
    } else this.pricesError = r.error;
  }

  /** Saves a price, then reloads the prices and the totals (their costs depend on it). */
  async savePrice(p: Price): Promise<IpcError | null> {
    const r = await attempt(() => ipc.priceSave(p));
    if ("error" in r) return r.error;
    await Promise.all([this.loadPrices(), this.loadTotals()]);
    return null;
  }

  async deletePrice(model: string): Promise<IpcError | null> {
    const r = await attempt(() => ipc.priceDelete(model));
    if ("error" in r) return r.error;
    await Promise.all([this.loadPrices(), this.loadTotals()]);
    return null;
  }

  async loadFallbackLog(): Promise<void> {
    const r = await attempt(() => ipc.fallbackLog(FALLBACK_LOG_LIMIT));
    if ("ok" in r) {
      this.fallbackLog = r.ok;
      this.fallbackLogError = null;
    } else this.fallbackLogError = r.error;
    this.fallbackLogLoaded = true;
  }
}
