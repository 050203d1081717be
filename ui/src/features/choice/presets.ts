// The starting points the issue names (chat, extract, classify, code, image-understanding,
// media-generation): a preset fills the editor, the user still picks the models and saves.
// Models are the Sandbox's catalogue, so a preset saved on the Sandbox works as it is.
import type { ChatFamily, FallbackPolicy, Goal, Workload } from "../../ipc";

/** The core's `FallbackPolicy::default()` (fallback/mod.rs): every trigger, 2 retries after a
 *  429, none after a 5xx, 0.5 s backoff doubling up to 8 s, a Retry-After waited up to 30 s. */
export function defaultPolicy(): FallbackPolicy {
  return {
    triggers: { serverError: true, timeout: true, unavailable: true, rateLimited: true },
    rateLimitRetries: 2,
    transientRetries: 0,
    backoffBaseMs: 500,
    backoffMaxMs: 8000,
    maxWaitMs: 30000,
  };
}

interface Preset {
  name: string;
  family: ChatFamily;
  primary: string;
  fallback: string | null;
  goal: Goal;
  notes: string;
}

export const PRESETS: readonly Preset[] = [
  { name: "chat", family: "openai_chat", primary: "gpt-5", fallback: "gpt-5-mini", goal: "quality", notes: "Assistant chat: answer quality first; the smaller model keeps the chat going in an outage." },
  { name: "extract", family: "openai_chat", primary: "gpt-5-mini", fallback: "gpt-5", goal: "cost", notes: "Field extraction into JSON: the cheaper model usually passes; the larger one covers outages." },
  { name: "classify", family: "anthropic", primary: "claude-haiku-4-5", fallback: "claude-sonnet-4-6", goal: "latency", notes: "Short labels: the fastest model first." },
  { name: "code", family: "anthropic", primary: "claude-sonnet-4-6", fallback: "claude-opus-4-6", goal: "quality", notes: "Code generation and review." },
  { name: "image-understanding", family: "gemini", primary: "gemini-2.5-pro", fallback: "gemini-2.0-flash", goal: "quality", notes: "Images in the prompt: the fallback must accept the same inline parts." },
  { name: "media-generation", family: "gemini", primary: "gemini-2.0-flash", fallback: "gemini-3-flash-preview", goal: "reliability", notes: "Prompts written for image, video and song tasks: keep them flowing." },
];

export function fromPreset(p: Preset): Workload {
  return { name: p.name, family: p.family, primary: p.primary, fallback: p.fallback, goal: p.goal, paidTier: false, policy: defaultPolicy(), notes: p.notes };
}

/** An empty editor. */
export function blankWorkload(): Workload {
  return { name: "", family: "openai_chat", primary: "", fallback: null, goal: "quality", paidTier: false, policy: defaultPolicy(), notes: null };
}
