// Words for the model-choice types: families, goals, triggers, the policy in one line, each
// decision of a dry run, and the chat faults the Sandbox can rehearse.
import type { Action, ChatFamily, Decision, FallbackPolicy, Goal, Trigger, Workload } from "../../ipc";

export const FAMILY_LABEL: Record<ChatFamily, string> = {
  openai_chat: "OpenAI chat",
  openai_responses: "Responses",
  anthropic: "Anthropic",
  gemini: "Gemini",
};
export const FAMILIES = Object.keys(FAMILY_LABEL) as ChatFamily[];

export const GOAL_LABEL: Record<Goal, string> = {
  quality: "Quality",
  latency: "Latency",
  cost: "Cost",
  reliability: "Reliability",
};
export const GOALS = Object.keys(GOAL_LABEL) as Goal[];

export const TRIGGER_LABEL: Record<Trigger, string> = {
  server_error: "transient 5xx",
  timeout: "timeout",
  unavailable: "upstream unavailable (503)",
  rate_limited: "429 after the retries",
};

/** The chat faults the Sandbox knows (`x-sandbox-fault`; dry_run.rs names what each one is). */
export const CHAT_FAULTS: readonly { name: string; label: string }[] = [
  { name: "maintenance", label: "maintenance (503)" },
  { name: "burst", label: "burst (500 / 503)" },
  { name: "rate-limit", label: "rate-limit (429, Retry-After 2 s)" },
  { name: "hang", label: "hang (timeout)" },
  { name: "stall", label: "stall (silence mid-stream)" },
  { name: "reset", label: "reset (connection dropped)" },
  { name: "exhausted", label: "exhausted (402)" },
  { name: "malformed", label: "malformed body" },
  { name: "truncate", label: "truncated stream" },
  { name: "stream-error", label: "error inside the stream" },
  { name: "slow", label: "slow (no failure)" },
];

/** "on transient 5xx, timeout, …; 2 retries after a 429". */
export function policySummary(w: Workload): string {
  if (!w.fallback) return `Only ${w.primary}: no fallback, so a failure is shown as it is.`;
  const p: FallbackPolicy = w.policy;
  const on = [
    p.triggers.serverError ? TRIGGER_LABEL.server_error : null,
    p.triggers.timeout ? TRIGGER_LABEL.timeout : null,
    p.triggers.unavailable ? TRIGGER_LABEL.unavailable : null,
    p.triggers.rateLimited ? `429 after ${p.rateLimitRetries} ${p.rateLimitRetries === 1 ? "retry" : "retries"}` : null,
  ].filter((t) => t !== null);
  const when = on.length ? `on ${on.join(", ")}` : "never (no trigger is on)";
  const retries = p.transientRetries ? `; ${p.transientRetries} ${p.transientRetries === 1 ? "retry" : "retries"} of ${w.primary} first` : "";
  const paid = w.paidTier ? " Paid tier: asks before falling back." : "";
  return `${w.primary}, falling back to ${w.fallback} ${when}${retries}; never on 400/401/403 or a refusal.${paid}`;
}

export function actionText(a: Action): string {
  switch (a.type) {
    case "retry":
      return `Retry the same model after ${seconds(a.afterMs)}`;
    case "fallBack":
      return `Fall back to ${a.model}`;
    case "askFirst":
      return `Ask before falling back to ${a.model}`;
    case "giveUp":
      return "Give up: show the failure";
  }
}

export function decisionKind(d: Decision): Action["type"] {
  return d.action.type;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
