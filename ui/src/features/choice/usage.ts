// The usage tab's choices: how totals are grouped (one entry per `GroupBy` the core answers;
// a new grouping, e.g. team or project, is one more line) and what the chart plots.
import type { GroupBy, UsageTotal } from "../../ipc";

export const GROUPS: readonly { id: GroupBy; label: string; column: string }[] = [
  { id: "day", label: "Day", column: "Day" },
  { id: "model", label: "Model", column: "Model" },
  { id: "key", label: "Key", column: "Key fingerprint" },
  { id: "team", label: "Team", column: "Team (from the key's vault entry)" },
  { id: "project", label: "Project", column: "Project (from the key's vault entry)" },
];

/** A group's media and music tasks: "3 (2 images, 1 song)", or "—" without any. */
export function tasksText(t: UsageTotal): string {
  if (t.tasks === 0) return "—";
  const u = t.taskUnits;
  const parts = [
    u.images ? `${count(u.images)} image${u.images === 1 ? "" : "s"}` : "",
    u.videoSeconds ? `${count(u.videoSeconds)} s of video` : "",
    u.songs ? `${count(u.songs)} song${u.songs === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length ? `${count(t.tasks)} (${parts.join(", ")})` : count(t.tasks);
}

export interface Metric {
  id: "requests" | "tokens" | "cost";
  label: string;
  value: (t: UsageTotal) => number;
}

export const METRICS: readonly Metric[] = [
  { id: "requests", label: "Requests", value: (t) => t.requests },
  { id: "tokens", label: "Tokens (in + out)", value: (t) => t.tokens.input + t.tokens.output },
  { id: "cost", label: "Cost (priced models)", value: (t) => t.cost ?? 0 },
];

const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export function count(n: number): string {
  return whole.format(n);
}

export function money(amount: number, currency: string | null): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 6 : 4;
  return `${amount.toFixed(digits)}${currency ? ` ${currency}` : ""}`;
}

/** The cost cell: the amount where priced, and which models have no price (their cost is not
 *  in it), or "no price" when none is priced. */
export function costText(t: UsageTotal): string {
  const unpriced = t.unpricedModels.length ? `no price: ${t.unpricedModels.join(", ")}` : "";
  if (t.cost === null) return unpriced || "no price";
  return unpriced ? `${money(t.cost, t.currency)} + ${unpriced}` : money(t.cost, t.currency);
}
