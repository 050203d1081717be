// Test-only: an in-memory stand-in for the Rust commands, installed through Tauri's mockIPC so
// tests exercise the real src/ipc wrappers (names, argument keys, error normalisation).
// Lives in src/ipc because it is the only folder allowed to import @tauri-apps/api.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type {
  Attention,
  AttentionReason,
  AuditEntry,
  Connection,
  Environment,
  ImportReport,
  IpcError,
  KeyKind,
  KeyRecord,
  ModelInfo,
  ModelsView,
  NewConnection,
  NewKeyInput,
  KeyMetadata,
  Outcome,
  RotationPlan,
  RotationResult,
  Verification,
} from "./index";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export interface FakeBackend {
  connections: Connection[];
  models: Record<string, ModelInfo[]>;
  calls: Call[];
  /** Next models_list answers with this error instead of a list (once per queued entry). */
  modelsErrors: IpcError[];
  /** Next connection_add rejects with this. */
  addError: IpcError | null;
  fromCache: boolean;
  /** When set, models_list waits for this promise before answering (to observe loading). */
  gate: Promise<void> | null;
  callsTo(cmd: string): Call[];

  // ---- key vault
  keys: KeyRecord[];
  /** The fake keychain: key id → secret. Test-only; the real secrets never reach the UI. */
  keychain: Record<string, string>;
  /** When set, keychain_status and every keychain write reject with it. */
  keychainError: IpcError | null;
  /** What the gateway says about a secret; unknown secrets are `invalid` (401). */
  gateway: Record<string, { outcome: Outcome; models: string[] }>;
  /** ANYINT_API_KEY as the backend process would see it. */
  envKey: string | null;
  bindings: { connectionId: string; environment: Environment; keyId: string }[];
  audit: AuditEntry[];
  /** The next call of a command rejects with this error (once), e.g. `failNext.key_copy`. */
  failNext: Record<string, IpcError>;
  /** The text of the last hand-off file keys_export_handoff "wrote" (see `handoffFile`). */
  lastHandoff: string | null;
}

export const HANDOFF_PATH = "/home/tester/Downloads/anyint-keys-handoff.age";
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

/**
 * A hand-off file as the fake backend writes and reads it. NOT encrypted (the passphrase and
 * the secrets sit in the text): it only has the real file's armor lines, for tests.
 */
export function handoffFile(passphrase: string, keys: { meta: KeyMetadata; secret: string }[]): string {
  return `${ARMOR_BEGIN}\nFAKE ${JSON.stringify({ format: "anyint-desk-handoff", passphrase, keys })}\n${ARMOR_END}\n`;
}

function openHandoff(text: string, passphrase: string): { meta: KeyMetadata; secret: string }[] {
  const rejected = { code: "handoff_rejected", message: "wrong passphrase, or not an AnyInt Desk hand-off file" };
  const body = text.trim();
  if (!body.startsWith(ARMOR_BEGIN) || !body.endsWith(ARMOR_END)) throw rejected;
  const inner = body.slice(ARMOR_BEGIN.length, -ARMOR_END.length).trim();
  if (!inner.startsWith("FAKE ")) throw rejected;
  let parsed: { format?: string; passphrase?: string; keys?: { meta: KeyMetadata; secret: string }[] };
  try {
    parsed = JSON.parse(inner.slice(5)) as typeof parsed;
  } catch {
    throw rejected;
  }
  if (parsed.passphrase !== passphrase || parsed.format !== "anyint-desk-handoff" || !parsed.keys) throw rejected;
  return parsed.keys;
}

export function model(id: string, displayName: string | null = null, createdAt: string | null = null): ModelInfo {
  return { id, displayName, type: "chat", createdAt, ownedBy: null };
}

export const SANDBOX: Connection = {
  id: "sandbox",
  name: "Sandbox",
  baseUrl: "http://127.0.0.1:41234",
  kind: "sandbox",
  active: true,
  environment: "dev",
  keySource: "sandbox",
  maskedKey: "sk-sand…1234",
};

export const NOW = "2025-03-01T10:00:00Z";

function kindOf(secret: string): KeyKind {
  if (secret.startsWith("sk-plan-")) return "plan";
  if (secret.startsWith("sk-custom-")) return "custom";
  return "basic";
}

function prefixOf(secret: string): string {
  return { plan: "sk-plan-", custom: "sk-custom-", basic: "sk-" }[kindOf(secret)];
}

