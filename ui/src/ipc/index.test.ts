import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import {
  activateConnection,
  addConnection,
  addKey,
  bindKey,
  cancelRotation,
  commitRotation,
  copyKey,
  deleteKey,
  exportAudit,
  exportHandoff,
  importHandoff,
  keychainStatus,
  keysAttention,
  listAudit,
  listConnections,
  listKeys,
  listModels,
  planRotation,
  toIpcError,
  updateKey,
  verifyKey,
} from "./index";

describe("ipc wrappers", () => {
  it("call the contract's command names with camelCase argument objects", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "connections_list" ? [] : {};
    });
    await listConnections();
    await addConnection({ name: "Prod", baseUrl: "https://api.anyint.ai" });
    await activateConnection("c2");
    await listModels(true);
    expect(seen.map(([c]) => c)).toEqual([
      "connections_list",
      "connection_add",
      "connection_activate",
      "models_list",
    ]);
    expect(seen[1]?.[1]).toEqual({ input: { name: "Prod", baseUrl: "https://api.anyint.ai" } });
    expect(seen[2]?.[1]).toEqual({ id: "c2" });
    expect(seen[3]?.[1]).toEqual({ refresh: true });
  });

  it("call the key vault commands with the Rust side's camelCase argument names", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    const meta = { label: "L", team: null, project: null, environment: "prod" as const, rotateBy: null, expiresAt: null, notes: null };
    await keychainStatus();
    await listKeys();
    await addKey({ meta, secret: null });
    await updateKey("k1", meta);
    await deleteKey("k1", true);
    await verifyKey("k1");
    await bindKey("c1", "staging", "k1");
    await copyKey("k1");
    await planRotation("k1", "sk-new");
    await commitRotation("k1", false);
    await cancelRotation("k1");
    await listAudit(50);
    await exportAudit();
    await keysAttention();
    await exportHandoff(["k1", "k2"], "twelve chars!");
    await importHandoff("-----BEGIN AGE ENCRYPTED FILE-----", "twelve chars!");
    expect(seen).toEqual([
      ["keychain_status", {}],
      ["keys_list", {}],
      ["key_add", { input: { meta, secret: null } }],
      ["key_update", { id: "k1", meta }],
      ["key_delete", { id: "k1", alsoKeychain: true }],
      ["key_verify", { id: "k1" }],
      ["key_bind", { connectionId: "c1", environment: "staging", keyId: "k1" }],
      ["key_copy", { id: "k1" }],
      ["rotation_plan", { oldKeyId: "k1", newSecret: "sk-new" }],
      ["rotation_commit", { oldKeyId: "k1", keepOld: false }],
      ["rotation_cancel", { oldKeyId: "k1" }],
      ["audit_list", { limit: 50 }],
      ["audit_export", {}],
      ["keys_attention", {}],
      ["keys_export_handoff", { ids: ["k1", "k2"], passphrase: "twelve chars!" }],
      ["keys_import_handoff", { file: "-----BEGIN AGE ENCRYPTED FILE-----", passphrase: "twelve chars!" }],
    ]);
  });

  it("pass a boundary error through as {code, message}", async () => {
    mockIPC(() => {
      throw { code: "invalid_key", message: "Invalid API key", extra: 1 };
    });
    await expect(listModels(false)).rejects.toEqual({ code: "invalid_key", message: "Invalid API key" });
  });

  it("normalise anything else into code internal", async () => {
    mockIPC(() => {
      throw new TypeError("boom");
    });
    await expect(listConnections()).rejects.toEqual({ code: "internal", message: "TypeError: boom" });
    expect(toIpcError("plain text")).toEqual({ code: "internal", message: "plain text" });
    expect(toIpcError({ code: 5, message: "x" })).toEqual({ code: "internal", message: "[object Object]" });
  });
});
