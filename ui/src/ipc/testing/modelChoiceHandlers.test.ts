// Pins the fake's model choice to the Rust rules the screens will rely on: names and
// fallbacks validated, whole-file JSON import, the dry run's never-on-4xx rows, prices checked.
import { describe, expect, it } from "vitest";
import type { Workload } from "../bindings/Workload";
import {
  ErrorCodes,
  pricesList,
  priceSave,
  workloadDryRun,
  workloadSave,
  workloadsExport,
  workloadsImport,
  workloadsList,
} from "../index";
import { installFakeBackend } from "./fakeBackend";

const chat: Workload = {
  name: "chat",
  family: "openai_chat",
  primary: "gpt-5",
  fallback: "gpt-5-mini",
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
};

describe("fake model choice", () => {
  it("validates, lists and round-trips workloads as JSON", async () => {
    installFakeBackend();
    await workloadSave(chat);
    await expect(workloadSave({ ...chat, name: "Chat Bot" })).rejects.toMatchObject({ code: ErrorCodes.InvalidInput });
    await expect(workloadSave({ ...chat, fallback: "gpt-5" })).rejects.toMatchObject({ code: ErrorCodes.InvalidInput });
    const text = await workloadsExport("json");
    const bad = JSON.stringify({ workloads: [{ ...chat, name: "other" }, { ...chat, name: "a b" }] });
    await expect(workloadsImport(bad, "json")).rejects.toMatchObject({ code: ErrorCodes.InvalidInput });
    expect(await workloadsList()).toEqual([chat]);
    expect(await workloadsImport(text, "json")).toEqual([chat]);
  });

  it("never falls back on 400/401/403 in the dry run, and asks first on a paid tier", async () => {
    installFakeBackend();
    await workloadSave(chat);
    for (const status of [400, 401, 403]) {
      const [step] = await workloadDryRun("chat", { type: "status", status, body: "", retryAfterS: null }, false);
      expect(step?.action).toEqual({ type: "giveUp" });
    }
    const [fell] = await workloadDryRun("chat", { type: "fault", name: "maintenance" }, false);
    expect(fell?.action).toEqual({ type: "fallBack", model: "gpt-5-mini" });
    await workloadSave({ ...chat, paidTier: true });
    const [held] = await workloadDryRun("chat", { type: "status", status: 503, body: "", retryAfterS: null }, false);
    expect(held?.action).toEqual({ type: "askFirst", model: "gpt-5-mini" });
    await expect(workloadDryRun("nope", { type: "fault", name: "reset" }, false)).rejects.toMatchObject({ code: ErrorCodes.NotFound });
  });

  it("keeps only valid prices", async () => {
    installFakeBackend();
    const price = { model: "gpt-5", inputPerMtok: 1.25, outputPerMtok: 10, cachedInputPerMtok: null, perImage: null, perVideoSecond: null, perSong: null, currency: "USD" };
    await priceSave(price);
    await expect(priceSave({ ...price, inputPerMtok: -1 })).rejects.toMatchObject({ code: ErrorCodes.InvalidInput });
    expect(await pricesList()).toEqual([price]);
  });
});
