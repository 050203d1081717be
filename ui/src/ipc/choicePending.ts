// TEMPORARY (helper V): the compare + advisor IPC as agreed in choice-interface.md, until the
// generated bindings exist; deleted then (the features import these names from ../ipc only).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ChatFamily } from "./bindings/ChatFamily";
import type { Goal } from "./bindings/Goal";
import type { RunStats } from "./bindings/RunStats";
import type { RunStatus } from "./bindings/RunStatus";
import type { Usage } from "./bindings/Usage";
import { toIpcError } from "./call";

export type CompareTarget = { family: ChatFamily; model: string };
export type CompareRequest = {
  compareId: string;
  title: string | null;
  prompt: string;
  system: string | null;
  maxTokens: number | null;
  targets: Array<CompareTarget>;
  workload: string | null;
};
export type CompareColumn = {
  target: CompareTarget;
  answeredBy: string;
  status: RunStatus;
  httpStatus: number | null;
  text: string;
  error: string | null;
  stats: RunStats;
  usage: Usage;
  cost: number | null;
  currency: string | null;
  noPrice: boolean;
  fallbackNote: string | null;
  kept: boolean;
  runId: string;
};
export type CompareEvent =
  | { kind: "started"; column: number; family: ChatFamily; model: string }
  | { kind: "text"; column: number; text: string }
  | { kind: "fallback"; column: number; note: string }
  | { kind: "finished"; column: number; result: CompareColumn };
export type Comparison = { id: string; title: string; createdAt: string; request: CompareRequest; columns: Array<CompareColumn> };
export type ComparisonSummary = { id: string; title: string; createdAt: string; promptPreview: string; columns: number; kept: number };

export type Check =
  | { kind: "contains"; value: string }
  | { kind: "regex"; pattern: string }
  | { kind: "jsonSchema"; schema: unknown }
  | { kind: "exact"; value: string };
export type EvalCase = { id: string | null; prompt: string; system: string | null; check: Check | null };
export type EvalSet = { name: string; cases: Array<EvalCase> };
export type EvalSetFormat = "json" | "toml";
export type Bar = { minPassRate: number; maxP95TotalMs: number | null; maxP95TtftMs: number | null };
export type AdviseRequest = { adviseId: string; workload: string; models: Array<string>; evalset: EvalSet; bar: Bar; repeats: number };
export type CaseResult = {
  caseIndex: number;
  passed: boolean | null;
  detail: string | null;
  answer: string;
  ttftMs: number | null;
  totalMs: number;
  httpStatus: number | null;
  error: string | null;
};
export type Evidence = {
  model: string;
  passed: number;
  checked: number;
  passRate: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  totalP50Ms: number;
  totalP95Ms: number;
  cost: number | null;
  costPerCase: number | null;
  currency: string | null;
  noPrice: boolean;
  meetsBar: boolean;
  whyNot: string | null;
  cases: Array<CaseResult>;
};
export type Advice = {
  id: string;
  workload: string;
  goal: Goal;
  family: ChatFamily;
  evidence: Array<Evidence>;
  recommended: string | null;
  reason: string;
  at: string;
  bar: Bar;
};
export type AdviseEvent =
  | { kind: "case"; model: string; caseIndex: number; passed: boolean | null; totalMs: number }
  | { kind: "modelDone"; evidence: Evidence };

async function raw<T>(cmd: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export function compareRun(request: CompareRequest, onEvent: (event: CompareEvent) => void): Promise<Comparison> {
  const channel = new Channel<CompareEvent>();
  channel.onmessage = onEvent;
  return raw("compare_run", { request, onEvent: channel });
}
export const compareStop = (compareId: string) => raw<boolean>("compare_stop", { compareId });
export const comparisonsList = () => raw<ComparisonSummary[]>("comparisons_list", {});
export const comparisonGet = (id: string) => raw<Comparison>("comparison_get", { id });
export const comparisonKeep = (id: string, column: number, kept: boolean) => raw<Comparison>("comparison_keep", { id, column, kept });
export const comparisonDelete = (id: string) => raw<boolean>("comparison_delete", { id });

export function adviseRun(request: AdviseRequest, onEvent: (event: AdviseEvent) => void): Promise<Advice> {
  const channel = new Channel<AdviseEvent>();
  channel.onmessage = onEvent;
  return raw("advise_run", { request, onEvent: channel });
}
export const adviseStop = (adviseId: string) => raw<boolean>("advise_stop", { adviseId });
export const evalsetParse = (text: string, format: EvalSetFormat) => raw<EvalSet>("evalset_parse", { text, format });
export const adviceList = () => raw<Advice[]>("advice_list", {});
