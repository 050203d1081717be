// How the Tasks screen words a task's facts: state names, age, progress, cost. Pure functions,
// so the table, the task page and the tests agree.
import type { TaskCost, TaskRow, TaskState } from "../../ipc";

/** Every state, in the order the filter lists them (the lifecycle's order). */
export const STATES: readonly TaskState[] = ["submitting", "queued", "running", "partial", "succeeded", "failed", "cancelled", "expired"];

/** The states a task can still leave: what "running" counts and the status bar shows. */
export const ACTIVE_STATES: readonly TaskState[] = ["submitting", "queued", "running", "partial"];

const STATE_WORDS: Record<TaskState, string> = {
  submitting: "Submitting",
  queued: "Queued",
  running: "Running",
  partial: "Partial",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired",
};

export function stateWord(state: TaskState): string {
  return STATE_WORDS[state];
}

export function isActive(state: TaskState): boolean {
  return ACTIVE_STATES.includes(state);
}

/** The chip's hover text: the family's own word beside ours, or why there is none yet. */
export function rawStatusTitle(row: Pick<TaskRow, "state" | "rawStatus">): string {
  if (row.rawStatus) return `Gateway status: ${row.rawStatus}`;
  return row.state === "submitting" ? "Not answered by the gateway yet" : "The gateway gave no status word";
}

/** "5 s", "3 min", "2 h", "4 d" since `iso`, as of `now` (ms). A future time reads "now". */
export function age(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "—";
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 60) return s < 5 ? "now" : `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** "42%" where the family reports progress; empty otherwise (no made-up number). */
export function progressText(progress: number | null): string {
  if (progress === null || !Number.isFinite(progress)) return "";
  return `${Math.round(Math.min(100, Math.max(0, progress)))}%`;
}

/** "12 credits", "0.40 USD"; "no price" when neither the gateway nor the price table gives
 *  one for the task's model. How it was reckoned is `cost.basis` (a tooltip). */
export function costText(cost: TaskCost | null): string {
  if (!cost) return "no price";
  const amount = Number.isInteger(cost.amount) ? String(cost.amount) : cost.amount.toFixed(2);
  return `${amount} ${cost.unit}`;
}

/** "1.2 MB" for an artifact's size. */
export function sizeText(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A local file a task's request names (`tasks::inputs` marker), with where in the body. */
export interface InputFile {
  path: string;
  name: string;
  size: number;
  sha256: string;
  hostedUrl: string | null;
}

/** Every file marker (`{"$file": {...}}`) in a request body, depth first. */
export function inputFilesOf(body: unknown, path = ""): InputFile[] {
  if (typeof body !== "object" || body === null) return [];
  const rec = body as Record<string, unknown>;
  const file = rec.$file as { name?: unknown; size?: unknown; sha256?: unknown } | undefined;
  if (file && typeof file === "object" && typeof file.name === "string" && typeof file.sha256 === "string") {
    const hosted = typeof rec.hostedUrl === "string" ? rec.hostedUrl : null;
    return [{ path, name: file.name, size: typeof file.size === "number" ? file.size : 0, sha256: file.sha256, hostedUrl: hosted }];
  }
  return Object.entries(rec).flatMap(([k, v]) => inputFilesOf(v, `${path}/${k}`));
}
