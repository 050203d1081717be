// The Usage and Fallback log tabs through App (Alt+8) and the typed fake: totals by day, model
// and key in the table and the chart's figures, "no price" naming the unpriced models, the CSV,
// the price table's save (with the core's reason on a bad amount) and delete, and the log.
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { installFakeBackend } from "../../ipc/testing/fakeBackend";
import { $, $$, choose, openChoice, text, total, type } from "./choiceTesting";

function seeded() {
  const fake = installFakeBackend();
  fake.modelChoice.totals = {
    day: [total("2026-11-30", 3), total("2026-12-01", 5, { failed: 1, cost: 0.0125, currency: "USD", unpricedModels: ["gpt-5-mini"] })],
    model: [total("claude-sonnet-4-6", 6, { cost: 0.02, currency: "USD" }), total("gpt-5-mini", 2, { unpricedModels: ["gpt-5-mini"] })],
    key: [total("a1b2c3d4e5f6", 8)],
    team: [total("platform", 8, { tasks: 3, taskUnits: { images: 2, videoSeconds: 0, songs: 1 } })],
    project: [total("(none)", 8)],
  };
  return fake;
}

describe("Usage", () => {
  it("shows the totals per day in the table and the chart, with costs or the models that have no price", async () => {
    await openChoice(seeded(), "usage");
    await waitFor(() => expect($$("#usage-table [data-group]")).toHaveLength(2));
    const day = $("#usage-table [data-group='2026-12-01']")!;
    const cells = [...day.querySelectorAll("td")].map((td) => td.textContent?.trim());
    expect(cells.slice(0, 5)).toEqual(["2026-12-01", "5", "1", "500", "250"]);
    expect(cells[8]).toBe("—");
    expect(cells[9]).toBe("0.0125 USD + no price: gpt-5-mini");
    expect(text("#usage-table [data-group='2026-11-30'] td:last-child")).toBe("no price");
    expect($("#usage-chart")?.dataset.points).toBe("2");
    expect($("#usage-chart canvas")).not.toBeNull();
    expect($("#usage-chart [role=img]")?.getAttribute("aria-label")).toBe("Requests per day: 2026-11-30 3, 2026-12-01 5");
  });

  it("groups by model or key on request, and the chart plots the chosen figure", async () => {
    const fake = await openChoice(seeded(), "usage");
    await waitFor(() => expect($$("#usage-table [data-group]")).toHaveLength(2));
    await fireEvent.click($("#usage-group-model")!);
    await waitFor(() => expect($("#usage-table [data-group='gpt-5-mini']")).not.toBeNull());
    expect($("#usage-group-model")?.getAttribute("aria-pressed")).toBe("true");
    expect($$("#usage-table th")[0]?.textContent).toBe("Model");
    await choose("#usage-metric", "cost");
    await waitFor(() => expect($("#usage-chart [role=img]")?.getAttribute("aria-label")).toBe("Cost (priced models) per model: claude-sonnet-4-6 0.02, gpt-5-mini 0"));
    await fireEvent.click($("#usage-group-key")!);
    await waitFor(() => expect($$("#usage-table [data-group]").map((r) => r.dataset.group)).toEqual(["a1b2c3d4e5f6"]));
    expect(fake.callsTo("usage_totals").map((c) => c.args.by)).toEqual(["day", "model", "key"]);
  });

  it("groups by the keys' team, with the media and music tasks counted", async () => {
    const fake = await openChoice(seeded(), "usage");
    await waitFor(() => expect($$("#usage-table [data-group]")).toHaveLength(2));
    await fireEvent.click($("#usage-group-team")!);
    await waitFor(() => expect($("#usage-table [data-group='platform']")).not.toBeNull());
    expect(text("#usage-table [data-group='platform'] [data-tasks]")).toBe("3 (2 images, 1 song)");
    expect(fake.callsTo("usage_totals").map((c) => c.args.by)).toEqual(["day", "team"]);
  });

  it("says so when there is no usage yet, and draws no chart", async () => {
    await openChoice(installFakeBackend(), "usage");
    await waitFor(() => expect(text("#usage-table")).toContain("No usage yet"));
    expect($("#usage-chart")).toBeNull();
  });

  it("saves the ledger as a CSV file into Downloads, and copies it to the clipboard", async () => {
    const fake = seeded();
    fake.modelChoice.csv = "at,model\n2026-12-01T10:00:00Z,gpt-5\n";
    await openChoice(fake, "usage");
    await fireEvent.click($("#usage-csv-save")!);
    await waitFor(() => expect(text("#usage-note")).toBe("Saved as /home/tester/Downloads/anyint-usage.csv"));
    expect(fake.callsTo("usage_csv_save")).toHaveLength(1);
    await fireEvent.click($("#usage-csv-copy")!);
    await waitFor(() => expect(text("#usage-note")).toBe("The ledger's CSV is on the clipboard."));
    expect(fake.modelChoice.clipboard).toBe(fake.modelChoice.csv);
  });

  it("keeps a price per model: a negative amount shows the core's reason, a good one lands in the table", async () => {
    const fake = await openChoice(seeded(), "usage");
    await waitFor(() => expect(text("#price-list")).toContain("No prices yet"));
    await type("#price-model", "gpt-5-mini");
    await type("#price-input", "-1");
    await fireEvent.click($("#price-save")!);
    await waitFor(() => expect($("#price-error")).not.toBeNull());
    expect(text("#price-error")).toContain("must be numbers of 0 or more");
    expect(fake.modelChoice.prices).toEqual([]);

    await type("#price-input", "0.25");
    await type("#price-output", "2");
    await fireEvent.click($("#price-save")!);
    await waitFor(() => expect($("#price-list [data-model='gpt-5-mini']")).not.toBeNull());
    expect(fake.modelChoice.prices[0]).toEqual({ model: "gpt-5-mini", inputPerMtok: 0.25, outputPerMtok: 2, cachedInputPerMtok: null, perImage: null, perVideoSecond: null, perSong: null, currency: "USD" });
    // The totals are reloaded: their costs depend on the prices.
    expect(fake.callsTo("usage_totals").length).toBeGreaterThanOrEqual(2);
    await fireEvent.click($("#price-delete-gpt-5-mini")!);
    await waitFor(() => expect($("#price-list [data-model='gpt-5-mini']")).toBeNull());
    expect(fake.modelChoice.prices).toEqual([]);
  });
});

