import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { installFakeBackend, model, SANDBOX } from "./ipc/testing/fakeBackend";
import { handFirstScreen } from "./ipc/testing/firstScreen";

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

async function start() {
  const fake = installFakeBackend();
  render(App);
  await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
  return fake;
}

describe("App shell", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("lands on the Models screen of the sandbox, badge visible", async () => {
    const fake = await start();
    expect($("#nav-models")?.getAttribute("aria-current")).toBe("page");
    expect($("#models-table")).not.toBeNull();
    expect(fake.callsTo("models_list")[0]?.args).toEqual({ refresh: false });
    await waitFor(() => expect($("#status-connection")?.textContent).toBe("Sandbox"));
    expect($("#sandbox-badge")?.textContent).toContain("Sandbox — simulated");
    // What the real backend reports for the Sandbox (ipc/testing/sandbox-connection.json).
    expect(SANDBOX.maskedKey).toBe("sk-…demo");
    expect($("#status-key")?.textContent).toContain("sk-…demo");
    expect($("#status-environment")?.textContent).toBe("prod");
  });

  it("tells the app once when the first screen shows its data, after the models arrived", async () => {
    const fake = await start();
    await waitFor(() => expect(fake.callsTo("first_screen_shown")).toHaveLength(1));
    const order = fake.calls.map((c) => c.cmd);
    expect(order.indexOf("models_list")).toBeLessThan(order.indexOf("first_screen_shown"));
    expect(performance.getEntriesByName("first-screen-interactive")).not.toHaveLength(0);
    // A refresh is not a start-up: no second mark.
    await fireEvent.keyDown(window, { key: "F5" });
    await waitFor(() => expect(fake.callsTo("models_list")).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsTo("first_screen_shown")).toHaveLength(1);
  });

  it("paints the first screen with the data the window handed over, asking only for the rest", async () => {
    const fake = installFakeBackend();
    const handed = [model("handed-over-model", "Handed over", null)];
    handFirstScreen({
      connections: [SANDBOX],
      models: { connectionId: "sandbox", models: handed, fetchedAt: "2026-12-02T08:00:00Z", fromCache: true },
    });
    render(App);
    // In the first render already, before any command could have answered.
    expect(document.body.dataset.ready).toBe("true");
    expect($("#models-table tr[data-model-id='handed-over-model']")).not.toBeNull();
    expect($("#status-connection")?.textContent).toBe("Sandbox");
    await waitFor(() => expect(fake.callsTo("first_screen_shown")).toHaveLength(1));
    expect(fake.callsTo("models_list")).toHaveLength(0);
    expect(fake.callsTo("connections_list")).toHaveLength(0);
    // Taken once: what a second App in this page shows comes from the backend.
    expect((window as unknown as Record<string, unknown>).__ANYINT_FIRST_SCREEN__).toBeUndefined();
  });

  it("asks for the models when none were cached to hand over", async () => {
    const fake = installFakeBackend();
    handFirstScreen({ connections: [SANDBOX], models: null });
    render(App);
    await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
    expect(fake.callsTo("models_list")).toHaveLength(1);
    expect(fake.callsTo("connections_list")).toHaveLength(0);
    expect($("#models-table tr[data-model-id='gpt-4o']")).not.toBeNull();
  });

  it("ignores what was handed over on a reload, which may be stale by then", async () => {
    const fake = installFakeBackend();
    handFirstScreen({
      connections: [SANDBOX],
      models: { connectionId: "sandbox", models: [model("stale-model")], fetchedAt: "2026-12-02T08:00:00Z", fromCache: true },
    });
    vi.spyOn(performance, "getEntriesByType").mockReturnValue([{ type: "reload" } as unknown as PerformanceEntry]);
    render(App);
    await waitFor(() => expect(document.body.dataset.ready).toBe("true"));
    expect(fake.callsTo("models_list")).toHaveLength(1);
    expect(fake.callsTo("connections_list")).toHaveLength(1);
    expect($("#models-table tr[data-model-id='stale-model']")).toBeNull();
  });

  it("has every screen of the design built: none is left as coming soon", async () => {
    await start();
    expect(document.querySelectorAll(".rail [aria-disabled='true']")).toHaveLength(0);
    for (const label of ["Media", "Music", "Tasks", "Choice", "Settings"]) {
      const entry = [...document.querySelectorAll<HTMLButtonElement>(".rail button.rail-item")].find((b) => b.textContent?.includes(label));
      expect(entry?.tagName).toBe("BUTTON");
    }
  });

  it("has Keys as a working rail entry, second, with Alt+N following the rail order", async () => {
    await start();
    const items = [...document.querySelectorAll<HTMLButtonElement>(".rail button.rail-item")];
    expect(items.map((b) => b.id)).toEqual(["nav-connections", "nav-keys", "nav-models", "nav-playground", "nav-tasks", "nav-media", "nav-music", "nav-choice", "nav-settings"]);
    expect(items.map((b) => b.querySelector("kbd")?.textContent)).toEqual(["Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5", "Alt+6", "Alt+7", "Alt+8", "Alt+9"]);
    expect([...document.querySelectorAll(".rail [aria-disabled='true']")].map((e) => e.textContent)).not.toContain(
      expect.stringContaining("Keys"),
    );
  });

  it("Alt+1 … Alt+9 switch screens", async () => {
    await start();
    // Screens but Models load when first opened (src/lazyScreens.ts), so each is awaited.
    await fireEvent.keyDown(window, { key: "1", code: "Digit1", altKey: true });
    await waitFor(() => expect($("#connection-form")).not.toBeNull());
    expect($("#nav-connections")?.getAttribute("aria-current")).toBe("page");
    await fireEvent.keyDown(window, { key: "2", code: "Digit2", altKey: true });
    await waitFor(() => expect($("#keys-table")).not.toBeNull());
    expect($("#nav-keys")?.getAttribute("aria-current")).toBe("page");
    await fireEvent.keyDown(window, { key: "3", code: "Digit3", altKey: true });
    await waitFor(() => expect($("#models-search")).not.toBeNull());
    await fireEvent.keyDown(window, { key: "4", code: "Digit4", altKey: true });
    await waitFor(() => expect($("#playground-screen")).not.toBeNull());
    await fireEvent.keyDown(window, { key: "5", code: "Digit5", altKey: true });
    await waitFor(() => expect($("#tasks-table")).not.toBeNull());
    expect($("#nav-tasks")?.getAttribute("aria-current")).toBe("page");
    await fireEvent.keyDown(window, { key: "6", code: "Digit6", altKey: true });
    await waitFor(() => expect($("#media-screen")).not.toBeNull());
    await fireEvent.keyDown(window, { key: "7", code: "Digit7", altKey: true });
    await waitFor(() => expect($("#music-screen")).not.toBeNull());
    expect($("#nav-music")?.getAttribute("aria-current")).toBe("page");
    await fireEvent.keyDown(window, { key: "8", code: "Digit8", altKey: true });
    await waitFor(() => expect($("#choice-screen")).not.toBeNull());
    expect($("#nav-choice")?.getAttribute("aria-current")).toBe("page");
    await fireEvent.keyDown(window, { key: "9", code: "Digit9", altKey: true });
    await waitFor(() => expect($("#settings-heading")).not.toBeNull());
  });

  it("'/' and Ctrl+F focus the search, even from another screen", async () => {
    await start();
    await fireEvent.keyDown(document.body, { key: "/" });
    await waitFor(() => expect(document.activeElement?.id).toBe("models-search"));
    await fireEvent.click($("#nav-connections")!);
    await fireEvent.keyDown(document.body, { key: "f", ctrlKey: true });
    await waitFor(() => expect(document.activeElement?.id).toBe("models-search"));
  });

  it("'/' typed into a text field stays in the field", async () => {
    await start();
    await fireEvent.click($("#nav-connections")!);
    const url = await waitFor(() => {
      const field = $<HTMLInputElement>("#connection-base-url");
      expect(field).not.toBeNull();
      return field!;
    });
    url.focus();
    const ev = new KeyboardEvent("keydown", { key: "/", bubbles: true, cancelable: true });
    url.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(false);
    expect($("#models-search")).toBeNull();
  });

  it("F5 and Ctrl+R refresh from the gateway instead of reloading the page", async () => {
    const fake = await start();
    const f5 = new KeyboardEvent("keydown", { key: "F5", bubbles: true, cancelable: true });
    window.dispatchEvent(f5);
    expect(f5.defaultPrevented).toBe(true);
    await fireEvent.keyDown(window, { key: "r", ctrlKey: true });
    await waitFor(() => expect(fake.callsTo("models_list")).toHaveLength(3));
    expect(fake.callsTo("models_list").slice(1).map((c) => c.args)).toEqual([{ refresh: true }, { refresh: true }]);
  });
});
