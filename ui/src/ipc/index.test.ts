import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import {
  auditExport,
  auditList,
  connectionActivate,
  connectionAdd,
  connectionsList,
  ErrorCodes,
  keyAdd,
  keyBind,
  keychainStatus,
  keyCopy,
  keyDelete,
  keysAttention,
  keysExportHandoff,
  keysImportHandoff,
  keysList,
  keyUpdate,
  keyVerify,
  modelsList,
  rotationCancel,
  rotationCommit,
  rotationPlan,
  toIpcError,
  type CommandName,
} from "./index";

describe("ipc wrappers", () => {
  it("call the contract's command names with camelCase argument objects", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "connections_list" ? [] : {};
    });
    await connectionsList();
    await connectionAdd({ name: "Prod", baseUrl: "https://api.anyint.ai" });
    await connectionActivate("c2");
    await modelsList(true);
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
    await keysList();
    await keyAdd({ meta, secret: null });
    await keyUpdate("k1", meta);
    await keyDelete("k1", true);
    await keyVerify("k1");
    await keyBind("c1", "staging", "k1");
    await keyCopy("k1");
    await rotationPlan("k1", "sk-new");
    await rotationCommit("k1", false);
    await rotationCancel("k1");
    await auditList(50);
    await auditExport();
    await keysAttention();
    await keysExportHandoff(["k1", "k2"], "twelve chars!");
    await keysImportHandoff("-----BEGIN AGE ENCRYPTED FILE-----", "twelve chars!");
    // Typed as CommandName so a name the contract does not have fails `npm run check` here too.
    const expected: [CommandName, unknown][] = [
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
    ];
    expect(seen).toEqual(expected);
  });

  it("pass a boundary error through as {code, message}", async () => {
    mockIPC(() => {
      throw { code: ErrorCodes.InvalidKey, message: "Invalid API key", extra: 1 };
    });
    await expect(modelsList(false)).rejects.toEqual({ code: ErrorCodes.InvalidKey, message: "Invalid API key" });
  });

  it("treat a code this build does not know as internal, keeping the message", async () => {
    // A newer backend's code: `switch (err.code)` in the UI has no case for it, so it must not pass as is.
    mockIPC(() => {
      throw { code: "something_new", message: "from the future" };
    });
    await expect(keysList()).rejects.toEqual({ code: ErrorCodes.Internal, message: "from the future" });
  });

  it("normalise anything else into code internal", async () => {
    mockIPC(() => {
      throw new TypeError("boom");
    });
    await expect(connectionsList()).rejects.toEqual({ code: ErrorCodes.Internal, message: "boom" });
    expect(toIpcError("plain text")).toEqual({ code: ErrorCodes.Internal, message: "plain text" });
    expect(toIpcError({ code: 5, message: "x" })).toEqual({ code: ErrorCodes.Internal, message: "x" });
    expect(toIpcError({ code: ErrorCodes.NotFound })).toEqual({ code: ErrorCodes.Internal, message: "[object Object]" });
  });
});
