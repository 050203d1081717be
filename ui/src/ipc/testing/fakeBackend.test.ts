// Pins what the screen tests take on trust: the double answers like the Rust side for the
// Sandbox, for new connections and for bound keys, and rejects only with boundary errors.
import { invoke } from "@tauri-apps/api/core";
import { describe, expect, it } from "vitest";
import { connectionActivate, connectionAdd, connectionsList, ErrorCodes, keyBind, keyVerify, rotationCommit, rotationPlan } from "../index";
import { installFakeBackend, keyRecord, maskOf, meta, SANDBOX } from "./fakeBackend";
import sandboxJson from "./sandbox-connection.json";

const OLD = "sk-plan-old-secret-0001";
const NEW = "sk-plan-new-secret-0002";

describe("fake backend", () => {
  it("lists the Sandbox exactly as the real backend returns it", async () => {
    installFakeBackend();
    expect(SANDBOX).toEqual(sandboxJson);
    expect(await connectionsList()).toEqual([sandboxJson]);
  });

  it("starts a new connection in prod, with ANYINT_API_KEY only when it opts in and the app has one", async () => {
    const fake = installFakeBackend();
    const bare = await connectionAdd({ name: "Prod", baseUrl: "https://api.anyint.ai/" });
    expect(bare).toMatchObject({ environment: "prod", keySource: { kind: "missing" }, maskedKey: null, active: false });
    expect(bare.baseUrl).toBe("https://api.anyint.ai");
    fake.envKey = "sk-from-the-env-5555";
    const noOptIn = await connectionAdd({ name: "Other", baseUrl: "https://other.api.anyint.ai" });
    expect(noOptIn).toMatchObject({ keySource: { kind: "missing" }, maskedKey: null, useEnvKey: false });
    const withEnv = await connectionAdd({ name: "Gateway", baseUrl: "https://gateway.api.anyint.ai", useEnvKey: true });
    expect(withEnv).toMatchObject({ environment: "prod", keySource: { kind: "environmentVariable" }, maskedKey: maskOf(fake.envKey) });
    await expect(connectionAdd({ name: "Plain", baseUrl: "http://gw.example" })).rejects.toMatchObject({ code: ErrorCodes.InsecureHttp });
    expect(await connectionAdd({ name: "Plain", baseUrl: "http://gw.example", allowInsecureHttp: true })).toMatchObject({ insecureHttp: true });
    expect(await connectionAdd({ name: "Local", baseUrl: "http://127.0.0.1:8080" })).toMatchObject({ insecureHttp: false });
    await expect(connectionAdd({ name: "prod", baseUrl: "https://x.example" })).rejects.toMatchObject({ code: ErrorCodes.InvalidInput });
  });

  it("answers with the vault key bound for the connection's current environment", async () => {
    const fake = installFakeBackend({
      keys: [keyRecord("k1", OLD, meta("Search prod", "prod"))],
      keychain: { k1: OLD },
      gateway: { [NEW]: { outcome: "works", models: [] } },
    });
    const bound = await keyBind("sandbox", "staging", "k1");
    expect(bound).toMatchObject({
      environment: "staging",
      keySource: { kind: "vault", label: "Search prod", environment: "staging" },
      maskedKey: maskOf(OLD),
    });
    await rotationPlan("k1", NEW);
    await rotationCommit("k1", false);
    const [sandbox] = await connectionsList();
    expect(sandbox?.keySource).toEqual({ kind: "vault", label: "Search prod", environment: "staging" });
    expect(sandbox?.maskedKey).toBe(maskOf(NEW));
    // A binding for another environment does not change what the connection uses now.
    fake.bindings = [{ connectionId: "sandbox", environment: "dev", keyId: "k2" }];
    expect((await connectionActivate("sandbox")).keySource).toEqual(SANDBOX.keySource);
  });

  it("rejects with boundary errors, and loudly for a command outside the contract", async () => {
    installFakeBackend();
    await expect(keyVerify("nope")).rejects.toEqual({ code: ErrorCodes.NotFound, message: "no key nope" });
    await expect(invoke("no_such_command")).rejects.toThrow("unexpected command no_such_command");
  });
});