describe("Fallback log", () => {
  it("lists the fallbacks newest first, and Refresh shows a new one", async () => {
    const fake = installFakeBackend();
    const row = (id: number, workload: string, at: string) => ({
      id, at, workload, family: "anthropic" as const, primaryModel: "claude-sonnet-4-6", fallbackModel: "claude-haiku-4-5",
      status: 503, failure: "503", trigger: "unavailable", reason: "503 is a trigger; falling back", action: "fell_back", runId: null, answered: true,
    });
    fake.modelChoice.fallbackLog = [row(2, "code", "2026-12-01T10:00:00Z"), row(1, "chat", "2026-11-30T10:00:00Z")];
    await openChoice(fake, "fallback-log");
    await waitFor(() => expect($$("#fallback-log [data-id]").map((r) => r.dataset.id)).toEqual(["2", "1"]));
    const cells = [...$("#fallback-log [data-id='2']")!.querySelectorAll("td")].slice(1).map((td) => td.textContent?.trim());
    expect(cells).toEqual(["code", "claude-sonnet-4-6", "claude-haiku-4-5", "503", "503 is a trigger; falling back", "fallback answered"]);

    fake.modelChoice.fallbackLog = [{ ...row(3, "chat", "2026-12-01T11:00:00Z"), action: "held", answered: null }, ...fake.modelChoice.fallbackLog];
    await fireEvent.click($("#fallback-refresh")!);
    await waitFor(() => expect($$("#fallback-log [data-id]")).toHaveLength(3));
    expect(text("#fallback-log [data-id='3'] td:last-child")).toContain("held");
    expect(fake.callsTo("fallback_log")[0]?.args.limit).toBe(200);
  });
});
