import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { activateConnection, addConnection, listConnections, listModels, toIpcError } from "./index";

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
