// Builders for the values the fake backend stores and answers with, shared by its handlers and
// by tests that seed it. Wording and formats follow the Rust side where tests can see them
// (masked keys, error codes); the rest (fingerprints, the hand-off file) only looks the part.
import {
  ErrorCodes,
  type Environment,
  type ErrorCode,
  type IpcError,
  type KeyKind,
  type KeyMetadata,
  type KeyRecord,
  type ModelInfo,
  type Outcome,
  type Verification,
  type Workload,
} from "../index";

/** Rejects the way the real backend does: with a boundary error, never a bare string or Error. */
export function fail(code: ErrorCode, message: string): never {
  const error: IpcError = { code, message };
  throw error;
}

export const NOW = "2025-03-01T10:00:00Z";

export function model(id: string, displayName: string | null = null, createdAt: string | null = null): ModelInfo {
  return { id, displayName, type: "chat", createdAt, ownedBy: null };
}

/** A workload that passes Workload::validate, with the default policy's triggers and retries. */
export function workload(name: string, over: Partial<Workload> = {}): Workload {
  return {
    name,
    family: "openai_chat",
    primary: "gpt-5",
    fallback: null,
    goal: "cost",
    paidTier: false,
    policy: {
      triggers: { serverError: true, timeout: true, unavailable: true, rateLimited: true },
      rateLimitRetries: 2,
      transientRetries: 0,
      backoffBaseMs: 500,
      backoffMaxMs: 8000,
      maxWaitMs: 30000,
    },
    notes: null,
    ...over,
  };
}

export function kindOf(secret: string): KeyKind {
  if (secret.startsWith("sk-plan-")) return "plan";
  if (secret.startsWith("sk-custom-")) return "custom";
  return "basic";
}

function prefixOf(secret: string): string {
  return { plan: "sk-plan-", custom: "sk-custom-", basic: "sk-" }[kindOf(secret)];
}

/** ApiKey::masked: the kind prefix and the last four characters; short keys show two. */
export function maskOf(secret: string): string {
  const chars = [...secret];
  if (chars.length < 12) return `…${chars.slice(-2).join("")}`;
  return `${prefixOf(secret)}…${chars.slice(-4).join("")}`;
}

/** Not SHA-256, but stable and 12 hex digits like the real one. */
export function fingerprintOf(secret: string): string {
  let h = 0x811c9dc5;
  for (const ch of secret) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, "0") + secret.length.toString(16).padStart(4, "0")).slice(0, 12);
}

export function meta(label: string, environment: Environment = "dev", extra: Partial<KeyMetadata> = {}): KeyMetadata {
  return { label, team: null, project: null, environment, rotateBy: null, expiresAt: null, notes: null, ...extra };
}

/** The editable part of a stored record, as key_update and the hand-off file carry it. */
export function metaOf(k: KeyRecord): KeyMetadata {
  const { label, team, project, environment, rotateBy, expiresAt, notes } = k;
  return { label, team, project, environment, rotateBy, expiresAt, notes };
}

/** A stored key record, as keys_list would return it for `secret`. */
export function keyRecord(id: string, secret: string, m: KeyMetadata, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id,
    ...m,
    kind: kindOf(secret),
    prefix: prefixOf(secret),
    fingerprint: fingerprintOf(secret),
    maskedKey: maskOf(secret),
    createdAt: NOW,
    lastVerifiedAt: null,
    lastVerification: null,
    lastUsedAt: null,
    status: "active",
    replacedBy: null,
    inKeychain: true,
    connectionId: null,
    usedBy: [],
    ...extra,
  };
}

const STATUS_OF: Record<Outcome, number | null> = {
  works: null,
  invalid: 401,
  blocked: 403,
  limited: 429,
  unreachable: null,
  error: 500,
};

export function verificationFor(outcome: Outcome, models: string[]): Verification {
  const ok = outcome === "works";
  const routes = ["openai", "anthropic"].map((family) => ({
    family,
    outcome,
    status: STATUS_OF[outcome],
    modelCount: ok ? models.length : 0,
    message: ok ? null : `gateway says ${outcome}`,
  }));
  const ids = ok ? [...models].sort() : [];
  return { outcome, checkedAt: NOW, routes, modelIds: ids, modelCount: ids.length };
}

// ---- the hand-off file

export const HANDOFF_PATH = "/home/tester/Downloads/anyint-keys-handoff.age";
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

export interface HandoffEntry {
  meta: KeyMetadata;
  secret: string;
}

/**
 * A hand-off file as the fake backend writes and reads it. NOT encrypted (the passphrase and
 * the secrets sit in the text): it only has the real file's armor lines, for tests.
 */
export function handoffFile(passphrase: string, keys: HandoffEntry[]): string {
  return `${ARMOR_BEGIN}\nFAKE ${JSON.stringify({ format: "anyint-desk-handoff", passphrase, keys })}\n${ARMOR_END}\n`;
}

/** Like the real import, one answer for every way of failing, so it says nothing about why. */
export function openHandoff(text: string, passphrase: string): HandoffEntry[] {
  function rejected(): never {
    return fail(ErrorCodes.HandoffRejected, "wrong passphrase, or not an AnyInt Desk hand-off file");
  }
  const body = text.trim();
  if (!body.startsWith(ARMOR_BEGIN) || !body.endsWith(ARMOR_END)) rejected();
  const inner = body.slice(ARMOR_BEGIN.length, -ARMOR_END.length).trim();
  if (!inner.startsWith("FAKE ")) rejected();
  let parsed: { format?: string; passphrase?: string; keys?: HandoffEntry[] };
  try {
    parsed = JSON.parse(inner.slice(5)) as typeof parsed;
  } catch {
    return rejected();
  }
  if (parsed.passphrase !== passphrase || parsed.format !== "anyint-desk-handoff" || !parsed.keys) rejected();
  return parsed.keys;
}