export function maskOf(secret: string): string {
  return `${prefixOf(secret)}…${secret.slice(-4)}`;
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

export function installFakeBackend(
  init: Partial<Pick<FakeBackend, "connections" | "models" | "keys" | "keychain" | "gateway" | "bindings">> = {},
): FakeBackend {
  const fake: FakeBackend = {
    connections: (init.connections ?? [SANDBOX]).map((c) => ({ ...c })),
    models: init.models ?? {
      sandbox: [
        model("gpt-4o", "GPT-4o", "2024-05-13T00:00:00Z"),
        model("claude-sonnet-4-5", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
        model("gemini-2.5-pro", null, null),
      ],
    },
    calls: [],
    modelsErrors: [],
    addError: null,
    fromCache: false,
    gate: null,
    callsTo: (cmd) => fake.calls.filter((c) => c.cmd === cmd),
    keys: (init.keys ?? []).map((k) => ({ ...k })),
    keychain: { ...(init.keychain ?? {}) },
    keychainError: null,
    gateway: init.gateway ?? {},
    envKey: null,
    bindings: [...(init.bindings ?? [])],
    audit: [],
    failNext: {},
    lastHandoff: null,
  };
  const pending = new Map<string, { secret: string; plan: RotationPlan }>();
  let nextKey = fake.keys.length + 1;

  const keyOf = (id: unknown): KeyRecord => {
    const k = fake.keys.find((x) => x.id === id);
    if (!k) throw { code: "not_found", message: `no key ${String(id)}` };
    return k;
  };
  const record = (action: string, k: KeyRecord | null, outcome: string, detail: string | null = null) => {
    fake.audit.unshift({
      id: fake.audit.length + 1,
      at: NOW,
      actor: "tester",
      action,
      keyId: k?.id ?? null,
      keyLabel: k?.label ?? null,
      keyFingerprint: k?.fingerprint ?? null,
      outcome,
      detail,
    });
  };
  const check = (secret: string): Verification => {
    const g = fake.gateway[secret] ?? { outcome: "invalid" as Outcome, models: [] };
    return verificationFor(g.outcome, g.models);
  };
  const usersOf = (keyId: string) => [...new Set(fake.bindings.filter((b) => b.keyId === keyId).map((b) => b.connectionId))];
  const attention = (): Attention[] =>
    fake.keys.flatMap((k) => {
      const reasons: AttentionReason[] = [];
      if (k.status !== "retired" && !k.lastVerification) reasons.push("never_verified");
      if (k.lastVerification && k.lastVerification.outcome !== "works") reasons.push("verification_failed");
      if (k.status === "retired" && usersOf(k.id).length > 0) reasons.push("retired_but_in_use");
      if (!k.inKeychain) reasons.push("missing_from_keychain");
      return reasons.length ? [{ keyId: k.id, label: k.label, maskedKey: k.maskedKey, reasons }] : [];
    });

  mockIPC(async (cmd, payload) => {
    // A copy, as the real IPC serialises: later changes to the caller's object are not seen.
    const args = JSON.parse(JSON.stringify(payload ?? {})) as Record<string, unknown>;
    fake.calls.push({ cmd, args });
    const planned = fake.failNext[cmd];
    if (planned) {
      delete fake.failNext[cmd];
      throw planned;
    }
    if (cmd.startsWith("key") || cmd.startsWith("rotation") || cmd.startsWith("audit")) return keyCommand(cmd, args);
    switch (cmd) {
      case "connections_list":
        return fake.connections.map((c) => ({ ...c }));
      case "connection_add": {
        if (fake.addError) throw fake.addError;
        const input = args.input as NewConnection;
        const created: Connection = {
          id: `c${fake.connections.length + 1}`,
          name: input.name,
          baseUrl: input.baseUrl,
          kind: "anyint",
          environment: "prod",
          active: false,
          keySource: "env:ANYINT_API_KEY",
          maskedKey: null,
        };
        fake.connections.push(created);
        return created;
      }
      case "connection_activate": {
        const target = fake.connections.find((c) => c.id === args.id);
        if (!target) throw { code: "not_found", message: `no connection ${String(args.id)}` };
        for (const c of fake.connections) c.active = c.id === target.id;
        return { ...target };
      }
      case "models_list": {
        if (fake.gate) await fake.gate;
        const err = fake.modelsErrors.shift();
        if (err) throw err;
        const active = fake.connections.find((c) => c.active);
        if (!active) throw { code: "internal", message: "no active connection" };
        const view: ModelsView = {
          connectionId: active.id,
          models: fake.models[active.id] ?? [],
          fetchedAt: "2025-01-02T03:04:05Z",
          fromCache: fake.fromCache,
        };
        return view;
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });

  function keyCommand(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case "keychain_status":
        if (fake.keychainError) throw fake.keychainError;
        return null;
      case "keys_list":
        return fake.keys.map((k) => ({ ...k }));
      case "keys_attention":
        return attention();
      case "key_add": {
        const input = args.input as NewKeyInput;
        const secret = (input.secret ?? fake.envKey ?? "").trim();
        if (!input.meta.label.trim()) throw { code: "invalid_input", message: "give the key a label" };
        if (!secret) {
          throw { code: "invalid_input", message: input.secret === null ? "ANYINT_API_KEY is not set or empty" : "paste a key first" };
        }
        if (fake.keychainError) throw fake.keychainError;
        const dup = fake.keys.find((k) => k.fingerprint === fingerprintOf(secret));
        if (dup) throw { code: "duplicate_key", message: `this key is already stored as “${dup.label}”` };
        const created = keyRecord(`k${nextKey++}`, secret, input.meta);
        fake.keys.push(created);
        fake.keychain[created.id] = secret;
        record("key.added", created, "ok");
        return { ...created };
      }
      case "key_update": {
        const k = keyOf(args.id);
        Object.assign(k, args.meta as KeyMetadata);
        record("key.updated", k, "ok");
        return { ...k };
      }
      case "key_delete": {
        const k = keyOf(args.id);
        if (usersOf(k.id).length) throw { code: "key_in_use", message: `used by ${usersOf(k.id).join(", ")}` };
        fake.keys = fake.keys.filter((x) => x !== k);
        if (args.alsoKeychain) delete fake.keychain[k.id];
        record("key.deleted", k, "ok");
        return null;
      }
      case "key_verify": {
        const k = keyOf(args.id);
        const secret = fake.keychain[k.id];
        if (secret === undefined) throw { code: "key_missing", message: `the secret of “${k.label}” is not in the keychain` };
        const v = check(secret);
        k.lastVerification = v;
        k.lastVerifiedAt = v.checkedAt;
        record("key.verified", k, v.outcome);
        return v;
      }
      case "key_bind": {
        const k = keyOf(args.keyId);
        const c = fake.connections.find((x) => x.id === args.connectionId);
        if (!c) throw { code: "not_found", message: `no connection ${String(args.connectionId)}` };
        const environment = args.environment as Environment;
        fake.bindings = fake.bindings.filter((b) => !(b.connectionId === c.id && b.environment === environment));
        fake.bindings.push({ connectionId: c.id, environment, keyId: k.id });
        c.environment = environment;
        c.maskedKey = k.maskedKey;
        c.keySource = `keychain: ${k.label}`;
        record("key.bound", k, "ok", `${c.id} ${environment}`);
        return { ...c };
      }
      case "key_copy": {
        const k = keyOf(args.id);
        if (fake.keychain[k.id] === undefined) throw { code: "key_missing", message: "not in the keychain" };
        record("key.copied", k, "ok");
        return 30;
      }
      case "rotation_plan": {
        const old = keyOf(args.oldKeyId);
        const secret = String(args.newSecret ?? "").trim();
        if (!secret) throw { code: "invalid_input", message: "paste the replacement key first" };
        const v = check(secret);
        if (v.outcome !== "works") {
          record("rotation.verify_failed", old, v.outcome);
          throw { code: "new_key_rejected", message: `the new key was not accepted (${v.outcome}); nothing was changed` };
        }
        const oldSecret = fake.keychain[old.id];
        const oldV = oldSecret === undefined ? null : check(oldSecret);
        const before = new Set(oldV?.modelIds ?? []);
        const after = new Set(v.modelIds);
        old.status = "rotating";
        const plan: RotationPlan = {
          old: { ...old },
          newMaskedKey: maskOf(secret),
          newFingerprint: fingerprintOf(secret),
          newKind: kindOf(secret),
          newVerification: v,
          oldVerification: oldV,
          oldModels: oldV ? "live" : "unknown",
          gained: [...after].filter((m) => !before.has(m)).sort(),
          lost: [...before].filter((m) => !after.has(m)).sort(),
          connections: usersOf(old.id),
        };
        pending.set(old.id, { secret, plan });
        record("rotation.verified", old, "ok");
        return plan;
      }
      case "rotation_commit": {
        const old = keyOf(args.oldKeyId);
        const p = pending.get(old.id);
        if (!p) throw { code: "invalid_input", message: "no verified rotation is waiting for this key" };
        pending.delete(old.id);
        const created = keyRecord(`k${nextKey++}`, p.secret, {
          label: old.label,
          team: old.team,
          project: old.project,
          environment: old.environment,
          rotateBy: null,
          expiresAt: null,
          notes: old.notes,
        });
        created.lastVerification = p.plan.newVerification;
        created.lastVerifiedAt = p.plan.newVerification.checkedAt;
        fake.keys.push(created);
        fake.keychain[created.id] = p.secret;
        for (const b of fake.bindings) if (b.keyId === old.id) b.keyId = created.id;
        for (const c of fake.connections) {
          if (p.plan.connections.includes(c.id)) {
            c.maskedKey = created.maskedKey;
            c.keySource = `keychain: ${created.label}`;
          }
        }
        old.status = "retired";
        old.replacedBy = created.id;
        const keepOld = Boolean(args.keepOld);
        if (!keepOld) {
          delete fake.keychain[old.id];
          old.inKeychain = false;
        }
        record("rotation.committed", old, "ok");
        const result: RotationResult = {
          new: { ...created },
          old: { ...old },
          connections: p.plan.connections,
          oldSecretDeleted: !keepOld,
          warning: null,
          reminder: `Revoke ${old.maskedKey} in the AnyInt dashboard: the gateway still accepts it until you do.`,
        };
        return result;
      }
      case "rotation_cancel": {
        const old = keyOf(args.oldKeyId);
        pending.delete(old.id);
        if (old.status === "rotating") old.status = "active";
        record("rotation.cancelled", old, "ok");
        return { ...old };
      }
      case "audit_list":
        return fake.audit.slice(0, Number(args.limit)).map((e) => ({ ...e }));
      case "audit_export":
        return "/home/tester/Downloads/anyint-desk-audit.csv";
      case "keys_export_handoff": {
        const passphrase = String(args.passphrase ?? "");
        const ids = (args.ids ?? []) as string[];
        if ([...passphrase].length < 12) throw { code: "invalid_input", message: "use a passphrase of at least 12 characters" };
        if (ids.length === 0) throw { code: "invalid_input", message: "select at least one key to export" };
        if (fake.keychainError) throw fake.keychainError;
        const picked = ids.map((id) => {
          const k = keyOf(id);
          const secret = fake.keychain[k.id];
          if (secret === undefined) throw { code: "key_missing", message: `the secret of “${k.label}” is not in the keychain` };
          const m: KeyMetadata = {
            label: k.label,
            team: k.team,
            project: k.project,
            environment: k.environment,
            rotateBy: k.rotateBy,
            expiresAt: k.expiresAt,
            notes: k.notes,
          };
          return { k, entry: { meta: m, secret } };
        });
        fake.lastHandoff = handoffFile(passphrase, picked.map((p) => p.entry));
        for (const p of picked) record("key.exported", p.k, "ok", "encrypted hand-off file");
        return HANDOFF_PATH;
      }
      case "keys_import_handoff": {
        const entries = openHandoff(String(args.file ?? ""), String(args.passphrase ?? ""));
        if (fake.keychainError) throw fake.keychainError;
        const report: ImportReport = { imported: [], skipped: [] };
        for (const { meta: m, secret } of entries) {
          if (!secret.trim()) {
            report.skipped.push({ label: m.label, reason: "the secret is empty" });
            continue;
          }
          const dup = fake.keys.find((k) => k.fingerprint === fingerprintOf(secret));
          if (dup) {
            report.skipped.push({ label: m.label, reason: `this key is already stored as “${dup.label}”` });
            continue;
          }
          const created = keyRecord(`k${nextKey++}`, secret, m);
          fake.keys.push(created);
          fake.keychain[created.id] = secret;
          record("key.imported", created, "ok", "imported from a hand-off by tester");
          report.imported.push({ ...created });
        }
        return report;
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  }
  return fake;
}

/** Removes whatever mockIPC installed, so the next test starts with no backend at all. */
export function removeFakeBackend(): void {
  clearMocks();
}
