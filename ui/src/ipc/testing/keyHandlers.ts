// The fake's key vault commands (keys, rotation, audit, hand-off). Split from fakeBackend.ts
// only to keep each file readable; the return types make the parts cover the contract.
import {
  ErrorCodes,
  HANDOFF_MIN_PASSPHRASE,
  type Attention,
  type AttentionReason,
  type Connection,
  type ImportReport,
  type KeyRecord,
  type RotationPlan,
  type Verification,
} from "../index";
import { fail, fingerprintOf, handoffFile, HANDOFF_PATH, keyRecord, kindOf, maskOf, metaOf, NOW, openHandoff, verificationFor } from "./records";
import type { FakeBackend, Handlers, KeyCommand } from "./types";

/** What the key commands need from the connection half of the fake. */
export interface ConnectionAccess {
  /** The stored connection, or a not_found rejection. */
  connectionOf(id: string): Connection;
  /** The connection as the backend would answer with it (bound key on top). */
  describe(c: Connection): Connection;
}

export function keyHandlers(fake: FakeBackend, connections: ConnectionAccess): Pick<Handlers, KeyCommand> {
  // A verified rotation waits in `fake.rotations` between rotation_plan and rotation_commit (in
  // Rust: SQLite and the keychain, so it survives a restart); the new secret never travels back.
  let nextKey = fake.keys.length + 1;

  const keyOf = (id: string): KeyRecord => fake.keys.find((x) => x.id === id) ?? fail(ErrorCodes.NotFound, `no key ${id}`);
  const secretOf = (k: KeyRecord): string =>
    fake.keychain[k.id] ?? fail(ErrorCodes.KeyMissing, `the secret of “${k.label}” is not in the keychain`);
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
    const g = fake.gateway[secret] ?? { outcome: "invalid", models: [] };
    return verificationFor(g.outcome, g.models);
  };
  const duplicateOf = (secret: string) => fake.keys.find((k) => k.fingerprint === fingerprintOf(secret));
  const usersOf = (keyId: string) => [...new Set(fake.bindings.filter((b) => b.keyId === keyId).map((b) => b.connectionId))];
  // Rust's KeyRecord.usedBy, from the bindings (the Sandbox's name as the real one).
  const withUses = (k: KeyRecord): KeyRecord => ({
    ...k,
    usedBy: fake.bindings
      .filter((b) => b.keyId === k.id)
      .map((b) => ({ connectionId: b.connectionId, connectionName: fake.connections.find((c) => c.id === b.connectionId)?.name ?? b.connectionId, environment: b.environment })),
  });
  // Rust's rule: a key belongs to its first connection's host (seeded keys: their first binding).
  const homeOf = (k: KeyRecord): string | null => k.connectionId ?? fake.bindings.find((b) => b.keyId === k.id)?.connectionId ?? null;
  const hostOf = (c: Connection) => {
    try {
      const u = new URL(c.baseUrl);
      return `${u.protocol}//${u.host}`;
    } catch {
      return c.baseUrl;
    }
  };
  const keychainWorks = () => {
    if (fake.keychainError) throw fake.keychainError;
  };

  return {
    keychain_status: () => {
      keychainWorks();
      return null;
    },

    keys_list: () => fake.keys.map(withUses),

    keys_attention: () =>
      fake.keys.flatMap((k): Attention[] => {
        const reasons: AttentionReason[] = [];
        if (k.status !== "retired" && !k.lastVerification) reasons.push("never_verified");
        if (k.lastVerification && k.lastVerification.outcome !== "works") reasons.push("verification_failed");
        if (k.status === "retired" && usersOf(k.id).length > 0) reasons.push("retired_but_in_use");
        if (!k.inKeychain) reasons.push("missing_from_keychain");
        return reasons.length ? [{ keyId: k.id, label: k.label, maskedKey: k.maskedKey, reasons }] : [];
      }),

    key_add: ({ input }) => {
      const secret = (input.secret ?? fake.envKey ?? "").trim();
      if (!input.meta.label.trim()) fail(ErrorCodes.InvalidInput, "give the key a label");
      if (!secret) fail(ErrorCodes.InvalidInput, input.secret === null ? "ANYINT_API_KEY is not set or empty" : "paste a key first");
      keychainWorks();
      const dup = duplicateOf(secret);
      if (dup) fail(ErrorCodes.DuplicateKey, `this key is already stored as “${dup.label}”`);
      const created = keyRecord(`k${nextKey++}`, secret, input.meta);
      fake.keys.push(created);
      fake.keychain[created.id] = secret;
      record("key.added", created, "ok");
      return created;
    },

    key_update: ({ id, meta }) => {
      const k = keyOf(id);
      Object.assign(k, meta);
      record("key.updated", k, "ok");
      return k;
    },

    key_delete: ({ id, alsoKeychain }) => {
      const k = keyOf(id);
      const users = usersOf(k.id);
      if (users.length) fail(ErrorCodes.KeyInUse, `used by ${users.join(", ")}`);
      fake.keys = fake.keys.filter((x) => x !== k);
      if (alsoKeychain) delete fake.keychain[k.id];
      record("key.deleted", k, "ok");
      return null;
    },

    key_verify: ({ id }) => {
      const k = keyOf(id);
      if (!homeOf(k)) fail(ErrorCodes.InvalidInput, `“${k.label}” belongs to no connection yet: bind it to one (Use…)`);
      const v = check(secretOf(k));
      k.lastVerification = v;
      k.lastVerifiedAt = v.checkedAt;
      record("key.verified", k, v.outcome);
      return v;
    },

    // Rust binds the key and makes that environment the connection's current one, so the answer
    // already says `{ kind: "vault", label, environment }` with the key's masked form.
    key_bind: ({ connectionId, environment, keyId }) => {
      const k = keyOf(keyId);
      const c = connections.connectionOf(connectionId);
      const home = homeOf(k);
      const homeConn = home ? fake.connections.find((x) => x.id === home) : undefined;
      if (homeConn && homeConn.id !== c.id && hostOf(homeConn) !== hostOf(c)) {
        fail(ErrorCodes.InvalidInput, `“${k.label}” belongs to the connection \`${homeConn.name}\`; it can be used only by connections to that gateway`);
      }
      k.connectionId = home ?? c.id;
      fake.bindings = fake.bindings.filter((b) => !(b.connectionId === c.id && b.environment === environment));
      fake.bindings.push({ connectionId: c.id, environment, keyId: k.id });
      c.environment = environment;
      record("key.bound", k, "ok", `${c.id} ${environment}`);
      return connections.describe(c);
    },

    key_unbind: ({ connectionId, environment }) => {
      const c = connections.connectionOf(connectionId);
      const had = fake.bindings.find((b) => b.connectionId === c.id && b.environment === environment);
      fake.bindings = fake.bindings.filter((b) => b !== had);
      if (had) record("key.unbound", keyOf(had.keyId), "ok", `${c.id} ${environment}`);
      return connections.describe(c);
    },

    key_copy: ({ id }) => {
      const k = keyOf(id);
      secretOf(k);
      record("key.copied", k, "ok");
      return 30;
    },

    rotation_plan: ({ oldKeyId, newSecret }) => {
      const old = keyOf(oldKeyId);
      const secret = newSecret.trim();
      if (!secret) fail(ErrorCodes.InvalidInput, "paste the replacement key first");
      const v = check(secret);
      if (v.outcome !== "works") {
        record("rotation.verify_failed", old, v.outcome);
        fail(ErrorCodes.NewKeyRejected, `the new key was not accepted (${v.outcome}); nothing was changed`);
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
        plannedAt: NOW,
      };
      fake.rotations[old.id] = { secret, plan };
      record("rotation.verified", old, "ok");
      return plan;
    },

    // The bindings move to the new key; a connection whose current environment used the old key
    // then answers with the new one (`describe`), as after Rust's commit_rotation.
    rotation_commit: ({ oldKeyId, keepOld }) => {
      const old = keyOf(oldKeyId);
      const p = fake.rotations[old.id] ?? fail(ErrorCodes.InvalidInput, "no verified rotation is waiting for this key");
      delete fake.rotations[old.id];
      const created = keyRecord(`k${nextKey++}`, p.secret, { ...metaOf(old), rotateBy: null, expiresAt: null });
      created.lastVerification = p.plan.newVerification;
      created.lastVerifiedAt = p.plan.newVerification.checkedAt;
      created.connectionId = homeOf(old);
      fake.keys.push(created);
      fake.keychain[created.id] = p.secret;
      for (const b of fake.bindings) if (b.keyId === old.id) b.keyId = created.id;
      old.status = "retired";
      old.replacedBy = created.id;
      if (!keepOld) {
        delete fake.keychain[old.id];
        old.inKeychain = false;
      }
      record("rotation.committed", old, "ok");
      return {
        new: created,
        old,
        connections: p.plan.connections,
        oldSecretDeleted: !keepOld,
        warning: null,
        reminder: `Revoke ${old.maskedKey} in the AnyInt dashboard: the gateway still accepts it until you do.`,
      };
    },

    rotation_cancel: ({ oldKeyId }) => {
      const old = keyOf(oldKeyId);
      delete fake.rotations[old.id];
      if (old.status === "rotating") old.status = "active";
      record("rotation.cancelled", old, "ok");
      return old;
    },

    rotations_pending: () => Object.values(fake.rotations).map((r) => ({ ...r.plan, old: withUses(keyOf(r.plan.old.id)) })),

    audit_list: ({ limit }) => fake.audit.slice(0, limit),

    audit_export: () => "/home/tester/Downloads/anyint-desk-audit.csv",

    keys_export_handoff: ({ ids, passphrase }) => {
      if ([...passphrase].length < HANDOFF_MIN_PASSPHRASE) {
        fail(ErrorCodes.InvalidInput, `use a passphrase of at least ${HANDOFF_MIN_PASSPHRASE} characters`);
      }
      if (ids.length === 0) fail(ErrorCodes.InvalidInput, "select at least one key to export");
      keychainWorks();
      const picked = ids.map((id) => {
        const k = keyOf(id);
        return { k, entry: { meta: metaOf(k), secret: secretOf(k) } };
      });
      fake.lastHandoff = handoffFile(passphrase, picked.map((p) => p.entry));
      for (const p of picked) record("key.exported", p.k, "ok", "encrypted hand-off file");
      return HANDOFF_PATH;
    },

    keys_import_handoff: ({ file, passphrase }) => {
      const entries = openHandoff(file, passphrase);
      keychainWorks();
      const report: ImportReport = { imported: [], skipped: [] };
      for (const { meta: m, secret } of entries) {
        if (!secret.trim()) {
          report.skipped.push({ label: m.label, reason: "the secret is empty" });
          continue;
        }
        const dup = duplicateOf(secret);
        if (dup) {
          report.skipped.push({ label: m.label, reason: `this key is already stored as “${dup.label}”` });
          continue;
        }
        const created = keyRecord(`k${nextKey++}`, secret, m);
        fake.keys.push(created);
        fake.keychain[created.id] = secret;
        record("key.imported", created, "ok", "imported from a hand-off by tester");
        report.imported.push(created);
      }
      return report;
    },
  };
}
