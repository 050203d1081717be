// The Workloads tab through App (Alt+8) and the typed fake: the tab list's keyboard, presets,
// the editor's fields reaching workload_save, the core's validation shown with nothing saved,
// delete with a confirmation, the dry run's steps, and export / import (whole or nothing).
import { fireEvent, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../ipc";
import { installFakeBackend } from "../../ipc/testing/fakeBackend";
import { $, $$, choose, openChoice, text, type, workload } from "./choiceTesting";

describe("Choice screen: tabs", () => {
  it("is a tablist: Workloads first, arrow keys move to the next tab and show its panel", async () => {
    await openChoice();
    const tabs = $$("#choice-screen [role=tab]");
    expect(tabs.map((t) => t.textContent)).toEqual(["Workloads", "Compare", "Advisor", "Usage", "Fallback log"]);
    expect($("#choice-tab-workloads")?.getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown($("#choice-tab-workloads")!, { key: "ArrowRight" });
    await waitFor(() => expect($("#choice-panel-compare")).not.toBeNull());
    expect(document.activeElement?.id).toBe("choice-tab-compare");
    expect($("#choice-panel-workloads")).toBeNull();
    await fireEvent.keyDown($("#choice-tab-compare")!, { key: "End" });
    await waitFor(() => expect($("#choice-panel-fallback-log")).not.toBeNull());
    await fireEvent.keyDown($("#choice-tab-fallback-log")!, { key: "ArrowRight" });
    await waitFor(() => expect($("#choice-panel-workloads")).not.toBeNull());
    expect($("[role=tabpanel]")?.getAttribute("aria-labelledby")).toBe("choice-tab-workloads");
  });
});

describe("Workloads", () => {
  it("a preset fills the editor, and Save sends every field the user set", async () => {
    const fake = await openChoice();
    await waitFor(() => expect(text("#wl-list")).toContain("No workloads yet"));
    await choose("#wl-preset", "code");
    await fireEvent.click($("#wl-use-preset")!);
    expect($<HTMLInputElement>("#wl-name")!.value).toBe("code");
    expect($<HTMLSelectElement>("#wl-family")!.value).toBe("anthropic");
    await type("#wl-fallback", "claude-haiku-4-5");
    await fireEvent.click($("#wl-paid")!);
    await fireEvent.click($("#wl-trigger-rateLimited")!);
    await type("#wl-transient-retries", "3");
    await type("#wl-backoff-base", "250");
    await fireEvent.click($("#wl-save")!);
    await waitFor(() => expect($("#wl-list [data-workload=code]")).not.toBeNull());
    const saved = fake.callsTo("workload_save")[0]?.args.workload;
    expect(saved).toMatchObject({
      name: "code",
      family: "anthropic",
      primary: "claude-sonnet-4-6",
      fallback: "claude-haiku-4-5",
      goal: "quality",
      paidTier: true,
      policy: { triggers: { rateLimited: false, serverError: true }, transientRetries: 3, backoffBaseMs: 250, rateLimitRetries: 2 },
    });
    await waitFor(() => expect($("#wl-editor")).toBeNull());
    expect(text("#wl-list [data-workload=code]")).toContain("paid tier");
    expect(text("#wl-list [data-workload=code]")).toContain("asks before falling back");
  });

  it("shows the core's reason when a workload is invalid, and saves nothing", async () => {
    const fake = await openChoice();
    await fireEvent.click($("#wl-new")!);
    await type("#wl-name", "summarise");
    await type("#wl-primary", "gpt-5");
    await type("#wl-fallback", "gpt-5");
    await fireEvent.click($("#wl-save")!);
    await waitFor(() => expect($("#wl-error")).not.toBeNull());
    expect($("#wl-error")?.dataset.code).toBe(ErrorCodes.InvalidInput);
    expect(text("#wl-error")).toContain("the fallback is the primary model");
    expect(fake.modelChoice.workloads).toEqual([]);
    expect($("#wl-editor")).not.toBeNull();
    // Fixed, it saves.
    await type("#wl-fallback", "");
    await fireEvent.click($("#wl-save")!);
    await waitFor(() => expect($("#wl-list [data-workload=summarise]")).not.toBeNull());
    expect(fake.modelChoice.workloads[0]?.fallback).toBeNull();
  });

  it("edits an existing workload under its name, and deletes only after the confirmation", async () => {
    const fake = installFakeBackend();
    fake.modelChoice.workloads = [workload(), workload({ name: "extract", family: "openai_chat", primary: "gpt-5-mini", fallback: null })];
    await openChoice(fake);
    await waitFor(() => expect($$("#wl-list [data-workload]")).toHaveLength(2));
    await fireEvent.click($("#wl-edit-chat")!);
    expect($<HTMLInputElement>("#wl-name")!.readOnly).toBe(true);
    await type("#wl-rate-retries", "4");
    await fireEvent.click($("#wl-save")!);
    await waitFor(() => expect(fake.modelChoice.workloads.find((w) => w.name === "chat")?.policy.rateLimitRetries).toBe(4));

    await fireEvent.click($("#wl-delete-extract")!);
    expect($("#wl-delete-dialog")).not.toBeNull();
    expect(fake.callsTo("workload_delete")).toHaveLength(0);
    await fireEvent.click($("#wl-delete-confirm")!);
    await waitFor(() => expect($("#wl-list [data-workload=extract]")).toBeNull());
    expect(fake.callsTo("workload_delete")[0]?.args.name).toBe("extract");
    await waitFor(() => expect($("#wl-delete-dialog")).toBeNull());
  });

  it("the dry run lists what the policy decides for a status, and for a Sandbox fault", async () => {
    const fake = installFakeBackend();
    fake.modelChoice.workloads = [workload()];
    await openChoice(fake);
    await waitFor(() => expect($("#wl-try-chat")).not.toBeNull());
    await fireEvent.click($("#wl-try-chat")!);
    await type("#dry-status", "401");
    await fireEvent.click($("#dry-go")!);
    await waitFor(() => expect($$("#dry-steps li")).toHaveLength(1));
    expect($("#dry-steps li")?.dataset.action).toBe("giveUp");
    expect(text("#dry-steps")).toContain("never a fallback trigger");

    await fireEvent.click($("#dry-kind-fault")!);
    await choose("#dry-fault", "rate-limit");
    await fireEvent.click($("#dry-go")!);
    await waitFor(() => expect($("#dry-steps li")?.dataset.action).toBe("fallBack"));
    expect(text("#dry-steps")).toContain("Fall back to claude-haiku-4-5");
    expect(text("#dry-steps")).toContain("429 after the retries");
    expect(fake.callsTo("workload_dry_run").map((c) => c.args.input)).toEqual([
      { type: "status", status: 401, body: "", retryAfterS: null },
      { type: "fault", name: "rate-limit" },
    ]);
  });

  it("exports JSON to the screen, and an import with an error replaces nothing", async () => {
    const fake = installFakeBackend();
    fake.modelChoice.workloads = [workload()];
    await openChoice(fake);
    await waitFor(() => expect($("#wl-list [data-workload=chat]")).not.toBeNull());
    await fireEvent.click($("#wl-export")!);
    await waitFor(() => expect($("#wl-export-text")).not.toBeNull());
    const exported = $<HTMLTextAreaElement>("#wl-export-text")!.value;
    expect(JSON.parse(exported)).toEqual({ workloads: fake.modelChoice.workloads });
    await fireEvent.click($("#wl-export-save")!);
    await waitFor(() => expect(text("#wl-exchange-note")).toBe("Saved as /home/tester/Downloads/anyint-workloads.json"));
    expect(fake.callsTo("workloads_export_save")[0]?.args.format).toBe("json");
    await fireEvent.click($("#wl-export-copy")!);
    await waitFor(() => expect(text("#wl-exchange-note")).toBe("Copied to the clipboard."));
    expect(fake.modelChoice.clipboard).toBe(exported);

    const bad = { workloads: [workload({ name: "chat", primary: "gpt-5" }), workload({ name: "Not Valid" })] };
    await type("#wl-import-text", JSON.stringify(bad));
    await fireEvent.click($("#wl-import")!);
    await waitFor(() => expect($("#wl-import-error")).not.toBeNull());
    expect(text("#wl-import-error")).toContain("Nothing imported");
    expect(fake.modelChoice.workloads.map((w) => w.primary)).toEqual(["claude-sonnet-4-6"]);

    const good = { workloads: [workload({ name: "chat", primary: "claude-opus-4-6" }), workload({ name: "code" })] };
    await type("#wl-import-text", JSON.stringify(good));
    await fireEvent.click($("#wl-import")!);
    await waitFor(() => expect(text("#wl-import-done")).toBe("Imported 2: chat, code."));
    expect($("#wl-import-error")).toBeNull();
    await waitFor(() => expect($$("#wl-list [data-workload]")).toHaveLength(2));
    expect(text("#wl-list [data-workload=chat]")).toContain("claude-opus-4-6");
  });
});
